// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/<pid>: the enclave's processes -- their memory map, state, ids,
 * arguments, open files and threads. Everything is read from the process
 * while the process table is locked (process_with), so it cannot be freed
 * under the reader; the text is written after.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/string.h>
#include <cove/task.h>
#include "backends.h"
#include "procfs.h"
#include "procfs_fmt.h"
#include "synth.h"

/* Exec lays the strings and tables out within this much of the stack's top. */
#define PID_ARGS_WINDOW (128 * KiB)

enum procfs_pid_kind {
	PID_DIR = PROC_PID_KINDS, PID_FD_DIR, PID_TASK_DIR, TASK_DIR,
	PID_CMDLINE, PID_COMM, PID_ENVIRON, PID_MAPS, PID_MOUNTS, PID_STAT, PID_STATM,
	PID_STATUS, PID_EXE, PID_CWD, PID_ROOT, PID_FD_LINK, PID_SMAPS, PID_SMAPS_ROLLUP,
};

#define D (S_IFDIR | 0555)
#define R (S_IFREG | 0444)
#define L (S_IFLNK | 0777)

static const struct synth_entry pid_entries[] = {
	{ "cmdline", R, PID_CMDLINE }, { "comm", R, PID_COMM }, { "cwd", L, PID_CWD },
	{ "environ", S_IFREG | 0400, PID_ENVIRON }, { "exe", L, PID_EXE },
	{ "fd", S_IFDIR | 0500, PID_FD_DIR }, { "maps", R, PID_MAPS },
	{ "mounts", R, PID_MOUNTS }, { "root", L, PID_ROOT }, { "smaps", R, PID_SMAPS },
	{ "smaps_rollup", R, PID_SMAPS_ROLLUP }, { "stat", R, PID_STAT },
	{ "statm", R, PID_STATM }, { "status", R, PID_STATUS }, { "task", D, PID_TASK_DIR },
	{ NULL, 0, 0 },
};
static const struct synth_entry task_entries[] = {
	{ "comm", R, PID_COMM }, { "stat", R, PID_STAT }, { "status", R, PID_STATUS },
	{ NULL, 0, 0 },
};

#undef D
#undef R
#undef L

/* Under p->lock. */
static struct task *pid_thread(struct process *p, uint32_t tid)
{
	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (t->tid == tid)
			return t;
	}
	return NULL;
}

static int pid_exists_fn(struct process *p, void *ctx)
{
	uint32_t tid = *(uint32_t *)ctx;
	unsigned long flags;
	bool found;

	if (!tid)
		return 0;
	flags = spin_lock_irqsave(&p->lock);
	found = pid_thread(p, tid) != NULL;
	spin_unlock_irqrestore(&p->lock, flags);
	return found ? 0 : -ENOENT;
}

static int pid_exists(uint32_t pid, uint32_t tid)
{
	int rc = process_with(pid, pid_exists_fn, &tid);

	return rc == -ESRCH ? -ENOENT : rc;
}

/* The top of a process's stack, where exec left its strings. */
struct pid_args {
	uint8_t *win;
	size_t len;
	uint64_t top;
	struct stack_args a;
};

static int pid_stack_fn(struct process *p, void *ctx)
{
	struct pid_args *pa = ctx;
	struct vm_region *stack = NULL;
	unsigned long flags;
	int rc = -ENOENT;

	if (!p->as)
		return -ENOENT;
	flags = spin_lock_irqsave(&p->as->lock);
	for (struct vm_region *r = p->as->regions; r; r = r->next) {
		if (r->kind == VM_STACK && (!stack || r->end > stack->end))
			stack = r;
	}
	if (stack) {
		pa->len = (size_t)MIN((uint64_t)pa->len, stack->end - stack->start);
		pa->top = stack->end;
		rc = aspace_read(p->as, pa->top - pa->len, pa->win, pa->len);
	}
	spin_unlock_irqrestore(&p->as->lock, flags);
	return rc;
}

/* 0 and pa->win to kfree, or -errno (-ENOENT: the stack says nothing usable). */
static int pid_args_get(uint32_t pid, struct pid_args *pa)
{
	int rc;

	pa->len = PID_ARGS_WINDOW;
	pa->win = kmalloc(PID_ARGS_WINDOW);
	if (!pa->win)
		return -ENOMEM;
	rc = process_with(pid, pid_stack_fn, pa);
	if (!rc && stack_args_parse(pa->win, pa->len, pa->top, &pa->a))
		rc = -ENOENT;
	if (rc) {
		kfree(pa->win);
		pa->win = NULL;
	}
	return rc;
}

