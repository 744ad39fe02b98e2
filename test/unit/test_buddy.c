// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the buddy allocator. Simulated physical memory [0, 8 GiB)
 * is one lazily backed host mapping, so in-band list nodes land in real
 * memory; holes can be made PROT_NONE to prove the allocator never touches
 * memory it was not given.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cove/buddy.h>
#include <cove/errno.h>
#include "unit.h"

#define SIM_SIZE (8 * GiB)

static char *sim_mem;
static struct buddy sim_b;
static void *sim_meta;

static void *sim_phys_to_virt(phys_addr_t pa)
{
	/* A bad address here is an allocator bug; crash loudly under ASan. */
	if (pa >= SIM_SIZE || !IS_ALIGNED(pa, PAGE_SIZE))
		abort();
	return sim_mem + pa;
}

/* A fresh allocator over [lo, hi) on zeroed simulated memory. */
static struct buddy *sim_buddy(phys_addr_t lo, phys_addr_t hi)
{
	size_t size = buddy_metadata_size(lo, hi);

	if (!sim_mem) {
		sim_mem = mmap(NULL, SIM_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (sim_mem == MAP_FAILED)
			abort();
	} else {
		madvise(sim_mem, SIM_SIZE, MADV_DONTNEED);
	}
	free(sim_meta);
	sim_meta = malloc(size);
	if (!sim_meta)
		abort();
	/* Garbage, so a missing zeroing in buddy_init shows up in buddy_check. */
	memset(sim_meta, 0xa5, size);
	buddy_init(&sim_b, lo, hi, sim_meta, sim_phys_to_virt);
	return &sim_b;
}

struct snap {
	uint64_t nr_free[BUDDY_NR_ORDERS];
	uint64_t free_pages;
};

static struct snap snap_take(const struct buddy *b)
{
	struct snap s;

