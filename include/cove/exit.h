/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a run of the kernel ends. The status reaches the emulator's exit code
 * (QEMU isa-debug-exit turns status s into (s << 1) | 1).
 */
#ifndef COVE_EXIT_H
#define COVE_EXIT_H

#include <cove/types.h>

enum cove_exit_status {
	EXIT_OK = 0,
	EXIT_PANIC = 1,
	EXIT_BAD_CMDLINE = 2,
	EXIT_SELFTEST_FAILED = 3,
	EXIT_JOB_FAILED = 4,
	EXIT_CONTAINED = 5,	/* the protection layer stopped a kernel fault */
};

/* Say why, flush the log, power off (or stop, see below). */
void kernel_exit(int status) __noreturn;
/*
 * Co-kernel: the host owns the machine, so a run ends with stop(status)
 * instead of a power-off. Boot CPU, first thing at boot.
 */
typedef void (*kernel_stop_fn)(int status) __noreturn;
void kernel_exit_set_stop(kernel_stop_fn stop);

#endif /* COVE_EXIT_H */
