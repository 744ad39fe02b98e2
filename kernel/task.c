// SPDX-License-Identifier: GPL-2.0
/* Processes and threads: creation, exit, and freeing once off-CPU. */
#include <cove/acct.h>
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/futex.h>
#include <cove/heap.h>
#include <cove/jobdbg.h>
#include <cove/kprintf.h>
#include <cove/kstack.h>
#include <cove/offload.h>
#include <cove/panic.h>
#include <cove/percpu.h>
#include <cove/perf_event.h>
#include <cove/pmem.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/xemem.h>
#include <cove/timer.h>
#include <arch/fpu.h>

#define MAX_PROCESSES 1024

/* Live processes by slot; pids count up. Both under proc_table_lock. */
static struct process *proc_table[MAX_PROCESSES];
static uint32_t proc_next_id = 1;
static spinlock_t proc_table_lock = SPINLOCK_INIT;
/* Who hears of each process's end: set once at boot (job_init), read-only after. */
static process_exit_hook_fn process_exit_hook;
/* Who hears of each fork: set once at boot (job_init), read-only after. */
static process_fork_hook_fn process_fork_hook;

void process_set_exit_hook(process_exit_hook_fn hook)
{
	process_exit_hook = hook;
}

void process_set_fork_hook(process_fork_hook_fn hook)
{
	process_fork_hook = hook;
}

void process_fork_notify(struct process *child)
{
	if (process_fork_hook)
		process_fork_hook(child);
}

static uint32_t id_alloc(void)
{
	return __atomic_fetch_add(&proc_next_id, 1, __ATOMIC_RELAXED);
}

struct process *process_create(const char *name, struct process *parent)
{
	struct process *p = kzalloc(sizeof(*p));
	unsigned long flags;
	size_t n = strnlen(name, sizeof(p->name) - 1);

	if (!p)
		return NULL;
	memcpy(p->name, name, n);
	p->parent = parent;
	p->ppid = parent ? parent->pid : 0;
	p->core_limit[0] = p->core_limit[1] = ~0ULL;
	if (parent) {
		p->pgid = parent->pgid;
		p->sid = parent->sid;
		p->job_rank_of = parent->job_rank_of;
		p->core_limit[0] = parent->core_limit[0];
		p->core_limit[1] = parent->core_limit[1];
	}
	p->start_ns = time_now_ns();
	flags = spin_lock_irqsave(&proc_table_lock);
	for (int i = 0; i < MAX_PROCESSES; i++) {
		if (!proc_table[i]) {
			proc_table[i] = p;
			p->pid = id_alloc();
			break;
		}
	}
	spin_unlock_irqrestore(&proc_table_lock, flags);
	if (!p->pid) {
		kfree(p);
		return NULL;
	}
	if (!parent)
		p->pgid = p->sid = p->pid;	/* a job's rank leads its own group */
	return p;
}

uint32_t process_list_pids(uint32_t *pids, uint32_t max)
{
	unsigned long flags = spin_lock_irqsave(&proc_table_lock);
	uint32_t n = 0;

	for (int i = 0; i < MAX_PROCESSES && n < max; i++) {
		if (proc_table[i])
			pids[n++] = proc_table[i]->pid;
	}
	spin_unlock_irqrestore(&proc_table_lock, flags);
	return n;
}

int process_with(uint32_t pid, int (*fn)(struct process *p, void *ctx), void *ctx)
{
	unsigned long flags = spin_lock_irqsave(&proc_table_lock);
	int rc = -ESRCH;

	for (int i = 0; i < MAX_PROCESSES; i++) {
		if (proc_table[i] && proc_table[i]->pid == pid) {
			rc = fn(proc_table[i], ctx);
			break;
		}
	}
	spin_unlock_irqrestore(&proc_table_lock, flags);
	return rc;
}

uint32_t process_parent_pid_locked(const struct process *p)
{
	/* The parent may have been freed: only a pointer still in the table is read. */
	for (int i = 0; i < MAX_PROCESSES && p->parent; i++) {
		if (proc_table[i] == p->parent)
			return p->parent->pid;
	}
	return 0;
}

uint64_t task_runtime_ns(const struct task *t)
{
	uint64_t since = __atomic_load_n(&t->run_since, __ATOMIC_RELAXED);
	uint64_t ran = __atomic_load_n(&t->run_ns, __ATOMIC_RELAXED);

	/*
	 * A task on a CPU now has its current stretch counted too (read
	 * racily: a statistic). on_cpu, not the state: an idle task's state
	 * stays TASK_RUNNING while others run.
	 */
	if (__atomic_load_n(&t->on_cpu, __ATOMIC_RELAXED) && since)
		ran += time_now_ns() - MIN(since, time_now_ns());
	return ran;
}

