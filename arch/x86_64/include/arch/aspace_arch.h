/* SPDX-License-Identifier: GPL-2.0 */
/* The x86-64 part of a user address space: its 4-level tables. */
#ifndef ARCH_ASPACE_ARCH_H
#define ARCH_ASPACE_ARCH_H

#include <arch/pgtable.h>

struct arch_aspace {
	struct pgtable pt;
	/* CPUs that have had these tables loaded since the last flush. */
	volatile uint64_t loaded_on[4];
};

/* What the host's mirror of a job walks (cove/offload.h): the top table. */
static inline uint64_t arch_aspace_root(const struct arch_aspace *a)
{
	return a->pt.root;
}

#endif /* ARCH_ASPACE_ARCH_H */
