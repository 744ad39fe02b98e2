// SPDX-License-Identifier: GPL-2.0
/*
 * The partition's physical memory: the buddy allocator fed with
 * boot_info.mem minus what is held at entry, behind one lock.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/buddy.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/pmem.h>
#include <cove/panic.h>
#include <cove/spinlock.h>
#include <generated/config.h>

#define PMEM_MAX_HELD (BOOT_MAX_RESERVED + 1)

/* The allocator; every access after init goes through pmem_lock. */
static struct buddy pmem_buddy;
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
			rc |= buddy_add_range(&pmem_buddy, cursor, hb - cursor);
		cursor = MAX(cursor, he);
	}
	if (cursor < end)
		rc |= buddy_add_range(&pmem_buddy, cursor, end - cursor);
	return rc;
}

int pmem_init(const struct boot_info *bi, uint64_t reach_limit)
{
	uint64_t lo, hi, meta_size, meta;
	int rc = 0;

	if (!bi->nr_mem)
		return -ENOMEM;
	pmem_bi = bi;
	pmem_reach_limit = reach_limit;
	/* The span covers what the partition may grow into, not just what it has. */
	lo = bi->mem[0].base;
	hi = bi->mem[bi->nr_mem - 1].base + bi->mem[bi->nr_mem - 1].size;
	for (uint32_t i = 0; i < bi->nr_granted; i++) {
		lo = MIN(lo, bi->granted[i].base);
		hi = MAX(hi, bi->granted[i].base + bi->granted[i].size);
	}
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		pmem_partition_bytes += bi->mem[i].size;

	for (uint32_t i = 0; i < bi->nr_reserved; i++)
		pmem_hold(bi->reserved[i].base, bi->reserved[i].size);

	meta_size = ALIGN_UP(buddy_metadata_size(lo, hi), PAGE_SIZE);
	if (pmem_find_spot(meta_size, reach_limit, &meta)) {
		pr_err("pmem: no room for %lu KiB of allocator metadata\n", meta_size >> 10);
		return -ENOMEM;
	}
	pmem_hold(meta, meta_size);
	buddy_init(&pmem_buddy, lo, hi, phys_to_virt(meta), pmem_p2v);

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
	int rc = buddy_add_range(&pmem_buddy, base, size);

	if (!rc)
		pmem_partition_bytes += size;
	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

int pmem_remove_memory(phys_addr_t base, uint64_t size)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = buddy_take_range(&pmem_buddy, base, size);

	if (!rc)
		pmem_partition_bytes -= size;
	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

int pmem_alloc(unsigned int order, phys_addr_t *out)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = buddy_alloc(&pmem_buddy, order, out);

	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

int pmem_alloc_below(unsigned int order, phys_addr_t limit, phys_addr_t *out)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = buddy_alloc_below(&pmem_buddy, order, limit, out);

	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

int pmem_free(phys_addr_t pa, unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = buddy_free(&pmem_buddy, pa, order);

	/* Debug builds verify the whole allocator after every free. */
	if (CONFIG_DEBUG && buddy_check(&pmem_buddy))
		panic("pmem: allocator inconsistent after freeing %lx order %u", pa, order);
	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

int pmem_order_for(uint64_t size)
{
	return buddy_order_for(size);
}

int pmem_check(void)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);
	int rc = buddy_check(&pmem_buddy);

	spin_unlock_irqrestore(&pmem_lock, flags);
	return rc;
}

void pmem_get_stats(struct pmem_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&pmem_lock);

	st->partition_bytes = pmem_partition_bytes;
	st->held_at_boot = pmem_partition_bytes - pmem_buddy.managed_pages * PAGE_SIZE;
	st->free_bytes = buddy_free_bytes(&pmem_buddy);
	st->free_blocks_2m = 0;
	st->free_blocks_1g = pmem_buddy.nr_free[PMEM_ORDER_1G];
	for (unsigned int k = PMEM_ORDER_2M; k <= BUDDY_MAX_ORDER; k++)
		st->free_blocks_2m += pmem_buddy.nr_free[k];
	spin_unlock_irqrestore(&pmem_lock, flags);
}
