// SPDX-License-Identifier: GPL-2.0
/* Threads: clone, exit, robust lists, and the futex call (TLS: arch_prctl, in arch/). */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/fork.h>
#include <cove/futex.h>
#include <cove/kprintf.h>
#include <cove/sched.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>
#include <arch/trap.h>
#include <arch/memlayout.h>

#define CLONE_THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define CLONE_KNOWN (CLONE_THREAD_FLAGS | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		     CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID | 0xff)

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

static bool user_canonical(uint64_t a)
{
	return a < USER_ADDR_END;
}

int64_t sys_clone(SYSCALL_ARGS)
{
	uint64_t flags = a0, newsp = a1, ptid = a2, ctid = a3, tls = a4;
	struct task *parent = task_current(), *child;
	struct process *p = parent->proc;
	struct trap_frame frame;
	uint32_t cpu;

	/* A new process: fork, vfork, posix_spawn (kernel/fork.c). */
	if (!(flags & CLONE_THREAD)) {
		struct fork_args fa = { .flags = flags, .newsp = newsp, .ptid = ptid,
					.ctid = ctid, .tls = tls };

		if (flags & ~(uint64_t)(CLONE_KNOWN | CLONE_VFORK))
			return -EINVAL;
		return process_fork(&fa);
	}
	if ((flags & CLONE_THREAD_FLAGS) != CLONE_THREAD_FLAGS || (flags & ~(uint64_t)CLONE_KNOWN)) {
		static bool told;

		if (!told) {
			told = true;
			pr_warn("clone: a thread needs CLONE_VM|FS|FILES|SIGHAND (flags %#lx)\n", flags);
		}
		return -EINVAL;
	}
	if ((flags & CLONE_SETTLS) && !user_canonical(tls))
		return -EINVAL;
	/* Check before the child exists: nothing to undo afterwards. */
	if ((flags & CLONE_PARENT_SETTID) && !user_range_ok(ptid, sizeof(uint32_t), true))
		return -EFAULT;
	cpu = sched_pick_cpu(&parent->affinity);
	if (cpu >= CPUMASK_BITS)
		cpu = parent->cpu;
	child = task_create(p, cpu);
	if (!child)
		return -ENOMEM;
	child->affinity = parent->affinity;
	child->fs_base = (flags & CLONE_SETTLS) ? tls : parent->fs_base;
	child->gs_base = parent->gs_base;
	child->sigmask = parent->sigmask;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = ctid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(ptid, &child->tid, sizeof(uint32_t));
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(ctid, &child->tid, sizeof(uint32_t));

	frame = *syscall_frame();
	frame.rax = 0;
	if (newsp)
		frame.rsp = newsp;
	task_set_user_frame(child, &frame);
	sched_enqueue(child);
	return child->tid;
}

int64_t sys_clone3(SYSCALL_ARGS)
{
	return -ENOSYS;		/* glibc and musl fall back to clone */
}

int64_t sys_exit(SYSCALL_ARGS)
{
	task_exit((int)(a0 & 0xff));
}

int64_t sys_exit_group(SYSCALL_ARGS)
{
	process_exit(task_current()->proc, (int)(a0 & 0xff), 0, false);
}

int64_t sys_set_tid_address(SYSCALL_ARGS)
{
	struct task *t = task_current();

	t->clear_child_tid = a0;
	return t->tid;
}

int64_t sys_set_robust_list(SYSCALL_ARGS)
{
	struct task *t = task_current();

	if (a1 != 24)		/* sizeof(struct robust_list_head) */
		return -EINVAL;
	t->robust_list = a0;
	t->robust_len = a1;
	return 0;
}

int64_t sys_get_robust_list(SYSCALL_ARGS)
{
	struct task *t = task_current();
	uint64_t len = t->robust_len;

	if (a0 && a0 != t->tid)
		return -ESRCH;
	if (copy_to_user(a1, &t->robust_list, 8) || copy_to_user(a2, &len, 8))
		return -EFAULT;
	return 0;
}

int64_t sys_rseq(SYSCALL_ARGS)
{
	return -ENOSYS;		/* glibc then runs without restartable sequences */
}

int64_t sys_prctl(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;

	switch (a0) {
	case 15: {	/* PR_SET_NAME */
		char name[16];
		int64_t n = strncpy_from_user(name, a1, sizeof(name));

		if (n < 0 && n != -ENAMETOOLONG)
			return n;
		name[sizeof(name) - 1] = 0;
		for (int i = 0; i < 16; i++)
			p->name[i] = name[i];
		return 0;
	}
	case 16:	/* PR_GET_NAME */
		return copy_to_user(a1, p->name, 16);
	default:
		return -EINVAL;
	}
}

int64_t sys_getpid(SYSCALL_ARGS)
{
	return task_current()->proc->pid;
}

int64_t sys_gettid(SYSCALL_ARGS)
{
	return task_current()->tid;
}

int64_t sys_getppid(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;

	return process_parent_pid(p);
}

static int futex_timeout(uint64_t uts, bool absolute, bool realtime, uint64_t *deadline)
{
	int64_t ts[2];
	uint64_t ns;

	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	ns = (uint64_t)ts[0] * NSEC_PER_SEC + (uint64_t)ts[1];
	if (!absolute)
		ns += time_now_ns();
	else if (realtime)
		ns = ns > time_boot_epoch() * NSEC_PER_SEC ? ns - time_boot_epoch() * NSEC_PER_SEC : 1;
	*deadline = ns ? ns : 1;
	return 0;
}

int64_t sys_futex(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;
	int op = (int)(a1 & ~(uint64_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME));
	bool realtime = a1 & FUTEX_CLOCK_REALTIME;
	bool shared = !(a1 & FUTEX_PRIVATE_FLAG);
	uint64_t deadline;
	int rc;

	switch (op) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		rc = futex_timeout(a3, op == FUTEX_WAIT_BITSET, realtime, &deadline);
		if (rc)
			return rc;
		rc = futex_wait(p, a0, shared, (uint32_t)a2, deadline,
				op == FUTEX_WAIT ? FUTEX_BITSET_ANY : (uint32_t)a5);
		/*
		 * Interrupted by a signal. As Linux: an untimed wait restarts
		 * after an SA_RESTART handler; a timed one fails with EINTR once
		 * a handler ran, and is made again if none did (with an absolute
		 * timeout that is exact; a relative one would start over).
		 */
		if (rc == -EINTR && !deadline)
			return -ERESTARTSYS;
		if (rc == -EINTR && op == FUTEX_WAIT_BITSET)
			return -ERESTARTNOHAND;
		return rc;
	case FUTEX_WAKE:
		return futex_wake(p, a0, shared, (int)a2);
	case FUTEX_WAKE_BITSET:
		return futex_wake_bitset(p, a0, shared, (int)a2, (uint32_t)a5);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(p, a0, shared, (int)a2, a4, (int)a3, op == FUTEX_CMP_REQUEUE,
				     (uint32_t)a5);
	default:
		return -ENOSYS;
	}
}