struct process *process_find(uint32_t pid)
{
	struct process *found = NULL;
	unsigned long flags = spin_lock_irqsave(&proc_table_lock);

	for (int i = 0; i < MAX_PROCESSES; i++) {
		if (proc_table[i] && proc_table[i]->pid == pid) {
			found = proc_table[i];
			break;
		}
	}
	spin_unlock_irqrestore(&proc_table_lock, flags);
	return found;
}

static void process_unlink_locked(struct process *p)
{
	for (int i = 0; i < MAX_PROCESSES; i++) {
		if (proc_table[i] == p)
			proc_table[i] = NULL;
	}
}

static void process_destroy(struct process *p)
{
	if (p->as)
		aspace_put(p->as);
	kfree(p);
}

static void process_free(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&proc_table_lock);

	process_unlink_locked(p);
	spin_unlock_irqrestore(&proc_table_lock, flags);
	process_destroy(p);
}

/*
 * Mark p collected (by its parent's wait, as an orphan, or by the job);
 * true when its last task is gone too, so the caller frees it. Both
 * conditions are decided under p's lock: exactly one side frees.
 */
static bool process_mark_reaped(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	bool free = !p->reaped && p->nr_tasks == 0;

	p->reaped = true;
	spin_unlock_irqrestore(&p->lock, flags);
	return free;
}

/* With the table locked: collect p; a process to free is put on *list. */
static void process_reap_locked(struct process *p, struct process **list)
{
	if (process_mark_reaped(p)) {
		process_unlink_locked(p);
		p->reap_next = *list;
		*list = p;
	}
}

static void process_destroy_list(struct process *list)
{
	while (list) {
		struct process *next = list->reap_next;

		process_destroy(list);
		list = next;
	}
}

struct task *task_create(struct process *proc, uint32_t cpu)
{
	struct task *t = kzalloc(sizeof(*t));
	size_t fsz = fpu_state_size();
	unsigned long flags;

	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	t->fpu_alloc = kmalloc(fsz + 64);
	if (!t->kstack_top || !t->fpu_alloc) {
		kfree(t->fpu_alloc);
		kfree(t);
		return NULL;
	}
	t->fpu = (void *)ALIGN_UP((uintptr_t)t->fpu_alloc, 64);
	fpu_state_init(t->fpu);
	t->proc = proc;
	t->cpu = cpu;
	t->state = TASK_BLOCKED;	/* not runnable until sched_enqueue */
	t->affinity = proc->allowed;
	flags = spin_lock_irqsave(&proc->lock);
	t->tid = proc->threads ? id_alloc() : proc->pid;
	t->kill_exit = proc->kill_signal != 0;	/* born into a process being killed */
	t->thread_next = proc->threads;
	proc->threads = t;
	proc->nr_live++;
	proc->nr_tasks++;
	spin_unlock_irqrestore(&proc->lock, flags);
	__atomic_fetch_add(&sched_rq(cpu)->nr_assigned, 1, __ATOMIC_RELAXED);
	arch_task_init_stack(t);
	return t;
}

/* Runs off t's stack (sched_finish_switch), with interrupts off. */
void task_free(struct task *t)
{
	struct process *p = t->proc;
	unsigned long flags;
	bool last;

	flags = spin_lock_irqsave(&p->lock);
	for (struct task **pp = &p->threads; *pp; pp = &(*pp)->thread_next) {
		if (*pp == t) {
			*pp = t->thread_next;
			break;
		}
	}
	acct_task_gone(p, t);
	last = --p->nr_tasks == 0 && p->reaped;
	spin_unlock_irqrestore(&p->lock, flags);
	perf_task_gone(p, t);
	/* The stack block: guard page plus stack, see kstack.c. */
	kstack_free(t->kstack_top);
	kfree(t->fpu_alloc);
	kfree(t);
	if (last)
		process_free(p);
}

void process_reap_tasks_done(struct process *p)
{
	if (p->reaped)
		process_free(p);
}

void process_vfork_release(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	struct task *parent = p->vfork_parent;

	p->vfork_parent = NULL;
	spin_unlock_irqrestore(&p->lock, flags);
	if (!parent)
		return;
	flags = spin_lock_irqsave(&parent->proc->lock);
	parent->vfork_wait = false;
	sched_wake(parent, 0);
	spin_unlock_irqrestore(&parent->proc->lock, flags);
}

/*
 * p has ended. Its children become orphans (Linux gives them to init; a
 * job has none, so an orphan is collected by Cove as soon as it ends, and
 * the job runner kills a rank's leftover descendants when the rank ends).
 * Its parent hears of it: the exit signal, and a wake for a thread in
 * wait4. A process without a parent to wait for it (an orphan, or a
 * child of a parent ignoring SIGCHLD, as Linux does) is collected now.
 */
