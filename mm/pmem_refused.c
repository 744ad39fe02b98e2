// SPDX-License-Identifier: GPL-2.0
/*
 * A request the partition cannot hold fails with ENOMEM or ENOSPC, and a
 * library often turns that into a message of its own that names neither
 * ("unable to allocate shared memory"). One console line, the first time a
 * process is refused, says that the partition ran out and how far: the
 * enclave (or the job's --mem) is too small.
 */
#include <cove/kprintf.h>
#include <cove/pmem.h>
#include <cove/task.h>

void pmem_say_refused(const char *what, uint64_t bytes)
{
	struct task *t = task_current();
	struct pmem_stats st;

	if (!t || t->is_idle || !t->proc)
		return;
	/* Refused for another reason (a NUMA node full, no free 2 MiB block): not this. */
	pmem_get_stats(&st);
	if (st.free_bytes >= bytes ||
	    __atomic_exchange_n(&t->proc->mem_refused_said, true, __ATOMIC_RELAXED))
		return;
	pr_warn("mem: pid %u (%s): %s of %lu KiB refused: the partition has %lu KiB free of "
		"%lu KiB\n", t->proc->pid, t->proc->name, what, bytes >> 10, st.free_bytes >> 10,
		st.partition_bytes >> 10);
}
