// SPDX-License-Identifier: GPL-2.0
/* Clocks and sleeping. Every clock derives from the one monotonic counter. */
#include <cove/errno.h>
#include <cove/rusage.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

static int time_clock_ns(uint64_t clk, uint64_t *ns)
{
	uint64_t now = time_now_ns();

	/* A clockid_t is an int: the register's upper half is not the caller's. */
	switch ((int64_t)(int32_t)clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = time_boot_epoch() * NSEC_PER_SEC + now;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = now;
		return 0;
	default:
		/* CPU-time clocks, those of Linux's encoding too (cove/rusage.h). */
		return rusage_cpu_clock_ns((int32_t)clk, ns);
	}
}

int64_t sys_clock_gettime(SYSCALL_ARGS)
{
	uint64_t ns;
	int64_t ts[2];
	int rc = time_clock_ns(a0, &ns);

	if (rc)
		return rc;
	ts[0] = (int64_t)(ns / NSEC_PER_SEC);
	ts[1] = (int64_t)(ns % NSEC_PER_SEC);
	return copy_to_user(a1, ts, sizeof(ts));
}

int64_t sys_clock_getres(SYSCALL_ARGS)
{
	int64_t ts[2] = { 0, 1 };
	uint64_t ns;

	if (time_clock_ns(a0, &ns))
		return -EINVAL;
	return a1 ? copy_to_user(a1, ts, sizeof(ts)) : 0;
}

int64_t sys_gettimeofday(SYSCALL_ARGS)
{
	uint64_t ns = time_boot_epoch() * NSEC_PER_SEC + time_now_ns();
	int64_t tv[2] = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) / 1000 };

	if (a0 && copy_to_user(a0, tv, sizeof(tv)))
		return -EFAULT;
	if (a1) {
		int32_t tz[2] = { 0, 0 };

		return copy_to_user(a1, tz, sizeof(tz));
	}
	return 0;
}

int64_t sys_time(SYSCALL_ARGS)
{
	int64_t t = (int64_t)(time_boot_epoch() + time_now_ns() / NSEC_PER_SEC);

	if (a0 && copy_to_user(a0, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

static int64_t time_sleep(uint64_t clk, bool absolute, uint64_t ureq, uint64_t urem)
{
	int64_t ts[2];
	uint64_t ns, now, deadline;
	int rc;

	/* Sleeping until a CPU-time clock moves is not offered (Linux: only the process's). */
	if ((int32_t)clk == CLOCK_PROCESS_CPUTIME_ID || (int32_t)clk == CLOCK_THREAD_CPUTIME_ID ||
	    (int32_t)clk < 0)
		return -EINVAL;
	rc = time_clock_ns(clk, &now);
	if (rc)
		return rc;
	if (copy_from_user(ts, ureq, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	ns = (uint64_t)ts[0] * NSEC_PER_SEC + (uint64_t)ts[1];
	if (absolute) {
		if (ns <= now)
			return 0;
		ns -= now;
	}
	deadline = time_now_ns() + ns;
	/* A signal to take (or a kill) ends the sleep early. */
	while ((now = time_now_ns()) < deadline) {
		if (signal_pending_current()) {
			/* An absolute sleep can simply be made again; Linux restarts it. */
			if (absolute)
				return -ERESTARTNOHAND;
			if (urem) {
				ts[0] = (int64_t)((deadline - now) / NSEC_PER_SEC);
				ts[1] = (int64_t)((deadline - now) % NSEC_PER_SEC);
				if (copy_to_user(urem, ts, sizeof(ts)))
					return -EFAULT;
			}
			return -EINTR;
		}
		sched_sleep_until(deadline);
	}
	return 0;
}

int64_t sys_nanosleep(SYSCALL_ARGS)
{
	return time_sleep(CLOCK_MONOTONIC, false, a0, a1);
}

int64_t sys_clock_nanosleep(SYSCALL_ARGS)
{
	return time_sleep(a0, a1 & TIMER_ABSTIME, a2, (a1 & TIMER_ABSTIME) ? 0 : a3);
}