static const char *pid_args_at(const struct pid_args *pa, uint64_t va)
{
	return (const char *)pa->win + (va - (pa->top - pa->len));
}

/* The program's path (AT_EXECFN), made absolute, into out. */
static int pid_exe_path(uint32_t pid, char *out, size_t len)
{
	struct pid_args pa;
	const char *path;
	int rc = pid_args_get(pid, &pa);

	if (rc)
		return rc;
	path = pid_args_at(&pa, pa.a.execfn);
	rc = ksnprintf(out, len, "%s%s", path[0] == '/' ? "" : "/", path) < (int)len ?
	     0 : -ENAMETOOLONG;
	kfree(pa.win);
	return rc;
}

struct pid_cwd {
	char *buf;
	size_t len;
};

static int pid_cwd_fn(struct process *p, void *ctx)
{
	struct pid_cwd *c = ctx;
	int64_t n;

	if (p->cwd_on_host && p->host_cwd[0])
		n = ksnprintf(c->buf, c->len, "%s", p->host_cwd) < (int)c->len ? 0 : -ENAMETOOLONG;
	else
		n = rootfs_fs_ops.getcwd(p, c->buf, c->len);
	return n < 0 ? (int)n : 0;
}

static int pid_cwd_path(uint32_t pid, char *out, size_t len)
{
	struct pid_cwd c = { out, len };

	return process_with(pid, pid_cwd_fn, &c);
}

/* Host descriptors listed in /proc/self/fd at most (a long-call payload holds 16 K). */
#define FD_LIST_MAX 4096

/* An open file of a process: a new reference, or the open descriptors. */
struct pid_fds {
	int fd;
	struct file *f;
	struct sbuf *list;
};

