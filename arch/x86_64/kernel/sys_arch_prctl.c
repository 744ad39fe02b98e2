// SPDX-License-Identifier: GPL-2.0
/*
 * arch_prctl: a thread's FS and GS bases, where x86-64 libcs keep the
 * thread pointer. Saved in the task so a context switch restores them.
 */
#include <cove/errno.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <arch/memlayout.h>
#include <arch/x86.h>

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

int64_t sys_arch_prctl(SYSCALL_ARGS)
{
	struct task *t = task_current();

	switch (a0) {
	case ARCH_SET_FS:
		if (a1 >= USER_ADDR_END)
			return -EPERM;
		t->fs_base = a1;
		wrmsr(MSR_FS_BASE, a1);
		return 0;
	case ARCH_SET_GS:
		if (a1 >= USER_ADDR_END)
			return -EPERM;
		t->gs_base = a1;
		wrmsr(MSR_KERNEL_GS_BASE, a1);	/* the user's GS while we run on ours */
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(a1, &t->fs_base, 8);
	case ARCH_GET_GS:
		return copy_to_user(a1, &t->gs_base, 8);
	default:
		return -EINVAL;
	}
}
