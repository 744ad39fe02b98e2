/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NUMA operations on an address space (mm/aspace_migrate.c): mbind's
 * region policies, the node of a page, and moving pages between nodes.
 * A page is moved by unmapping it, copying it with the lock dropped, and
 * mapping the copy; a thread touching it meanwhile waits (aspace_moving).
 */
#ifndef COVE_ASPACE_NUMA_H
#define COVE_ASPACE_NUMA_H

#include <cove/aspace.h>
#include <cove/mempolicy.h>

/*
 * Give [va, va+len) policy pol and move its private pages where pol puts
 * them (Cove populated them at mmap, where Linux would place them at the
 * first touch still to come). -EFAULT for a hole in the range, -ENOMEM
 * when BIND's nodes cannot hold the pages (or no memory to split a
 * region), -EIO with MPOL_MF_STRICT when a page could not be placed.
 */
int aspace_mbind(struct aspace *as, uint64_t va, uint64_t len, const struct mempolicy *pol,
		 uint32_t mf_flags);
/* The region policy at va (MPOL_DEFAULT if none): 0, or -EFAULT when nothing is mapped there. */
int aspace_policy_at(struct aspace *as, uint64_t va, struct mempolicy *out);
/* *node of the page at va: 0, -EFAULT (no region there), -ENOENT (no page yet). */
int aspace_page_node(struct aspace *as, uint64_t va, uint32_t *node);
/*
 * Move the page at va to node: 0 (also when it is there already),
 * -EFAULT, -ENOENT, -EACCES (a shared or foreign page), -ENOMEM.
 */
int aspace_move_page(struct aspace *as, uint64_t va, uint32_t node);
/*
 * migrate_pages: every private page on node n moves to remap[n] (n below
 * NUMA_MAX_NODES; remap[n] < 0: stays). Returns the pages that could not.
 */
int64_t aspace_migrate_nodes(struct aspace *as, const int *remap);
/*
 * For a not-present fault at va: the page is being moved, or was mapped
 * again since the fault (a move ended meanwhile): try the access again.
 */
bool aspace_moving(struct aspace *as, uint64_t va);

#endif /* COVE_ASPACE_NUMA_H */
