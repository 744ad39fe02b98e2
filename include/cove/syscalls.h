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
#define SYSCALL_DECLARE_ROUTED(nr, name, fn, route) int64_t fn(SYSCALL_ARGS);
SYSCALL_LIST(SYSCALL_DECLARE_NATIVE, SYSCALL_DECLARE_MISSING, SYSCALL_DECLARE_MISSING,
	     SYSCALL_DECLARE_ROUTED)
#undef SYSCALL_DECLARE_NATIVE
#undef SYSCALL_DECLARE_MISSING
#undef SYSCALL_DECLARE_ROUTED

/*
 * Cove's own halves of the calls that route themselves (ROUTE_SELF): the
 * list names sys_*_routed (kernel/syscalls/sys_routed.c), which call these
 * for the enclave's files.
 */
/* pid names the caller or a thread of its process (0: the caller), as sched_* take it. */
bool policy_own_thread(uint64_t pid);
int64_t sys_dup2(SYSCALL_ARGS);
int64_t sys_dup3(SYSCALL_ARGS);
int64_t sys_chdir(SYSCALL_ARGS);
int64_t sys_fchdir(SYSCALL_ARGS);
int64_t sys_getcwd(SYSCALL_ARGS);
/* linkat (link) or renameat2 with linkat's arguments, of the enclave's files. */
int64_t sys_two_names(bool link, SYSCALL_ARGS);

#endif /* COVE_SYSCALLS_H */