	memcpy(s.nr_free, b->nr_free, sizeof(s.nr_free));
	s.free_pages = b->free_pages;
	return s;
}

static void snap_check(const struct buddy *b, const struct snap *s)
{
	for (int k = 0; k <= BUDDY_MAX_ORDER; k++)
		CHECK_EQ(b->nr_free[k], s->nr_free[k]);
	CHECK_EQ(b->free_pages, s->free_pages);
	CHECK_EQ(buddy_check(b), 0);
}

struct range {
	phys_addr_t lo, hi;
};

static bool block_inside(const struct range *r, int n, phys_addr_t pa, uint64_t size)
{
	for (int i = 0; i < n; i++) {
		if (pa >= r[i].lo && pa + size <= r[i].hi)
			return true;
	}
	return false;
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

TEST(buddy_order_for_edges)
{
	CHECK_EQ(buddy_order_for(0), -EINVAL);
	CHECK_EQ(buddy_order_for(1), 0);
	CHECK_EQ(buddy_order_for(PAGE_SIZE), 0);
	CHECK_EQ(buddy_order_for(PAGE_SIZE + 1), 1);
	CHECK_EQ(buddy_order_for(3 * PAGE_SIZE), 2);
	CHECK_EQ(buddy_order_for(2 * MiB - 1), 9);
	CHECK_EQ(buddy_order_for(2 * MiB), 9);
	CHECK_EQ(buddy_order_for(2 * MiB + 1), 10);
	CHECK_EQ(buddy_order_for(GiB / 2 + 1), 18);
	CHECK_EQ(buddy_order_for(GiB), 18);
	CHECK_EQ(buddy_order_for(GiB + 1), -EINVAL);
	CHECK_EQ(buddy_order_for(~0ULL), -EINVAL);
}

TEST(buddy_init_and_metadata)
{
	struct buddy *b;
	size_t one = buddy_metadata_size(4 * GiB, 5 * GiB);
	const unsigned char *m;
	phys_addr_t pa;

	CHECK_EQ(buddy_metadata_size(5 * GiB, 5 * GiB), 0);
	CHECK_EQ(buddy_metadata_size(4 * GiB + 5, 5 * GiB - 3), one);
	/* At least the added-page bitmap and the order-0 bitmap: 2 bits a page. */
	CHECK(one >= 2 * (GiB / PAGE_SIZE) / 8);
	CHECK(buddy_metadata_size(4 * GiB, 5 * GiB + 1) > one);

	b = sim_buddy(4 * GiB + 5, 6 * GiB + 1);
	CHECK_EQ(b->base, 4 * GiB);
	CHECK_EQ(b->nr_pages, 3 * (GiB / PAGE_SIZE));
	CHECK_EQ(b->free_pages, 0);
	CHECK_EQ(b->managed_pages, 0);
	m = sim_meta;
	for (size_t i = 0; i < buddy_metadata_size(4 * GiB + 5, 6 * GiB + 1); i++) {
		if (m[i]) {
			CHECK_EQ(m[i], 0);
			break;
		}
	}
	CHECK_EQ(buddy_check(b), 0);
	CHECK_EQ(buddy_free_bytes(b), 0);
	CHECK_EQ(buddy_alloc(b, 0, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 0, ~0ULL, &pa), -ENOMEM);
}

TEST(buddy_add_range_holes)
{
	struct buddy *b = sim_buddy(4 * GiB, 7 * GiB);
	/* Page-rounded inward versions of the ranges added below. */
	static const struct range r[] = {
		{ 4 * GiB + 0x2000, 4 * GiB + 3 * MiB },
		{ 4 * GiB + 5 * MiB, 5 * GiB },
		{ 6 * GiB, 7 * GiB },
	};
	/* Largest aligned blocks: pages 2..767, 1280..262143, then one 1 GiB. */
	static const uint64_t want[BUDDY_NR_ORDERS] = {
		0, 1, 1, 1, 1, 1, 1, 1, 3, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1
	};
	uint64_t pages = 766 + (262144 - 1280) + 262144, got = 0;
	phys_addr_t blocks[64];
	unsigned int orders[64];
	int n = 0;
	struct snap s;

	/* Outside the span or wrapping, while nothing else could refuse them. */
	CHECK_EQ(buddy_add_range(b, 3 * GiB, MiB), -EINVAL);
	CHECK_EQ(buddy_add_range(b, 4 * GiB - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	CHECK_EQ(buddy_add_range(b, 7 * GiB - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	CHECK_EQ(buddy_add_range(b, ~0ULL - 10, 100), -EINVAL);
	CHECK_EQ(b->managed_pages, 0);
	CHECK_EQ(buddy_check(b), 0);

	CHECK_EQ(buddy_add_range(b, 4 * GiB + 0x1234, 3 * MiB + 0x10 - 0x1234), 0);
	CHECK_EQ(buddy_add_range(b, 4 * GiB + 5 * MiB, GiB - 5 * MiB), 0);
	CHECK_EQ(buddy_add_range(b, 6 * GiB, GiB), 0);
	/* No whole page inside: nothing to add, not an error. */
	CHECK_EQ(buddy_add_range(b, 5 * GiB + 100, 3000), 0);
	CHECK_EQ(buddy_add_range(b, 5 * GiB + 100, 0), 0);

	for (int k = 0; k <= BUDDY_MAX_ORDER; k++)
		CHECK_EQ(b->nr_free[k], want[k]);
	CHECK_EQ(b->free_pages, pages);
	CHECK_EQ(b->managed_pages, pages);
	CHECK_EQ(buddy_free_bytes(b), pages * PAGE_SIZE);
	CHECK_EQ(buddy_check(b), 0);
	s = snap_take(b);

	/* Any touch of a hole now faults. */
	CHECK_EQ(mprotect(sim_mem + 4 * GiB, 0x2000, PROT_NONE), 0);
	CHECK_EQ(mprotect(sim_mem + 4 * GiB + 3 * MiB, 2 * MiB, PROT_NONE), 0);
	CHECK_EQ(mprotect(sim_mem + 5 * GiB, GiB, PROT_NONE), 0);

	for (int k = BUDDY_MAX_ORDER; k >= 0; k--) {
		phys_addr_t pa;
		uint64_t size = PAGE_SIZE << k;

		while (n < 64 && buddy_alloc(b, k, &pa) == 0) {
			CHECK(IS_ALIGNED(pa, size));
			CHECK(block_inside(r, 3, pa, size));
			sim_mem[pa] = 1;
			sim_mem[pa + size - 1] = 1;
			blocks[n] = pa;
			orders[n++] = k;
			got += size / PAGE_SIZE;
		}
	}
	/* Largest first takes exactly the initial blocks, no splitting. */
	CHECK_EQ(n, 19);
	CHECK_EQ(got, pages);
	CHECK_EQ(b->free_pages, 0);
	CHECK_EQ(buddy_check(b), 0);
	while (n--)
		CHECK_EQ(buddy_free(b, blocks[n], orders[n]), 0);
	snap_check(b, &s);

	mprotect(sim_mem + 4 * GiB, 0x2000, PROT_READ | PROT_WRITE);
	mprotect(sim_mem + 4 * GiB + 3 * MiB, 2 * MiB, PROT_READ | PROT_WRITE);
	mprotect(sim_mem + 5 * GiB, GiB, PROT_READ | PROT_WRITE);
}

TEST(buddy_alloc_free_orders)
{
	struct buddy *b = sim_buddy(4 * GiB, 6 * GiB);
	phys_addr_t pa, blocks[BUDDY_NR_ORDERS], extra;
	struct snap s;
	int n;

	CHECK_EQ(buddy_add_range(b, 4 * GiB, 2 * GiB), 0);
	CHECK_EQ(b->nr_free[BUDDY_MAX_ORDER], 2);
	s = snap_take(b);

	/* One at a time: each is aligned, inside, and merges fully on free. */
	for (int k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t size = PAGE_SIZE << k;

		CHECK_EQ(buddy_alloc(b, k, &pa), 0);
		CHECK(IS_ALIGNED(pa, size));
		CHECK(pa >= 4 * GiB && pa + size <= 6 * GiB);
		CHECK_EQ(buddy_free_bytes(b), 2 * GiB - size);
		CHECK_EQ(buddy_check(b), 0);
		CHECK_EQ(buddy_free(b, pa, k), 0);
		snap_check(b, &s);
	}
	CHECK_EQ(buddy_alloc(b, BUDDY_MAX_ORDER + 1, &pa), -EINVAL);
	CHECK_EQ(buddy_alloc_below(b, BUDDY_MAX_ORDER + 1, ~0ULL, &pa), -EINVAL);

	/* One of every order at once leaves exactly one page free. */
	for (int k = 0; k <= BUDDY_MAX_ORDER; k++) {
		CHECK_EQ(buddy_alloc(b, k, &blocks[k]), 0);
		CHECK(IS_ALIGNED(blocks[k], PAGE_SIZE << k));
		for (int j = 0; j < k; j++)
			CHECK(blocks[j] + (PAGE_SIZE << j) <= blocks[k] ||
			      blocks[k] + (PAGE_SIZE << k) <= blocks[j]);
	}
	CHECK(IS_ALIGNED(blocks[9], 2 * MiB));
	CHECK(IS_ALIGNED(blocks[18], GiB));
	CHECK_EQ(b->free_pages, 1);
	CHECK_EQ(buddy_check(b), 0);
	CHECK_EQ(buddy_alloc(b, 1, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc(b, 0, &extra), 0);
	CHECK_EQ(buddy_alloc(b, 0, &pa), -ENOMEM);
	CHECK_EQ(buddy_free(b, extra, 0), 0);
	for (int k = 0; k <= BUDDY_MAX_ORDER; k += 2)
		CHECK_EQ(buddy_free(b, blocks[k], k), 0);
	CHECK_EQ(buddy_check(b), 0);
	for (int k = 1; k <= BUDDY_MAX_ORDER; k += 2)
		CHECK_EQ(buddy_free(b, blocks[k], k), 0);
	snap_check(b, &s);

	/* Large pages out of an oddly aligned range stay physically aligned. */
	b = sim_buddy(4 * GiB, 5 * GiB);
	CHECK_EQ(buddy_add_range(b, 4 * GiB + 0x3000, 64 * MiB + 0x2000), 0);
	n = 0;
	while (buddy_alloc(b, 9, &pa) == 0) {
		CHECK(IS_ALIGNED(pa, 2 * MiB));
		CHECK(pa >= 4 * GiB + 2 * MiB && pa + 2 * MiB <= 4 * GiB + 64 * MiB);
		n++;
	}
	CHECK_EQ(n, 31);
	CHECK_EQ(buddy_alloc(b, BUDDY_MAX_ORDER, &pa), -ENOMEM);
	CHECK_EQ(buddy_check(b), 0);
}

TEST(buddy_exhaust_and_restore)
{
	struct buddy *b = sim_buddy(4 * GiB, 5 * GiB);
	/* Pages 3..2048 inclusive once rounded inward. */
	const phys_addr_t lo = 4 * GiB + 0x3000, hi = 4 * GiB + 8 * MiB + 0x1000;
	enum { PAGES = 2046 };
	static phys_addr_t got[PAGES + 1];
	static unsigned char seen[2049];
	struct snap s;
	phys_addr_t pa;
	int n = 0;

	CHECK_EQ(buddy_add_range(b, lo, 8 * MiB + 0x1800 - 0x3000), 0);
	CHECK_EQ(b->free_pages, PAGES);
	s = snap_take(b);
	memset(seen, 0, sizeof(seen));

	while (n <= PAGES && buddy_alloc(b, 0, &pa) == 0) {
		uint64_t page = (pa - 4 * GiB) / PAGE_SIZE;

		CHECK(pa >= lo && pa < hi && IS_ALIGNED(pa, PAGE_SIZE));
		if (page < ARRAY_SIZE(seen)) {
			CHECK_EQ(seen[page], 0);
			seen[page] = 1;
		}
		got[n++] = pa;
	}
	CHECK_EQ(n, PAGES);
	CHECK_EQ(b->free_pages, 0);
	for (int k = 0; k <= BUDDY_MAX_ORDER; k++) {
		CHECK_EQ(buddy_alloc(b, k, &pa), -ENOMEM);
		CHECK_EQ(buddy_alloc_below(b, k, ~0ULL, &pa), -ENOMEM);
	}
	CHECK_EQ(buddy_check(b), 0);

	/* Free in a shuffled order; everything must merge back. */
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int i = n - 1; i > 0; i--) {
		int j = rng_next() % (i + 1);
		phys_addr_t t = got[i];

		got[i] = got[j];
		got[j] = t;
	}
	for (int i = 0; i < n; i++) {
		CHECK_EQ(buddy_free(b, got[i], 0), 0);
		if (i % 256 == 0)
			CHECK_EQ(buddy_check(b), 0);
	}
	snap_check(b, &s);

	/* Order 3 blocks fit at pages 8..2047 only: 255 of them, 6 pages left. */
	n = 0;
	while (n <= PAGES && buddy_alloc(b, 3, &pa) == 0) {
		CHECK(IS_ALIGNED(pa, 8 * PAGE_SIZE) && pa >= lo && pa + 8 * PAGE_SIZE <= hi);
		got[n++] = pa;
	}
	CHECK_EQ(n, 255);
	CHECK_EQ(b->free_pages, 6);
	CHECK_EQ(buddy_check(b), 0);
	while (n--)
		CHECK_EQ(buddy_free(b, got[n], 3), 0);
	snap_check(b, &s);
}

TEST(buddy_alloc_below_limits)
{
	struct buddy *b = sim_buddy(0, GiB);
	phys_addr_t pa, big, mid, low[160];
	struct snap s;
	int n = 0;

	/* A PC-like low map: page 0 and the 640K..1M hole are not memory. */
	CHECK_EQ(buddy_add_range(b, 0x1000, 0x9e000), 0);
	CHECK_EQ(buddy_add_range(b, MiB, GiB - MiB), 0);
	s = snap_take(b);

	CHECK_EQ(buddy_alloc_below(b, 0, MiB, &pa), 0);
	CHECK_EQ(pa, 0x1000);
	low[n++] = pa;
	CHECK_EQ(buddy_alloc_below(b, 9, MiB, &pa), -ENOMEM);
	/* The 2 MiB block at 2 MiB ends at 4 MiB, past an unaligned limit. */
	CHECK_EQ(buddy_alloc_below(b, 9, 3 * MiB + 100, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 9, 4 * MiB, &big), 0);
	CHECK_EQ(big, 2 * MiB);
	CHECK_EQ(buddy_alloc_below(b, 0, 0, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 0, PAGE_SIZE, &pa), -ENOMEM);
	CHECK_EQ(buddy_check(b), 0);

	while (n < 160 && buddy_alloc_below(b, 0, MiB, &pa) == 0) {
		CHECK(pa >= 0x1000 && pa + PAGE_SIZE <= 0x9f000);
		low[n++] = pa;
	}
	CHECK_EQ(n, 158);
	CHECK_EQ(buddy_alloc_below(b, 0, MiB, &pa), -ENOMEM);

	/* The next lowest fit splits the 1 MiB..2 MiB area. */
	CHECK_EQ(buddy_alloc_below(b, 0, 2 * MiB, &mid), 0);
	CHECK_EQ(mid, MiB);
	/* Only a block that lies wholly below the limit will do. */
	CHECK_EQ(buddy_alloc_below(b, 2, MiB + 16 * KiB, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 2, MiB + 32 * KiB, &pa), 0);
	CHECK_EQ(pa, MiB + 16 * KiB);
	CHECK_EQ(buddy_free(b, pa, 2), 0);
	/* A limit past the span behaves like a plain alloc. */
	CHECK_EQ(buddy_alloc_below(b, BUDDY_MAX_ORDER, ~0ULL, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 17, ~0ULL, &pa), 0);
	CHECK(IS_ALIGNED(pa, GiB / 2) && pa + GiB / 2 <= GiB);
	CHECK_EQ(buddy_free(b, pa, 17), 0);
	CHECK_EQ(buddy_check(b), 0);

	CHECK_EQ(buddy_free(b, mid, 0), 0);
	CHECK_EQ(buddy_free(b, big, 9), 0);
	while (n--)
		CHECK_EQ(buddy_free(b, low[n], 0), 0);
	snap_check(b, &s);

	/* A span that does not start at zero, with limits below and inside it. */
	b = sim_buddy(4 * GiB, 5 * GiB);
	CHECK_EQ(buddy_add_range(b, 4 * GiB, GiB), 0);
	CHECK_EQ(buddy_alloc_below(b, 0, MiB, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 0, 4 * GiB, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 0, 4 * GiB + 8 * KiB, &pa), 0);
	CHECK_EQ(pa, 4 * GiB);
	CHECK_EQ(buddy_alloc_below(b, 1, 4 * GiB + 8 * KiB, &pa), -ENOMEM);
	CHECK_EQ(buddy_alloc_below(b, 0, 4 * GiB + 8 * KiB, &pa), 0);
	CHECK_EQ(pa, 4 * GiB + 4 * KiB);
	CHECK_EQ(buddy_alloc_below(b, 0, 4 * GiB + 8 * KiB, &pa), -ENOMEM);
	CHECK_EQ(buddy_check(b), 0);
}

TEST(buddy_invalid_ops)
{
	struct buddy *b = sim_buddy(4 * GiB, 6 * GiB);
	phys_addr_t a, p;
	struct snap s;

	CHECK_EQ(buddy_add_range(b, 4 * GiB, GiB), 0);
	CHECK_EQ(buddy_alloc(b, 9, &a), 0);
	CHECK_EQ(buddy_alloc(b, 0, &p), 0);
	s = snap_take(b);

	CHECK_EQ(buddy_free(b, a + PAGE_SIZE, 9), -EINVAL);
	CHECK_EQ(buddy_free(b, a + 1, 0), -EINVAL);
	CHECK_EQ(buddy_free(b, p, BUDDY_MAX_ORDER + 1), -EINVAL);
	CHECK_EQ(buddy_free(b, 3 * GiB, 0), -EINVAL);
	CHECK_EQ(buddy_free(b, 4 * GiB - PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(buddy_free(b, 6 * GiB, 0), -EINVAL);
	CHECK_EQ(buddy_free(b, 100 * GiB, 0), -EINVAL);
	/* In the span but never added. */
	CHECK_EQ(buddy_free(b, 5 * GiB, 0), -EINVAL);
	CHECK_EQ(buddy_free(b, 5 * GiB, BUDDY_MAX_ORDER), -EINVAL);
	/* p came from a split, so its buddy page is free already. */
	CHECK_EQ(buddy_free(b, p ^ PAGE_SIZE, 0), -EINVAL);
	/* A block that contains a free block is itself partly free. */
	CHECK_EQ(buddy_free(b, 4 * GiB, BUDDY_MAX_ORDER), -EINVAL);
	CHECK_EQ(buddy_free(b, ALIGN_DOWN(a, 4 * MiB), 10), -EINVAL);
	snap_check(b, &s);

	CHECK_EQ(buddy_free(b, a, 9), 0);
	s = snap_take(b);
	CHECK_EQ(buddy_free(b, a, 9), -EINVAL);
	CHECK_EQ(buddy_free(b, a + 8 * KiB, 0), -EINVAL);
	CHECK_EQ(buddy_free(b, a + 2 * MiB, 9), -EINVAL);
	snap_check(b, &s);

	/* Overlapping additions change nothing. */
	CHECK_EQ(buddy_add_range(b, 4 * GiB, GiB), -EINVAL);
	CHECK_EQ(buddy_add_range(b, 5 * GiB - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	CHECK_EQ(buddy_add_range(b, 4 * GiB + MiB, MiB), -EINVAL);
	CHECK_EQ(buddy_add_range(b, 4 * GiB - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	CHECK_EQ(b->managed_pages, GiB / PAGE_SIZE);
	snap_check(b, &s);

	/* Two adjacent additions merge into one 1 GiB block. */
	CHECK_EQ(buddy_add_range(b, 5 * GiB, 4 * MiB), 0);
	CHECK_EQ(buddy_add_range(b, 5 * GiB + 4 * MiB, GiB - 4 * MiB), 0);
	CHECK_EQ(b->nr_free[BUDDY_MAX_ORDER], s.nr_free[BUDDY_MAX_ORDER] + 1);
	CHECK_EQ(b->free_pages, s.free_pages + GiB / PAGE_SIZE);
	CHECK_EQ(buddy_check(b), 0);

	CHECK_EQ(buddy_free(b, p, 0), 0);
	CHECK_EQ(b->nr_free[BUDDY_MAX_ORDER], 2);
	CHECK_EQ(b->free_pages, b->managed_pages);
	CHECK_EQ(buddy_check(b), 0);
}

TEST(buddy_check_catches_corruption)
{
	struct buddy *b = sim_buddy(4 * GiB, 5 * GiB);
	phys_addr_t p0, p1, head;
	uint64_t *node0, *node1;

	CHECK_EQ(buddy_add_range(b, 4 * GiB, GiB), 0);
	CHECK_EQ(buddy_alloc(b, 0, &p0), 0);
	CHECK_EQ(buddy_check(b), 0);

	b->nr_free[3]++;
	CHECK_EQ(buddy_check(b), -EINVAL);
	b->nr_free[3]--;

	b->free_pages++;
	CHECK_EQ(buddy_check(b), -EINVAL);
	b->free_pages--;

	/* A broken back link; the node is {next, prev}. */
	head = b->free_head[5];
	CHECK(head != BUDDY_NONE);
	node0 = sim_phys_to_virt(head);
	node0[1] = 4 * GiB;
	CHECK_EQ(buddy_check(b), -EINVAL);
	node0[1] = BUDDY_NONE;
	CHECK_EQ(buddy_check(b), 0);

	/* Two buddy pages listed separately, otherwise consistent: a missed merge. */
	CHECK_EQ(buddy_alloc(b, 0, &p1), 0);
	CHECK_EQ(p0 ^ p1, PAGE_SIZE);
	CHECK_EQ(b->free_head[0], BUDDY_NONE);
	node0 = sim_phys_to_virt(p0);
	node1 = sim_phys_to_virt(p1);
	node0[0] = p1;
	node0[1] = BUDDY_NONE;
	node1[0] = BUDDY_NONE;
	node1[1] = p0;
	b->free_head[0] = p0;
	b->nr_free[0] = 2;
	b->free_pages += 2;
	b->bitmap[0][0] |= 3;
	CHECK_EQ(buddy_check(b), -EINVAL);
	b->free_head[0] = BUDDY_NONE;
	b->nr_free[0] = 0;
	b->free_pages -= 2;
	b->bitmap[0][0] &= ~3ULL;

	/* An allocated page marked free and counted, but on no list. */
	b->bitmap[0][0] |= 1;
	b->free_pages++;
	CHECK_EQ(buddy_check(b), -EINVAL);
	b->bitmap[0][0] &= ~1ULL;
	b->free_pages--;

	/* Page 3 listed free while the order-1 block holding it is free. */
	node1 = sim_phys_to_virt(4 * GiB + 3 * PAGE_SIZE);
	CHECK_EQ(b->bitmap[1][0] & 2, 2);
	node1[0] = BUDDY_NONE;
	node1[1] = BUDDY_NONE;
	b->free_head[0] = 4 * GiB + 3 * PAGE_SIZE;
	b->nr_free[0] = 1;
	b->free_pages++;
	b->bitmap[0][0] |= 8;
	CHECK_EQ(buddy_check(b), -EINVAL);
	b->free_head[0] = BUDDY_NONE;
	b->nr_free[0] = 0;
	b->free_pages--;
	b->bitmap[0][0] &= ~8ULL;

	CHECK_EQ(buddy_check(b), 0);
	CHECK_EQ(buddy_free(b, p0, 0), 0);
	CHECK_EQ(buddy_free(b, p1, 0), 0);
	CHECK_EQ(b->nr_free[BUDDY_MAX_ORDER], 1);
	CHECK_EQ(buddy_check(b), 0);
}

#define STRESS_LIVE 4096
#define STRESS_OPS 20000
#define STRESS_BATCH 500

struct live {
	phys_addr_t pa;
	unsigned int order;
};

static void stress_tag(phys_addr_t pa, unsigned int order)
{
	uint64_t tag = pa ^ 0x5a5a5a5a5a5a5a5aULL;

	memcpy(sim_mem + pa, &tag, 8);
	memcpy(sim_mem + pa + (PAGE_SIZE << order) - 8, &tag, 8);
}

static bool stress_tag_ok(phys_addr_t pa, unsigned int order)
{
	uint64_t tag = pa ^ 0x5a5a5a5a5a5a5a5aULL, a, z;

	memcpy(&a, sim_mem + pa, 8);
	memcpy(&z, sim_mem + pa + (PAGE_SIZE << order) - 8, 8);
	return a == tag && z == tag;
}

TEST(buddy_random_stress)
{
	struct buddy *b = sim_buddy(4 * GiB, 6 * GiB);
	static const struct range r[] = {
		{ 4 * GiB + 0x5000, 4 * GiB + 700 * MiB },
		{ 4 * GiB + 701 * MiB, 5 * GiB - 20 * KiB },
		{ 5 * GiB + 3 * MiB, 6 * GiB },
	};
	static struct live live[STRESS_LIVE];
	unsigned char *owner = calloc(b->nr_pages, 1);
	int nlive = 0, fails = 0;
	uint64_t live_pages = 0;
	struct snap s;

	CHECK(owner != NULL);
	if (!owner)
		return;
	CHECK_EQ(buddy_add_range(b, r[0].lo - 0x345, r[0].hi - r[0].lo + 0x345 + 0x123), 0);
	CHECK_EQ(buddy_add_range(b, r[1].lo, r[1].hi - r[1].lo + 0xfff), 0);
	CHECK_EQ(buddy_add_range(b, r[2].lo, r[2].hi - r[2].lo), 0);
	s = snap_take(b);
	rng_state = 0x2545f4914f6cdd1dULL;

	for (int op = 1; op <= STRESS_OPS; op++) {
		uint64_t rnd = rng_next();

		if (nlive < STRESS_LIVE && (nlive == 0 || rnd % 100 < 55)) {
			unsigned int order = (rnd >> 8) % 11;
			uint64_t size = PAGE_SIZE << order, first;
			phys_addr_t pa, limit = ~0ULL;
			int ret;

			if ((rnd >> 16) % 8 == 0) {
				limit = 4 * GiB + (rnd >> 24) % (2 * GiB);
				ret = buddy_alloc_below(b, order, limit, &pa);
			} else {
				ret = buddy_alloc(b, order, &pa);
			}
			if (ret) {
				CHECK_EQ(ret, -ENOMEM);
				/* A plain alloc may only fail when nothing big enough is left. */
				for (unsigned int k = order; k <= BUDDY_MAX_ORDER; k++)
					CHECK(limit != ~0ULL || b->nr_free[k] == 0);
				continue;
			}
			CHECK(IS_ALIGNED(pa, size) && pa + size <= limit);
			CHECK(block_inside(r, 3, pa, size));
			first = (pa - b->base) / PAGE_SIZE;
			for (uint64_t i = 0; i < (1ULL << order) && first + i < b->nr_pages; i++) {
				if (owner[first + i] && fails++ < 5)
					CHECK_EQ(owner[first + i], 0);
				owner[first + i] = 1;
			}
			stress_tag(pa, order);
			live[nlive].pa = pa;
			live[nlive++].order = order;
			live_pages += 1ULL << order;
		} else {
			int i = (rnd >> 8) % nlive;
			struct live l = live[i];
			uint64_t first = (l.pa - b->base) / PAGE_SIZE;

			CHECK(stress_tag_ok(l.pa, l.order));
			memset(owner + first, 0, 1ULL << l.order);
			CHECK_EQ(buddy_free(b, l.pa, l.order), 0);
			if ((rnd >> 40) % 16 == 0)
				CHECK_EQ(buddy_free(b, l.pa, l.order), -EINVAL);
			live[i] = live[--nlive];
			live_pages -= 1ULL << l.order;
		}
		if (op % STRESS_BATCH == 0) {
			CHECK_EQ(buddy_check(b), 0);
			CHECK_EQ(b->free_pages + live_pages, b->managed_pages);
		}
	}
	/* The run must have reached a real load, or it proved little. */
	CHECK(nlive > 500);
	while (nlive--) {
		CHECK(stress_tag_ok(live[nlive].pa, live[nlive].order));
		CHECK_EQ(buddy_free(b, live[nlive].pa, live[nlive].order), 0);
	}
	snap_check(b, &s);
	free(owner);
}

/* No block handed out after a take may touch the range taken. */
static void check_never_hands_out(struct buddy *b, phys_addr_t lo, phys_addr_t hi)
{
	static phys_addr_t got[4096];
	phys_addr_t pa;
	int n = 0;

	while (n < (int)ARRAY_SIZE(got) && buddy_alloc(b, 0, &pa) == 0) {
		CHECK(pa + PAGE_SIZE <= lo || pa >= hi);
		got[n++] = pa;
	}
	while (n--)
		CHECK_EQ(buddy_free(b, got[n], 0), 0);
}

TEST(buddy_take_range_and_give_back)
{
	struct buddy *b = sim_buddy(1 * GiB, 2 * GiB);
	const phys_addr_t lo = 1 * GiB + 3 * MiB + 0x5000, size = 2 * MiB + 0x3000;
	struct snap s;
	phys_addr_t pa;

	CHECK_EQ(buddy_add_range(b, 1 * GiB, 8 * MiB), 0);
	s = snap_take(b);
	CHECK_EQ(buddy_take_range(b, lo, size), 0);
	CHECK_EQ(b->free_pages, s.free_pages - size / PAGE_SIZE);
	CHECK_EQ(b->managed_pages, s.free_pages - size / PAGE_SIZE);
	CHECK_EQ(buddy_check(b), 0);
	check_never_hands_out(b, lo, lo + size);
	CHECK_EQ(buddy_check(b), 0);
	/* Taken pages are no longer the allocator's: freeing one is refused. */
	CHECK_EQ(buddy_free(b, lo, 0), -EINVAL);
	CHECK_EQ(buddy_take_range(b, lo, PAGE_SIZE), -EINVAL);
	/* Given back, everything merges to what it was. */
	CHECK_EQ(buddy_add_range(b, lo, size), 0);
	snap_check(b, &s);
	/* The whole span at once, and back. */
	CHECK_EQ(buddy_take_range(b, 1 * GiB, 8 * MiB), 0);
	CHECK_EQ(b->free_pages, 0);
	CHECK_EQ(buddy_alloc(b, 0, &pa), -ENOMEM);
	CHECK_EQ(buddy_add_range(b, 1 * GiB, 8 * MiB), 0);
	snap_check(b, &s);
}

TEST(buddy_take_range_busy_changes_nothing)
{
	struct buddy *b = sim_buddy(1 * GiB, 2 * GiB);
	phys_addr_t pa, busy = 0;
	struct snap s;

	CHECK_EQ(buddy_add_range(b, 1 * GiB, 4 * MiB), 0);
	/* Allocate until a page lands in the second MiB, keep it, free the rest. */
	for (int i = 0; i < 1024 && !busy; i++) {
		CHECK_EQ(buddy_alloc(b, 0, &pa), 0);
		if (pa >= 1 * GiB + 1 * MiB && pa < 1 * GiB + 2 * MiB)
			busy = pa;
	}
	CHECK(busy);
	CHECK_EQ(buddy_check(b), 0);
	s = snap_take(b);
	CHECK_EQ(buddy_take_range(b, 1 * GiB + 1 * MiB, 1 * MiB), -EBUSY);
	CHECK_EQ(buddy_take_range(b, busy, PAGE_SIZE), -EBUSY);
	snap_check(b, &s);
	/* A range beside the busy page can still go. */
	CHECK_EQ(buddy_take_range(b, 1 * GiB + 3 * MiB, 1 * MiB), 0);
	CHECK_EQ(buddy_check(b), 0);
}

TEST(buddy_take_range_bad_input)
{
	struct buddy *b = sim_buddy(1 * GiB, 2 * GiB);
	struct snap s;

	CHECK_EQ(buddy_add_range(b, 1 * GiB, 2 * MiB), 0);
	CHECK_EQ(buddy_add_range(b, 1 * GiB + 4 * MiB, 2 * MiB), 0);
	s = snap_take(b);
	CHECK_EQ(buddy_take_range(b, 1 * GiB, 0), -EINVAL);
	CHECK_EQ(buddy_take_range(b, 1 * GiB + 1, PAGE_SIZE), -EINVAL);
	CHECK_EQ(buddy_take_range(b, 1 * GiB, PAGE_SIZE + 1), -EINVAL);
	/* Across the hole between the two ranges. */
	CHECK_EQ(buddy_take_range(b, 1 * GiB + 1 * MiB, 4 * MiB), -EINVAL);
	/* Outside the span, and wrapping. */
	CHECK_EQ(buddy_take_range(b, 4 * GiB, PAGE_SIZE), -EINVAL);
	CHECK_EQ(buddy_take_range(b, 1 * GiB, ~0ULL & ~(PAGE_SIZE - 1)), -EINVAL);
	snap_check(b, &s);
}

TEST(buddy_take_range_random)
{
	struct buddy *b = sim_buddy(2 * GiB, 3 * GiB);
	static phys_addr_t held[256];
	static unsigned int held_order[256];
	struct snap s;
	int nheld = 0;

	CHECK_EQ(buddy_add_range(b, 2 * GiB, 64 * MiB), 0);
	s = snap_take(b);
	rng_state = 0x243f6a8885a308d3ULL;
	for (int round = 0; round < 400; round++) {
		phys_addr_t base = 2 * GiB + (rng_next() % 16384) * PAGE_SIZE;
		uint64_t size = (1 + rng_next() % 600) * PAGE_SIZE;
		unsigned int order = rng_next() % 4;
		phys_addr_t pa;
		int rc;

		if (base + size > 2 * GiB + 64 * MiB)
			continue;
		if (nheld < (int)ARRAY_SIZE(held) && buddy_alloc(b, order, &pa) == 0) {
			held_order[nheld] = order;
			held[nheld++] = pa;
		}
		rc = buddy_take_range(b, base, size);
		CHECK(rc == 0 || rc == -EBUSY || rc == -EINVAL);
		if (rc == 0)
			CHECK_EQ(buddy_add_range(b, base, size), 0);
		CHECK_EQ(buddy_check(b), 0);
		CHECK_EQ(b->managed_pages, s.free_pages);
	}
	for (int i = 0; i < nheld; i++)
		CHECK_EQ(buddy_free(b, held[i], held_order[i]), 0);
	snap_check(b, &s);
}