static int pid_fds_fn(struct process *p, void *ctx)
{
	struct pid_fds *q = ctx;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	struct fdtable *t = p->files;
	int rc = t ? 0 : -ENOENT;

	if (t && q->list) {
		char name[16];

		spin_lock(&t->lock);
		for (int i = 0; i < FD_MAX; i++) {
			if (!t->fd[i])
				continue;
			ksnprintf(name, sizeof(name), "%d", i);
			synth_dir_add(q->list, name, S_IFLNK);
		}
		spin_unlock(&t->lock);
	} else if (t) {
		q->f = fd_get(t, q->fd);
		rc = q->f ? 0 : -ENOENT;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return rc;
}

static int pid_fd_get(uint32_t pid, int fd, struct file **out)
{
	struct pid_fds q = { .fd = fd };
	int rc = process_with(pid, pid_fds_fn, &q);

	if (rc)
		return rc == -ESRCH ? -ENOENT : rc;
	*out = q.f;
	return 0;
}

static int pid_tasks_fn(struct process *p, void *ctx)
{
	struct sbuf *sb = ctx;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	char name[16];

	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (t->state == TASK_DEAD)
			continue;
		ksnprintf(name, sizeof(name), "%u", t->tid);
		synth_dir_add(sb, name, S_IFDIR);
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

static int pid_name_fn(struct process *p, void *ctx)
{
	char *name = ctx;

	memcpy(name, p->name, 15);
	name[15] = 0;
	return 0;
}

/* A link's target, for readlink and for following it. */
static int pid_link_target(const struct synth_node *n, char *out, size_t len)
{
	struct file *f;
	int64_t rc;

	switch (n->kind) {
	case PID_EXE:
		return pid_exe_path(n->pid, out, len);
	case PID_CWD:
		return pid_cwd_path(n->pid, out, len);
	case PID_ROOT:
		return ksnprintf(out, len, "/") < (int)len ? 0 : -ENAMETOOLONG;
	case PID_FD_LINK:
		rc = pid_fd_get(n->pid, (int)n->index, &f);
		if (rc)
			return (int)rc;
		rc = vfs_file_path(f, out, len - 1);
		file_put(f);
		if (rc < 0)
			return (int)rc;
		out[rc] = 0;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Follow a link met on the way (or last, when asked): where it leads. */
static int pid_follow(struct synth_node *n, const char *rest)
{
	char *target = n->target;
	int rc;

	if (n->kind == PID_FD_LINK) {
		/* The open file itself, whatever its name says. */
		if (*rest)
			return -ENOTDIR;
		n->follow = SYNTH_MAGIC;
		return 0;
	}
	rc = pid_link_target(n, target, sizeof(n->target));
	if (rc)
		return rc;
	if (strlen(target) + strlen(rest) + 1 >= sizeof(n->target))
		return -ENAMETOOLONG;
	if (strcmp(target, "/") || !*rest)
		memcpy(target + strlen(target), rest, strlen(rest) + 1);
	else
		memcpy(target, rest, strlen(rest) + 1);
	n->follow = SYNTH_REDIRECT;
	return 0;
}

int procfs_pid_lookup(uint32_t pid, uint32_t tid, const char *rel, bool follow,
		      struct synth_node *n)
{
	char name[32];
	uint32_t v;
	int rc = pid_exists(pid, tid);

	if (rc)
		return rc;
	synth_set(n, S_IFDIR | 0555, tid ? TASK_DIR : PID_DIR);
	n->pid = pid;
	n->tid = tid;
	while (synth_next(&rel, name, sizeof(name))) {
		const struct synth_entry *e = NULL;

		switch (n->kind) {
		case PID_DIR:
			e = synth_find(pid_entries, name);
			break;
		case TASK_DIR:
			e = synth_find(task_entries, name);
			break;
		case PID_TASK_DIR:
			if (!synth_number(name, "", &v) || !v || pid_exists(pid, v))
				return -ENOENT;
			synth_set(n, S_IFDIR | 0555, TASK_DIR);
			n->tid = v;
			continue;
		case PID_FD_DIR:
			if (!synth_number(name, "", &v) || v >= FD_MAX)
				return -ENOENT;
			synth_set(n, S_IFLNK | 0700, PID_FD_LINK);
			n->index = v;
			break;
		default:
			return -ENOTDIR;
		}
		if (e)
			synth_set(n, e->mode, e->kind);
		else if (n->kind != PID_FD_LINK)
			return -ENOENT;
		if (n->kind == PID_FD_LINK) {
			struct file *f;

			rc = pid_fd_get(pid, (int)v, &f);
			if (rc)
				return rc;
			file_put(f);
		}
		if (S_ISLNK(n->mode) && (*rel || follow))
			return pid_follow(n, rel);
	}
	return 0;
}

static void pid_list_fixed(const struct synth_node *n, struct sbuf *sb)
{
	synth_list(n->kind == PID_DIR ? pid_entries : task_entries, sb);
}

/* The numbers stat, status and statm show, with the argument bounds. */
static int pid_vals(const struct synth_node *n, struct proc_vals *v)
{
	struct synth_cpus *sc = synth_cpus_get();
	struct pid_args pa;
	int rc;

	rc = procfs_pid_vals(n->pid, n->tid, sc ? sc->nr_ids : MAX_CPUS, v);
	kfree(sc);
	if (rc)
		return rc;
	if (!pid_args_get(n->pid, &pa)) {
		v->args = pa.a;
		kfree(pa.win);
	}
	return 0;
}

/* The map, with the program's own name and inode on its image. */
static int pid_maps(const struct synth_node *n, struct sbuf *sb)
{
	char *exe = kzalloc(SYNTH_PATH_MAX);
	struct vfs_stat st;
	uint64_t ino = 0;
	int rc;

	if (!exe)
		return -ENOMEM;
	if (pid_exe_path(n->pid, exe, SYNTH_PATH_MAX))
		exe[0] = 0;
	else if (!vfs_statat(AT_FDCWD, exe, true, &st))
		ino = st.ino;
	rc = procfs_pid_maps(n->pid, exe, ino,
			     n->kind == PID_SMAPS ? PROCFS_SMAPS :
			     n->kind == PID_SMAPS_ROLLUP ? PROCFS_SMAPS_ROLLUP : PROCFS_MAPS, sb);
	kfree(exe);
	return rc;
}

/* cmdline and environ: the strings as they are in the process's memory now. */
static int pid_strings(const struct synth_node *n, struct sbuf *sb)
{
	struct pid_args pa;
	uint64_t from, to;

	/* A process whose stack says nothing has empty ones, as a zombie's. */
	if (pid_args_get(n->pid, &pa))
		return 0;
	from = n->kind == PID_CMDLINE ? pa.a.arg_start : pa.a.env_start;
	to = n->kind == PID_CMDLINE ? pa.a.arg_end : pa.a.env_end;
	sbuf_putmem(sb, pid_args_at(&pa, from), (size_t)(to - from));
	kfree(pa.win);
	return 0;
}

/*
 * Descriptors the caller's table shares its numbers with (a job's host
 * proxy, cove/offload.h): listed by the other side; a readlink of one is
 * served there too.
 */
static void pid_list_host_fds(struct sbuf *sb)
{
	const struct fd_numbers *numbers = task_current()->proc->files ?
					   task_current()->proc->files->numbers : NULL;
	uint32_t *fds;
	char name[16];
	int n;

	if (!numbers || !numbers->list)
		return;
	fds = kmalloc(FD_LIST_MAX * sizeof(*fds));
	if (!fds)
		return;
	n = numbers->list(fds, FD_LIST_MAX);
	for (int i = 0; i < n; i++) {
		ksnprintf(name, sizeof(name), "%u", fds[i]);
		synth_dir_add(sb, name, S_IFLNK);
	}
	kfree(fds);
}

static int pid_fill_dir(const struct synth_node *n, struct sbuf *sb)
{
	struct pid_fds q = { .list = sb };
	int rc = 0;

	switch (n->kind) {
	case PID_DIR:
	case TASK_DIR:
		pid_list_fixed(n, sb);
		return 0;
	case PID_TASK_DIR:
		rc = process_with(n->pid, pid_tasks_fn, sb);
		break;
	case PID_FD_DIR:
		rc = process_with(n->pid, pid_fds_fn, &q);
		if (rc == -ENOENT)
			rc = 0;	/* exited: no files left */
		if (!rc && n->pid == task_current()->proc->pid)
			pid_list_host_fds(sb);
		break;
	default:
		return -ENOTDIR;
	}
	return rc == -ESRCH ? -ENOENT : rc;
}

int procfs_pid_fill(const struct synth_node *n, struct sbuf *sb)
{
	struct proc_vals *v;
	char name[16];
	int rc;

	if (S_ISDIR(n->mode))
		return pid_fill_dir(n, sb);
	if (S_ISLNK(n->mode)) {
		char *target = kmalloc(SYNTH_PATH_MAX);

		if (!target)
			return -ENOMEM;
		rc = pid_link_target(n, target, SYNTH_PATH_MAX);
		if (!rc)
			sbuf_puts(sb, target);
		kfree(target);
		return rc;
	}
	switch (n->kind) {
	case PID_CMDLINE:
	case PID_ENVIRON:
		return pid_strings(n, sb);
	case PID_COMM:
		rc = process_with(n->pid, pid_name_fn, name);
		if (!rc)
			sbuf_printf(sb, "%s\n", name);
		return rc == -ESRCH ? -ENOENT : rc;
	case PID_MAPS:
	case PID_SMAPS:
	case PID_SMAPS_ROLLUP:
		return pid_maps(n, sb);
	case PID_MOUNTS:
		procfs_mounts(sb);
		return 0;
	case PID_STAT:
	case PID_STATM:
	case PID_STATUS:
		v = kmalloc(sizeof(*v));
		if (!v)
			return -ENOMEM;
		rc = pid_vals(n, v);
		if (!rc && n->kind == PID_STAT)
			fmt_proc_stat(sb, v);
		else if (!rc && n->kind == PID_STATM)
			fmt_proc_statm(sb, v);
		else if (!rc)
			fmt_proc_status(sb, v);
		kfree(v);
		return rc;
	default:
		return -EINVAL;
	}
}

/* /proc/<pid>/fd/N followed: that very open file (a dup, sharing its offset). */
int procfs_pid_open(const struct synth_node *n, uint32_t flags, struct file **out)
{
	if (n->kind != PID_FD_LINK)
		return -EINVAL;
	return pid_fd_get(n->pid, (int)n->index, out);
}

void procfs_pid_list(struct sbuf *sb)
{
	uint32_t *pids = kmalloc(1024 * sizeof(*pids));
	uint32_t nr;
	char name[16];

	if (!pids) {
		sb->overflow = true;
		return;
	}
	nr = process_list_pids(pids, 1024);
	for (uint32_t i = 0; i < nr; i++) {
		ksnprintf(name, sizeof(name), "%u", pids[i]);
		synth_dir_add(sb, name, S_IFDIR);
	}
	kfree(pids);
}
