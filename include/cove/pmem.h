/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory of the partition. Only memory listed in boot_info.mem is
 * ever handed out; pmem_alloc takes it from the calling CPU's NUMA node
 * first, then from the nearest others. Blocks are naturally aligned powers
 * of two from 4 KiB (order 0) to 1 GiB (order 18), so large pages can map
 * them.
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
	uint64_t free_2m_units;		/* 2 MiB blocks those free blocks hold */
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
/* Only from NUMA node node: -ENOMEM when it has no such block. */
int pmem_alloc_node(uint32_t node, unsigned int order, phys_addr_t *out);
int pmem_free(phys_addr_t pa, unsigned int order);
/*
 * Blocks to free together: one hold of the allocator's lock for many, as
 * when a whole address space goes. Under contention every hold is a
 * hand-off between cores, slow where cores are over-committed (vCPUs).
 */
#define PMEM_BATCH_MAX 32
struct pmem_batch {
	unsigned int nr;
	phys_addr_t pa[PMEM_BATCH_MAX];
	uint8_t order[PMEM_BATCH_MAX];
};
/* Queue a block, freeing the batch first when it is full. */
void pmem_batch_add(struct pmem_batch *b, phys_addr_t pa, unsigned int order);
/* Free what is queued. */
void pmem_batch_flush(struct pmem_batch *b);
/* Order whose block holds size bytes, or negative if too large. */
int pmem_order_for(uint64_t size);

void pmem_get_stats(struct pmem_stats *st);
/*
 * The current process asked for bytes of memory (what: "mapping", "shared
 * memory") and was refused: when the partition has less than that free, a
 * console line, once per process, says so.
 */
void pmem_say_refused(const char *what, uint64_t bytes);
/* One node's memory: pages its allocator manages (in use or free), and free. */
void pmem_node_stats(uint32_t node, uint64_t *managed_bytes, uint64_t *free_bytes);
/* Bit n: node n has memory in the partition (Linux's N_MEMORY). */
uint64_t pmem_nodes_with_memory(void);
/* Run the allocator's own consistency check. */
int pmem_check(void);

#endif /* COVE_PMEM_H */
