/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timers that send signals: the process's real-time interval timer (alarm,
 * setitimer ITIMER_REAL) and POSIX timers (timer_create). They expire on
 * kernel timers (cove/ktimer.h) of the CPU that armed them. Times are in
 * nanoseconds of time_now_ns(); 0 means disarmed.
 */
#ifndef COVE_ITIMER_H
#define COVE_ITIMER_H

#include <cove/types.h>

struct process;

/* Clocks a POSIX timer may count (Linux's ids). */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2		/* the C library's; the kernel signals as SIGEV_SIGNAL */
#define SIGEV_THREAD_ID 4

/* Arm ITIMER_REAL to fire in value ns, then every interval ns; gives the old setting. */
void itimer_real_set(struct process *p, uint64_t value, uint64_t interval, uint64_t *old_value,
		     uint64_t *old_interval);
void itimer_real_get(struct process *p, uint64_t *value, uint64_t *interval);

/* What timer_create was asked for (struct sigevent, checked). */
struct posix_timer_event {
	int notify;			/* SIGEV_* */
	int signo;
	uint32_t tid;			/* SIGEV_THREAD_ID: the thread */
	uint64_t value;			/* si_value */
};

/* 0 and *id, or -EINVAL (clock, event), -EAGAIN (too many), -ENOMEM. */
int posix_timer_create(struct process *p, int clock, const struct posix_timer_event *ev,
		       bool default_value, int32_t *id);
/* value/interval relative (or absolute on the timer's clock when abs); 0 disarms. */
int posix_timer_set(struct process *p, int32_t id, bool abs, uint64_t value, uint64_t interval,
		    uint64_t *old_value, uint64_t *old_interval);
int posix_timer_get(struct process *p, int32_t id, uint64_t *value, uint64_t *interval);
int posix_timer_overrun(struct process *p, int32_t id);
int posix_timer_delete(struct process *p, int32_t id);

#endif /* COVE_ITIMER_H */
