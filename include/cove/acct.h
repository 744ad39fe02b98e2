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
#include <cove/panic.h>
#include <cove/task.h>
#include <generated/config.h>

struct process;

/*
 * A reader on another CPU must not see a crossing half done: the stretch
 * already added to a time but the mark not yet moved counts it twice, and
 * the next read is lower, a CPU clock going back. So every writer makes
 * t->acct_seq odd around its stores (a reader retries), and leaves it even
 * with bit 1 saying which side the thread is now on. The system call entry
 * (syscall_entry.asm) does the same with two increments, which keep bit 1
 * right as long as each crossing is paired; these C writers set it.
 *
 * A writer reads the counter only once its odd count is stored: a reader
 * that still saw the even count then read the counter earlier, and counted
 * no more than the writer will. (In program order, which emulators keep; a
 * CPU's store buffer may hold the count a few cycles past the read.)
 */
static inline void acct_write_begin(struct task *t)
{
	__atomic_store_n(&t->acct_seq, t->acct_seq | 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Past any value a reader saw before the write; bit 1 set for in_kernel. */
static inline void acct_write_end(struct task *t, bool in_kernel)
{
	__atomic_store_n(&t->acct_seq, ((t->acct_seq | 3) + 1) | (in_kernel ? 2 : 0),
			 __ATOMIC_RELEASE);
}

/* The current thread t entered the kernel from its user code. */
static inline void acct_enter_kernel(struct task *t)
{
	uint64_t now;

	t->kentries++;
	/* The entry's increments flip the side: it must have been user. */
	if (CONFIG_DEBUG)
		BUG_ON(t->acct_seq & 3);
	acct_write_begin(t);
	now = arch_cycles();
	t->acct_utime += now - t->acct_mark;
	t->acct_mark = now;
	acct_write_end(t, true);
}

/* The current thread t goes back to its user code. */
static inline void acct_exit_kernel(struct task *t)
{
	uint64_t now;

	if (CONFIG_DEBUG)
		BUG_ON((t->acct_seq & 3) != 2);
	acct_write_begin(t);
	now = arch_cycles();
	t->acct_stime += now - t->acct_mark;
	t->acct_mark = now;
	acct_write_end(t, false);
}

/*
 * A switch, from the scheduler: prev (in the kernel) stops and next starts.
 * A thread off its CPU has no mark: it accrues nothing.
 */
static inline void acct_switch(struct task *prev, struct task *next)
{
	uint64_t now;

	acct_write_begin(prev);
	acct_write_begin(next);
	now = arch_cycles();
	if (prev->acct_mark)
		prev->acct_stime += now - prev->acct_mark;
	prev->acct_mark = 0;
	next->acct_mark = now;
	acct_write_end(prev, false);
	acct_write_end(next, true);
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
