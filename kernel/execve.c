// SPDX-License-Identifier: GPL-2.0
/*
 * execve: replace the calling process's image. Everything that can fail
 * happens before the old image is touched -- the arguments are copied out
 * of it, the new address space is built whole (exec_build) -- so a failed
 * execve returns to an intact caller. Then the process takes the new
 * address space, closes its close-on-exec descriptors, resets its signal
 * handlers to the default (ignored signals stay ignored, as Linux), and
 * its thread leaves for the new program's entry. A "#!" script runs its
 * interpreter, with the script's path as an argument (execve_script). A
 * process with a host proxy has a host program copied in first, and tells
 * its proxy, which closes its own close-on-exec descriptors.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/exec.h>
#include <cove/exec_script.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/hostfile.h>
#include <cove/kprintf.h>
#include <cove/offload.h>
#include <cove/perf_event.h>
#include <cove/signal.h>
#include <cove/sched.h>
#include <cove/string.h>
#include <cove/syscall.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>
#include <cove/vfs.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define EXECVE_STRINGS_MAX (96 * 1024)	/* argv and envp bytes: they must fit exec's stack area */
#define EXECVE_VEC_MAX 2048		/* argv plus envp entries */
#define EXECVE_PATH_MAX 256
#define AT_EMPTY_PATH 0x1000
#define EXECVE_THREAD_POLL_NS (1000 * 1000ULL)
#define EXECVE_SCRIPT_DEPTH 4		/* scripts whose interpreter is a script: as Linux */

/* What execve copies out of the old image before anything else. */
struct execve_args {
	char path[EXECVE_PATH_MAX];
	char *strings;			/* EXECVE_STRINGS_MAX bytes */
	size_t used;
	const char **vec;		/* argv, NULL, envp, NULL */
	uint32_t nvec;
	const char *given;		/* the file as the caller named it, in strings */
};

/* s, copied into a->strings; NULL if they are full. */
static const char *execve_keep(struct execve_args *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = a->strings + a->used;

	if (n > EXECVE_STRINGS_MAX - a->used)
		return NULL;
	memcpy(copy, s, n);
	a->used += n;
	return copy;
}

/* Copy the user vector at uvec (NULL-terminated) into a->vec; -E2BIG when too long. */
static int execve_copy_vec(struct execve_args *a, uint64_t uvec)
{
	for (uint64_t i = 0;; i++) {
		uint64_t ptr = 0;
		int64_t n;

		if (uvec && copy_from_user(&ptr, uvec + i * 8, sizeof(ptr)))
			return -EFAULT;
		if (a->nvec >= EXECVE_VEC_MAX)
			return -E2BIG;
		if (!ptr) {
			a->vec[a->nvec++] = NULL;
			return 0;
		}
		n = strncpy_from_user(a->strings + a->used, ptr, EXECVE_STRINGS_MAX - a->used);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return (int)n;
		a->vec[a->nvec++] = a->strings + a->used;
		a->used += (size_t)n + 1;
	}
}

/*
 * The absolute path in the enclave's tree exec reads: a relative one
 * joins the cwd; /proc/self/exe and its kind are links to follow.
 */
static int execve_resolve(char *path)
{
	char buf[EXECVE_PATH_MAX], cwd[EXECVE_PATH_MAX];
	int64_t n;

	if (path[0] != '/') {
		n = vfs_getcwd(cwd, sizeof(cwd));
		if (n < 0)
			return (int)n;
		if (hostfile_path_join(cwd, path, buf, sizeof(buf)))
			return -ENAMETOOLONG;
		memcpy(path, buf, strlen(buf) + 1);
	}
	for (int hops = 0; hops < 8 && !strncmp(path, "/proc/", 6); hops++) {
		n = vfs_readlinkat(AT_FDCWD, path, buf, sizeof(buf) - 1);
		if (n < 0)
			break;
		buf[n] = 0;
		if (buf[0] != '/')
			return -ENOENT;
		memcpy(path, buf, (size_t)n + 1);
	}
	return 0;
}

