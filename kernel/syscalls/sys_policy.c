// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling and memory policy, answered as they are in an LWK: a job's
 * thread owns its core (there is no time-sharing policy to choose), its
 * memory is populated and never paged out (locking is already true), and
 * the enclave is one NUMA node, node 0 (/sys/devices/system/node says so
 * too). Runtimes that set these (OpenMP, MPI, BLAS) get Linux's answers
 * for such a machine, not ENOSYS; what cannot be honoured is refused as
 * Linux refuses it.
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

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED_MANY 5
#define MPOL_MODE_FLAGS 0xe000U		/* STATIC, RELATIVE, NUMA_BALANCING */
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4

/* A pid of the caller's process (0 = the caller), as sched_* take it. */
static bool policy_own_thread(uint64_t pid)
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

/* A nodemask of maxnode bits names only node 0 (or nothing). */
static int64_t policy_nodes_ok(uint64_t umask, uint64_t maxnode)
{
	uint64_t words = (maxnode + 63) / 64, w;

	if (!umask || !maxnode)
		return 0;
	if (maxnode > 4096)
		return -EINVAL;
	for (uint64_t i = 0; i < words; i++) {
		if (copy_from_user(&w, umask + i * 8, 8))
			return -EFAULT;
		if (i == words - 1 && maxnode % 64)
			w &= (1ULL << (maxnode % 64)) - 1;
		if (w & ~(i ? 0 : 1ULL))
			return -EINVAL;	/* a node this enclave does not have */
	}
	return 0;
}

int64_t sys_mbind(SYSCALL_ARGS)
{
	if ((a2 & ~(uint64_t)MPOL_MODE_FLAGS) > MPOL_PREFERRED_MANY || (a0 & 0xfff))
		return -EINVAL;
	return policy_nodes_ok(a3, a4);
}

int64_t sys_set_mempolicy(SYSCALL_ARGS)
{
	if ((a0 & ~(uint64_t)MPOL_MODE_FLAGS) > MPOL_PREFERRED_MANY)
		return -EINVAL;
	return policy_nodes_ok(a1, a2);
}

int64_t sys_get_mempolicy(SYSCALL_ARGS)
{
	int32_t mode = MPOL_DEFAULT;
	uint64_t node0 = 1;

	if (a4 & ~(uint64_t)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
		return -EINVAL;
	if (a0 && copy_to_user(a0, &mode, sizeof(mode)))	/* MPOL_F_NODE: node 0 too */
		return -EFAULT;
	if (a1 && a2 && copy_to_user(a1, &node0, sizeof(node0)))
		return -EFAULT;
	return 0;
}

int64_t sys_migrate_pages(SYSCALL_ARGS)
{
	return policy_own_thread(a0) ? 0 : -ESRCH;	/* already all on node 0 */
}

int64_t sys_move_pages(SYSCALL_ARGS)
{
	uint64_t count = a1, upages = a2, unodes = a3, ustatus = a4;

	if (!policy_own_thread(a0))
		return -ESRCH;
	if (count > (1ULL << 20))
		return -E2BIG;
	for (uint64_t i = 0; i < count; i++) {
		int32_t node = 0, status = 0;
		uint64_t page;

		if (copy_from_user(&page, upages + i * 8, 8))
			return -EFAULT;
		if (unodes && copy_from_user(&node, unodes + i * 4, 4))
			return -EFAULT;
		if (node != 0)
			status = -ENODEV;
		else if (!user_range_ok(page, 1, false))
			status = -EFAULT;
		if (ustatus && copy_to_user(ustatus + i * 4, &status, 4))
			return -EFAULT;
	}
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
