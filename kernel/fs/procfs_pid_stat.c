// SPDX-License-Identifier: GPL-2.0
/*
 * The numbers of /proc/<pid>/stat, status and statm, and the lines of
 * maps, read from a process while the process table is locked
 * (process_with) and its own locks are taken in turn: its lock for the
 * threads, its address space's for the regions.
 */
#include <cove/acct.h>
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/shmem.h>
#include <cove/file.h>
#include <cove/mempolicy.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/vfs.h>
#include "procfs.h"
#include "procfs_fmt.h"

#define USER_HZ 100

/* A thread as stat shows it: running (or ready to), sleeping, or gone. */
static char pid_task_state(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:
	case TASK_RUNNABLE:
		return 'R';
	case TASK_BLOCKED:
		return 'S';
	default:
		return 'X';
	}
}

static uint64_t pid_signals(const struct process *p, bool ignored)
{
	uint64_t m = 0;

	for (int sig = 1; sig <= NSIG; sig++) {
		uint64_t h = p->sigactions[sig].handler;

		if (ignored ? h == 1 : h > 1)
			m |= 1ULL << (sig - 1);
	}
	return m;
}

/* Under the address space's lock: sizes and bounds by kind of region. */
static void pid_vals_memory(struct aspace *as, struct proc_vals *v)
{
	for (struct vm_region *r = as->regions; r; r = r->next) {
		uint64_t size = r->end - r->start;

		v->vsize += size;
		if (r->kind == VM_STACK) {
			v->stack += size;
			v->start_stack = MAX(v->start_stack, r->end);
		} else if (r->kind == VM_IMAGE && (r->prot & VM_EXEC)) {
			v->exe += size;
			v->start_code = v->start_code ? MIN(v->start_code, r->start) : r->start;
			v->end_code = MAX(v->end_code, r->end);
		} else if (r->prot & VM_WRITE) {
			v->data += size;
			if (r->kind == VM_IMAGE) {
				v->start_data = v->start_data ? MIN(v->start_data, r->start) : r->start;
				v->end_data = MAX(v->end_data, r->end);
			}
		}
	}
	v->rss = as->mapped_bytes;
	v->start_brk = as->brk_base;
}

/* The process's numbers, or with v->tid set, one thread's. */
static int pid_vals_fn(struct process *p, void *ctx)
{
	struct proc_vals *v = ctx;
	struct task *shown = NULL;
	unsigned long flags;
	bool running = false;
	uint64_t utime = 0, stime = 0;

	memcpy(v->name, p->name, 15);
	v->ppid = process_parent_pid_locked(p);
	v->start_ticks = p->start_ns / (NSEC_PER_SEC / USER_HZ);
	v->allowed = p->allowed;
	v->sigign = pid_signals(p, true);
	v->sigcatch = pid_signals(p, false);
	v->exit_code = p->exited ? p->exit_code : 0;
	v->fd_size = FD_MAX;
	flags = spin_lock_irqsave(&p->lock);
	for (struct task *t = p->threads; t; t = t->thread_next) {
		struct acct_times a;

		if (t->state == TASK_DEAD)
			continue;
		v->threads++;
		running |= pid_task_state(t) == 'R';
		if (t->tid == v->tid || (!shown && t->tid == p->pid))
			shown = t;
		if (!v->tid || t->tid == v->tid) {
			acct_task(t, &a);
			utime += a.utime_ns;
			stime += a.stime_ns;
			v->switches += t->switches;
		}
	}
	/* The process's line counts its ended threads too, and its collected children. */
	if (!v->tid) {
		utime += acct_cycles_ns(p->acct_dead_utime);
		stime += acct_cycles_ns(p->acct_dead_stime);
		v->cutime_ticks = acct_cycles_ns(p->acct_child_utime) / (NSEC_PER_SEC / USER_HZ);
		v->cstime_ticks = acct_cycles_ns(p->acct_child_stime) / (NSEC_PER_SEC / USER_HZ);
	}
	v->utime_ticks = utime / (NSEC_PER_SEC / USER_HZ);
	v->stime_ticks = stime / (NSEC_PER_SEC / USER_HZ);
	if (shown) {
		v->cpu = shown->cpu;
		v->sigmask = shown->sigmask;
		v->allowed = shown->affinity;
	}
	if (v->tid && shown)
		v->state = pid_task_state(shown);
	else
		v->state = p->exited ? 'Z' : running ? 'R' : 'S';
	spin_unlock_irqrestore(&p->lock, flags);
	if (p->as) {
		flags = spin_lock_irqsave(&p->as->lock);
		pid_vals_memory(p->as, v);
		spin_unlock_irqrestore(&p->as->lock, flags);
	}
	return 0;
}

