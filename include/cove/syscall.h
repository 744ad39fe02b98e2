/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Linux x86-64 system call ABI. Every handler has the same shape so one
 * table can hold them; a handler returns a value or a negative errno.
 */
#ifndef COVE_SYSCALL_H
#define COVE_SYSCALL_H

#include <cove/fault_kinds.h>
#include <cove/types.h>

struct trap_frame;

#define SYSCALL_ARGS uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, \
		     uint64_t a5
typedef int64_t (*syscall_fn)(SYSCALL_ARGS);

struct syscall_entry_desc {
	syscall_fn fn;		/* NULL: missing, the call returns ENOSYS */
	const char *name;
};

/*
 * Linux's numbers, plus Cove's own test hooks from COVE_SYSCALL_BASE,
 * far above anything Linux will use soon.
 */
#define COVE_SYSCALL_BASE 1000
/* COVE_SYS_FAULT_INJECT (the base itself) is in <cove/fault_kinds.h>, shared with user/. */
#define SYSCALL_MAX (COVE_SYSCALL_BASE + 1)

/* Generated in kernel/syscalls/table.c from the one list (arch/syscall_list.h). */
extern const struct syscall_entry_desc syscall_table[SYSCALL_MAX];
/* A number's name, for the one-time "not implemented" line. */
const char *syscall_name(uint64_t nr);

/* Called from the arch entry; returns non-zero to leave through IRET. */
int syscall_dispatch(struct trap_frame *f);

/* The frame of the current syscall (clone copies it, exec rewrites it). */
struct trap_frame *syscall_frame(void);

#endif /* COVE_SYSCALL_H */
