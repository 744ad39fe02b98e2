// SPDX-License-Identifier: GPL-2.0
/*
 * A debugged job (cove/jobdbg.h): stopping all threads of its process,
 * and the agent loop that serves the debugger through the host proxy
 * (cove/debug_abi.h).
 *
 * A stop: the thread that stops claims the process (becomes its agent),
 * marks it stopped and brings every other running thread into the kernel,
 * where each waits (jobdbg_park) on its way back to user mode. A thread
 * blocked in a call stays blocked; its registers are those it entered the
 * kernel with. The agent then asks the host for requests until one
 * resumes the process: all threads (continue), or one thread for one
 * instruction (step), the others staying where they are.
 *
 * A thread that traps while another is the agent waits too, and runs its
 * instruction again afterwards: a breakpoint still there traps again and
 * is reported then, one the debugger took out is not. The debugger's
 * requests come from the host: each is checked (lengths, threads,
 * addresses) and a bad one is answered with an error, never acted on.
 */
#include <cove/aspace.h>
#include <cove/debug_abi.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/host.h>
#include <cove/jobdbg.h>
#include <cove/kprintf.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <arch/dbg_regs.h>
#include <arch/trap.h>
#include "jobdbg_internal.h"

/* How long a stop waits for the other threads to come in before it reports anyway. */
#define JOBDBG_STOP_WAIT_NS (2 * NSEC_PER_SEC)
#define JOBDBG_POLL_NS NSEC_PER_MSEC
/* Room for the largest request and answer either way. */
#define JOBDBG_BUF (COVE_DBG_MEM_MAX > COVE_DBG_REGS_MAX ? COVE_DBG_MEM_MAX : COVE_DBG_REGS_MAX)

enum jobdbg_claim {
	JOBDBG_OFF,	/* not debugged (any more), or killed: act as without a debugger */
	JOBDBG_AGENT,	/* the caller talks to the debugger */
	JOBDBG_BUSY,	/* stopped by another thread: the caller waits */
};

void jobdbg_attach(struct process *p)
{
	/* Without a proxy, gdb is on the serial line, for one process at a time. */
	if (!p->proxy && !jobdbg_uart_claim(p)) {
		pr_err("%s[%u]: gdb=1 without a debugger: boot with gdb=com2 (one process at "
		       "a time); it runs undebugged\n", p->name, p->pid);
		return;
	}
	p->dbg_on = true;
	p->dbg_initial = true;
	p->dbg_stopped = true;
}

/* Under p->lock: every other thread comes into the kernel and waits there. */
static void jobdbg_stop_others_locked(struct process *p, struct task *me)
{
	p->dbg_stopped = true;
	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (t == me || !t->started || t->state == TASK_DEAD)
			continue;
		t->sig_work = true;	/* its way out of a call looks (signal_exit_to_user) */
		if (t->state != TASK_BLOCKED)
			sched_kick_cpu(t->cpu);
	}
}

static enum jobdbg_claim jobdbg_claim(struct task *t)
{
	struct process *p = t->proc;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	enum jobdbg_claim c = JOBDBG_BUSY;

	if (!p->dbg_on || p->kill_signal || t->exec_exit) {
		c = JOBDBG_OFF;
	} else if (!p->dbg_agent && (!p->dbg_stopped || p->dbg_step == t || p->dbg_initial)) {
		c = JOBDBG_AGENT;
		p->dbg_agent = t;
		p->dbg_step = NULL;
		p->dbg_initial = false;
		jobdbg_stop_others_locked(p, t);
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return c;
}

/* Whether t still has to wait (read without the lock: it polls). */
static bool jobdbg_waits(const struct task *t)
{
	const struct process *p = t->proc;

	return p->dbg_on && !p->kill_signal && !t->exec_exit && jobdbg_must_stop(t);
}

static void jobdbg_park(struct task *t)
{
	t->dbg_parked = true;
	while (jobdbg_waits(t))
		sched_sleep_until(time_now_ns() + JOBDBG_POLL_NS);
	t->dbg_parked = false;
}

/* Every other thread is waiting, blocked or gone, or the wait is over. */
static void jobdbg_wait_others(struct process *p, struct task *me)
{
	uint64_t deadline = time_now_ns() + JOBDBG_STOP_WAIT_NS;

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&p->lock);
		bool all = true;

		for (struct task *t = p->threads; t && all; t = t->thread_next)
			all = t == me || !t->started || t->state == TASK_DEAD ||
			      t->state == TASK_BLOCKED || t->exiting || t->dbg_parked;
		spin_unlock_irqrestore(&p->lock, flags);
		if (all || time_now_ns() >= deadline)
			return;
		sched_sleep_until(time_now_ns() + JOBDBG_POLL_NS);
	}
}