/*
 * An executable that passed the checks is a path, regular and executable:
 * whether it may run as a program at all is exec_build's to say.
 */
static int execve_check(struct execve_args *a)
{
	struct vfs_stat st;
	int rc = execve_resolve(a->path);

	if (!rc)
		rc = offload_exec_stage(a->path);
	if (!rc)
		rc = vfs_statat(AT_FDCWD, a->path, true, &st);
	if (!rc && (!S_ISREG(st.mode) || !(st.mode & 0111)))
		rc = -EACCES;
	return rc;
}

/* The first bytes of the file at a->path: at most EXEC_SCRIPT_HEAD. */
static int64_t execve_read_head(struct execve_args *a, char *head)
{
	struct file *f;
	uint64_t pos = 0;
	int64_t n;
	int rc = vfs_openat(AT_FDCWD, a->path, O_RDONLY, 0, &f);

	if (rc)
		return rc;
	n = vfs_read(f, head, EXEC_SCRIPT_HEAD, &pos);
	file_put(f);
	return n;
}

/*
 * If a->path is a "#!" script, make its interpreter the file to run: argv
 * becomes the interpreter, the line's argument if there is one, the
 * script as the caller named it, then the caller's argv[1] on (Linux's
 * order). 1 if it was no script; 0 if a->path is now the interpreter's.
 */
static int execve_script(struct execve_args *a)
{
	struct exec_script sc;
	const char *words[3];
	char head[EXEC_SCRIPT_HEAD];
	uint32_t n = 0, drop = a->vec[0] ? 1 : 0;
	int64_t len = execve_read_head(a, head);

	if (len < 0)
		return (int)len;
	if (exec_script_parse(head, (size_t)len, &sc))
		return 1;
	if (strlen(sc.interp) >= sizeof(a->path))
		return -ENAMETOOLONG;
	words[n++] = execve_keep(a, sc.interp);
	if (sc.has_arg)
		words[n++] = execve_keep(a, sc.arg);
	words[n++] = a->given;
	for (uint32_t i = 0; i < n; i++)
		if (!words[i])
			return -E2BIG;
	if (a->nvec - drop + n > EXECVE_VEC_MAX)
		return -E2BIG;
	memmove(&a->vec[n], &a->vec[drop], (a->nvec - drop) * sizeof(*a->vec));
	memcpy(a->vec, words, n * sizeof(*words));
	a->nvec += n - drop;
	a->given = words[0];
	memcpy(a->path, sc.interp, strlen(sc.interp) + 1);
	return 0;
}

/* The new image's process side: descriptors, signals, name. */
static void execve_commit(struct process *p, struct task *t, const char *path)
{
	const char *name = exec_basename(path);
	size_t n = strnlen(name, sizeof(p->name) - 1);
	unsigned long flags;

	fdtable_close_on_exec(p->files);
	flags = spin_lock_irqsave(&p->lock);
	for (int sig = 1; sig <= NSIG; sig++) {
		struct k_sigaction *ka = &p->sigactions[sig];

		if (ka->handler != SIG_IGN)
			memset(ka, 0, sizeof(*ka));
	}
	memset(p->name, 0, sizeof(p->name));
	memcpy(p->name, name, n);
	spin_unlock_irqrestore(&p->lock, flags);
	memset(&t->altstack, 0, sizeof(t->altstack));
	t->clear_child_tid = 0;
	t->robust_list = 0;
	t->robust_len = 0;
}

/*
 * As Linux, the new image has one thread, the caller: every other thread
 * leaves at its next way out of the kernel (exec_exit, a wake if it
 * sleeps, a kick if it runs), and the caller waits for them, looking again
 * each millisecond, before the old memory goes. False if another thread's
 * execve is ending this one instead.
 */
static bool execve_end_other_threads(struct process *p, struct task *me)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&p->lock);
		bool alone = p->nr_live == 1, lost = me->exec_exit;

		for (struct task *o = p->threads; o && !alone && !lost; o = o->thread_next) {
			if (o == me || o->exiting)
				continue;
			o->exec_exit = true;
			if (o->started && !sched_wake(o, -EINTR))
				sched_kick_cpu(o->cpu);
		}
		spin_unlock_irqrestore(&p->lock, flags);
		if (alone || lost)
			return alone && !lost;
		sched_sleep_until(time_now_ns() + EXECVE_THREAD_POLL_NS);
	}
}

