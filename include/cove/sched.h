/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU run queues. A CPU with one runnable task runs it with no timer
 * armed at all; round robin (and its timer) starts only when a second task
 * shares the CPU. Idle CPUs halt until an IPI or their next deadline.
 */
#ifndef COVE_SCHED_H
#define COVE_SCHED_H

#include <cove/spinlock.h>
#include <cove/types.h>

struct task;
struct cpumask;

#define SCHED_SLICE_NS (10 * 1000 * 1000ULL)

struct runqueue {
	spinlock_t lock;
	struct task *head, *tail;	/* runnable, waiting for the CPU */
	uint32_t nr_queued;
	uint32_t nr_assigned;		/* tasks living on this CPU (placement) */
	struct task *idle;
	struct task *sleepers;		/* sorted by deadline */
	struct task *dead;		/* to free once off their stack */
	uint64_t slice_end;		/* 0 = no round robin needed */
	uint64_t nr_switches;
	uint64_t nr_timer_events;
};

/* Make this CPU's run queue and idle task (its current context). */
void sched_init_cpu(void);
/* This CPU becomes idle for good: run whatever arrives. */
void sched_idle_loop(void) __noreturn;
/* The boot CPU's extra idle work, run after sched_idle_work_kick(). */
void sched_set_idle_work(bool (*fn)(void));
void sched_idle_work_kick(void);
/* Give t to its CPU (t->cpu) and poke that CPU. */
void sched_enqueue(struct task *t);
/* Switch to the next task on this CPU; returns when current runs again. */
void schedule(void);
/*
 * For a task that waits by spinning: let the others queued on this CPU
 * run first, if it may switch here (interrupts on, not the idle task).
 */
void sched_yield_if_queued(void);
/* Block the current task (state already TASK_BLOCKED) after unlocking lock. */
void sched_block(spinlock_t *lock, unsigned long flags);
/* sched_block with a deadline (0 = none): wakes with -ETIMEDOUT. */
void sched_block_until(spinlock_t *lock, unsigned long flags, uint64_t deadline_ns);
/* Block until woken or deadline_ns passes (0 = no deadline). */
void sched_sleep_until(uint64_t deadline_ns);
/* Wake a blocked task with a reason (0, -ETIMEDOUT, -EINTR); false if it was not blocked. */
bool sched_wake(struct task *t, int reason);
/* Pick the least loaded CPU allowed by mask. */
uint32_t sched_pick_cpu(const struct cpumask *mask);
/* Move the current task to another CPU (affinity change). */
void sched_migrate_current(uint32_t cpu);
/* Before returning to user mode: reschedule, die if killed. */
void sched_user_return(void);
void sched_reschedule_ipi(void);
/* Make cpu look at its run queue (and at killed tasks) soon. */
void sched_kick_cpu(uint32_t cpu);
/* This CPU's earliest kernel timer changed (ktimer.c): re-arm the local timer. */
void sched_timer_reprogram(void);
/* How long idle CPUs poll before halting; 0 = halt at once. */
void sched_set_idle_poll(uint64_t ns);
struct runqueue *sched_rq(uint32_t cpu);

/* Architecture: make cpu call sched_reschedule_ipi(). */
void arch_send_resched_ipi(uint32_t apic_id);

#endif /* COVE_SCHED_H */
