// SPDX-License-Identifier: GPL-2.0
/*
 * The partition's physical memory: one buddy allocator per NUMA node, fed
 * with the node's part of boot_info.mem minus what is held at entry, all
 * behind one lock. A node's buddy spans only that node's memory (and
 * grants), so no block crosses a node boundary and a merge never joins two
 * nodes' pages. Without NUMA tables there is one node and this is the one
 * allocator it always was.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/buddy.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/numa.h>
#include <cove/percpu.h>
#include <cove/pmem.h>
#include <cove/panic.h>
#include <cove/spinlock.h>
#include <generated/config.h>

#define PMEM_MAX_HELD (BOOT_MAX_RESERVED + NUMA_MAX_NODES)

/* The allocators, one per node; every access after init goes through pmem_lock. */
static struct buddy pmem_buddy[NUMA_MAX_NODES];
static bool pmem_present[NUMA_MAX_NODES];	/* the node's buddy has a span */
static spinlock_t pmem_lock = SPINLOCK_INIT;
static const struct boot_info *pmem_bi;
static uint64_t pmem_partition_bytes;
static uint64_t pmem_reach_limit;
/* Held ranges (sorted), kept so pmem_add_unreached can subtract them again. */
static struct boot_range pmem_held[PMEM_MAX_HELD];
static uint32_t pmem_nr_held;

static void *pmem_p2v(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void pmem_hold(uint64_t base, uint64_t size)
{
	uint32_t i = pmem_nr_held;

	if (i == PMEM_MAX_HELD || !size)
		return;
	while (i > 0 && pmem_held[i - 1].base > base) {
		pmem_held[i] = pmem_held[i - 1];
		i--;
	}
	pmem_held[i].base = ALIGN_DOWN(base, PAGE_SIZE);
	pmem_held[i].size = ALIGN_UP(base + size, PAGE_SIZE) - pmem_held[i].base;
	pmem_nr_held++;
}

/* Lowest page-aligned spot of size bytes in the partition, clear of held. */
static int pmem_find_spot(uint64_t size, uint64_t limit, uint64_t *out)
{
	for (uint32_t i = 0; i < pmem_bi->nr_mem; i++) {
		uint64_t cand = pmem_bi->mem[i].base;
		uint64_t end = pmem_bi->mem[i].base + pmem_bi->mem[i].size;

		for (uint32_t h = 0; h < pmem_nr_held; h++) {
			if (ranges_overlap(cand, size, pmem_held[h].base, pmem_held[h].size))
				cand = pmem_held[h].base + pmem_held[h].size;
		}
		if (cand + size <= end && cand + size <= limit) {
			*out = cand;
			return 0;
		}
	}
	return -ENOMEM;
}

static bool pmem_spans(uint32_t node, phys_addr_t pa)
{
	const struct buddy *b = &pmem_buddy[node];

	return pmem_present[node] && pa >= b->base && pa - b->base < b->nr_pages << PAGE_SHIFT;
}

/*
 * The allocator that manages page pa: its node's, or -- for memory granted
 * after boot on a node the partition had nothing on -- the first whose span
 * reaches it (its node's statistics then count it). -1: none. Spans never
 * change after init, so every caller gets the same answer for one page.
 */
static int pmem_owner(phys_addr_t pa)
{
	uint32_t node = numa_node_of(pa);

	if (pmem_spans(node, pa))
		return (int)node;
	for (uint32_t n = 0; n < NUMA_MAX_NODES; n++) {
		if (pmem_spans(n, pa))
			return (int)n;
	}
	return -1;
}

/* Give [base, end) to the allocators of the nodes it lies in. */
static int pmem_give(uint64_t base, uint64_t end)
{
	uint64_t run;
	int rc = 0;

	for (; base < end; base = run) {
		int owner;

		numa_run(base, end, &run);
		owner = pmem_owner(base);
		rc |= owner < 0 ? -EINVAL : buddy_add_range(&pmem_buddy[owner], base, run - base);
	}
	return rc;
}

/* Give the parts of [base, end) that are not held and lie in [lo, hi). */
static int pmem_add_free(uint64_t base, uint64_t end, uint64_t lo, uint64_t hi)
{
	uint64_t cursor = MAX(base, lo);
	int rc = 0;

	end = MIN(end, hi);
	for (uint32_t h = 0; h < pmem_nr_held && cursor < end; h++) {
		uint64_t hb = pmem_held[h].base, he = hb + pmem_held[h].size;

		if (he <= cursor || hb >= end)
			continue;
		if (hb > cursor)
			rc |= pmem_give(cursor, hb);
		cursor = MAX(cursor, he);
	}
	if (cursor < end)
		rc |= pmem_give(cursor, end);
	return rc;
}

/* Widen node spans [lo[n], hi[n]) by the node pieces of [base, end). */
static void pmem_span_add(uint64_t *lo, uint64_t *hi, uint64_t base, uint64_t end)
{
	uint64_t run;

	for (; base < end; base = run) {
		uint32_t node = numa_run(base, end, &run);

		lo[node] = MIN(lo[node], base);
		hi[node] = MAX(hi[node], run);
	}
}

int pmem_init(const struct boot_info *bi, uint64_t reach_limit)
{
	uint64_t lo[NUMA_MAX_NODES], hi[NUMA_MAX_NODES], meta_size, meta;
	int rc = 0;

	if (!bi->nr_mem)
		return -ENOMEM;
	pmem_bi = bi;
	pmem_reach_limit = reach_limit;
	for (uint32_t n = 0; n < NUMA_MAX_NODES; n++) {
		lo[n] = UINT64_MAX;
		hi[n] = 0;
	}
	/* A span covers what its node may grow into, not just what it has. */
	for (uint32_t i = 0; i < bi->nr_mem; i++) {
		pmem_span_add(lo, hi, bi->mem[i].base, bi->mem[i].base + bi->mem[i].size);
		pmem_partition_bytes += bi->mem[i].size;
	}
	for (uint32_t i = 0; i < bi->nr_granted; i++)
		pmem_span_add(lo, hi, bi->granted[i].base,
			      bi->granted[i].base + bi->granted[i].size);

	for (uint32_t i = 0; i < bi->nr_reserved; i++)
		pmem_hold(bi->reserved[i].base, bi->reserved[i].size);

	for (uint32_t n = 0; n < NUMA_MAX_NODES; n++) {
		if (hi[n] <= lo[n])
			continue;
		meta_size = ALIGN_UP(buddy_metadata_size(lo[n], hi[n]), PAGE_SIZE);
		if (pmem_find_spot(meta_size, reach_limit, &meta)) {
			pr_err("pmem: no room for %lu KiB of node %u's allocator metadata\n",
			       meta_size >> 10, n);
			return -ENOMEM;
		}
		pmem_hold(meta, meta_size);
		buddy_init(&pmem_buddy[n], lo[n], hi[n], phys_to_virt(meta), pmem_p2v);
		pmem_present[n] = true;
	}

	for (uint32_t i = 0; i < bi->nr_mem; i++)
		rc |= pmem_add_free(bi->mem[i].base, bi->mem[i].base + bi->mem[i].size, 0,
				    reach_limit);
	return rc ? -EINVAL : 0;
}

int pmem_add_unreached(void)
{
	int rc = 0;

	for (uint32_t i = 0; i < pmem_bi->nr_mem; i++)
		rc |= pmem_add_free(pmem_bi->mem[i].base,
				    pmem_bi->mem[i].base + pmem_bi->mem[i].size,
				    pmem_reach_limit, UINT64_MAX);
	return rc ? -EINVAL : 0;
}

int pmem_add_memory(phys_addr_t base, uint64_t size)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = size > UINT64_MAX - base ? -EINVAL : pmem_give(base, base + size);

	if (!rc)
		pmem_partition_bytes += size;
	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc ? -EINVAL : 0;
}

