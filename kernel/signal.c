// SPDX-License-Identifier: GPL-2.0
/*
 * Signals: sending them (to a thread, or to the process and then to one of
 * its threads that does not block them), actions, masks and the alternate
 * stack. Taking them is signal_deliver.c's.
 */
#include <cove/arch.h>
#include <cove/errno.h>
#include <cove/jobdbg.h>
#include <cove/kprintf.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/task.h>
#include "signal_internal.h"

static const char *const signal_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
	[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
	[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM",
	[15] = "SIGTERM", [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",
	[19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG",
	[24] = "SIGXCPU", [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF",
	[28] = "SIGWINCH", [29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(signal_names) && signal_names[sig])
		return signal_names[sig];
	return "a real-time signal";
}

bool signal_dumps_core(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case 24: case 25: case 31:
		return true;
	default:
		return false;
	}
}

static bool signal_ignored_by_default(int sig)
{
	/* SIGCHLD, SIGCONT, SIGURG, SIGWINCH; stop signals too: no job control here. */
	return sig == SIGCHLD || sig == SIGCONT || sig == 23 || sig == 28 || sig == SIGSTOP ||
	       sig == 20 || sig == 21 || sig == 22;
}

bool signal_ignored(const struct process *p, int sig)
{
	uint64_t h = p->sigactions[sig].handler;

	return h == SIG_IGN || (h == SIG_DFL && signal_ignored_by_default(sig));
}

void signal_recalc(struct task *t)
{
	uint64_t pending = t->sigpending.set | t->proc->sigpending.set;

	/* A stop for a debugger keeps it looking too. */
	t->sig_work = (pending & ~t->sigmask) != 0 || jobdbg_must_stop(t);
}

/* p->lock held: make t look at its signals soon, wherever it is. */
static void signal_wake(struct task *t)
{
	/* The current thread looks on its own way out (with interrupts off). */
	if (t == task_current() || !t->started)
		return;
	/* Blocked: wake it with EINTR. Running elsewhere: an IPI brings it in. */
	if (!sched_wake(t, -EINTR))
		sched_kick_cpu(t->cpu);
}

static struct task *signal_thread_find(struct process *p, uint32_t tid)
{
	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (t->tid == tid && !t->exiting)
			return t;
	}
	return NULL;
}

/*
 * A thread to take a process-directed signal (p->lock held): the caller if
 * it can (kill of one's own process then acts before kill returns), else
 * the main thread, else any thread that does not block it.
 */
static struct task *signal_pick_thread(struct process *p, int sig, const struct task *except)
{
	struct task *cur = task_current(), *any = NULL;
	uint64_t bit = SIGBIT(sig);

	if (cur->proc == p && cur != except && !cur->exiting && !(cur->sigmask & bit))
		return cur;
	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (t == except || t->exiting || (t->sigmask & bit))
			continue;
		if (t->tid == p->pid)
			return t;
		if (!any)
			any = t;
	}
	return any;
}

static bool signal_blocked_everywhere(struct process *p, int sig)
{
	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (!t->exiting && !(t->sigmask & SIGBIT(sig)))
			return false;
	}
	return true;
}

bool signal_ends_process(struct process *p, int sig)
{
	unsigned long flags;
	bool ends;

	if (sig <= 0 || sig > NSIG)
		return false;
	if (sig == SIGKILL)
		return true;
	flags = spin_lock_irqsave(&p->lock);
	ends = p->sigactions[sig].handler == SIG_DFL && !signal_ignored_by_default(sig) &&
	       !signal_dumps_core(sig) && !p->dbg_on && !signal_blocked_everywhere(p, sig);
	spin_unlock_irqrestore(&p->lock, flags);
	return ends;
}

enum signal_queued {
	SIGNAL_QUEUED,		/* pending; a thread was told if one can take it */
	SIGNAL_DROPPED,		/* ignored, or a standard signal already pending */
	SIGNAL_KILL,		/* SIGKILL: the caller kills the process, unlocked */
};

/*
 * p->lock held: queue info for thread t (NULL: for the process) and tell a
 * thread that can take it. -EAGAIN if must_queue and the queue is full.
 */
