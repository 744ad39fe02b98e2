/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A job under a debugger (`cove run --gdb PORT`, job option gdb=1): its
 * process stops before its first instruction, and at every breakpoint,
 * single step and signal; a stop stops all its threads, and one of them
 * (the agent) answers the debugger through the job's host proxy until it
 * is told to resume (cove/debug_abi.h has the wire). kernel/debug/jobdbg.c.
 */
#ifndef COVE_JOBDBG_H
#define COVE_JOBDBG_H

#include <cove/task.h>
#include <cove/types.h>

struct ksiginfo;
struct trap_frame;

/*
 * exec_spawn, before p's first thread runs: p is debugged from its first
 * instruction, by its proxy's gdb server, or without a proxy (bare mode)
 * on the serial line jobdbg_set_uart named, if no other process has it.
 */
void jobdbg_attach(struct process *p);
/* p ended (its last thread): a debugger waiting for it hears how; its line is free again. */
void jobdbg_process_exit(struct process *p);

/* Whether t must wait in the kernel before it may go back to user mode. */
static inline bool jobdbg_must_stop(const struct task *t)
{
	const struct process *p = t->proc;

	return p && p->dbg_stopped && p->dbg_step != t;
}

/*
 * On the way to user mode with frame f (signal_exit_to_user): wait while
 * the process is stopped; its first thread reports the first stop.
 */
void jobdbg_user_return(struct trap_frame *f);
/*
 * An exception in user code of a debugged process (info as the signal
 * would carry it): the debugger hears of it. Returns the signal to act on
 * (info updated), or 0: the debugger dropped it, or the thread waited
 * while another reported and will run the instruction again.
 */
int jobdbg_fault(struct trap_frame *f, struct ksiginfo *info);
/* A signal about to be acted on in a debugged process: the same. */
int jobdbg_signal(struct trap_frame *f, struct ksiginfo *info);

#endif /* COVE_JOBDBG_H */
