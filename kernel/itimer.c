// SPDX-License-Identifier: GPL-2.0
/*
 * The process's ITIMER_REAL and its POSIX timers: each a kernel timer whose
 * function queues a signal (cove/itimer.h). A periodic timer re-arms itself
 * from its function; expiries it missed, or that came while its signal was
 * still pending, are counted as overruns the way Linux counts them.
 */
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/itimer.h>
#include <cove/ktimer.h>
#include <cove/signal.h>
#include <cove/task.h>
#include <cove/timer.h>

/* Per process; Linux bounds them by RLIMIT_SIGPENDING, Cove by this. */
#define POSIX_TIMER_MAX 256

struct posix_timer {
	struct ktimer kt;
	struct process *proc;
	struct posix_timer *next;	/* the process's list, under proc->lock */
	int32_t id;
	int clock;
	struct posix_timer_event ev;
	uint64_t interval;		/* ns; under proc->lock */
	int32_t overrun;		/* expiries not signalled so far; under proc->lock */
	int32_t overrun_last;		/* the count the last signal carried */
};

static int32_t overrun_add(int32_t a, uint64_t b)
{
	uint64_t sum = (uint64_t)a + b;

	return sum > INT32_MAX ? INT32_MAX : (int32_t)sum;
}

/*
 * The deadline after kt's last one, interval later, skipping periods that
 * are already past (we were late): their number goes to *missed.
 */
static uint64_t itimer_next(const struct ktimer *kt, uint64_t interval, uint64_t *missed)
{
	uint64_t now = time_now_ns(), next = kt->deadline + interval;

	*missed = 0;
	if (next <= now) {
		*missed = (now - kt->deadline) / interval;
		next = kt->deadline + (*missed + 1) * interval;
	}
	return next;
}

static uint64_t itimer_remaining(struct ktimer *kt)
{
	uint64_t d = ktimer_deadline(kt), now = time_now_ns();

	if (!d)
		return 0;
	return d > now ? d - now : 1;	/* due, its interrupt on its way */
}

static void itimer_real_fire(struct ktimer *kt)
{
	struct process *p = container_of(kt, struct process, itimer_real);
	struct ksiginfo info = { .signo = SIGALRM, .code = SI_KERNEL };
	unsigned long flags = spin_lock_irqsave(&p->lock);
	uint64_t missed;
	bool kill;

	if (p->itimer_interval)
		ktimer_arm(kt, itimer_next(kt, p->itimer_interval, &missed));
	signal_timer_fire_locked(p, 0, &info, &kill);
	spin_unlock_irqrestore(&p->lock, flags);
}

void itimer_real_set(struct process *p, uint64_t value, uint64_t interval, uint64_t *old_value,
		     uint64_t *old_interval)
{
	unsigned long flags = spin_lock_irqsave(&p->timer_lock);

	if (!p->itimer_real.fn)
		ktimer_init(&p->itimer_real, itimer_real_fire);
	spin_lock(&p->lock);
	*old_interval = p->itimer_interval;
	p->itimer_interval = 0;		/* its function must not re-arm it now */
	spin_unlock(&p->lock);
	*old_value = itimer_remaining(&p->itimer_real);
	ktimer_cancel(&p->itimer_real);
	if (value) {
		spin_lock(&p->lock);
		p->itimer_interval = interval;
		spin_unlock(&p->lock);
		ktimer_arm(&p->itimer_real, time_now_ns() + value);
	}
	spin_unlock_irqrestore(&p->timer_lock, flags);
}

void itimer_real_get(struct process *p, uint64_t *value, uint64_t *interval)
{
	unsigned long flags = spin_lock_irqsave(&p->timer_lock);

	*value = itimer_remaining(&p->itimer_real);
	spin_lock(&p->lock);
	*interval = p->itimer_interval;
	spin_unlock(&p->lock);
	spin_unlock_irqrestore(&p->timer_lock, flags);
}

