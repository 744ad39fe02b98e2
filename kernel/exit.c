// SPDX-License-Identifier: GPL-2.0
/*
 * The end of a run: one line saying how it ended, then power off, or, in
 * co-kernel mode, stop where the host takes the cores back.
 */
#include <cove/arch.h>
#include <cove/exit.h>
#include <cove/kprintf.h>
#include <cove/vmm.h>

/* Set once by the boot CPU at boot (cokernel_init); NULL: power off. */
static kernel_stop_fn kernel_exit_stop;

void kernel_exit_set_stop(kernel_stop_fn stop)
{
	kernel_exit_stop = stop;
}

static const char *exit_reason(int status)
{
	switch (status) {
	case EXIT_OK:
		return "done";
	case EXIT_PANIC:
		return "kernel panic";
	case EXIT_BAD_CMDLINE:
		return "bad command line";
	case EXIT_SELFTEST_FAILED:
		return "self-test failures";
	case EXIT_JOB_FAILED:
		return "a job failed";
	case EXIT_CONTAINED:
		return "protection fault contained";
	default:
		return "error";
	}
}

void kernel_exit(int status)
{
	vmm_print_exits();
	if (kernel_exit_stop) {
		kprintf("cove: stopping the enclave (status %d: %s)\n", status, exit_reason(status));
		kernel_exit_stop(status);
	}
	kprintf("cove: powering off (status %d: %s)\n", status, exit_reason(status));
	arch_poweroff(status);
}
