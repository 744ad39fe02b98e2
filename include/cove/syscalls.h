/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every system call handler, declared from the one list (arch/syscall_list.h).
 * They live by family in kernel/syscalls/: sys_io.c (descriptors and data),
 * sys_fs.c (names in the file system), sys_mm.c (memory), sys_task.c
 * (threads and processes), sys_sched.c (CPUs), sys_time.c (clocks and
 * sleeping), sys_timer.c (timers that signal), sys_info.c (identity,
 * limits, randomness), sys_signal.c (signals), sys_cove.c (Cove's own);
 * arch_prctl in arch/x86_64/kernel/.
 */
#ifndef COVE_SYSCALLS_H
#define COVE_SYSCALLS_H

#include <cove/syscall.h>
#include <arch/syscall_list.h>

/* A handler serving several numbers (getuid for getgid, ...) is declared again: harmless. */
#define SYSCALL_DECLARE_NATIVE(nr, name, fn) int64_t fn(SYSCALL_ARGS);
#define SYSCALL_DECLARE_MISSING(nr, name)
SYSCALL_LIST(SYSCALL_DECLARE_NATIVE, SYSCALL_DECLARE_MISSING)
#undef SYSCALL_DECLARE_NATIVE
#undef SYSCALL_DECLARE_MISSING

#endif /* COVE_SYSCALLS_H */
