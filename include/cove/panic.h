/* SPDX-License-Identifier: GPL-2.0 */
#ifndef COVE_PANIC_H
#define COVE_PANIC_H

#include <cove/types.h>

/* Print a report with a backtrace, stop every CPU, power off with status 1. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/*
 * Print "  #n [<addr>] symbol+off/size" lines for the chain starting at
 * rip/rbp; rsp is the interrupted stack for a trap, 0 otherwise.
 */
void backtrace_print(uint64_t rip, uint64_t rbp, uint64_t rsp);

/*
 * Claim the right to report a fatal error: interrupts off, other CPUs
 * stopped, console locks broken. A second CPU to call it halts forever.
 */
void panic_begin(void);
/*
 * Only claim it (interrupts off, console locks broken): the other CPUs
 * run on until the caller stops them, e.g. after its own report.
 */
void panic_claim(void);

/* True once any CPU has started to panic. */
bool panic_in_progress(void);

#define BUG_ON(cond)                                                              \
	do {                                                                      \
		if (__builtin_expect(!!(cond), 0))                                \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__);     \
	} while (0)

#endif /* COVE_PANIC_H */
