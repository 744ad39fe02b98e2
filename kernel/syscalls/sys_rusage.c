// SPDX-License-Identifier: GPL-2.0
/*
 * What a process has used: getrusage, times, wait4's rusage and the
 * CPU-time clocks, all from the accounts of cove/acct.h.
 */
#include <cove/acct.h>
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/rusage.h>
#include <cove/spinlock.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
/* Linux's encoding of another process's or thread's CPU clock (clock_getcpuclockid). */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_WHICH_MASK 3
#define CPUCLOCK_VIRT 1			/* user time only; PROF and SCHED: both */
#define CPUCLOCK_MAX 3			/* 3 itself is not a clock */

#define USER_HZ 100

static void rusage_time(int64_t *tv, uint64_t ns)
{
	tv[0] = (int64_t)(ns / NSEC_PER_SEC);
	tv[1] = (int64_t)(ns % NSEC_PER_SEC) / 1000;
}

/* ru_utime, ru_stime, ru_maxrss (KiB), ru_minflt, ru_nvcsw of a struct rusage. */
static void rusage_put(int64_t *ru, const struct acct_times *a, uint64_t maxrss, uint64_t minflt,
		       uint64_t switches)
{
	rusage_time(&ru[0], a->utime_ns);
	rusage_time(&ru[2], a->stime_ns);
	ru[4] = (int64_t)(maxrss >> 10);
	ru[8] = (int64_t)minflt;
	ru[16] = (int64_t)switches;
}

void rusage_of_wait(const struct process_wait_result *res, int64_t ru[RUSAGE_WORDS])
{
	struct acct_times a = { res->utime_ns, res->stime_ns };

	for (int i = 0; i < RUSAGE_WORDS; i++)
		ru[i] = 0;
	rusage_put(ru, &a, res->maxrss, res->minflt, 0);
}

int64_t sys_getrusage(SYSCALL_ARGS)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	int64_t ru[RUSAGE_WORDS] = { 0 };
	uint64_t flt = 0, sw = 0;
	struct acct_times a;
	unsigned long flags;

	switch ((int32_t)a0) {
	case RUSAGE_SELF:
		acct_process(p, &a);
		flags = spin_lock_irqsave(&p->lock);
		flt = p->acct_dead_minflt;
		for (struct task *o = p->threads; o; o = o->thread_next) {
			flt += o->acct_minflt;
			sw += o->switches;
		}
		spin_unlock_irqrestore(&p->lock, flags);
		rusage_put(ru, &a, p->as ? p->as->peak_bytes : 0, flt, sw);
		break;
	case RUSAGE_THREAD:
		acct_task(t, &a);
		rusage_put(ru, &a, p->as ? p->as->peak_bytes : 0, t->acct_minflt, t->switches);
		break;
	case RUSAGE_CHILDREN:
		acct_children(p, &a);
		rusage_put(ru, &a, p->acct_child_maxrss, p->acct_child_minflt, 0);
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(a1, ru, sizeof(ru));
}

int64_t sys_times(SYSCALL_ARGS)
{
	uint64_t ticks = time_now_ns() / (NSEC_PER_SEC / USER_HZ);
	struct process *p = task_current()->proc;
	struct acct_times self, children;
	int64_t tms[4];

	acct_process(p, &self);
	acct_children(p, &children);
	tms[0] = (int64_t)(self.utime_ns / (NSEC_PER_SEC / USER_HZ));
	tms[1] = (int64_t)(self.stime_ns / (NSEC_PER_SEC / USER_HZ));
	tms[2] = (int64_t)(children.utime_ns / (NSEC_PER_SEC / USER_HZ));
	tms[3] = (int64_t)(children.stime_ns / (NSEC_PER_SEC / USER_HZ));
	if (a0 && copy_to_user(a0, tms, sizeof(tms)))
		return -EFAULT;
	return (int64_t)ticks;
}

/* A thread of the caller's process by its id (0: the caller), or NULL. */
static struct task *rusage_own_thread(uint32_t tid)
{
	struct task *t = task_current();

	if (!tid || tid == t->tid)
		return t;
	for (struct task *o = t->proc->threads; o; o = o->thread_next) {
		if (o->tid == tid && o->state != TASK_DEAD)
			return o;
	}
	return NULL;
}

int rusage_cpu_clock_ns(int64_t clk, uint64_t *ns)
{
	struct task *me = task_current();
	struct process *p = me->proc;
	bool thread, user_only = false;
	struct acct_times a;
	unsigned long flags;
	uint32_t id;

	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID) {
		thread = clk == CLOCK_THREAD_CPUTIME_ID;
		id = 0;
	} else if (clk < 0 && (clk & CPUCLOCK_WHICH_MASK) != CPUCLOCK_MAX) {
		thread = clk & CPUCLOCK_PERTHREAD;
		user_only = (clk & CPUCLOCK_WHICH_MASK) == CPUCLOCK_VIRT;
		id = (uint32_t)~(clk >> 3);
	} else {
		return -EINVAL;
	}
	if (thread) {
		struct task *t;

		/* Under the lock, so the thread is not freed while it is read. */
		flags = spin_lock_irqsave(&p->lock);
		t = rusage_own_thread(id);
		if (t)
			acct_task(t, &a);
		spin_unlock_irqrestore(&p->lock, flags);
		if (!t)
			return -EINVAL;
	} else {
		/* Other processes' clocks are not offered: a job asks for its own. */
		if (id && id != p->pid)
			return -EINVAL;
		acct_process(p, &a);
	}
	*ns = a.utime_ns + (user_only ? 0 : a.stime_ns);
	return 0;
}