/* Under p->lock: the live thread tid (0: me), or NULL. */
static struct task *jobdbg_thread_locked(struct process *p, struct task *me, uint64_t tid)
{
	if (!tid)
		return me;
	for (struct task *t = p->threads; t; t = t->thread_next)
		if (t->tid == tid && t->started && t->state != TASK_DEAD && !t->exiting)
			return t;
	return NULL;
}

/* The user frame of t: the one the agent holds for itself, else the top of t's stack. */
static struct trap_frame *jobdbg_frame(struct task *t, struct task *me, struct trap_frame *f)
{
	return t == me ? f : task_user_frame(t);
}

static int64_t jobdbg_regs(struct task *me, struct trap_frame *f, uint64_t tid, void *out,
			   uint32_t *len)
{
	struct process *p = me->proc;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	struct task *t = jobdbg_thread_locked(p, me, tid);
	struct dbg_regs r;

	if (t)
		arch_dbg_regs_get(jobdbg_frame(t, me, f), t->fs_base, t->gs_base, &r);
	spin_unlock_irqrestore(&p->lock, flags);
	if (!t)
		return -ESRCH;
	memcpy(out, &r, sizeof(r));
	*len = sizeof(r);
	return sizeof(r);
}

static int64_t jobdbg_set_regs(struct task *me, struct trap_frame *f, uint64_t tid,
			       const void *in, uint32_t len)
{
	struct process *p = me->proc;
	struct dbg_regs r;
	unsigned long flags;
	struct task *t;

	/* gdb writes back the whole packet; what may be set comes first. */
	if (len < DBG_REGS_SET_SIZE || len > sizeof(r))
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	memcpy(&r, in, len);
	flags = spin_lock_irqsave(&p->lock);
	t = jobdbg_thread_locked(p, me, tid);
	if (t) {
		arch_dbg_regs_set(jobdbg_frame(t, me, f), &r);
		t->iret_exit = true;	/* every register as set, not sysret's */
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return t ? 0 : -ESRCH;
}

static int64_t jobdbg_threads(struct process *p, void *out, uint32_t cap, uint32_t *len)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	uint32_t n = 0, *tids = out;

	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (!t->started || t->state == TASK_DEAD || t->exiting)
			continue;
		if ((n + 1) * sizeof(*tids) > cap || n >= COVE_DBG_THREADS_MAX)
			break;
		tids[n++] = t->tid;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	*len = n * (uint32_t)sizeof(*tids);
	return n;
}

/* All run again, or (step set) that one thread alone for one instruction. */
static void jobdbg_resume(struct process *p, struct task *step, bool detach)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);

	p->dbg_agent = NULL;
	p->dbg_step = step;
	p->dbg_stopped = step != NULL;
	if (detach)
		p->dbg_on = false;
	/* sig_work set for the stop goes at each thread's next look at its signals. */
	spin_unlock_irqrestore(&p->lock, flags);
}