static void posix_timer_fire(struct ktimer *kt)
{
	struct posix_timer *pt = container_of(kt, struct posix_timer, kt);
	struct process *p = pt->proc;
	struct ksiginfo info = {
		.signo = pt->ev.signo, .code = SI_TIMER, .a = pt->id, .value = pt->ev.value,
	};
	unsigned long flags = spin_lock_irqsave(&p->lock);
	uint32_t tid = pt->ev.notify == SIGEV_THREAD_ID ? pt->ev.tid : 0;
	uint64_t missed = 0;
	bool kill = false;

	if (pt->interval) {
		ktimer_arm(kt, itimer_next(kt, pt->interval, &missed));
		pt->overrun = overrun_add(pt->overrun, missed);
	}
	if (pt->ev.notify != SIGEV_NONE && !signal_timer_fire_locked(p, tid, &info, &kill))
		pt->overrun = overrun_add(pt->overrun, 1);
	spin_unlock_irqrestore(&p->lock, flags);
	if (kill)
		process_kill(p, SIGKILL, false);
}

/* p->lock held. */
static struct posix_timer *posix_timer_find(struct process *p, int32_t id)
{
	for (struct posix_timer *pt = p->posix_timers; pt; pt = pt->next) {
		if (pt->id == id)
			return pt;
	}
	return NULL;
}

/* p->lock held: called when a thread takes a SI_TIMER signal. */
int itimer_signal_taken(struct process *p, int32_t timer_id)
{
	struct posix_timer *pt = posix_timer_find(p, timer_id);

	if (!pt)
		return 0;
	pt->overrun_last = pt->overrun;
	pt->overrun = 0;
	return pt->overrun_last;
}

static bool posix_timer_clock_ok(int clock)
{
	/*
	 * CPU-time clocks (2, 3, and per-thread ones, negative) would need
	 * accounting Cove does not keep; the *_ALARM clocks need privileges.
	 */
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME;
}

