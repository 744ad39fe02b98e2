/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A debugger for a job (`cove run --gdb PORT`): the wire between Cove and
 * the job's host proxy, which serves gdb's remote protocol.
 *
 * Cove speaks first. A thread of a debugged process that stops (its first
 * instruction, a breakpoint, a step, a signal) stops every other thread
 * of the process and becomes the process's agent: it makes long call
 * COVE_LC_DEBUG saying why it stopped, and the reply is the debugger's
 * first request. It carries each request out (registers of a stopped
 * thread, memory of the process) and its next long call brings the
 * result with it and gets the next request, until one resumes the process.
 *
 * The op sits apart from the sequences of include/cove/pisces_abi.h (ops
 * from 1, XEMEM from 0x20), so none of them is renumbered. Nothing in a
 * request from Cove is trusted by the host: lengths are checked against
 * the host's own limits before anything is used.
 */
#ifndef COVE_DEBUG_ABI_H
#define COVE_DEBUG_ABI_H

#define COVE_LC_DEBUG 0x30

/* Cove -> host, arg0: what the call brings. */
#define COVE_DBG_EV_STOP 1	/* arg1 the signal (Linux's numbers), arg2 the tid, arg3 the pid */
#define COVE_DBG_EV_DONE 2	/* arg1 the last request's result (>= 0 or -errno); payload its data */

/* Host -> Cove, the reply's arg0: the next request. */
#define COVE_DBG_REGS 1		/* arg1 tid -> payload: gdb's 'g' bytes */
#define COVE_DBG_SET_REGS 2	/* arg1 tid, payload as COVE_DBG_REGS gives it */
#define COVE_DBG_READ 3		/* arg1 address, arg2 bytes (<= COVE_DBG_MEM_MAX) -> payload */
#define COVE_DBG_WRITE 4	/* arg1 address, payload the bytes (<= COVE_DBG_MEM_MAX) */
#define COVE_DBG_THREADS 5	/* -> payload: the live threads' tids, uint32_t each */
#define COVE_DBG_CONT 6		/* arg1 signal to deliver to the stopped thread, or 0; all run */
#define COVE_DBG_STEP 7		/* arg1 signal or 0, arg2 tid: that thread alone, one instruction */
#define COVE_DBG_KILL 8		/* the process ends (SIGKILL) */
#define COVE_DBG_DETACH 9	/* no more debugging: all run, later traps are the program's */

#define COVE_DBG_MEM_MAX 2048	/* bytes of one READ or WRITE */
#define COVE_DBG_THREADS_MAX 256	/* tids in one THREADS answer */

/*
 * Registers travel as the bytes of gdb's 'g' packet for the target
 * (arch/dbg_regs.h has the layout); at most this many either way.
 */
#define COVE_DBG_REGS_MAX 1024

#endif /* COVE_DEBUG_ABI_H */
