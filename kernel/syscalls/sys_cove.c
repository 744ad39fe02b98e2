// SPDX-License-Identifier: GPL-2.0
/*
 * Cove's own calls, outside Linux's numbering. cove_fault_inject(kind,
 * addr) lets a test job make the kernel misbehave at a moment the test
 * chooses (after its host has set up what it watches); refused unless the
 * kernel was booted with fault_inject=on_request.
 */
#include <cove/errno.h>
#include <cove/options.h>
#include <cove/syscalls.h>
#include <cove/task.h>

int64_t sys_cove_fault_inject(SYSCALL_ARGS)
{
	if (kernel_options.fault_inject != FAULT_INJECT_ON_REQUEST)
		return -EPERM;
	/* ap_early_write acts only as a core starts, at boot or when the host adds one. */
	if (a0 <= FAULT_INJECT_NONE || a0 >= FAULT_INJECT_AP_EARLY_WRITE)
		return -EINVAL;
	fault_inject_run((int)a0, a1);
	return 0;
}

int64_t sys_cove_kentries(SYSCALL_ARGS)
{
	return (int64_t)task_current()->kentries;
}