int pmem_remove_memory(phys_addr_t base, uint64_t size)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	uint64_t end = base + size, run, at, failed = end;
	int rc = size > UINT64_MAX - base ? -EINVAL : 0;

	for (at = base; at < end && !rc; at = run) {
		int owner;

		numa_run(at, end, &run);
		owner = pmem_owner(at);
		rc = owner < 0 ? -EINVAL : buddy_take_range(&pmem_buddy[owner], at, run - at);
		if (rc)
			failed = at;
	}
	/* All or nothing: the pieces before the one that could not go come back. */
	for (at = base; rc && at < failed; at = run) {
		numa_run(at, failed, &run);
		buddy_add_range(&pmem_buddy[pmem_owner(at)], at, run - at);
	}
	if (!rc)
		pmem_partition_bytes -= size;
	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

static int pmem_alloc_locked(uint32_t node, unsigned int order, phys_addr_t limit,
			     phys_addr_t *out)
{
	if (node >= NUMA_MAX_NODES || !pmem_present[node])
		return -ENOMEM;
	if (limit == UINT64_MAX)
		return buddy_alloc(&pmem_buddy[node], order, out);
	return buddy_alloc_below(&pmem_buddy[node], order, limit, out);
}

/* The nearest node with a block, starting at the calling CPU's node, as Linux's default. */
static int pmem_alloc_near(unsigned int order, phys_addr_t limit, phys_addr_t *out)
{
	uint32_t order_of[NUMA_MAX_NODES], n;
	unsigned long flags;
	int rc = -ENOMEM;

	n = numa_nodes_by_distance(numa_cpu_node(this_cpu_id()), order_of);
	flags = spin_lock_irqsave(&pmem_lock);
	for (uint32_t i = 0; i < n && rc; i++)
		rc = pmem_alloc_locked(order_of[i], order, limit, out);
	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

int pmem_alloc(unsigned int order, phys_addr_t *out)
{
	return pmem_alloc_near(order, UINT64_MAX, out);
}

int pmem_alloc_below(unsigned int order, phys_addr_t limit, phys_addr_t *out)
{
	return pmem_alloc_near(order, limit, out);
}

int pmem_alloc_node(uint32_t node, unsigned int order, phys_addr_t *out)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = pmem_alloc_locked(node, order, UINT64_MAX, out);

	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

int pmem_free(phys_addr_t pa, unsigned int order)
{
	int node = pmem_owner(pa);
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = node >= 0 ? buddy_free(&pmem_buddy[node], pa, order) : -EINVAL;

	/* Debug builds verify the whole allocator after every free. */
	if (CONFIG_DEBUG && node >= 0 && buddy_check(&pmem_buddy[node]))
		panic("pmem: allocator inconsistent after freeing %lx order %u", pa, order);
	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

static int pmem_check_locked(void)
{
	int rc = 0;

	for (uint32_t n = 0; n < NUMA_MAX_NODES; n++) {
		if (pmem_present[n] && buddy_check(&pmem_buddy[n]))
			rc = -EINVAL;
	}
	return rc;
}

/*
 * Free one queued block (pmem_lock held). One the batch merged may reach
 * over two nodes' memory, which neither allocator takes whole: its halves
 * then go, each to its own.
 */
static void pmem_free_queued(phys_addr_t pa, unsigned int order)
{
	int node = pmem_owner(pa);

	if (node >= 0 && !buddy_free(&pmem_buddy[node], pa, order))
		return;
	if (order) {
		pmem_free_queued(pa, order - 1);
		pmem_free_queued(pa + (PAGE_SIZE << (order - 1)), order - 1);
	}
}

void pmem_batch_flush(struct pmem_batch *b)
{
	unsigned long flags;

	if (!b->nr)
		return;
	flags = spin_lock_irqsave(&pmem_lock);
	for (unsigned int i = 0; i < b->nr; i++)
		pmem_free_queued(b->pa[i], b->order[i]);
	if (CONFIG_DEBUG && pmem_check_locked())
		panic("pmem: allocator inconsistent after freeing a batch");
	spin_unlock_irqrestore(&pmem_lock, flags);
	b->nr = 0;
}

/*
 * A block that completes its buddy, the last one queued, joins it: an
 * address space freed in address order gives back runs that were handed
 * out in order, and the allocator then takes a run as a few large blocks
 * instead of merging it page by page.
 */
void pmem_batch_add(struct pmem_batch *b, phys_addr_t pa, unsigned int order)
{
	while (b->nr && order < BUDDY_MAX_ORDER && b->order[b->nr - 1] == order &&
	       IS_ALIGNED(b->pa[b->nr - 1], PAGE_SIZE << (order + 1)) &&
	       pa == b->pa[b->nr - 1] + (PAGE_SIZE << order)) {
		pa = b->pa[--b->nr];
		order++;
	}
	if (b->nr == PMEM_BATCH_MAX)
		pmem_batch_flush(b);
	b->pa[b->nr] = pa;
	b->order[b->nr] = (uint8_t)order;
	b->nr++;
}

int pmem_order_for(uint64_t size)
{
	return buddy_order_for(size);
}

int pmem_check(void)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = pmem_check_locked();

	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

void pmem_get_stats(struct pmem_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	uint64_t managed = 0;

	st->partition_bytes = pmem_partition_bytes;
	st->free_bytes = 0;
	st->free_blocks_2m = 0;
	st->free_blocks_1g = 0;
	st->free_2m_units = 0;
	for (uint32_t n = 0; n < NUMA_MAX_NODES; n++) {
		const struct buddy *b = &pmem_buddy[n];

		if (!pmem_present[n])
			continue;
		managed += b->managed_pages;
		st->free_bytes += buddy_free_bytes(b);
		st->free_blocks_1g += b->nr_free[PMEM_ORDER_1G];
		for (unsigned int k = PMEM_ORDER_2M; k <= BUDDY_MAX_ORDER; k++) {
			st->free_blocks_2m += b->nr_free[k];
			st->free_2m_units += b->nr_free[k] << (k - PMEM_ORDER_2M);
		}
	}
	st->held_at_boot = pmem_partition_bytes - managed * PAGE_SIZE;
	spin_unlock_irqrestore(&pmem_lock, flags);
}

void pmem_node_stats(uint32_t node, uint64_t *managed_bytes, uint64_t *free_bytes)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	bool ok = node < NUMA_MAX_NODES && pmem_present[node];

	*managed_bytes = ok ? pmem_buddy[node].managed_pages * PAGE_SIZE : 0;
	*free_bytes = ok ? buddy_free_bytes(&pmem_buddy[node]) : 0;
	spin_unlock_irqrestore(&pmem_lock, flags);
}

uint64_t pmem_nodes_with_memory(void)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	uint64_t mask = 0;

	for (uint32_t n = 0; n < NUMA_MAX_NODES; n++) {
		if (pmem_present[n] && pmem_buddy[n].managed_pages)
			mask |= 1ULL << n;
	}
	spin_unlock_irqrestore(&pmem_lock, flags);
	return mask;
}
