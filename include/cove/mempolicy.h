/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NUMA memory policy, as Linux's set_mempolicy(2) and mbind(2) define it:
 * a thread's policy for memory it maps from now on, and a region's policy
 * (mbind) that overrides it. Cove populates memory when it is mapped, not
 * on first touch, so mbind also moves the region's pages where its policy
 * says (mm/aspace_migrate.c): what a program sees after mbind then touch
 * is what it would see on Linux.
 */
#ifndef COVE_MEMPOLICY_H
#define COVE_MEMPOLICY_H

#include <cove/types.h>

/* Modes: the user ABI numbers */
#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_PREFERRED_MANY 5
#define MPOL_MAX 6

/* Mode flags, or-ed into the mode */
#define MPOL_F_STATIC_NODES (1U << 15)
#define MPOL_F_RELATIVE_NODES (1U << 14)
#define MPOL_F_NUMA_BALANCING (1U << 13)
#define MPOL_MODE_FLAGS (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING)

/* mbind flags */
#define MPOL_MF_STRICT (1U << 0)
#define MPOL_MF_MOVE (1U << 1)
#define MPOL_MF_MOVE_ALL (1U << 2)
#define MPOL_MF_VALID (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)

/* get_mempolicy flags */
#define MPOL_F_NODE (1U << 0)
#define MPOL_F_ADDR (1U << 1)
#define MPOL_F_MEMS_ALLOWED (1U << 2)

/* What Debian's Linux is built with (CONFIG_NODES_SHIFT 10): the ABI's nodemask limit. */
#define MPOL_MAX_NUMNODES 1024

/* Zeroed: MPOL_DEFAULT (a region: the thread's policy; a thread: local). */
struct mempolicy {
	uint16_t mode;			/* MPOL_* */
	uint16_t flags;			/* MPOL_F_* mode flags, as given */
	uint64_t nodes;			/* bit n: node n (PREFERRED: the one node) */
	uint64_t user_nodes;		/* the mask as given, for STATIC/RELATIVE readers */
};

/* Nodes in a mask (the kernel has no libgcc for __builtin_popcountll). */
static inline uint32_t mempolicy_weight(uint64_t nodes)
{
	uint32_t n = 0;

	for (; nodes; nodes &= nodes - 1)
		n++;
	return n;
}

static inline bool mempolicy_equal(const struct mempolicy *a, const struct mempolicy *b)
{
	return a->mode == b->mode && a->flags == b->flags && a->nodes == b->nodes;
}

struct vm_region;

/* The policy that places r's pages: r's own, else the calling thread's. */
const struct mempolicy *mempolicy_of(const struct vm_region *r);
/*
 * A block of order for the page at va (r: the region holding it, or NULL
 * while it is being made), placed by mempolicy_of(r). A large block comes
 * only from where the policy puts it (-ENOMEM: try smaller pages); a
 * single page falls back to other nodes as Linux does, -ENOMEM only when
 * BIND's nodes are full.
 */
int mempolicy_alloc(const struct vm_region *r, uint64_t va, unsigned int order,
		    phys_addr_t *out);
/* Whether a page of order at va on node is where pol puts it. */
bool mempolicy_placed(const struct mempolicy *pol, uint64_t va, unsigned int order,
		      uint32_t node);
/* A block only where pol puts the page at va (no fallback): 0 or -ENOMEM. */
int mempolicy_alloc_placed(const struct mempolicy *pol, uint64_t va, unsigned int order,
			   phys_addr_t *out);
/* Nodes that have memory (Linux's N_MEMORY): what a policy may name. */
uint64_t mempolicy_mems_allowed(void);

#endif /* COVE_MEMPOLICY_H */
