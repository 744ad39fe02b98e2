// SPDX-License-Identifier: GPL-2.0
/*
 * Taking signals: on the way back to user mode (a default action, or a
 * handler on the frame the architecture builds), and in the calls that
 * wait for one (pause, sigsuspend, sigtimedwait).
 */
#include <cove/arch.h>
#include <cove/aspace.h>
#include <cove/coredump.h>
#include <cove/errno.h>
#include <cove/jobdbg.h>
#include <cove/kprintf.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <arch/trap.h>
#include "signal_internal.h"

/* p->lock held: the next signal for t from its own set, then the process's. */
static int signal_dequeue(struct task *t, uint64_t blocked, struct ksiginfo *info)
{
	struct process *p = t->proc;
	int sig = sigqueue_take(&t->sigpending, blocked, info);

	if (!sig)
		sig = sigqueue_take(&p->sigpending, blocked, info);
	if (sig && info->code == SI_TIMER)
		info->b = itimer_signal_taken(p, info->a);
	return sig;
}

int signal_pause(void)
{
	while (!signal_pending_current())
		sched_sleep_until(0);
	return -ERESTARTNOHAND;
}

void signal_mask_for_call(uint64_t mask)
{
	struct task *t = task_current();
	unsigned long flags = spin_lock_irqsave(&t->proc->lock);

	/* The handler's frame saves the old mask; with no handler the way out puts it back. */
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = true;
	signal_set_mask_locked(t, mask);
	spin_unlock_irqrestore(&t->proc->lock, flags);
}

void signal_mask_call_done(int64_t rc)
{
	struct task *t = task_current();
	unsigned long flags;

	if (rc == -EINTR || rc == -ERESTARTNOHAND)
		return;
	flags = spin_lock_irqsave(&t->proc->lock);
	if (t->restore_sigmask) {
		t->restore_sigmask = false;
		signal_set_mask_locked(t, t->saved_sigmask);
	}
	spin_unlock_irqrestore(&t->proc->lock, flags);
}

int signal_suspend(uint64_t mask)
{
	signal_mask_for_call(mask);
	return signal_pause();
}

int signal_timedwait(uint64_t set, struct ksiginfo *info, const uint64_t *deadline_ns)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	unsigned long flags;
	uint64_t saved;
	int sig;

	set &= ~SIG_UNBLOCKABLE;
	flags = spin_lock_irqsave(&p->lock);
	sig = signal_dequeue(t, ~set, info);
	if (!sig && !(deadline_ns && *deadline_ns <= time_now_ns())) {
		/* Let the awaited signals through while asleep, as Linux does. */
		saved = t->sigmask;
		t->sigmask &= ~set;
		signal_recalc(t);
		spin_unlock_irqrestore(&p->lock, flags);
		while (!signal_pending_current() && (!deadline_ns || time_now_ns() < *deadline_ns))
			sched_sleep_until(deadline_ns ? *deadline_ns : 0);
		flags = spin_lock_irqsave(&p->lock);
		t->sigmask = saved;
		sig = signal_dequeue(t, ~set, info);
		signal_recalc(t);
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (sig)
		return sig;
	return signal_pending_current() ? -EINTR : -EAGAIN;
}

bool signal_exit_work(const struct trap_frame *f)
{
	struct percpu *pc = this_cpu();
	struct task *t = pc->current;

	if (pc->need_resched)
		return true;
	if (!t->proc)
		return false;
	return t->proc->kill_signal || t->exec_exit || t->sig_work || t->restore_sigmask ||
	       arch_signal_restart_pending(f) || jobdbg_must_stop(t);
}

