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

/* Where a call is served (the kinds of arch/syscall_list.h). */
enum syscall_kind {
	SYSCALL_MISSING,	/* nowhere: ENOSYS */
	SYSCALL_NATIVE,		/* by Cove */
	SYSCALL_OFFLOAD,	/* by the job's host proxy */
	SYSCALL_ROUTE_FD,	/* Cove if fd argument a is Cove's, else the proxy */
	SYSCALL_ROUTE_FD2,	/* the same for fds a and b; mixed is EINVAL */
	SYSCALL_ROUTE_PATH,	/* by path argument b, relative to dirfd argument a (-1: cwd) */
	SYSCALL_ROUTE_POLL,	/* the proxy if any pollfd of (a, b) is the host's */
	/*
	 * The proxy when the job has one (ids, umask, uname, and pipes: a
	 * job's pipes must wait in one epoll or poll set with its sockets and
	 * eventfds, which are the host's, as MPI runtimes' progress threads
	 * do; McKernel leaves pipes to Linux for the same reason).
	 */
	SYSCALL_ROUTE_HOST,
	SYSCALL_ROUTE_SELF,	/* the handler decides (dup2, chdir, getcwd ...) */
};

/* The route argument of ROUTED lines: kind, then two argument indexes. */
#define ROUTE_FD(a) SYSCALL_ROUTE_FD, (a), -1
#define ROUTE_FD2(a, b) SYSCALL_ROUTE_FD2, (a), (b)
#define ROUTE_PATH(dirfd, path) SYSCALL_ROUTE_PATH, (dirfd), (path)
#define ROUTE_POLL SYSCALL_ROUTE_POLL, 0, 1
#define ROUTE_HOST SYSCALL_ROUTE_HOST, -1, -1
#define ROUTE_SELF SYSCALL_ROUTE_SELF, -1, -1

struct syscall_entry_desc {
	syscall_fn fn;		/* Cove's handler; NULL when it has none */
	const char *name;
	uint8_t kind;		/* enum syscall_kind */
	int8_t a, b;		/* the arguments a route looks at */
};

/*
 * Linux's numbers, plus Cove's own test hooks from COVE_SYSCALL_BASE,
 * far above anything Linux will use soon.
 */
#define COVE_SYSCALL_BASE 1000
/* COVE_SYS_FAULT_INJECT (the base itself) is in <cove/fault_kinds.h>, shared with user/. */
/* XEMEM's calls are COVE_SYSCALL_BASE + 10.. (<cove/xemem_user.h>). */
#define SYSCALL_MAX (COVE_SYSCALL_BASE + 14)

/* Generated in kernel/syscalls/table.c from the one list (arch/syscall_list.h). */
extern const struct syscall_entry_desc syscall_table[SYSCALL_MAX];
/* Its NATIVE handlers alone, NULL elsewhere: the arch entry's fast path. */
extern const syscall_fn syscall_native_fn[SYSCALL_MAX];
/* What the arch entry's fast path calls: syscall_native_fn, or all NULL (strace). */
extern const syscall_fn *syscall_fast_fn;
/* Whether the arch entry may call handlers straight (off: every call takes the full dispatch). */
void syscall_fast_path(bool on);
/* Boot option strace is on. */
extern bool syscall_tracing;
/* A number's name, for the one-time "not implemented" line. */
const char *syscall_name(uint64_t nr);
/* Boot option strace: one console line per system call of every job. */
void syscall_trace_set(bool on);
/* Whether it is on: user faults are traced with the calls. */
bool syscall_trace_on(void);

/*
 * The full dispatch, from the arch entry when its fast path does not
 * apply (tracing on, a call not NATIVE or out of range): entered with the
 * kernel entry accounted and interrupts on, like the handlers. Returns
 * non-zero to leave through IRET.
 */
int syscall_dispatch(struct trap_frame *f);
/*
 * The way back to user mode once f->rax holds the result, interrupts
 * off: signals, rescheduling, restarts, then the accounting. Returns
 * non-zero to leave through IRET (the frame was rewritten, or SYSRET
 * cannot return there).
 */
int syscall_exit(struct trap_frame *f);

/* The frame of the current syscall (clone copies it, exec rewrites it). */
struct trap_frame *syscall_frame(void);

#endif /* COVE_SYSCALL_H */
