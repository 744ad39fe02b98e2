/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory of the partition. Only memory listed in boot_info.mem is
 * ever handed out; blocks are naturally aligned powers of two from 4 KiB
 * (order 0) to 1 GiB (order 18), so large pages can map them.
 */
#ifndef COVE_PMEM_H
#define COVE_PMEM_H

#include <cove/types.h>

struct boot_info;

#define PMEM_ORDER_4K 0
#define PMEM_ORDER_2M 9
#define PMEM_ORDER_1G 18

struct pmem_stats {
	uint64_t partition_bytes;	/* sum of boot_info.mem */
	uint64_t held_at_boot;		/* reserved at entry + allocator metadata */
	uint64_t free_bytes;
	uint64_t free_blocks_2m;	/* free blocks of at least 2 MiB */
	uint64_t free_blocks_1g;
};

/*
 * Bring up the allocator with the partition memory the boot page tables can
 * reach (below reach_limit); pmem_add_unreached() adds the rest once the
 * kernel's own tables map all of the partition.
 */
int pmem_init(const struct boot_info *bi, uint64_t reach_limit);
int pmem_add_unreached(void);

/* New partition memory (already mapped in the direct map) joins the pool. */
int pmem_add_memory(phys_addr_t base, uint64_t size);
/*
 * Partition memory leaves the pool for good: -EBUSY, changing nothing, if
 * any page of it is in use; -EINVAL if it was never (all) in the pool.
 */
int pmem_remove_memory(phys_addr_t base, uint64_t size);
int pmem_alloc(unsigned int order, phys_addr_t *out);
int pmem_alloc_below(unsigned int order, phys_addr_t limit, phys_addr_t *out);
int pmem_free(phys_addr_t pa, unsigned int order);
/* Order whose block holds size bytes, or negative if too large. */
int pmem_order_for(uint64_t size);

void pmem_get_stats(struct pmem_stats *st);
/* Run the allocator's own consistency check. */
int pmem_check(void);

#endif /* COVE_PMEM_H */
