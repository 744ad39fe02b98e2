// SPDX-License-Identifier: GPL-2.0
/*
 * Where a page goes under a NUMA memory policy (<cove/mempolicy.h>). The
 * choices are Linux's: the calling CPU's node (or the nearest with memory)
 * for DEFAULT and LOCAL, the preferred node then the nearest for
 * PREFERRED, the nearest node of the mask for BIND (and nothing else), and
 * for INTERLEAVE the node picked by the page's address, so consecutive
 * pages take the mask's nodes in turn.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/mempolicy.h>
#include <cove/numa.h>
#include <cove/percpu.h>
#include <cove/pmem.h>
#include <cove/task.h>

static const struct mempolicy mempolicy_default;

const struct mempolicy *mempolicy_of(const struct vm_region *r)
{
	struct task *t;

	if (r && r->policy.mode != MPOL_DEFAULT)
		return &r->policy;
	t = task_current();
	return t ? &t->mempolicy : &mempolicy_default;
}

uint64_t mempolicy_mems_allowed(void)
{
	return pmem_nodes_with_memory();
}

/* The nth (from 0) set bit of mask; mask is not empty. */
static uint32_t mempolicy_nth_node(uint64_t mask, uint64_t nth)
{
	for (;;) {
		uint32_t node = (uint32_t)__builtin_ctzll(mask);

		if (!nth--)
			return node;
		mask &= mask - 1;
	}
}

/*
 * As Linux's interleave_nid for a mapping: the page's index at its own
 * size picks the node, so every page size interleaves evenly.
 */
static uint32_t mempolicy_interleave_node(const struct mempolicy *pol, uint64_t va,
					  unsigned int order)
{
	uint64_t idx = va >> (PAGE_SHIFT + order);

	return mempolicy_nth_node(pol->nodes, idx % (uint64_t)mempolicy_weight(pol->nodes));
}

/* The mask's nodes nearest first from this CPU's node: one block from the first with room. */
static int mempolicy_alloc_mask(uint64_t mask, unsigned int order, phys_addr_t *out)
{
	uint32_t order_of[NUMA_MAX_NODES];
	uint32_t n = numa_nodes_by_distance(numa_cpu_node(this_cpu_id()), order_of);

	for (uint32_t i = 0; i < n; i++) {
		if (((mask >> order_of[i]) & 1) && !pmem_alloc_node(order_of[i], order, out))
			return 0;
	}
	return -ENOMEM;
}

/* Linux's numa_mem_id: this CPU's node, or the nearest one with memory if it has none. */
static uint32_t mempolicy_local_node(void)
{
	uint32_t order_of[NUMA_MAX_NODES], n;
	uint64_t mems;

	if (numa_nr_nodes() == 1)
		return 0;
	mems = pmem_nodes_with_memory();
	n = numa_nodes_by_distance(numa_cpu_node(this_cpu_id()), order_of);
	for (uint32_t i = 0; i < n; i++) {
		if ((mems >> order_of[i]) & 1)
			return order_of[i];
	}
	return 0;
}

int mempolicy_alloc_placed(const struct mempolicy *pol, uint64_t va, unsigned int order,
			   phys_addr_t *out)
{
	switch (pol->mode) {
	case MPOL_PREFERRED:
	case MPOL_BIND:
	case MPOL_PREFERRED_MANY:
		return mempolicy_alloc_mask(pol->nodes, order, out);
	case MPOL_INTERLEAVE:
		return pmem_alloc_node(mempolicy_interleave_node(pol, va, order), order, out);
	default:
		return pmem_alloc_node(mempolicy_local_node(), order, out);
	}
}

int mempolicy_alloc(const struct vm_region *r, uint64_t va, unsigned int order,
		    phys_addr_t *out)
{
	const struct mempolicy *pol = mempolicy_of(r);

	if (!mempolicy_alloc_placed(pol, va, order, out))
		return 0;
	/*
	 * Large pages go only where the policy puts them, as Linux places its
	 * huge pages: the caller tries smaller ones there next. Single pages
	 * fall back to the nearest node with room, but for BIND's.
	 */
	if (pol->mode == MPOL_BIND || order)
		return -ENOMEM;
	return pmem_alloc(order, out);
}

bool mempolicy_placed(const struct mempolicy *pol, uint64_t va, unsigned int order,
		      uint32_t node)
{
	switch (pol->mode) {
	case MPOL_PREFERRED:
	case MPOL_BIND:
	case MPOL_PREFERRED_MANY:
		return (pol->nodes >> node) & 1;
	case MPOL_INTERLEAVE:
		return mempolicy_interleave_node(pol, va, order) == node;
	default:
		return true;	/* local: wherever it was first placed */
	}
}
