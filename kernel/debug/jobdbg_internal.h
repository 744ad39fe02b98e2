/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the agent of a stopped process (jobdbg.c) and the debuggers it
 * serves share: the host proxy's over long calls (in jobdbg.c), bare
 * mode's on a serial line (jobdbg_uart.c).
 */
#ifndef COVE_JOBDBG_INTERNAL_H
#define COVE_JOBDBG_INTERNAL_H

#include <cove/types.h>

struct process;
struct task;
struct trap_frame;

/* One request of a debugger (COVE_DBG_*, cove/debug_abi.h). */
struct jobdbg_req {
	uint64_t op, a1, a2;
	const void *data;		/* SET_REGS, WRITE */
	uint32_t len;
};

/*
 * Carry out rq for the agent me (its user frame f): the result (>= 0, or
 * -errno), data into out (cap bytes, *out_len). A request that resumes
 * the process (CONT, STEP, DETACH) sets *resumed and returns the signal
 * to act on, or 0. KILL does not return.
 */
int64_t jobdbg_exec(struct task *me, struct trap_frame *f, const struct jobdbg_req *rq,
		    void *out, uint32_t cap, uint32_t *out_len, bool *resumed);

/* Bare mode: p becomes the process gdb debugs on the serial line, if it is free. */
bool jobdbg_uart_claim(struct process *p);
/* Serve gdb on the serial line for the stop of me (signal sig); as jobdbg_exec's resume. */
int jobdbg_uart_session(struct task *me, struct trap_frame *f, int sig);

#endif /* COVE_JOBDBG_INTERNAL_H */