int procfs_pid_vals(uint32_t pid, uint32_t tid, uint32_t nr_cpu_ids, struct proc_vals *v)
{
	int rc;

	memset(v, 0, sizeof(v[0]));
	v->pid = pid;
	v->tid = tid;
	v->nr_cpu_ids = nr_cpu_ids;
	v->mems = mempolicy_mems_allowed();
	rc = process_with(pid, pid_vals_fn, v);
	if (!v->tid)
		v->tid = pid;	/* the process's line is its main thread's */
	return rc == -ESRCH ? -ENOENT : rc;
}

/* The map, with the program's own name and inode on its image. */
struct pid_maps {
	struct sbuf *sb;
	const char *exe;
	uint64_t exe_ino;
	enum procfs_maps_form form;
	struct smaps_vals sum;		/* smaps_rollup's */
};

/* r's maps line. */
static void pid_maps_line(const struct pid_maps *m, const struct vm_region *r)
{
	const char *name = NULL;
	uint32_t dev = 0;
	uint64_t ino = 0;

	if (r->kind == VM_IMAGE && m->exe[0]) {
		/* The image is a copy: Cove keeps no file offset for it. */
		name = m->exe;
		dev = VFS_DEV_ENCLAVE;
		ino = m->exe_ino;
	} else if (r->kind == VM_HEAP) {
		name = "[heap]";
	} else if (r->kind == VM_STACK) {
		name = "[stack]";
	} else if (r->kind == VM_VDSO) {
		name = (r->prot & VM_EXEC) ? "[vdso]" : "[vvar]";
	} else if (r->pages.hugetlb) {
		/* Linux's hugetlb memory is a file of its internal mount. */
		name = "/anon_hugepage (deleted)";
	}
	fmt_maps_line(m->sb, r->start, r->end, r->prot, r->shm != NULL, 0, dev, ino, name);
}

/* Linux's VmFlags for r: rights, may-rights, then the flags in Linux's bit order. */
static void pid_smaps_flags(const struct vm_region *r, char *buf, size_t len)
{
	bool anon = r->kind == VM_ANON || r->kind == VM_HEAP || r->kind == VM_STACK;

	/* Each flag with a blank after it, the last one too; soft-dirty (sd) as Debian's. */
	ksnprintf(buf, len, "%s%s%s%smr mw me %s%s%s%s%ssd %s%s",
		  r->prot & VM_READ ? "rd " : "", r->prot & VM_WRITE ? "wr " : "",
		  r->prot & VM_EXEC ? "ex " : "", r->shm ? "sh " : "", r->shm ? "ms " : "",
		  r->kind == VM_STACK ? "gd " : "",
		  r->kind == VM_VDSO || r->pages.hugetlb ? "de " : "",
		  anon && !r->shm && !r->pages.hugetlb && (r->prot & VM_WRITE) ? "ac " : "",
		  r->pages.hugetlb ? "ht " : "",
		  r->pages.thp == VM_THP_HUGE ? "hg " : "", r->pages.thp == VM_THP_NEVER ? "nh " : "");
}

/*
 * r's smaps numbers, under its address space's lock. Every page Cove maps
 * is resident; private ones count as dirty but for a file's copy, and a
 * shared object's as shared once two map it. MAP_HUGETLB memory is
 * counted in the *_Hugetlb lines only, not in Rss, as Linux does.
 */