static int signal_queue_locked(struct process *p, struct task *t, const struct ksiginfo *info,
			       bool must_queue)
{
	int sig = info->signo;
	uint64_t bit = SIGBIT(sig);
	struct sigpending *set = t ? &t->sigpending : &p->sigpending;

	if (sig == SIGKILL)
		return SIGNAL_KILL;
	/* Blocked signals are kept even if ignored: the action may change by then. */
	if (signal_ignored(p, sig) && !(t ? (t->sigmask & bit) : signal_blocked_everywhere(p, sig)))
		return SIGNAL_DROPPED;
	if (must_queue && sigqueue_full(set, sig))
		return -EAGAIN;
	if (sigqueue_add(set, info) == SIGQ_MERGED)
		return SIGNAL_DROPPED;
	if (!t)
		t = signal_pick_thread(p, sig, NULL);
	else if (t->sigmask & bit)
		t = NULL;
	/* Nobody can take it now: it waits until some thread unblocks it. */
	if (t) {
		t->sig_work = true;
		signal_wake(t);
	}
	return SIGNAL_QUEUED;
}

int signal_send_info(struct process *p, uint32_t tid, const struct ksiginfo *info,
		     bool must_queue)
{
	struct task *t = NULL;
	unsigned long flags;
	int rc = 0;

	if (info->signo < 0 || info->signo > NSIG)
		return -EINVAL;
	flags = spin_lock_irqsave(&p->lock);
	if (p->exited || !p->nr_live || (tid && !(t = signal_thread_find(p, tid)))) {
		rc = -ESRCH;
	} else if (info->signo) {	/* signal 0 only asks whether the target exists */
		rc = signal_queue_locked(p, t, info, must_queue);
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (rc == SIGNAL_KILL)
		process_kill(p, SIGKILL, false);
	return rc < 0 ? rc : 0;
}

bool signal_timer_fire_locked(struct process *p, uint32_t tid, const struct ksiginfo *info,
			      bool *kill)
{
	struct task *t = NULL;

	*kill = false;
	if (p->exited || !p->nr_live || (tid && !(t = signal_thread_find(p, tid))))
		return true;
	/* Its last expiry is still pending: this one is an overrun, not a second signal. */
	if (info->code == SI_TIMER && (sigqueue_has_timer(&p->sigpending, info->a) ||
				       (t && sigqueue_has_timer(&t->sigpending, info->a))))
		return false;
	*kill = signal_queue_locked(p, t, info, false) == SIGNAL_KILL;
	return true;
}

int signal_send(struct process *p, int sig)
{
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
	struct process *self = task_current()->proc;

	if (self) {
		info.code = SI_USER;
		info.a = (int32_t)self->pid;
	}
	return signal_send_info(p, 0, &info, false);
}

bool signal_fault(const struct ksiginfo *info)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	uint64_t h = p->sigactions[info->signo].handler;
	bool handled = h != SIG_DFL && h != SIG_IGN && !(t->sigmask & SIGBIT(info->signo));

	if (handled) {
		sigqueue_add(&t->sigpending, info);
		t->sig_work = true;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return handled;
}

void signal_force(int sig)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
	unsigned long flags = spin_lock_irqsave(&p->lock);

	/* As Linux forces a signal: a blocked or ignored one gets its default action. */
	if (p->sigactions[sig].handler == SIG_IGN || (t->sigmask & SIGBIT(sig))) {
		p->sigactions[sig].handler = SIG_DFL;
		t->sigmask &= ~SIGBIT(sig);
	}
	sigqueue_add(&t->sigpending, &info);
	signal_recalc(t);
	spin_unlock_irqrestore(&p->lock, flags);
}

bool signal_pending_current(void)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	unsigned long flags;
	uint64_t pending;
	bool work;

	if (!p)
		return false;
	if (__atomic_load_n(&p->kill_signal, __ATOMIC_ACQUIRE) || t->exec_exit)
		return true;
	if (!__atomic_load_n(&t->sig_work, __ATOMIC_ACQUIRE))
		return false;
	pending = __atomic_load_n(&t->sigpending.set, __ATOMIC_RELAXED) |
		  __atomic_load_n(&p->sigpending.set, __ATOMIC_RELAXED);
	if (pending & ~t->sigmask)
		return true;
	/* Another thread took the process's signal: the flag is stale. */
	flags = spin_lock_irqsave(&p->lock);
	signal_recalc(t);
	work = t->sig_work;
	spin_unlock_irqrestore(&p->lock, flags);
	return work;
}

