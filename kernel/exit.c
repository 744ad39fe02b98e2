// SPDX-License-Identifier: GPL-2.0
/* The end of a run: one line saying how it ended, then power off. */
#include <cove/arch.h>
#include <cove/cokernel.h>
#include <cove/exit.h>
#include <cove/init.h>
#include <cove/kprintf.h>
#include <cove/vmm.h>

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
	if (kernel_is_cokernel()) {
		kprintf("cove: stopping the enclave (status %d: %s)\n", status, exit_reason(status));
		cokernel_exit(status);
	}
	kprintf("cove: powering off (status %d: %s)\n", status, exit_reason(status));
	arch_poweroff(status);
}