static void pid_smaps_vals(struct aspace *as, const struct vm_region *r, struct smaps_vals *v)
{
	bool anon = !r->shm && (r->kind == VM_ANON || r->kind == VM_HEAP || r->kind == VM_STACK);
	bool file = r->kind == VM_IMAGE || r->kind == VM_FILE || r->kind == VM_VDSO;
	uint32_t mappers = r->shm ? shmem_mappers(r->shm) : 1;
	uint64_t bytes[3] = { 0, 0, 0 }, total, large, pss;

	memset(v, 0, sizeof(*v));
	aspace_region_resident(as, r, bytes);
	total = bytes[0] + bytes[1] + bytes[2];
	large = bytes[1] + bytes[2];
	v->size = r->end - r->start;
	v->kernel_page = v->mmu_page = r->pages.hugetlb ? r->pages.hugetlb : PAGE_SIZE;
	if (r->pages.hugetlb) {
		if (mappers > 1)
			v->shared_hugetlb = total;
		else
			v->private_hugetlb = total;
	} else {
		pss = total / (mappers ? mappers : 1);
		v->rss = total;
		v->pss = pss;
		v->pss_dirty = file && !r->shm ? 0 : pss;
		if (r->shm)
			v->pss_shmem = pss;
		else if (anon)
			v->pss_anon = pss;
		else
			v->pss_file = pss;
		if (r->shm && mappers > 1)
			v->shared_dirty = total;
		else if (file && !r->shm)
			v->private_clean = total;
		else
			v->private_dirty = total;
		v->anonymous = anon ? total : 0;
		v->anon_huge = anon ? large : 0;
		v->shmem_pmd = r->shm ? large : 0;
		v->file_pmd = file ? large : 0;
	}
	v->thp_eligible = anon && !r->pages.hugetlb &&
			  aspace_max_page(as, &r->pages) >= PAGE_SIZE_2M;
	pid_smaps_flags(r, v->vmflags, sizeof(v->vmflags));
}

static void pid_smaps_add(struct smaps_vals *sum, const struct smaps_vals *v)
{
	uint64_t *s = &sum->rss;
	const uint64_t *a = &v->rss;

	/* rss through private_hugetlb: consecutive uint64_t fields. */
	for (size_t i = 0; &a[i] <= &v->private_hugetlb; i++)
		s[i] += a[i];
}

static int pid_maps_fn(struct process *p, void *ctx)
{
	struct pid_maps *m = ctx;
	struct smaps_vals v;
	unsigned long flags;

	if (!p->as)
		return 0;
	flags = spin_lock_irqsave(&p->as->lock);
	for (struct vm_region *r = p->as->regions; r; r = r->next) {
		if (m->form == PROCFS_MAPS) {
			pid_maps_line(m, r);
			continue;
		}
		pid_smaps_vals(p->as, r, &v);
		if (m->form == PROCFS_SMAPS) {
			pid_maps_line(m, r);
			fmt_smaps(m->sb, &v, false);
		} else {
			pid_smaps_add(&m->sum, &v);
		}
	}
	if (m->form == PROCFS_SMAPS_ROLLUP && p->as->regions) {
		struct vm_region *last = p->as->regions;

		while (last->next)
			last = last->next;
		fmt_maps_line(m->sb, p->as->regions->start, last->end, 0, false, 0, 0, 0, "[rollup]");
		fmt_smaps(m->sb, &m->sum, true);
	}
	spin_unlock_irqrestore(&p->as->lock, flags);
	return 0;
}

int procfs_pid_maps(uint32_t pid, const char *exe, uint64_t exe_ino, enum procfs_maps_form form,
		    struct sbuf *sb)
{
	struct pid_maps *m = kzalloc(sizeof(*m));
	int rc;

	if (!m)
		return -ENOMEM;
	m->sb = sb;
	m->exe = exe;
	m->exe_ino = exe_ino;
	m->form = form;
	rc = process_with(pid, pid_maps_fn, m);
	kfree(m);

	return rc == -ESRCH ? -ENOENT : rc;
}
