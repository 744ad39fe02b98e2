/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-shot kernel timers: call a function on a CPU at a given time. A
 * timer lives on the CPU that armed it; that CPU's local timer is armed for
 * the earliest of its timers, sleepers and time slice (sched.c), so a CPU
 * with no timer armed still takes no interrupt at all.
 *
 * The function runs in that CPU's timer interrupt, interrupts off, with no
 * lock held: it may wake tasks, send signals, and re-arm its own timer.
 */
#ifndef COVE_KTIMER_H
#define COVE_KTIMER_H

#include <cove/types.h>

struct ktimer;
typedef void (*ktimer_fn)(struct ktimer *kt);

struct ktimer {
	uint64_t deadline;		/* time_now_ns() at which it fires */
	ktimer_fn fn;
	struct ktimer *next;		/* its CPU's list, by deadline */
	uint32_t cpu;
	bool armed;
};

static inline void ktimer_init(struct ktimer *kt, ktimer_fn fn)
{
	kt->fn = fn;
	kt->next = NULL;
	kt->armed = false;
	kt->deadline = 0;
	kt->cpu = 0;
}

/* Fire kt at deadline_ns on this CPU; an armed timer moves. */
void ktimer_arm(struct ktimer *kt, uint64_t deadline_ns);
/*
 * Disarm kt and wait until its function is not running anywhere: after
 * this, kt can be freed. Never from kt's own function.
 */
void ktimer_cancel(struct ktimer *kt);
/* The deadline kt is armed for, or 0 when it is not armed. */
uint64_t ktimer_deadline(struct ktimer *kt);

/* For the scheduler: the earliest deadline on cpu (0: none). */
uint64_t ktimer_next_deadline(uint32_t cpu);
/* For this CPU's timer interrupt: run every timer due by now. */
void ktimer_run_expired(uint64_t now);

#endif /* COVE_KTIMER_H */