/* Build the handler's frame; a frame that cannot be written ends the process. */
static void signal_run_handler(struct trap_frame *f, struct ksiginfo *info,
			       const struct k_sigaction *ka, uint64_t oldmask)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	struct signal_delivery d = { info, ka, oldmask, &t->altstack };
	/* As Linux's force_sigsegv: SIGSEGV from the kernel. */
	const struct ksiginfo segv = { .signo = SIGSEGV, .code = SI_KERNEL };
	int rc;

	arch_signal_syscall_restart(f, ka);
	rc = arch_signal_setup_frame(f, &d);
	if (rc) {
		pr_err("%s[%u]: cannot run the %s handler: %s (sp %lx); killing the process\n",
		       p->name, t->tid, signal_name(info->signo),
		       rc == -EINVAL ? "no SA_RESTORER" : "the frame does not fit on the stack",
		       arch_signal_user_sp(f));
		coredump_and_exit(p, &segv, f);
	}
	/* The frame saved the alternate stack; SS_AUTODISARM leaves it off until sigreturn. */
	if (t->altstack.flags & SS_AUTODISARM) {
		t->altstack.sp = 0;
		t->altstack.size = 0;
		t->altstack.flags = SS_DISABLE;
	}
}

/* Take one signal for the current thread and act on it. */
static void signal_take_one(struct trap_frame *f)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	struct k_sigaction ka;
	struct ksiginfo info;
	unsigned long flags;
	uint64_t oldmask;
	int sig;

	flags = spin_lock_irqsave(&p->lock);
	sig = signal_dequeue(t, t->sigmask, &info);
	if (!sig) {
		/* Nothing (left) to deliver: sigsuspend's mask goes back, calls restart. */
		if (t->restore_sigmask) {
			t->restore_sigmask = false;
			signal_set_mask_locked(t, t->saved_sigmask);
		}
		signal_recalc(t);
		spin_unlock_irqrestore(&p->lock, flags);
		arch_signal_syscall_restart(f, NULL);
		return;
	}
	ka = p->sigactions[sig];
	if (signal_ignored(p, sig)) {
		signal_recalc(t);
		spin_unlock_irqrestore(&p->lock, flags);
		return;
	}
	/* A debugger hears of it first, and says whether (and which) it is acted on. */
	if (p->dbg_on && sig != SIGKILL && !info.dbg_seen) {
		spin_unlock_irqrestore(&p->lock, flags);
		sig = jobdbg_signal(f, &info);
		if (!sig)
			return;
		flags = spin_lock_irqsave(&p->lock);
		ka = p->sigactions[sig];
	}
	if (ka.handler == SIG_DFL) {
		char where[96];

		spin_unlock_irqrestore(&p->lock, flags);
		/* Where it was: what a user of a job that hung and was killed asks first. */
		aspace_describe(p->as, f->rip, where, sizeof(where));
		pr_info("%s[%u]: signal %d at ip %016lx (%s) sp %016lx\n", p->name, t->tid, sig,
			f->rip, where, f->rsp);
		/* A debugger may have made it another signal: then one from the kernel. */
		if (info.signo != sig)
			info = (struct ksiginfo){ .signo = sig, .code = SI_KERNEL };
		if (signal_dumps_core(sig))
			coredump_and_exit(p, &info, f);
		process_exit(p, 0, sig, false);
	}
	oldmask = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
	t->restore_sigmask = false;
	if (ka.flags & SA_RESETHAND)
		p->sigactions[sig].handler = SIG_DFL;
	t->sigmask |= ka.mask | ((ka.flags & SA_NODEFER) ? 0 : SIGBIT(sig));
	t->sigmask &= ~SIG_UNBLOCKABLE;
	signal_recalc(t);
	spin_unlock_irqrestore(&p->lock, flags);
	signal_run_handler(f, &info, &ka, oldmask);
}

void signal_exit_to_user(struct trap_frame *f)
{
	arch_irq_disable();
	while (signal_exit_work(f)) {
		arch_irq_enable();
		sched_user_return();
		if (task_current()->proc) {
			jobdbg_user_return(f);
			signal_take_one(f);
		}
		arch_irq_disable();
	}
}