void signal_set_mask_locked(struct task *t, uint64_t mask)
{
	struct process *p = t->proc;
	uint64_t unblocked = t->sigmask & ~mask, blocked = mask & ~t->sigmask;
	uint64_t pending = (t->sigpending.set | p->sigpending.set) & unblocked, drop = 0;
	uint64_t moved = p->sigpending.set & blocked;

	for (int sig = 1; pending; sig++, pending >>= 1) {
		if ((pending & 1) && signal_ignored(p, sig))
			drop |= SIGBIT(sig);
	}
	if (drop) {
		sigqueue_flush(&t->sigpending, drop);
		sigqueue_flush(&p->sigpending, drop);
	}
	t->sigmask = mask & ~SIG_UNBLOCKABLE;
	signal_recalc(t);
	for (int sig = 1; moved; sig++, moved >>= 1) {
		struct task *other;

		if (!(moved & 1))
			continue;
		other = signal_pick_thread(p, sig, t);
		if (other) {
			other->sig_work = true;
			signal_wake(other);
		}
	}
}

void signal_thread_exit_locked(struct task *t)
{
	struct process *p = t->proc;
	uint64_t pending = p->sigpending.set;

	/* It may have been the one told of a process signal: tell another. */
	for (int sig = 1; pending; sig++, pending >>= 1) {
		struct task *other;

		if (!(pending & 1))
			continue;
		other = signal_pick_thread(p, sig, t);
		if (other && !other->sig_work) {
			other->sig_work = true;
			signal_wake(other);
		}
	}
}

void signal_set_mask(uint64_t mask)
{
	struct task *t = task_current();
	unsigned long flags = spin_lock_irqsave(&t->proc->lock);

	signal_set_mask_locked(t, mask);
	spin_unlock_irqrestore(&t->proc->lock, flags);
}

int signal_action(int sig, const struct k_sigaction *act, struct k_sigaction *old)
{
	struct process *p = task_current()->proc;
	unsigned long flags;

	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	flags = spin_lock_irqsave(&p->lock);
	if (old)
		*old = p->sigactions[sig];
	if (act) {
		p->sigactions[sig] = *act;
		p->sigactions[sig].mask &= ~SIG_UNBLOCKABLE;
		/* POSIX: setting an action that ignores drops what is pending. */
		if (signal_ignored(p, sig)) {
			sigqueue_flush(&p->sigpending, SIGBIT(sig));
			for (struct task *t = p->threads; t; t = t->thread_next) {
				sigqueue_flush(&t->sigpending, SIGBIT(sig));
				signal_recalc(t);
			}
		}
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

uint64_t signal_pending_blocked(void)
{
	struct task *t = task_current();
	unsigned long flags = spin_lock_irqsave(&t->proc->lock);
	uint64_t set = (t->sigpending.set | t->proc->sigpending.set) & t->sigmask;

	spin_unlock_irqrestore(&t->proc->lock, flags);
	return set;
}

static bool signal_on_altstack(const struct signal_stack *ss, uint64_t sp)
{
	/* With SS_AUTODISARM the stack may be left by a longjmp: never "on" it. */
	if (ss->flags & SS_AUTODISARM)
		return false;
	return ss->size && sp > ss->sp && sp - ss->sp <= ss->size;
}

uint32_t signal_altstack_flags(const struct signal_stack *ss, uint64_t sp)
{
	uint32_t extra = ss->flags & SS_AUTODISARM;

	if (!ss->size)
		return SS_DISABLE | extra;
	return (signal_on_altstack(ss, sp) ? SS_ONSTACK : 0) | extra;
}

int signal_altstack_set(const struct signal_stack *ss, uint64_t sp)
{
	struct task *t = task_current();
	uint32_t mode = ss->flags & ~SS_AUTODISARM;

	if (signal_on_altstack(&t->altstack, sp))
		return -EPERM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->altstack.sp = 0;
		t->altstack.size = 0;
		t->altstack.flags = ss->flags;
		return 0;
	}
	if (ss->size < MINSIGSTKSZ)
		return -ENOMEM;
	t->altstack = *ss;
	return 0;
}
