/* SPDX-License-Identifier: GPL-2.0 */
/* The x86-64 part of a user address space: its 4-level tables. */
#ifndef ARCH_ASPACE_ARCH_H
#define ARCH_ASPACE_ARCH_H

#include <arch/pgtable.h>

struct arch_aspace {
	struct pgtable pt;
	/* CPUs that have had these tables loaded since the last flush. */
	volatile uint64_t loaded_on[4];
	/*
	 * Tables a large page replaced (pgtable's free_table), chained
	 * through their first entry, waiting for arch_aspace_reclaim: a CPU
	 * may still walk one until every CPU has flushed. Pushed under the
	 * address space's lock, taken whole with an atomic exchange.
	 */
	uint64_t deferred;
};

/* Whether replaced tables wait for arch_aspace_reclaim. */
static inline bool arch_aspace_tables_pending(const struct arch_aspace *a)
{
	return __atomic_load_n(&a->deferred, __ATOMIC_ACQUIRE) != 0;
}

/* What the host's mirror of a job walks (cove/offload.h): the top table. */
static inline uint64_t arch_aspace_root(const struct arch_aspace *a)
{
	return a->pt.root;
}

#endif /* ARCH_ASPACE_ARCH_H */