int posix_timer_create(struct process *p, int clock, const struct posix_timer_event *ev,
		       bool default_value, int32_t *id)
{
	struct posix_timer *pt;
	unsigned long flags;
	int32_t n = 0, free_id = 0;
	bool taken;

	if (!posix_timer_clock_ok(clock))
		return -EINVAL;
	switch (ev->notify) {
	case SIGEV_NONE:
		break;
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
	case SIGEV_THREAD_ID:
		if (ev->signo < 1 || ev->signo > NSIG)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	pt = kzalloc(sizeof(*pt));
	if (!pt)
		return -ENOMEM;
	ktimer_init(&pt->kt, posix_timer_fire);
	pt->proc = p;
	pt->clock = clock;
	pt->ev = *ev;
	flags = spin_lock_irqsave(&p->lock);
	if (ev->notify == SIGEV_THREAD_ID) {
		bool found = false;

		for (struct task *t = p->threads; t; t = t->thread_next)
			found |= t->tid == ev->tid && !t->exiting;
		if (!found) {
			spin_unlock_irqrestore(&p->lock, flags);
			kfree(pt);
			return -EINVAL;
		}
	}
	/* The lowest free id, as Linux hands them out to a fresh process. */
	do {
		taken = false;
		n = 0;
		for (struct posix_timer *o = p->posix_timers; o; o = o->next, n++)
			taken |= o->id == free_id;
		if (taken)
			free_id++;
	} while (taken);
	if (n >= POSIX_TIMER_MAX) {
		spin_unlock_irqrestore(&p->lock, flags);
		kfree(pt);
		return -EAGAIN;
	}
	pt->id = free_id;
	if (default_value)
		pt->ev.value = (uint64_t)free_id;	/* sevp NULL: si_value is the id */
	pt->next = p->posix_timers;
	p->posix_timers = pt;
	spin_unlock_irqrestore(&p->lock, flags);
	*id = free_id;
	return 0;
}

/* The timer's clock reading at time_now_ns() == now. */
static uint64_t posix_timer_clock_offset(const struct posix_timer *pt)
{
	return pt->clock == CLOCK_REALTIME ? time_boot_epoch() * NSEC_PER_SEC : 0;
}

int posix_timer_set(struct process *p, int32_t id, bool abs, uint64_t value, uint64_t interval,
		    uint64_t *old_value, uint64_t *old_interval)
{
	unsigned long flags = spin_lock_irqsave(&p->timer_lock);
	struct posix_timer *pt;
	uint64_t now, deadline;

	spin_lock(&p->lock);
	pt = posix_timer_find(p, id);
	if (pt) {
		*old_interval = pt->interval;
		pt->interval = 0;
	}
	spin_unlock(&p->lock);
	if (!pt) {
		spin_unlock_irqrestore(&p->timer_lock, flags);
		return -EINVAL;
	}
	*old_value = itimer_remaining(&pt->kt);
	ktimer_cancel(&pt->kt);
	if (value) {
		now = time_now_ns();
		if (abs) {
			uint64_t off = posix_timer_clock_offset(pt);

			deadline = value > off ? value - off : now;
			if (deadline < now)
				deadline = now;		/* already past: expire at once */
		} else {
			deadline = now + value;
		}
		spin_lock(&p->lock);
		pt->interval = interval;
		pt->overrun = 0;
		spin_unlock(&p->lock);
		ktimer_arm(&pt->kt, deadline);
	}
	spin_unlock_irqrestore(&p->timer_lock, flags);
	return 0;
}

int posix_timer_get(struct process *p, int32_t id, uint64_t *value, uint64_t *interval)
{
	unsigned long flags = spin_lock_irqsave(&p->timer_lock);
	struct posix_timer *pt;

	spin_lock(&p->lock);
	pt = posix_timer_find(p, id);
	if (pt)
		*interval = pt->interval;
	spin_unlock(&p->lock);
	if (pt)
		*value = itimer_remaining(&pt->kt);
	spin_unlock_irqrestore(&p->timer_lock, flags);
	return pt ? 0 : -EINVAL;
}

int posix_timer_overrun(struct process *p, int32_t id)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	struct posix_timer *pt = posix_timer_find(p, id);
	int rc = pt ? pt->overrun_last : -EINVAL;

	spin_unlock_irqrestore(&p->lock, flags);
	return rc;
}

int posix_timer_delete(struct process *p, int32_t id)
{
	unsigned long flags = spin_lock_irqsave(&p->timer_lock);
	struct posix_timer *pt = NULL;

	spin_lock(&p->lock);
	for (struct posix_timer **pp = &p->posix_timers; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			pt = *pp;
			*pp = pt->next;
			pt->interval = 0;
			break;
		}
	}
	/* Its pending signal goes with it: the id may be handed out again. */
	if (pt) {
		sigqueue_flush_timer(&p->sigpending, id);
		for (struct task *t = p->threads; t; t = t->thread_next)
			sigqueue_flush_timer(&t->sigpending, id);
	}
	spin_unlock(&p->lock);
	if (pt)
		ktimer_cancel(&pt->kt);
	spin_unlock_irqrestore(&p->timer_lock, flags);
	if (!pt)
		return -EINVAL;
	kfree(pt);
	return 0;
}

void itimer_process_exit(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&p->timer_lock);
	struct posix_timer *list;

	spin_lock(&p->lock);
	p->itimer_interval = 0;
	list = p->posix_timers;
	p->posix_timers = NULL;
	for (struct posix_timer *pt = list; pt; pt = pt->next)
		pt->interval = 0;
	spin_unlock(&p->lock);
	ktimer_cancel(&p->itimer_real);
	for (struct posix_timer *pt = list; pt; pt = pt->next)
		ktimer_cancel(&pt->kt);
	spin_unlock_irqrestore(&p->timer_lock, flags);
	while (list) {
		struct posix_timer *next = list->next;

		kfree(list);
		list = next;
	}
}
