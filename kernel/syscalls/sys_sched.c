// SPDX-License-Identifier: GPL-2.0
/* CPU placement: affinity, yielding, and where am I. */
#include <cove/errno.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

/* The thread a pid names within the caller's process (0 = the caller). */
static struct task *sched_target(uint64_t pid)
{
	struct task *self = task_current();

	if (!pid || pid == self->tid)
		return self;
	for (struct task *t = self->proc->threads; t; t = t->thread_next) {
		if (t->tid == pid)
			return t;
	}
	return NULL;
}

/* Bytes of mask Linux reports: enough longs for the highest possible CPU. */
static uint64_t sched_mask_bytes(void)
{
	uint32_t highest = 0;

	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		if (percpu_of(c))
			highest = c;
	}
	return (highest / 64 + 1) * 8;
}

int64_t sys_sched_getaffinity(SYSCALL_ARGS)
{
	struct task *t = sched_target(a0);
	uint64_t bytes = sched_mask_bytes();

	if (!t)
		return -ESRCH;
	if (a1 < bytes || (a1 & 7))
		return -EINVAL;
	if (copy_to_user(a2, t->affinity.bits, bytes))
		return -EFAULT;
	return (int64_t)bytes;
}

int64_t sys_sched_setaffinity(SYSCALL_ARGS)
{
	struct task *t = sched_target(a0);
	struct cpumask want, allowed = task_current()->proc->allowed;
	uint64_t bytes = MIN(a1, sizeof(want.bits));

	if (!t)
		return -ESRCH;
	cpumask_clear(&want);
	if (copy_from_user(want.bits, a2, bytes))
		return -EFAULT;
	for (int i = 0; i < CPUMASK_WORDS; i++)
		want.bits[i] &= allowed.bits[i];
	if (!cpumask_weight(&want))
		return -EINVAL;	/* none of the job's CPUs */
	t->affinity = want;
	/* Only the caller moves itself; another thread keeps its CPU until it asks. */
	if (t == task_current() && !cpumask_test(&want, t->cpu))
		sched_migrate_current(sched_pick_cpu(&want));
	return 0;
}

int64_t sys_sched_yield(SYSCALL_ARGS)
{
	schedule();
	return 0;
}

int64_t sys_getcpu(SYSCALL_ARGS)
{
	uint32_t cpu = this_cpu_id(), node = 0;

	if (a0 && copy_to_user(a0, &cpu, sizeof(cpu)))
		return -EFAULT;
	if (a1 && copy_to_user(a1, &node, sizeof(node)))
		return -EFAULT;
	return 0;
}

int64_t sys_sched_getscheduler(SYSCALL_ARGS)
{
	return sched_target(a0) ? 0 : -ESRCH;	/* SCHED_OTHER */
}

int64_t sys_sched_getparam(SYSCALL_ARGS)
{
	int32_t prio = 0;

	if (!sched_target(a0))
		return -ESRCH;
	return copy_to_user(a1, &prio, sizeof(prio));
}
