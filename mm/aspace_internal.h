/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of mm/aspace*.c share about an address space's regions
 * and pages; not for the rest of the kernel (cove/aspace.h is).
 */
#ifndef MM_ASPACE_INTERNAL_H
#define MM_ASPACE_INTERNAL_H

#include <cove/aspace.h>

/* 0, 1, 2 for a 4 KiB, 2 MiB, 1 GiB page: the index of as->populated. */
int aspace_page_index(uint64_t size);
/* Under as->lock: no region overlaps [va, end). */
bool aspace_range_free(struct aspace *as, uint64_t va, uint64_t end);
/* Split r at va inside it (r keeps the front, a copy takes the rest): 0 or -ENOMEM. */
int aspace_split(struct vm_region *r, uint64_t va);
/* Join neighbouring regions that agree in everything (under as->lock). */
void aspace_merge(struct aspace *as);
/* Under as->lock: whether regions cover every page of [va, end). */
bool aspace_range_mapped(struct aspace *as, uint64_t va, uint64_t end);
/*
 * Under as->lock: split the regions that straddle va or end, so that
 * [va, end) is whole regions; 0 or -ENOMEM (a split already made stays:
 * the caller's aspace_merge undoes it).
 */
int aspace_split_edges(struct aspace *as, uint64_t va, uint64_t end);
/*
 * The next mapped page at or after *va below end (see mm/aspace.c): false
 * when none is left.
 */
bool aspace_next_page(struct aspace *as, uint64_t *va, uint64_t end, phys_addr_t *pa,
		      uint64_t *size);
/*
 * After mapping, with as->lock released: free the tables a large page
 * replaced, once every CPU and the host's mirror can no longer use them.
 */
void aspace_reclaim_tables(struct aspace *as);
/*
 * What write-back mappings in [va, end) wrote so far counts as unwritten
 * (they hold what the file does): after they were read in, in a fork child.
 */
void aspace_writeback_clean(struct aspace *as, uint64_t va, uint64_t end);
/* MAP_HUGETLB pages of size taken (n > 0) or given back (n < 0), for /proc/meminfo. */
void aspace_hugetlb_account(uint64_t size, int64_t n);

#endif /* MM_ASPACE_INTERNAL_H */
