/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU-time accounting that is true on a tickless kernel: each thread's
 * user and system time is measured with the cycle counter at every
 * crossing, kernel entry from user mode, the way back, and each context
 * switch (a switched-out thread accrues nothing), instead of sampled by a
 * timer tick Cove's job cores do not take. Figures are cycles until read.
 *
 * The per-crossing hooks are inline: they sit on the system call path.
 */
#ifndef COVE_ACCT_H
#define COVE_ACCT_H

#include <cove/arch.h>
#include <cove/task.h>

struct process;

/* The current thread t entered the kernel from its user code. */
static inline void acct_enter_kernel(struct task *t)
{
	uint64_t now = arch_cycles();

	t->kentries++;
	t->acct_utime += now - t->acct_mark;
	t->acct_mark = now;
	t->acct_in_user = false;
}

/* The current thread t goes back to its user code. */
static inline void acct_exit_kernel(struct task *t)
{
	uint64_t now = arch_cycles();

	t->acct_stime += now - t->acct_mark;
	t->acct_mark = now;
	t->acct_in_user = true;
}

/* A switch, from the scheduler: prev (in the kernel) stops, next starts, at now. */
static inline void acct_switch(struct task *prev, struct task *next, uint64_t now)
{
	prev->acct_stime += now - prev->acct_mark;
	next->acct_mark = now;
}

/* Nanoseconds in a count of cycles. */
uint64_t acct_cycles_ns(uint64_t cycles);

/* User and system nanoseconds. */
struct acct_times {
	uint64_t utime_ns, stime_ns;
};

/* Thread t's so far, its current stretch on a CPU included (racy for another thread's). */
void acct_task(const struct task *t, struct acct_times *out);
/* Process p's: its threads', live and ended (caller does not hold p->lock). */
void acct_process(struct process *p, struct acct_times *out);
/* Its ended and collected children's (and theirs), as wait collected them. */
void acct_children(struct process *p, struct acct_times *out);
/* Process p's counts: its threads', live and ended, and its collected children's. */
void acct_process_counts(struct process *p, struct acct_counts *out);
/* Thread t is freed: fold its times into its process's (caller holds p->lock). */
void acct_task_gone(struct process *p, const struct task *t);
/*
 * What ended child c and its collected children used, into res (caller
 * holds the process table's lock, as wait does).
 */
void acct_child_usage(struct process *c, struct process_wait_result *res);
/* The parent collects that child: its usage becomes the parent's children's. */
void acct_reaped(struct process *parent, const struct process_wait_result *res);

#endif /* COVE_ACCT_H */