static void process_notify_parent(struct process *p)
{
	struct process *free_list = NULL, *parent;
	unsigned long flags = spin_lock_irqsave(&proc_table_lock);

	p->notified = true;
	for (int i = 0; i < MAX_PROCESSES; i++) {
		struct process *c = proc_table[i];

		if (!c || c->parent != p)
			continue;
		c->parent = NULL;
		__atomic_store_n(&c->ppid, 0, __ATOMIC_RELAXED);
		if (c->exited)
			process_reap_locked(c, &free_list);
	}
	parent = p->parent;
	if (parent) {
		bool ignored = parent->sigactions[SIGCHLD].handler == SIG_IGN ||
			       (parent->sigactions[SIGCHLD].flags & 0x2);	/* SA_NOCLDWAIT */

		if (ignored) {
			p->parent = NULL;
			__atomic_store_n(&p->ppid, 0, __ATOMIC_RELAXED);
			process_reap_locked(p, &free_list);
		}
		if (parent->waiter)
			sched_wake(parent->waiter, 0);
		/* Under the table's lock: the parent cannot be freed meanwhile. */
		if (p->exit_signal && !ignored)
			signal_send(parent, p->exit_signal);
	} else if (!p->job_rank) {
		process_reap_locked(p, &free_list);
	}
	spin_unlock_irqrestore(&proc_table_lock, flags);
	process_destroy_list(free_list);
}

static bool process_wait_match(const struct process *me, const struct process *c, int64_t pid,
			       int options)
{
	if (c->parent != me)
		return false;
	if (options & WAIT_GROUP)
		return c->pgid == (uint64_t)-pid;
	if (pid > 0)
		return c->pid == (uint64_t)pid;
	if (pid == 0)
		return c->pgid == me->pgid;
	if (pid < -1)
		return c->pgid == (uint64_t)-pid;
	return true;
}

static void process_wait_fill(const struct process *c, struct process_wait_result *res)
{
	res->pid = c->pid;
	if (c->term_signal) {
		res->status = (c->term_signal & 0x7f) | (c->dumped ? 0x80 : 0);
		res->si_code = c->dumped ? 3 : 2;
		res->si_status = c->term_signal;
	} else {
		res->status = (c->exit_code & 0xff) << 8;
		res->si_code = 1;
		res->si_status = c->exit_code & 0xff;
	}
}

int process_wait(int64_t pid, int options, struct process_wait_result *res)
{
	struct task *t = task_current();
	struct process *me = t->proc, *free_list = NULL;

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&proc_table_lock);
		bool have = false;

		for (int i = 0; i < MAX_PROCESSES; i++) {
			struct process *c = proc_table[i];

			if (!c || !process_wait_match(me, c, pid, options))
				continue;
			have = true;
			if (!c->notified || c->reaped)
				continue;
			process_wait_fill(c, res);
			acct_child_usage(c, res);
			if (!(options & WAIT_NOWAIT)) {
				acct_reaped(me, res);
				c->parent = NULL;
				__atomic_store_n(&c->ppid, 0, __ATOMIC_RELAXED);
				process_reap_locked(c, &free_list);
			}
			spin_unlock_irqrestore(&proc_table_lock, flags);
			process_destroy_list(free_list);
			return (int)res->pid;
		}
		if (!have || (options & WAIT_NOHANG)) {
			spin_unlock_irqrestore(&proc_table_lock, flags);
			return have ? 0 : -ECHILD;
		}
		if (signal_pending_current()) {
			spin_unlock_irqrestore(&proc_table_lock, flags);
			return -ERESTARTSYS;
		}
		/* A child's end wakes us (process_notify_parent); so does a signal (schedule). */
		me->waiter = t;
		t->wake_reason = 0;
		t->state = TASK_BLOCKED;
		sched_block(&proc_table_lock, flags);
		flags = spin_lock_irqsave(&proc_table_lock);
		if (me->waiter == t)
			me->waiter = NULL;
		spin_unlock_irqrestore(&proc_table_lock, flags);
	}
}

int process_signal_group(uint32_t pgid, const struct ksiginfo *info)
{
	unsigned long flags = spin_lock_irqsave(&proc_table_lock);
	int rc = -ESRCH;

	for (int i = 0; i < MAX_PROCESSES; i++) {
		struct process *c = proc_table[i];

		if (c && c->pgid == pgid && !c->exited && pgid) {
			int r = signal_send_info(c, 0, info, false);

			if (rc)
				rc = r;
		}
	}
	spin_unlock_irqrestore(&proc_table_lock, flags);
	return rc;
}

