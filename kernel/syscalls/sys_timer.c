// SPDX-License-Identifier: GPL-2.0
/* Timers that signal: alarm, the interval timers, POSIX timers (cove/itimer.h). */
#include <cove/errno.h>
#include <cove/itimer.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define TIMER_ABSTIME 1
#define USEC_PER_SEC 1000000ULL
/* Longer than any job runs, and far from wrapping a 64-bit nanosecond count. */
#define TIMER_MAX_SEC (100ULL * 365 * 24 * 3600)

struct user_itimerval {
	int64_t interval_sec, interval_usec;
	int64_t value_sec, value_usec;
};

struct user_itimerspec {
	int64_t interval_sec, interval_nsec;
	int64_t value_sec, value_nsec;
};

/* struct sigevent as the kernel reads it. */
struct user_sigevent {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	int32_t tid;
	int32_t pad[11];
};

static struct process *self(void)
{
	return task_current()->proc;
}

static int time_to_ns(int64_t sec, int64_t sub, uint64_t sub_per_sec, uint64_t *ns)
{
	if (sec < 0 || sub < 0 || (uint64_t)sub >= sub_per_sec)
		return -EINVAL;
	if ((uint64_t)sec > TIMER_MAX_SEC)
		sec = (int64_t)TIMER_MAX_SEC;
	*ns = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)sub * (NSEC_PER_SEC / sub_per_sec);
	return 0;
}

static void ns_to_timeval(uint64_t ns, int64_t *sec, int64_t *usec)
{
	*sec = (int64_t)(ns / NSEC_PER_SEC);
	/* Round up: a timer with time left never reads as disarmed. */
	*usec = (int64_t)((ns % NSEC_PER_SEC + 999) / 1000);
	if (*usec == (int64_t)USEC_PER_SEC) {
		(*sec)++;
		*usec = 0;
	}
}

static void ns_to_timespec(uint64_t ns, int64_t *sec, int64_t *nsec)
{
	*sec = (int64_t)(ns / NSEC_PER_SEC);
	*nsec = (int64_t)(ns % NSEC_PER_SEC);
}

/*
 * ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU time in user (and
 * kernel) mode; Cove keeps no such per-process accounting to expire them
 * against, so they are refused (EINVAL) rather than faked with wall time.
 */
static int itimer_which_ok(uint64_t which)
{
	return which == ITIMER_REAL ? 0 : -EINVAL;
}

int64_t sys_getitimer(SYSCALL_ARGS)
{
	struct user_itimerval v;
	uint64_t value, interval;
	int rc = itimer_which_ok(a0);

	if (rc)
		return rc;
	itimer_real_get(self(), &value, &interval);
	ns_to_timeval(interval, &v.interval_sec, &v.interval_usec);
	ns_to_timeval(value, &v.value_sec, &v.value_usec);
	return copy_to_user(a1, &v, sizeof(v));
}

int64_t sys_setitimer(SYSCALL_ARGS)
{
	struct user_itimerval v = { 0 }, old;
	uint64_t value = 0, interval = 0, old_value, old_interval;
	int rc = itimer_which_ok(a0);

	if (rc)
		return rc;
	/* A NULL new value disarms, as Linux still accepts. */
	if (a1 && copy_from_user(&v, a1, sizeof(v)))
		return -EFAULT;
	if (time_to_ns(v.value_sec, v.value_usec, USEC_PER_SEC, &value) ||
	    time_to_ns(v.interval_sec, v.interval_usec, USEC_PER_SEC, &interval))
		return -EINVAL;
	if (a2 && !user_range_ok(a2, sizeof(old), true))
		return -EFAULT;
	itimer_real_set(self(), value, interval, &old_value, &old_interval);
	if (!a2)
		return 0;
	ns_to_timeval(old_interval, &old.interval_sec, &old.interval_usec);
	ns_to_timeval(old_value, &old.value_sec, &old.value_usec);
	return copy_to_user(a2, &old, sizeof(old));
}

int64_t sys_alarm(SYSCALL_ARGS)
{
	uint64_t secs = a0 & 0xffffffffULL, old_value, old_interval, left;

	itimer_real_set(self(), secs * NSEC_PER_SEC, 0, &old_value, &old_interval);
	/* Linux rounds to the nearest second, and never reports a pending alarm as 0. */
	left = old_value / NSEC_PER_SEC;
	if ((old_value && !left) || old_value % NSEC_PER_SEC >= NSEC_PER_SEC / 2)
		left++;
	return (int64_t)left;
}

int64_t sys_timer_create(SYSCALL_ARGS)
{
	struct posix_timer_event ev = { .notify = SIGEV_SIGNAL, .signo = 14 /* SIGALRM */ };
	struct user_sigevent sev;
	int32_t id;
	int rc;

	if (a1) {
		if (copy_from_user(&sev, a1, sizeof(sev)))
			return -EFAULT;
		ev.notify = sev.notify;
		ev.signo = sev.signo;
		ev.tid = sev.tid > 0 ? (uint32_t)sev.tid : 0;
		ev.value = sev.value;
	}
	if (!user_range_ok(a2, sizeof(id), true))
		return -EFAULT;
	rc = posix_timer_create(self(), (int)a0, &ev, !a1, &id);
	if (rc)
		return rc;
	return copy_to_user(a2, &id, sizeof(id));
}

int64_t sys_timer_settime(SYSCALL_ARGS)
{
	struct user_itimerspec v, old;
	uint64_t value, interval, old_value, old_interval;
	int rc;

	if (a1 & ~(uint64_t)TIMER_ABSTIME)
		return -EINVAL;
	if (copy_from_user(&v, a2, sizeof(v)))
		return -EFAULT;
	if (time_to_ns(v.value_sec, v.value_nsec, NSEC_PER_SEC, &value) ||
	    time_to_ns(v.interval_sec, v.interval_nsec, NSEC_PER_SEC, &interval))
		return -EINVAL;
	if (a3 && !user_range_ok(a3, sizeof(old), true))
		return -EFAULT;
	rc = posix_timer_set(self(), (int32_t)a0, a1 & TIMER_ABSTIME, value, interval, &old_value,
			     &old_interval);
	if (rc || !a3)
		return rc;
	ns_to_timespec(old_interval, &old.interval_sec, &old.interval_nsec);
	ns_to_timespec(old_value, &old.value_sec, &old.value_nsec);
	return copy_to_user(a3, &old, sizeof(old));
}

int64_t sys_timer_gettime(SYSCALL_ARGS)
{
	struct user_itimerspec v;
	uint64_t value, interval;
	int rc = posix_timer_get(self(), (int32_t)a0, &value, &interval);

	if (rc)
		return rc;
	ns_to_timespec(interval, &v.interval_sec, &v.interval_nsec);
	ns_to_timespec(value, &v.value_sec, &v.value_nsec);
	return copy_to_user(a1, &v, sizeof(v));
}

int64_t sys_timer_getoverrun(SYSCALL_ARGS)
{
	return posix_timer_overrun(self(), (int32_t)a0);
}

int64_t sys_timer_delete(SYSCALL_ARGS)
{
	return posix_timer_delete(self(), (int32_t)a0);
}
