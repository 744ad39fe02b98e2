// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling and memory policy, answered as they are in an LWK: a job's
 * thread owns its core (there is no time-sharing policy to choose), its
 * memory is populated and never paged out (locking is already true).
 * Runtimes that set these (OpenMP, MPI, BLAS) get Linux's answers for
 * such a machine, not ENOSYS; what cannot be honoured is refused as Linux
 * refuses it. NUMA memory policy is sys_mempolicy.c.
 */
#include <cove/errno.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <cove/xcall.h>

#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_RESET_ON_FORK 0x40000000

/* A pid of the caller's process (0 = the caller), as sched_* take it. */
bool policy_own_thread(uint64_t pid)
{
	struct task *self = task_current();

	if (!pid || pid == self->tid || pid == self->proc->pid)
		return true;
	for (struct task *t = self->proc->threads; t; t = t->thread_next) {
		if (t->tid == pid)
			return true;
	}
	return false;
}

static int64_t policy_check(uint64_t policy, uint64_t uparam)
{
	int32_t prio;

	if (copy_from_user(&prio, uparam, sizeof(prio)))
		return -EFAULT;
	switch (policy & ~(uint64_t)SCHED_RESET_ON_FORK) {
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
		return prio ? -EINVAL : 0;
	case SCHED_FIFO:
	case SCHED_RR:
		/* Real-time priority means nothing on a core nobody shares: an unprivileged answer. */
		return prio < 1 || prio > 99 ? -EINVAL : -EPERM;
	default:
		return -EINVAL;
	}
}

int64_t sys_sched_setscheduler(SYSCALL_ARGS)
{
	if (!policy_own_thread(a0))
		return -ESRCH;
	return policy_check(a1, a2);
}

int64_t sys_sched_setparam(SYSCALL_ARGS)
{
	if (!policy_own_thread(a0))
		return -ESRCH;
	return policy_check(SCHED_OTHER, a1);
}

int64_t sys_sched_get_priority_max(SYSCALL_ARGS)
{
	switch (a0) {
	case SCHED_FIFO:
	case SCHED_RR:
		return 99;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
		return 0;
	default:
		return -EINVAL;
	}
}

int64_t sys_sched_get_priority_min(SYSCALL_ARGS)
{
	int64_t max = sys_sched_get_priority_max(a0, 0, 0, 0, 0, 0);

	return max == 99 ? 1 : max;
}

int64_t sys_sched_rr_get_interval(SYSCALL_ARGS)
{
	int64_t zero[2] = { 0, 0 };	/* no time slice: the thread keeps its core */

	if (!policy_own_thread(a0))
		return -ESRCH;
	return copy_to_user(a1, zero, sizeof(zero)) ? -EFAULT : 0;
}

#define PRIO_PROCESS 0
#define PRIO_USER 2

int64_t sys_getpriority(SYSCALL_ARGS)
{
	if (a0 > PRIO_USER)
		return -EINVAL;
	return 20;	/* the raw call's 20 - nice, for nice 0 */
}

int64_t sys_setpriority(SYSCALL_ARGS)
{
	int32_t nice = (int32_t)a2;

	if (a0 > PRIO_USER)
		return -EINVAL;
	/* Lowering one's priority is allowed and changes nothing here; raising it is not. */
	return nice < 0 ? -EACCES : 0;
}

int64_t sys_mlockall(SYSCALL_ARGS)
{
	return a0 & ~7ULL ? -EINVAL : 0;	/* MCL_CURRENT|FUTURE|ONFAULT: all resident */
}

int64_t sys_munlockall(SYSCALL_ARGS)
{
	return 0;
}

#define MEMBARRIER_CMD_QUERY 0
#define MEMBARRIER_CMD_GLOBAL 1
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED 2
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED 4
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED 8
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED 16
#define MEMBARRIER_SUPPORTED (MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED | \
			      MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | \
			      MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
			      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)

static void policy_barrier(void *arg)
{
	(void)arg;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the interrupt itself serialises too */
}

/*
 * Every core of the enclave takes an interrupt, which orders its memory
 * accesses: what membarrier promises, for every kind we accept.
 */
int64_t sys_membarrier(SYSCALL_ARGS)
{
	switch (a0) {
	case MEMBARRIER_CMD_QUERY:
		return a1 ? -EINVAL : MEMBARRIER_SUPPORTED;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		return 0;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return xcall_run_all(policy_barrier, NULL) ? -EIO : 0;
	default:
		return -EINVAL;
	}
}
