/* SPDX-License-Identifier: GPL-2.0 */
/* New processes: fork, vfork, and clone without CLONE_THREAD (kernel/fork.c). */
#ifndef COVE_FORK_H
#define COVE_FORK_H

#include <cove/types.h>

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_VFORK 0x4000
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_DETACHED 0x400000
#define CLONE_CHILD_SETTID 0x1000000

struct fork_args {
	uint64_t flags;			/* CLONE_*, the exit signal in the low byte */
	uint64_t newsp;			/* the child's stack pointer; 0: the caller's */
	uint64_t ptid, ctid, tls;
};

/*
 * A new process copying the caller's (its thread returns 0 from the
 * call). The child's pid, or -ENOMEM (its memory does not fit), -EAGAIN
 * (no process slot), -EINVAL (flags Cove cannot honour), -ENOSYS (a
 * process with a host proxy).
 */
int64_t process_fork(const struct fork_args *fa);

#endif /* COVE_FORK_H */