static int64_t execve_do(int dirfd, uint64_t upath, uint64_t uargv, uint64_t uenvp, int flags)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	struct execve_args *a;
	struct exec_image img;
	struct trap_frame frame;
	struct aspace *old;
	char err[192];
	int64_t rc;

	if (flags & ~AT_EMPTY_PATH)
		return -EINVAL;
	if (flags & AT_EMPTY_PATH)
		return -ENOSYS;		/* fexecve: not yet */
	a = kzalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->strings = kmalloc(EXECVE_STRINGS_MAX);
	a->vec = kmalloc(sizeof(*a->vec) * (EXECVE_VEC_MAX + 2));
	rc = a->strings && a->vec ? 0 : -ENOMEM;
	if (!rc) {
		rc = strncpy_from_user(a->path, upath, sizeof(a->path));
		if (rc == 0)
			rc = -ENOENT;
		else if (rc > 0)
			rc = 0;
	}
	if (!rc && a->path[0] != '/' && dirfd != AT_FDCWD)
		rc = -ENOSYS;		/* relative to another directory: not yet */
	if (!rc)
		rc = execve_copy_vec(a, uargv);
	if (!rc)
		rc = execve_copy_vec(a, uenvp);
	if (!rc) {
		a->given = execve_keep(a, a->path);
		rc = a->given ? execve_check(a) : -E2BIG;
	}
	for (int depth = 0; !rc; depth++) {
		rc = execve_script(a);
		if (rc == 1) {
			rc = 0;
			break;
		}
		if (!rc)
			rc = depth == EXECVE_SCRIPT_DEPTH ? -ELOOP : execve_check(a);
	}
	if (!rc) {
		const char **envp = a->vec;
		struct exec_params ep = {
			.path = a->path, .argv = a->vec,
			.heap_size = p->exec_heap, .stack_size = p->exec_stack,
			.page_size = p->as->large_page,
		};

		while (*envp)
			envp++;
		ep.envp = envp + 1;
		rc = exec_build(&ep, &img, err, sizeof(err));
	}
	if (rc) {
		kfree(a->strings);
		kfree(a->vec);
		kfree(a);
		return rc;
	}

	/* No way back from here. */
	if (!execve_end_other_threads(p, t)) {
		/* Another thread's execve won: this one leaves (sched_user_return). */
		aspace_put(img.as);
		kfree(a->strings);
		kfree(a->vec);
		kfree(a);
		return -EINTR;
	}
	/* The old memory's written shared mappings of host files (a vfork child has none). */
	if (!p->vfork_parent)
		offload_writeback(p->as, 0, UINT64_MAX);
	/* The proxy's side: its close-on-exec descriptors, its view of the old memory. */
	offload_exec(p);
	old = p->as;
	{
		unsigned long irq = spin_lock_irqsave(&p->lock);

		p->as = img.as;
		spin_unlock_irqrestore(&p->lock, irq);
	}
	/* Off the old tables before they can go (a vfork parent still holds them). */
	arch_aspace_activate(&img.as->arch);
	aspace_put(old);
	execve_commit(p, t, a->path);
	perf_task_exec(p, t);
	arch_task_exec_reset(t);
	kfree(a->strings);
	kfree(a->vec);
	kfree(a);
	memset(&frame, 0, sizeof(frame));
	frame.rip = img.entry;
	frame.rsp = img.sp;
	frame.rflags = X86_RFLAGS_IF;
	task_set_user_frame(t, &frame);
	t->iret_exit = true;
	process_vfork_release(p);
	return 0;
}

int64_t sys_execve(SYSCALL_ARGS)
{
	return execve_do(AT_FDCWD, a0, a1, a2, 0);
}

int64_t sys_execveat(SYSCALL_ARGS)
{
	return execve_do((int)a0, a1, a2, a3, (int)a4);
}