static int jobdbg_step(struct task *me, struct trap_frame *f, uint64_t tid)
{
	struct process *p = me->proc;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	struct task *t = jobdbg_thread_locked(p, me, tid);

	if (t) {
		arch_dbg_single_step(jobdbg_frame(t, me, f), true);
		t->iret_exit = true;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (!t)
		return -ESRCH;
	jobdbg_resume(p, t, false);
	return 0;
}

/* A signal number from the host: one of Linux's, or none. */
static int jobdbg_sig(uint64_t v)
{
	return v <= NSIG ? (int)v : 0;
}

int64_t jobdbg_exec(struct task *me, struct trap_frame *f, const struct jobdbg_req *rq,
		    void *out, uint32_t cap, uint32_t *out_len, bool *resumed)
{
	struct process *p = me->proc;
	int64_t r;

	*out_len = 0;
	*resumed = false;
	switch (rq->op) {
	case COVE_DBG_REGS:
		return cap < sizeof(struct dbg_regs) ? -EINVAL :
		       jobdbg_regs(me, f, rq->a1, out, out_len);
	case COVE_DBG_SET_REGS:
		return jobdbg_set_regs(me, f, rq->a1, rq->data, rq->len);
	case COVE_DBG_READ:
		if (rq->a2 > cap || rq->a2 > COVE_DBG_MEM_MAX)
			return -EINVAL;
		r = aspace_debug_access(p->as, rq->a1, out, rq->a2, false);
		if (r)
			return r;
		*out_len = (uint32_t)rq->a2;
		return *out_len;
	case COVE_DBG_WRITE:
		if (rq->len > COVE_DBG_MEM_MAX)
			return -EINVAL;
		return aspace_debug_access(p->as, rq->a1, (void *)rq->data, rq->len, true);
	case COVE_DBG_THREADS:
		return jobdbg_threads(p, out, cap, out_len);
	case COVE_DBG_CONT:
		jobdbg_resume(p, NULL, false);
		*resumed = true;
		return jobdbg_sig(rq->a1);
	case COVE_DBG_STEP:
		r = jobdbg_step(me, f, rq->a2);
		if (r)
			return r;
		*resumed = true;
		/* A signal goes with the step of the thread that stopped only. */
		return !rq->a2 || rq->a2 == me->tid ? jobdbg_sig(rq->a1) : 0;
	case COVE_DBG_KILL:
		jobdbg_resume(p, NULL, true);
		process_exit(p, 0, SIGKILL, false);
	case COVE_DBG_DETACH:
		jobdbg_resume(p, NULL, true);
		*resumed = true;
		return jobdbg_sig(rq->a1);
	default:
		return -EINVAL;
	}
}

/*
 * The agent's loop with the host proxy's debugger: report the stop
 * (signal sig), serve requests until one resumes. Returns the signal the
 * debugger lets through, or 0.
 */
static int jobdbg_session_host(struct task *me, struct trap_frame *f, int sig)
{
	struct process *p = me->proc;
	uint32_t cap = MIN(host_call_payload_max(), (uint32_t)JOBDBG_BUF);
	uint8_t *in = kmalloc(JOBDBG_BUF), *out = kmalloc(JOBDBG_BUF);
	uint64_t ev = COVE_DBG_EV_STOP, result = (uint64_t)sig;
	uint32_t in_len = 0;
	int rc = sig;

	if (!in || !out || cap < sizeof(struct dbg_regs)) {
		pr_err("%s[%u]: no room to talk to the debugger; it is detached\n", p->name,
		       me->tid);
		goto detach;
	}
	for (;;) {
		struct host_call c = {
			.op = COVE_LC_DEBUG, .job = p->host_job,
			.arg = { ev, result, me->tid, p->pid },
			.in = in, .in_len = in_len, .out = out, .out_cap = cap,
		};
		struct jobdbg_req rq;
		int64_t hc = host_call(&c);
		bool resumed;

		if (hc < 0) {
			pr_err("%s[%u]: the debugger is gone (%ld); the process runs on without it\n",
			       p->name, me->tid, hc);
			goto detach;
		}
		rq = (struct jobdbg_req){
			.op = c.arg[0], .a1 = c.arg[1], .a2 = c.arg[2],
			.data = out, .len = MIN(c.out_len, cap),
		};
		if (rq.op == COVE_DBG_KILL) {
			kfree(in);
			kfree(out);
		}
		result = (uint64_t)jobdbg_exec(me, f, &rq, in, cap, &in_len, &resumed);
		ev = COVE_DBG_EV_DONE;
		if (resumed) {
			rc = (int)result;
			goto out;
		}
	}
detach:
	jobdbg_resume(p, NULL, true);
out:
	kfree(in);
	kfree(out);
	return rc;
}

static int jobdbg_session(struct task *me, struct trap_frame *f, int sig)
{
	jobdbg_wait_others(me->proc, me);
	if (me->proc->proxy)
		return jobdbg_session_host(me, f, sig);
	return jobdbg_uart_session(me, f, sig);
}

/* The debugger said to act on sig (0: nothing): info becomes that signal. */
static int jobdbg_passed(struct ksiginfo *info, int sig)
{
	if (sig && sig != info->signo) {
		memset(info, 0, sizeof(*info));
		info->signo = sig;
		info->code = SI_USER;
	}
	info->dbg_seen = true;
	return sig;
}

int jobdbg_fault(struct trap_frame *f, struct ksiginfo *info)
{
	struct task *t = task_current();

	/* Our own single step's trap; a step is reported as SIGTRAP. */
	if (f->vector == EXC_DEBUG)
		arch_dbg_single_step(f, false);
	switch (jobdbg_claim(t)) {
	case JOBDBG_OFF:
		return info->signo;
	case JOBDBG_BUSY:
		if (f->vector == EXC_BREAKPOINT)
			arch_dbg_breakpoint_rewind(f);
		jobdbg_park(t);
		return 0;
	default:
		return jobdbg_passed(info, jobdbg_session(t, f, info->signo));
	}
}

int jobdbg_signal(struct trap_frame *f, struct ksiginfo *info)
{
	struct task *t = task_current();

	for (;;) {
		switch (jobdbg_claim(t)) {
		case JOBDBG_OFF:
			return info->signo;
		case JOBDBG_BUSY:
			jobdbg_park(t);
			break;
		default:
			return jobdbg_passed(info, jobdbg_session(t, f, info->signo));
		}
	}
}

void jobdbg_user_return(struct trap_frame *f)
{
	struct task *t = task_current();
	struct process *p = t->proc;

	if (!p->dbg_on)
		return;
	while (jobdbg_waits(t)) {
		if (p->dbg_initial && jobdbg_claim(t) == JOBDBG_AGENT) {
			/* Before its first instruction, as a program gdb runs stops. */
			int sig = jobdbg_session(t, f, SIGTRAP);

			if (sig && sig != SIGTRAP)
				signal_send(p, sig);
			continue;
		}
		jobdbg_park(t);
	}
}