void process_kill_descendants(uint32_t rank_of)
{
	unsigned long flags = spin_lock_irqsave(&proc_table_lock);

	for (int i = 0; i < MAX_PROCESSES; i++) {
		struct process *c = proc_table[i];

		if (c && !c->job_rank && c->job_rank_of == rank_of && !c->exited)
			process_kill(c, SIGKILL, false);
	}
	spin_unlock_irqrestore(&proc_table_lock, flags);
}

/* The last thread is gone: close files, tell whoever waits for it. */
static void process_finish(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	struct fdtable *files = p->files;
	struct aspace *late;

	/* Under the lock: /proc takes its own reference to the table under it. */
	p->exited = true;
	p->files = NULL;
	spin_unlock_irqrestore(&p->lock, flags);
	itimer_process_exit(p);
	xemem_process_exit(p);	/* before the job hears of the end: the host lets go first */
	/* Written shared mappings of host files reach them while the proxy is there. */
	if (!p->vfork_parent && p->as)
		offload_writeback(p->as, 0, UINT64_MAX);
	if (files)
		fdtable_put(files);
	/*
	 * Its memory goes before its parent can see it ended, as Linux's does:
	 * a waiter then finds shared segments detached (shm_nattch) and the
	 * partition's memory back. Not a vfork child's: that is its parent's.
	 * A job's rank is the exception: the host waits for it, and hears of
	 * its end first. An MPI launcher, once one rank died of Ctrl-C,
	 * SIGKILLs the `cove run` of every rank still going: ranks that spent
	 * their exits freeing hundreds of MiB would die of that instead. The
	 * next job waits for the memory (aspace_wait_emptied).
	 */
	late = p->job_rank && !p->vfork_parent ? p->as : NULL;
	if (late)
		aspace_get(late);	/* the job may free p once it heard */
	else if (!p->vfork_parent && p->as)
		aspace_empty(p->as);
	process_vfork_release(p);
	offload_process_exit(p);
	jobdbg_process_exit(p);
	process_notify_parent(p);
	if (process_exit_hook)
		process_exit_hook(p);
	if (late) {
		aspace_empty(late);
		aspace_put(late);
	}
}

void task_exit(int code)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	unsigned long flags;
	bool last;

	/* As Linux's exit: robust locks first, then the word pthread_join waits on. */
	futex_exit_robust(t);
	if (t->clear_child_tid) {
		uint32_t zero = 0;

		/* glibc's pthread_join waits on this word (a shared wait, as Linux wakes it). */
		if (aspace_write(p->as, t->clear_child_tid, &zero, sizeof(zero)) == 0)
			futex_wake(p, t->clear_child_tid, true, 1);
	}
	flags = spin_lock_irqsave(&p->lock);
	t->exiting = true;		/* signals look for another thread now */
	signal_thread_exit_locked(t);
	last = --p->nr_live == 0;
	if (last && !p->kill_signal && !p->term_signal)
		p->exit_code = code;
	spin_unlock_irqrestore(&p->lock, flags);
	if (last)
		process_finish(p);

	arch_irq_disable();
	__atomic_fetch_sub(&sched_rq(t->cpu)->nr_assigned, 1, __ATOMIC_RELAXED);
	t->state = TASK_DEAD;
	schedule();
	panic("task_exit: a dead task ran again");
}

static void process_mark_killed(struct process *p, int code, int signal, bool dumped)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);

	if (!p->kill_signal) {
		p->exit_code = code;
		p->term_signal = signal;
		p->dumped = dumped;
		p->kill_signal = signal ? signal : -1;
	}
	spin_unlock_irqrestore(&p->lock, flags);
}

/*
 * Every thread but the caller leaves at its next return to user mode. The
 * lock stays held throughout: a thread that exits meanwhile is freed under
 * it, so the walk never follows a freed link (lock order: process, then run
 * queue, as for signals).
 */
static void process_stop_threads(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);

	for (struct task *t = p->threads; t; t = t->thread_next) {
		t->kill_exit = true;	/* the system call fast path tests this, not kill_signal */
		if (t == task_current() || !t->started)
			continue;
		if (!sched_wake(t, -EINTR))
			sched_kick_cpu(t->cpu);
	}
	spin_unlock_irqrestore(&p->lock, flags);
}

void process_kill(struct process *p, int sig, bool dumped)
{
	process_mark_killed(p, 0, sig, dumped);
	process_stop_threads(p);
}

void process_exit(struct process *p, int code, int signal, bool dumped)
{
	process_mark_killed(p, code, signal, dumped);
	process_stop_threads(p);
	task_exit(code);
}
