// SPDX-License-Identifier: GPL-2.0
/* Self-tests of the physical allocator against the real partition. */
#include <cove/boot_info.h>
#include <cove/kmap.h>
#include <cove/pmem.h>
#include <cove/selftest.h>


/* Header written into each block while the exhaustion test holds it. */
struct held_block {
	phys_addr_t next;
	uint64_t order;
};

static bool in_partition(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < bi->nr_mem; i++) {
		if (base >= bi->mem[i].base && base + size <= bi->mem[i].base + bi->mem[i].size)
			return true;
	}
	return false;
}

static bool overlaps_reserved(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < bi->nr_reserved; i++) {
		const struct boot_reserved *r = &bi->reserved[i];

		if (base < r->base + r->size && r->base < base + size)
			return true;
	}
	return false;
}

SELFTEST(pmem_consistent)
{
	struct pmem_stats st;

	SELFTEST_CHECK(pmem_check() == 0);
	pmem_get_stats(&st);
	SELFTEST_CHECK(st.free_bytes > 0);
	SELFTEST_CHECK(st.free_bytes + st.held_at_boot <= st.partition_bytes);
	return 0;
}

/*
 * Take every free byte, largest blocks first, and check each block: aligned
 * to its size, inside the partition, clear of everything held at entry.
 * Then give it all back and check the allocator is whole again.
 */
SELFTEST(pmem_exhaust_and_restore)
{
	const struct boot_info *bi = kernel_get_boot_info();
	struct pmem_stats before, after;
	phys_addr_t head = 0, pa;
	uint64_t taken = 0, blocks = 0;
	bool ok = true;

	pmem_get_stats(&before);
	for (int order = PMEM_ORDER_1G; order >= 0; order--) {
		while (pmem_alloc((unsigned int)order, &pa) == 0) {
			uint64_t size = PAGE_SIZE << order;
			struct held_block *h = phys_to_virt(pa);

			if ((pa & (size - 1)) || !in_partition(bi, pa, size) ||
			    overlaps_reserved(bi, pa, size))
				ok = false;
			h->next = head;
			h->order = (uint64_t)order;
			head = pa;
			taken += size;
			blocks++;
		}
	}
	while (head) {
		struct held_block *h = phys_to_virt(head);
		phys_addr_t next = h->next;

		SELFTEST_CHECK(pmem_free(head, (unsigned int)h->order) == 0);
		head = next;
	}
	pmem_get_stats(&after);
	kprintf("selftest: pmem took %lu KiB in %lu blocks\n", taken >> 10, blocks);
	SELFTEST_CHECK(ok);
	SELFTEST_CHECK(taken == before.free_bytes);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	SELFTEST_CHECK(after.free_blocks_2m == before.free_blocks_2m);
	SELFTEST_CHECK(pmem_check() == 0);
	return 0;
}

SELFTEST(pmem_large_pages)
{
	struct pmem_stats st;
	phys_addr_t pa;

	SELFTEST_CHECK(pmem_alloc(PMEM_ORDER_2M, &pa) == 0);
	SELFTEST_CHECK((pa & (PAGE_SIZE_2M - 1)) == 0);
	SELFTEST_CHECK(pmem_free(pa, PMEM_ORDER_2M) == 0);
	/* A double free must be refused, not corrupt the lists. */
	SELFTEST_CHECK(pmem_free(pa, PMEM_ORDER_2M) != 0);

	pmem_get_stats(&st);
	if (st.free_blocks_1g) {
		SELFTEST_CHECK(pmem_alloc(PMEM_ORDER_1G, &pa) == 0);
		SELFTEST_CHECK((pa & (PAGE_SIZE_1G - 1)) == 0);
		SELFTEST_CHECK(pmem_free(pa, PMEM_ORDER_1G) == 0);
	}
	/* Below-limit requests (SMP trampoline, 32-bit tables) honour the limit. */
	if (pmem_alloc_below(0, 0x100000, &pa) == 0) {
		SELFTEST_CHECK(pa + PAGE_SIZE <= 0x100000);
		SELFTEST_CHECK(pmem_free(pa, 0) == 0);
	}
	SELFTEST_CHECK(pmem_check() == 0);
	return 0;
}

/*
 * Blocks freed as a batch, more than one batch holds and of mixed orders,
 * come back as if freed one by one: the free bytes and the allocator's
 * consistency are as before.
 */
SELFTEST(pmem_batch_free)
{
	struct pmem_stats before, after;
	struct pmem_batch batch;
	unsigned int taken = 0;

	batch.nr = 0;
	pmem_get_stats(&before);
	for (unsigned int i = 0; i < 3 * PMEM_BATCH_MAX; i++) {
		unsigned int order = i % 3;
		phys_addr_t pa;

		if (pmem_alloc(order, &pa))
			break;
		pmem_batch_add(&batch, pa, order);
		taken++;
	}
	SELFTEST_CHECK(taken == 3 * PMEM_BATCH_MAX);
	/* Full batches went as they filled; the last one waits for the flush. */
	SELFTEST_CHECK(batch.nr == PMEM_BATCH_MAX);
	pmem_batch_flush(&batch);
	SELFTEST_CHECK(batch.nr == 0);
	pmem_get_stats(&after);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	SELFTEST_CHECK(pmem_check() == 0);
	return 0;
}

/*
 * A run freed page by page in address order joins into the block it was
 * (64 pages of an order-6 block: one entry of order 6), a run freed
 * backwards does not, and either way everything comes back.
 */
SELFTEST(pmem_batch_merges_runs)
{
	struct pmem_stats before, after;
	struct pmem_batch batch;
	phys_addr_t pa;

	batch.nr = 0;
	pmem_get_stats(&before);
	SELFTEST_CHECK(pmem_alloc(6, &pa) == 0);
	for (unsigned int i = 0; i < 64; i++)
		pmem_batch_add(&batch, pa + i * PAGE_SIZE, 0);
	SELFTEST_CHECK(batch.nr == 1);
	SELFTEST_CHECK(batch.pa[0] == pa && batch.order[0] == 6);
	pmem_batch_flush(&batch);
	SELFTEST_CHECK(pmem_alloc(1, &pa) == 0);
	pmem_batch_add(&batch, pa + PAGE_SIZE, 0);
	pmem_batch_add(&batch, pa, 0);
	SELFTEST_CHECK(batch.nr == 2);
	pmem_batch_flush(&batch);
	pmem_get_stats(&after);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	SELFTEST_CHECK(pmem_check() == 0);
	return 0;
}
