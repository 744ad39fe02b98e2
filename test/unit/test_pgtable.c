// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the x86-64 page-table builder. Tables come from a pool of
 * real 4 KiB pages handed out under fake physical addresses, so a mix-up
 * between physical and virtual addresses crashes instead of passing.
 */
#include <stdlib.h>
#include <string.h>
#include <arch/pgtable.h>
#include <cove/errno.h>
#include "unit.h"

#define POOL_PAGES	64
#define POOL_PHYS	0x7700000000ULL		/* far from any pa the tests map */

struct pool {
	void *page[POOL_PAGES];
	unsigned int used;
	unsigned int limit;	/* allocations allowed before failing */
};

static void *pool_phys_to_virt(void *ctx, uint64_t pa)
{
	struct pool *p = ctx;
	uint64_t idx = (pa - POOL_PHYS) / PAGE_SIZE;

	if (pa < POOL_PHYS || !IS_ALIGNED(pa, PAGE_SIZE) || idx >= p->used) {
		fprintf(stderr, "pool: bad table pa 0x%llx\n", (unsigned long long)pa);
		abort();
	}
	return p->page[idx];
}

static int pool_alloc(void *ctx, uint64_t *pa)
{
	struct pool *p = ctx;
	void *page;

	if (p->used >= p->limit || p->used == POOL_PAGES)
		return -ENOMEM;
	page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!page)
		abort();
	memset(page, 0, PAGE_SIZE);
	p->page[p->used] = page;
	*pa = POOL_PHYS + p->used * PAGE_SIZE;
	p->used++;
	return 0;
}

static void pool_free(struct pool *p)
{
	for (unsigned int i = 0; i < p->used; i++)
		free(p->page[i]);
}

static void setup(struct pgtable *pt, struct pool *p, bool allow_1g, unsigned int limit)
{
	memset(p, 0, sizeof(*p));
	p->limit = limit;
	memset(pt, 0, sizeof(*pt));
	pt->phys_to_virt = pool_phys_to_virt;
	pt->alloc_table = pool_alloc;
	pt->ctx = p;
	pt->allow_1g = allow_1g;
	CHECK_EQ(pgtable_init(pt), 0);
}

/* Raw entry for va in the table at @lvl (3 = PML4), or NULL if the walk stops above. */
static uint64_t raw_entry(const struct pgtable *pt, uint64_t va, int lvl)
{
	uint64_t *tbl = pt->phys_to_virt(pt->ctx, pt->root);

	for (int l = 3; ; l--) {
		uint64_t e = tbl[(va >> (12 + 9 * l)) & 511];

		if (l == lvl)
			return e;
		if (!(e & PTE_P) || (e & PTE_PS))
			return 0;
		tbl = pt->phys_to_virt(pt->ctx, e & PTE_ADDR_MASK);
	}
}

/* Check va -> want_pa with the given page size (0: don't care). */
static void check_xlate(const struct pgtable *pt, uint64_t va, uint64_t want_pa, uint64_t want_size,
			unsigned int want_flags)
{
	uint64_t pa = ~0ULL, size = ~0ULL;
	unsigned int flags = ~0u;

	CHECK_EQ(pgtable_translate(pt, va, &pa, &size, &flags), 0);
	CHECK_EQ(pa, want_pa);
	if (want_size)
		CHECK_EQ(size, want_size);
	CHECK_EQ(flags, want_flags);
}

static void check_unmapped(const struct pgtable *pt, uint64_t va)
{
	uint64_t pa = 0x1234;

	CHECK_EQ(pgtable_translate(pt, va, &pa, NULL, NULL), -ENOENT);
	CHECK_EQ(pa, 0x1234);
}

TEST(init_allocates_root)
{
	struct pgtable pt;
	struct pool p;

	setup(&pt, &p, false, POOL_PAGES);
	CHECK_EQ(pt.root, POOL_PHYS);
	CHECK_EQ(pt.nr_tables, 1);
	CHECK_EQ(pt.mapped[0] + pt.mapped[1] + pt.mapped[2], 0);
	check_unmapped(&pt, 0);
	check_unmapped(&pt, 0xffffffff80000000ULL);
	pool_free(&p);

	/* An allocator that fails at once must fail init. */
	memset(&p, 0, sizeof(p));
	pt.ctx = &p;
	CHECK_EQ(pgtable_init(&pt), -ENOMEM);
	CHECK_EQ(pt.nr_tables, 0);
}

TEST(identity_map)
{
	struct pgtable pt;
	struct pool p;

	setup(&pt, &p, false, POOL_PAGES);
	/* Low 16 MiB: 2M aligned on both sides, so eight 2M pages. */
	CHECK_EQ(pgtable_map(&pt, 0, 0, 16 * MiB, PGT_WRITE), 0);
	CHECK_EQ(pt.mapped[0], 0);
	CHECK_EQ(pt.mapped[1], 8);
	CHECK_EQ(pt.nr_tables, 3);
	check_xlate(&pt, 0, 0, PAGE_SIZE_2M, PGT_WRITE);
	check_xlate(&pt, 0xb8123, 0xb8123, PAGE_SIZE_2M, PGT_WRITE);
	check_xlate(&pt, 2 * MiB, 2 * MiB, PAGE_SIZE_2M, PGT_WRITE);
	check_xlate(&pt, 16 * MiB - 1, 16 * MiB - 1, PAGE_SIZE_2M, PGT_WRITE);
	check_unmapped(&pt, 16 * MiB);

	/* A short 4K identity run elsewhere, e.g. a trampoline page pair. */
	CHECK_EQ(pgtable_map(&pt, 0x40000000, 0x40000000, 2 * PAGE_SIZE, 0), 0);
	CHECK_EQ(pt.mapped[0], 2);
	check_xlate(&pt, 0x40000000, 0x40000000, PAGE_SIZE, 0);
	check_xlate(&pt, 0x40001fff, 0x40001fff, PAGE_SIZE, 0);
	check_unmapped(&pt, 0x40002000);
	check_unmapped(&pt, 0x3ffff000);
	pool_free(&p);
}

TEST(higher_half)
{
	const uint64_t kva = 0xffffffff80000000ULL, dmap = 0xffff888000000000ULL;
	struct pgtable pt;
	struct pool p;

	setup(&pt, &p, true, POOL_PAGES);
	/* Kernel image: 8 MiB + 4K at -2 GiB from pa 1 MiB, so only 4K pages fit. */
	CHECK_EQ(pgtable_map(&pt, kva, MiB, 8 * MiB + PAGE_SIZE, PGT_GLOBAL), 0);
	CHECK_EQ(pt.mapped[0], 2049);
	check_xlate(&pt, kva, MiB, PAGE_SIZE, PGT_GLOBAL);
	check_xlate(&pt, kva + 8 * MiB + 0xfff, 9 * MiB + 0xfff, PAGE_SIZE, PGT_GLOBAL);
	check_unmapped(&pt, kva + 8 * MiB + PAGE_SIZE);
	check_unmapped(&pt, kva - PAGE_SIZE);

	/* Direct map of 4 GiB: four 1G pages. */
	CHECK_EQ(pgtable_map(&pt, dmap, 0, 4 * GiB, PGT_WRITE | PGT_NOEXEC | PGT_GLOBAL), 0);
	CHECK_EQ(pt.mapped[2], 4);
	for (uint64_t off = 0; off < 4 * GiB; off += 777 * MiB + 0x3210)
		check_xlate(&pt, dmap + off, off, PAGE_SIZE_1G, PGT_WRITE | PGT_NOEXEC | PGT_GLOBAL);
	check_xlate(&pt, dmap + 4 * GiB - 1, 4 * GiB - 1, PAGE_SIZE_1G,
		    PGT_WRITE | PGT_NOEXEC | PGT_GLOBAL);
	check_unmapped(&pt, dmap + 4 * GiB);

	/* The expected PML4 slots, and nothing in the lower half. */
	CHECK(raw_entry(&pt, kva, 3) & PTE_P);
	CHECK(raw_entry(&pt, dmap, 3) & PTE_P);
	CHECK_EQ((kva >> 39) & 511, 511);
	CHECK_EQ((dmap >> 39) & 511, 273);
	check_unmapped(&pt, 0);
	check_unmapped(&pt, kva & 0x00007fffffffffffULL);
	pool_free(&p);
}

/*
 * 3 GiB + 6 MiB + 12 KiB starting one 4K page below a 2M boundary that is 2M
 * below a 1G boundary: 4K | 2M | 1G x3 | 2M x2 | 4K x2 with 1G pages.
 */
#define LP_VA	(0x7f8000000000ULL + GiB - 2 * MiB - PAGE_SIZE)
#define LP_PA	(5 * GiB - 2 * MiB - PAGE_SIZE)
#define LP_LEN	(3 * GiB + 6 * MiB + 12 * KiB)

static void check_linear(const struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t len,
			 unsigned int flags)
{
	static const uint64_t sizes[] = { PAGE_SIZE_2M, PAGE_SIZE_1G };
	uint64_t off;

	/* Every large-page boundary inside the range, and its neighbours. */
	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (off = ALIGN_UP(va, sizes[s]) - va; off < len; off += sizes[s]) {
			check_xlate(pt, va + off, pa + off, 0, flags);
			if (off)
				check_xlate(pt, va + off - 1, pa + off - 1, 0, flags);
			check_xlate(pt, va + off + 1, pa + off + 1, 0, flags);
		}
	}
	/* An odd stride, so samples land at varied offsets in each page. */
	for (off = 0; off < len; off += 3 * MiB + 0x1357)
		check_xlate(pt, va + off, pa + off, 0, flags);
	check_xlate(pt, va, pa, 0, flags);
	check_xlate(pt, va + len - 1, pa + len - 1, 0, flags);
	check_unmapped(pt, va - 1);
	check_unmapped(pt, va + len);
}

TEST(large_pages_with_1g)
{
	struct pgtable pt;
	struct pool p;

	setup(&pt, &p, true, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, LP_VA, LP_PA, LP_LEN, PGT_WRITE), 0);
	CHECK_EQ(pt.mapped[0], 3);
	CHECK_EQ(pt.mapped[1], 3);
	CHECK_EQ(pt.mapped[2], 3);
	/* PML4 + PDPT + two PDs + two PTs. */
	CHECK_EQ(pt.nr_tables, 6);

	check_xlate(&pt, LP_VA, LP_PA, PAGE_SIZE, PGT_WRITE);
	check_xlate(&pt, LP_VA + PAGE_SIZE, LP_PA + PAGE_SIZE, PAGE_SIZE_2M, PGT_WRITE);
	check_xlate(&pt, LP_VA + PAGE_SIZE + 2 * MiB, LP_PA + PAGE_SIZE + 2 * MiB, PAGE_SIZE_1G,
		    PGT_WRITE);
	check_xlate(&pt, LP_VA + PAGE_SIZE + 2 * MiB + 3 * GiB - 1,
		    LP_PA + PAGE_SIZE + 2 * MiB + 3 * GiB - 1, PAGE_SIZE_1G, PGT_WRITE);
	check_xlate(&pt, LP_VA + PAGE_SIZE + 2 * MiB + 3 * GiB,
		    LP_PA + PAGE_SIZE + 2 * MiB + 3 * GiB, PAGE_SIZE_2M, PGT_WRITE);
	check_xlate(&pt, LP_VA + LP_LEN - 2 * PAGE_SIZE, LP_PA + LP_LEN - 2 * PAGE_SIZE, PAGE_SIZE,
		    PGT_WRITE);
	check_xlate(&pt, LP_VA + LP_LEN - 1, LP_PA + LP_LEN - 1, PAGE_SIZE, PGT_WRITE);
	check_linear(&pt, LP_VA, LP_PA, LP_LEN, PGT_WRITE);
	pool_free(&p);
}

TEST(large_pages_without_1g)
{
	struct pgtable pt;
	struct pool p;

	setup(&pt, &p, false, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, LP_VA, LP_PA, LP_LEN, PGT_WRITE), 0);
	CHECK_EQ(pt.mapped[0], 3);
	CHECK_EQ(pt.mapped[1], 3 * 512 + 3);
	CHECK_EQ(pt.mapped[2], 0);
	check_xlate(&pt, LP_VA, LP_PA, PAGE_SIZE, PGT_WRITE);
	check_xlate(&pt, LP_VA + PAGE_SIZE + 2 * MiB, LP_PA + PAGE_SIZE + 2 * MiB, PAGE_SIZE_2M,
		    PGT_WRITE);
	check_xlate(&pt, LP_VA + LP_LEN - 1, LP_PA + LP_LEN - 1, PAGE_SIZE, PGT_WRITE);
	check_linear(&pt, LP_VA, LP_PA, LP_LEN, PGT_WRITE);
	pool_free(&p);
}

TEST(large_pages_need_both_aligned)
{
	struct pgtable pt;
	struct pool p;

	/* va 1G aligned but pa only 2M aligned: 2M pages only. */
	setup(&pt, &p, true, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, 4 * GiB, 6 * MiB, GiB, 0), 0);
	CHECK_EQ(pt.mapped[2], 0);
	CHECK_EQ(pt.mapped[1], 512);
	check_xlate(&pt, 4 * GiB, 6 * MiB, PAGE_SIZE_2M, 0);

	/* pa 2M aligned, va only 4K aligned: 4K pages only. */
	CHECK_EQ(pgtable_map(&pt, 8 * GiB + PAGE_SIZE, 2 * MiB, 4 * MiB, 0), 0);
	CHECK_EQ(pt.mapped[1], 512);
	CHECK_EQ(pt.mapped[0], 1024);
	check_xlate(&pt, 8 * GiB + PAGE_SIZE, 2 * MiB, PAGE_SIZE, 0);
	check_linear(&pt, 8 * GiB + PAGE_SIZE, 2 * MiB, 4 * MiB, 0);
	pool_free(&p);
}

TEST(flags_round_trip)
{
	static const struct {
		unsigned int flags;
		uint64_t pte;
	} cases[] = {
		{ 0, PTE_P },
		{ PGT_WRITE, PTE_P | PTE_RW },
		{ PGT_USER, PTE_P | PTE_US },
		{ PGT_NOEXEC, PTE_P | PTE_NX },
		{ PGT_UNCACHED, PTE_P | PTE_PCD | PTE_PWT },
		{ PGT_GLOBAL, PTE_P | PTE_G },
		{ PGT_WRITE | PGT_NOEXEC | PGT_UNCACHED, PTE_P | PTE_RW | PTE_NX | PTE_PCD | PTE_PWT },
		/* Untracked tables (EPT's among them) never get bit 6. */
		{ PGT_WRITE | PGT_ZEROED, PTE_P | PTE_RW },
		{ PGT_FLAG_MASK, PTE_P | PTE_RW | PTE_US | PTE_NX | PTE_PCD | PTE_PWT | PTE_G },
	};
	const uint64_t flag_bits = ~PTE_ADDR_MASK;
	uint64_t *pdpt, *pd, *ptab;
	struct pgtable pt;
	struct pool p;

	setup(&pt, &p, false, POOL_PAGES);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t va4k = 0x10000000 + i * PAGE_SIZE, va2m = 0x20000000 + i * PAGE_SIZE_2M;
		uint64_t pa = 0x3000000 + i * PAGE_SIZE_2M;

		CHECK_EQ(pgtable_map(&pt, va4k, pa, PAGE_SIZE, cases[i].flags), 0);
		CHECK_EQ(pgtable_map(&pt, va2m, pa, PAGE_SIZE_2M, cases[i].flags), 0);
		/* PGT_ZEROED is how a leaf starts, not a flag it keeps. */
		check_xlate(&pt, va4k + 5, pa + 5, PAGE_SIZE, cases[i].flags & ~PGT_ZEROED);
		check_xlate(&pt, va2m + 5, pa + 5, PAGE_SIZE_2M, cases[i].flags & ~PGT_ZEROED);
		CHECK_EQ(raw_entry(&pt, va4k, 0), pa | cases[i].pte);
		CHECK_EQ(raw_entry(&pt, va2m, 1), pa | cases[i].pte | PTE_PS);
		CHECK_EQ(raw_entry(&pt, va4k, 0) & flag_bits, cases[i].pte);
	}
	/* Intermediates: P|RW, US because user leaves sit below, never NX. */
	for (int l = 1; l <= 3; l++)
		CHECK_EQ(raw_entry(&pt, 0x10000000, l) & flag_bits, PTE_P | PTE_RW | PTE_US);
	CHECK_EQ(raw_entry(&pt, 0x20000000, 2) & flag_bits, PTE_P | PTE_RW | PTE_US);

	/* A kernel-only subtree gets no US on its tables. */
	CHECK_EQ(pgtable_map(&pt, 0xffffc90000000000ULL, 0, PAGE_SIZE, PGT_FLAG_MASK & ~PGT_USER),
		 0);
	for (int l = 1; l <= 3; l++)
		CHECK_EQ(raw_entry(&pt, 0xffffc90000000000ULL, l) & flag_bits, PTE_P | PTE_RW);

	/* Set-by-CPU A/D bits don't change what translate reports. */
	pdpt = pt.phys_to_virt(pt.ctx, raw_entry(&pt, 0x10000000, 3) & PTE_ADDR_MASK);
	pd = pt.phys_to_virt(pt.ctx, pdpt[0] & PTE_ADDR_MASK);
	ptab = pt.phys_to_virt(pt.ctx, pd[0x10000000 >> 21] & PTE_ADDR_MASK);
	ptab[1] |= PTE_A | PTE_D;
	check_xlate(&pt, 0x10001000, 0x3200000, PAGE_SIZE, PGT_WRITE);
	CHECK_EQ(pgtable_map(&pt, 0x10001000, 0x3200000, PAGE_SIZE, PGT_WRITE), 0);
	pool_free(&p);
}

TEST(invalid_args)
{
	struct pgtable pt;
	struct pool p;

	setup(&pt, &p, true, POOL_PAGES);
	/* Non-canonical, or crossing the canonical hole from either side. */
	CHECK_EQ(pgtable_map(&pt, 0x0000800000000000ULL, 0, PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0xffff7ffffffff000ULL, 0, PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x00007ffffffff000ULL, 0, 2 * PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0xffff7ffffffff000ULL, 0, 2 * PAGE_SIZE, 0), -EINVAL);
	/* Both ends canonical, but the range spans the hole. */
	CHECK_EQ(pgtable_map(&pt, 0, 0, 0xffff800000001000ULL, 0), -EINVAL);
	CHECK_EQ(pgtable_unmap(&pt, 0, 0xffff800000001000ULL), -EINVAL);
	/* Misaligned va, pa, len; empty. */
	CHECK_EQ(pgtable_map(&pt, 0x1800, 0, PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x10, PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0, 100, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0, 0, 0), -EINVAL);
	/* Wrapping va, wrapping pa, pa beyond 52 bits. */
	CHECK_EQ(pgtable_map(&pt, 0xfffffffffffff000ULL, 0, 2 * PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0xfffffffffffff000ULL, 2 * PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, (1ULL << 52) - PAGE_SIZE, 2 * PAGE_SIZE, 0), -EINVAL);
	/* Unknown flag. */
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0, PAGE_SIZE, 1u << 6), -EINVAL);
	/* Same rules for unmap. */
	CHECK_EQ(pgtable_unmap(&pt, 0x0000800000000000ULL, PAGE_SIZE), -EINVAL);
	CHECK_EQ(pgtable_unmap(&pt, 0x1000, 0), -EINVAL);
	CHECK_EQ(pgtable_unmap(&pt, 0x1001, PAGE_SIZE), -EINVAL);
	CHECK_EQ(pgtable_unmap(&pt, 0xfffffffffffff000ULL, 2 * PAGE_SIZE), -EINVAL);
	CHECK_EQ(pt.nr_tables, 1);
	CHECK_EQ(pt.mapped[0] + pt.mapped[1] + pt.mapped[2], 0);

	/* The very edges of both halves are fine. */
	CHECK_EQ(pgtable_map(&pt, 0xfffffffffffff000ULL, (1ULL << 52) - PAGE_SIZE, PAGE_SIZE, 0), 0);
	check_xlate(&pt, 0xffffffffffffffffULL, (1ULL << 52) - 1, PAGE_SIZE, 0);
	CHECK_EQ(pgtable_map(&pt, 0x00007ffffffff000ULL, 0, PAGE_SIZE, 0), 0);
	check_xlate(&pt, 0x00007fffffffffffULL, 0xfff, PAGE_SIZE, 0);
	CHECK_EQ(pgtable_unmap(&pt, 0xfffffffffffff000ULL, PAGE_SIZE), 0);
	check_unmapped(&pt, 0xfffffffffffff000ULL);
	pool_free(&p);
}

TEST(remap_conflict)
{
	const uint64_t va = 0x600000000ULL, pa = 0x80000000ULL;
	struct pgtable pt;
	struct pool p;
	uint64_t tables;

	setup(&pt, &p, false, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, va, pa, 4 * MiB, PGT_WRITE), 0);
	tables = pt.nr_tables;

	/* Identical, whole or a 4K piece of a 2M page: no-op. */
	CHECK_EQ(pgtable_map(&pt, va, pa, 4 * MiB, PGT_WRITE), 0);
	CHECK_EQ(pgtable_map(&pt, va + 3 * MiB, pa + 3 * MiB, PAGE_SIZE, PGT_WRITE), 0);
	CHECK_EQ(pt.mapped[1], 2);
	CHECK_EQ(pt.mapped[0], 0);
	CHECK_EQ(pt.nr_tables, tables);

	/* Different flags or target, whole or in part. */
	CHECK_EQ(pgtable_map(&pt, va, pa, 4 * MiB, 0), -EEXIST);
	CHECK_EQ(pgtable_map(&pt, va, pa + 2 * MiB, 2 * MiB, PGT_WRITE), -EEXIST);
	CHECK_EQ(pgtable_map(&pt, va + 3 * MiB, pa, PAGE_SIZE, PGT_WRITE), -EEXIST);
	CHECK_EQ(pgtable_map(&pt, va + MiB, pa + MiB, PAGE_SIZE, PGT_WRITE | PGT_USER), -EEXIST);
	check_xlate(&pt, va + 3 * MiB, pa + 3 * MiB, PAGE_SIZE_2M, PGT_WRITE);

	/* Runs into the mapping from below: the part before it stays mapped. */
	CHECK_EQ(pgtable_map(&pt, va - 2 * PAGE_SIZE, 0, 3 * PAGE_SIZE, PGT_WRITE), -EEXIST);
	check_xlate(&pt, va - 2 * PAGE_SIZE, 0, PAGE_SIZE, PGT_WRITE);
	check_xlate(&pt, va - PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, PGT_WRITE);
	check_xlate(&pt, va, pa, PAGE_SIZE_2M, PGT_WRITE);

	/* Filling a 2M range around existing 4K pages keeps them and uses 4K. */
	CHECK_EQ(pgtable_map(&pt, 16 * GiB + 8 * PAGE_SIZE, 0x40008000, PAGE_SIZE, 0), 0);
	CHECK_EQ(pgtable_map(&pt, 16 * GiB, 0x40000000, 2 * MiB, 0), 0);
	CHECK_EQ(pt.mapped[0], 2 + 512);
	check_xlate(&pt, 16 * GiB, 0x40000000, PAGE_SIZE, 0);
	check_xlate(&pt, 16 * GiB + 2 * MiB - 1, 0x40000000 + 2 * MiB - 1, PAGE_SIZE, 0);
	/* ...but not when one of them disagrees. */
	CHECK_EQ(pgtable_map(&pt, 16 * GiB + 8 * MiB + PAGE_SIZE, 0, PAGE_SIZE, 0), 0);
	CHECK_EQ(pgtable_map(&pt, 16 * GiB + 8 * MiB, 0x50000000, 2 * MiB, 0), -EEXIST);
	check_xlate(&pt, 16 * GiB + 8 * MiB, 0x50000000, PAGE_SIZE, 0);
	check_xlate(&pt, 16 * GiB + 8 * MiB + PAGE_SIZE, 0, PAGE_SIZE, 0);
	check_unmapped(&pt, 16 * GiB + 8 * MiB + 2 * PAGE_SIZE);

	/* 1G page: a 2M piece of it remapped identically is a no-op too. */
	pt.allow_1g = true;
	CHECK_EQ(pgtable_map(&pt, 32 * GiB, 2 * GiB, GiB, 0), 0);
	CHECK_EQ(pgtable_map(&pt, 32 * GiB + 4 * MiB, 2 * GiB + 4 * MiB, 2 * MiB, 0), 0);
	CHECK_EQ(pgtable_map(&pt, 32 * GiB + 4 * MiB, 2 * GiB, 2 * MiB, 0), -EEXIST);
	CHECK_EQ(pt.mapped[2], 1);
	pool_free(&p);
}

TEST(alloc_failure)
{
	struct pgtable pt;
	struct pool p;

	/* Root only: the first map needs a PDPT. */
	setup(&pt, &p, false, 1);
	CHECK_EQ(pgtable_map(&pt, 0, 0, PAGE_SIZE, 0), -ENOMEM);
	check_unmapped(&pt, 0);
	pool_free(&p);

	/* Room for PDPT and PD but not the PT. */
	setup(&pt, &p, false, 3);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, PAGE_SIZE, 0), -ENOMEM);
	CHECK_EQ(pt.nr_tables, 3);
	CHECK_EQ(pt.mapped[0], 0);
	check_unmapped(&pt, 0x1000);
	/* 2M pages need no PT, and the half-built path is reused once memory returns. */
	CHECK_EQ(pgtable_map(&pt, 2 * MiB, 2 * MiB, 2 * MiB, 0), 0);
	p.limit = 4;
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, PAGE_SIZE, 0), 0);
	CHECK_EQ(pt.nr_tables, 4);
	check_xlate(&pt, 0x1000, 0x1000, PAGE_SIZE, 0);

	/* Splitting on unmap needs a table: the large page must survive failure. */
	CHECK_EQ(pgtable_unmap(&pt, 3 * MiB, PAGE_SIZE), -ENOMEM);
	check_xlate(&pt, 3 * MiB, 3 * MiB, PAGE_SIZE_2M, 0);
	CHECK_EQ(pt.mapped[1], 1);
	pool_free(&p);
}

/*
 * unmap_next hands out each mapped page of a range once, in order, unmapped
 * in the same walk: 4K pages and a 2M page whole, a 2M page the end cuts
 * through split with its upper half left, holes skipped; a split with no
 * table to spare fails and leaves the large page whole.
 */
TEST(unmap_next)
{
	const uint64_t want_va[] = { 0x1000, 0x3000, 4 * MiB, 8 * MiB };
	const uint64_t want_size[] = { PAGE_SIZE, PAGE_SIZE, PAGE_SIZE_2M, PAGE_SIZE };
	uint64_t va = 0, pa = 0, size = 0, n = 0;
	struct pgtable pt;
	struct pool p;
	int rc;

	setup(&pt, &p, false, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x51000, PAGE_SIZE, PGT_WRITE), 0);
	CHECK_EQ(pgtable_map(&pt, 0x3000, 0x53000, PAGE_SIZE, PGT_WRITE), 0);
	CHECK_EQ(pgtable_map(&pt, 4 * MiB, 40 * MiB, 2 * MiB, PGT_WRITE), 0);
	CHECK_EQ(pgtable_map(&pt, 8 * MiB, 80 * MiB, 2 * MiB, PGT_WRITE), 0);
	while ((rc = pgtable_unmap_next(&pt, &va, 9 * MiB, &pa, &size)) == 1) {
		if (n < 4) {
			CHECK_EQ(va, want_va[n]);
			CHECK_EQ(size, want_size[n]);
		} else {
			CHECK_EQ(va, 8 * MiB + (n - 3) * PAGE_SIZE);
			CHECK_EQ(size, PAGE_SIZE);
		}
		CHECK_EQ(pa, n == 0 ? 0x51000 : n == 1 ? 0x53000 : n == 2 ? 40 * MiB :
			 80 * MiB + (va - 8 * MiB));
		check_unmapped(&pt, va);
		va += size;
		n++;
	}
	CHECK_EQ(rc, 0);
	CHECK_EQ(n, 3 + 256);
	CHECK_EQ(va, 9 * MiB);
	CHECK_EQ(pt.mapped[1], 0);
	CHECK_EQ(pt.mapped[0], 256);
	check_xlate(&pt, 9 * MiB, 81 * MiB, PAGE_SIZE, PGT_WRITE);
	/* Nothing left below: none, and an empty range is none too. */
	va = 0;
	CHECK_EQ(pgtable_unmap_next(&pt, &va, 9 * MiB, &pa, &size), 0);
	va = 0x5000;
	CHECK_EQ(pgtable_unmap_next(&pt, &va, 0x5000, NULL, NULL), 0);
	va = 0x1800;
	CHECK_EQ(pgtable_unmap_next(&pt, &va, 0x5000, NULL, NULL), -EINVAL);
	pool_free(&p);

	/* Root, PDPT, PD: no table left to split the 2M page. */
	setup(&pt, &p, false, 3);
	CHECK_EQ(pgtable_map(&pt, 2 * MiB, 2 * MiB, 2 * MiB, 0), 0);
	va = 0;
	CHECK_EQ(pgtable_unmap_next(&pt, &va, 3 * MiB, &pa, &size), -ENOMEM);
	CHECK_EQ(va, 2 * MiB);
	check_xlate(&pt, 3 * MiB, 3 * MiB, PAGE_SIZE_2M, 0);
	pool_free(&p);
}

TEST(unmap_splits_1g)
{
	const uint64_t va = 0xffff888000000000ULL, pa = 0x80000000ULL;
	const unsigned int fl = PGT_WRITE | PGT_NOEXEC | PGT_GLOBAL;
	const uint64_t hole = va + GiB + 6 * MiB + 12 * KiB;
	struct pgtable pt;
	struct pool p;
	uint64_t tables;

	setup(&pt, &p, true, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, va, pa, 2 * GiB, fl), 0);
	CHECK_EQ(pt.mapped[2], 2);
	tables = pt.nr_tables;

	CHECK_EQ(pgtable_unmap(&pt, hole, PAGE_SIZE), 0);
	CHECK_EQ(pt.nr_tables, tables + 2);
	CHECK_EQ(pt.mapped[2], 1);
	CHECK_EQ(pt.mapped[1], 511);
	CHECK_EQ(pt.mapped[0], 511);
	check_unmapped(&pt, hole);
	check_unmapped(&pt, hole + PAGE_SIZE - 1);
	check_xlate(&pt, hole - 1, pa + (hole - va) - 1, PAGE_SIZE, fl);
	check_xlate(&pt, hole + PAGE_SIZE, pa + (hole - va) + PAGE_SIZE, PAGE_SIZE, fl);
	check_xlate(&pt, va + GiB + 6 * MiB, pa + GiB + 6 * MiB, PAGE_SIZE, fl);
	check_xlate(&pt, va + GiB + 8 * MiB - 1, pa + GiB + 8 * MiB - 1, PAGE_SIZE, fl);
	check_xlate(&pt, va + GiB + 8 * MiB, pa + GiB + 8 * MiB, PAGE_SIZE_2M, fl);
	check_xlate(&pt, va + GiB + 6 * MiB - 1, pa + GiB + 6 * MiB - 1, PAGE_SIZE_2M, fl);
	check_xlate(&pt, va + GiB, pa + GiB, PAGE_SIZE_2M, fl);
	check_xlate(&pt, va + 2 * GiB - 1, pa + 2 * GiB - 1, PAGE_SIZE_2M, fl);
	check_xlate(&pt, va + GiB - 1, pa + GiB - 1, PAGE_SIZE_1G, fl);
	check_xlate(&pt, va, pa, PAGE_SIZE_1G, fl);
	/* Every page of the split 1G except the hole still maps linearly. */
	for (uint64_t off = GiB; off < 2 * GiB; off += 5 * MiB + 0x2468)
		if (va + off < hole || va + off >= hole + PAGE_SIZE)
			check_xlate(&pt, va + off, pa + off, 0, fl);
	/* Split leaves keep the flags bit for bit, PS only on the 2M ones. */
	CHECK_EQ(raw_entry(&pt, va + GiB, 1), (pa + GiB) | PTE_P | PTE_RW | PTE_NX | PTE_G | PTE_PS);
	CHECK_EQ(raw_entry(&pt, hole - PAGE_SIZE, 0),
		 (pa + (hole - va) - PAGE_SIZE) | PTE_P | PTE_RW | PTE_NX | PTE_G);

	/* A whole 2M piece needs no further split; a whole 1G page none at all. */
	CHECK_EQ(pgtable_unmap(&pt, va + GiB + 2 * MiB, 2 * MiB), 0);
	CHECK_EQ(pgtable_unmap(&pt, va, GiB), 0);
	CHECK_EQ(pt.nr_tables, tables + 2);
	CHECK_EQ(pt.mapped[2], 0);
	CHECK_EQ(pt.mapped[1], 510);
	check_unmapped(&pt, va);
	check_unmapped(&pt, va + GiB - 1);
	check_unmapped(&pt, va + GiB + 3 * MiB);
	check_xlate(&pt, va + GiB + 4 * MiB, pa + GiB + 4 * MiB, PAGE_SIZE_2M, fl);

	/* Unmapping across holes and past the end is fine; then the range can be reused. */
	CHECK_EQ(pgtable_unmap(&pt, va, 4 * GiB), 0);
	CHECK_EQ(pt.mapped[0] + pt.mapped[1] + pt.mapped[2], 0);
	check_unmapped(&pt, va + GiB + 8 * MiB);
	CHECK_EQ(pgtable_map(&pt, hole, 0x1000, PAGE_SIZE, 0), 0);
	check_xlate(&pt, hole, 0x1000, PAGE_SIZE, 0);
	pool_free(&p);
}

TEST(unmap_splits_2m_range)
{
	struct pgtable pt;
	struct pool p;

	/* A range cutting two 2M pages in half each: both split, middle gone. */
	setup(&pt, &p, false, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, 0x200000000ULL, 0x10000000, 6 * MiB, PGT_USER), 0);
	CHECK_EQ(pgtable_unmap(&pt, 0x200000000ULL + MiB, 4 * MiB), 0);
	CHECK_EQ(pt.mapped[1], 0);
	CHECK_EQ(pt.mapped[0], 512);
	check_xlate(&pt, 0x200000000ULL, 0x10000000, PAGE_SIZE, PGT_USER);
	check_xlate(&pt, 0x200000000ULL + MiB - 1, 0x10000000 + MiB - 1, PAGE_SIZE, PGT_USER);
	check_unmapped(&pt, 0x200000000ULL + MiB);
	check_unmapped(&pt, 0x200000000ULL + 3 * MiB);
	check_unmapped(&pt, 0x200000000ULL + 5 * MiB - 1);
	check_xlate(&pt, 0x200000000ULL + 5 * MiB, 0x10000000 + 5 * MiB, PAGE_SIZE, PGT_USER);
	check_xlate(&pt, 0x200000000ULL + 6 * MiB - 1, 0x10000000 + 6 * MiB - 1, PAGE_SIZE,
		    PGT_USER);
	/* The new PT inherits US in its PD entry so the user leaves stay reachable. */
	CHECK(raw_entry(&pt, 0x200000000ULL, 1) & PTE_US);
	pool_free(&p);
}

static unsigned int tables_freed;

static void pool_count_free(void *ctx, uint64_t pa)
{
	(void)pool_phys_to_virt(ctx, pa);	/* a table of the pool, or abort */
	tables_freed++;
}

TEST(large_leaf_replaces_emptied_tables)
{
	const uint64_t va = 0x40000000ULL;
	struct pgtable pt;
	struct pool p;

	/* Without free_table: a range once in 4K pages stays so. */
	setup(&pt, &p, true, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, va, 0x10000000, PAGE_SIZE, PGT_USER), 0);
	CHECK_EQ(pgtable_unmap(&pt, va, PAGE_SIZE), 0);
	CHECK_EQ(pgtable_map(&pt, va, 0x20000000, 2 * MiB, PGT_USER), 0);
	check_xlate(&pt, va, 0x20000000, PAGE_SIZE, PGT_USER);
	pool_free(&p);

	/* With it: the emptied PT goes and one 2M leaf maps the range. */
	setup(&pt, &p, true, POOL_PAGES);
	pt.free_table = pool_count_free;
	tables_freed = 0;
	CHECK_EQ(pgtable_map(&pt, va, 0x10000000, 8 * PAGE_SIZE, PGT_USER), 0);
	CHECK_EQ(pgtable_unmap(&pt, va, 8 * PAGE_SIZE), 0);
	CHECK_EQ(pgtable_map(&pt, va, 0x20000000, 2 * MiB, PGT_USER), 0);
	CHECK_EQ(tables_freed, 1);
	check_xlate(&pt, va + 5, 0x20000000 + 5, PAGE_SIZE_2M, PGT_USER);
	/* A table still holding a page is left alone: the 2M is refused there. */
	CHECK_EQ(pgtable_map(&pt, va + 2 * MiB, 0x10000000, PAGE_SIZE, PGT_USER), 0);
	CHECK_EQ(pgtable_map(&pt, va + 2 * MiB, 0x30000000, 2 * MiB, PGT_USER), -EEXIST);
	CHECK_EQ(tables_freed, 1);
	/* A 1G leaf replaces a PD whose PTs are all empty, PTs and PD freed. */
	CHECK_EQ(pgtable_unmap(&pt, va, 4 * MiB), 0);
	CHECK_EQ(pgtable_map(&pt, va, 0x40000000, GiB, PGT_USER), 0);
	CHECK_EQ(tables_freed, 3);
	check_xlate(&pt, va + GiB - 1, 0x40000000 + GiB - 1, PAGE_SIZE_1G, PGT_USER);
	pool_free(&p);
}

TEST(translate_unmapped)
{
	struct pgtable pt;
	struct pool p;
	uint64_t pa = 0, size = 0;
	unsigned int flags = 0;

	setup(&pt, &p, false, POOL_PAGES);
	CHECK_EQ(pgtable_map(&pt, 0x5000, 0x9000, PAGE_SIZE, PGT_WRITE), 0);
	/* Missing at each level: PT entry, PD entry, PDPT entry, PML4 entry. */
	check_unmapped(&pt, 0x4000);
	check_unmapped(&pt, 0x6000);
	check_unmapped(&pt, 4 * MiB);
	check_unmapped(&pt, 2 * GiB);
	check_unmapped(&pt, 1ULL << 39);
	check_unmapped(&pt, 0xffff800000000000ULL);
	/* Non-canonical addresses are never mapped. */
	check_unmapped(&pt, 0x0000800000005000ULL);
	check_unmapped(&pt, 0x8000000000005000ULL);
	/* NULL outputs are allowed; mapped pages fill all three. */
	CHECK_EQ(pgtable_translate(&pt, 0x5abc, NULL, NULL, NULL), 0);
	CHECK_EQ(pgtable_translate(&pt, 0x5abc, &pa, &size, &flags), 0);
	CHECK_EQ(pa, 0x9abc);
	CHECK_EQ(size, PAGE_SIZE);
	CHECK_EQ(flags, PGT_WRITE);
	pool_free(&p);
}

/*
 * Dirty bits of tracked (job) tables: a zeroed page's leaf starts clean,
 * any other dirty; set and clear answer what was there before; a large
 * page split by an unmap leaves dirty pieces, since a CPU could have
 * written it meanwhile.
 */
TEST(dirty_bits)
{
	struct pgtable pt;
	struct pool p;
	uint64_t base = 0, size = 0;

	setup(&pt, &p, false, POOL_PAGES);
	pt.track_dirty = true;
	CHECK_EQ(pgtable_map(&pt, 0x5000, 0x9000, PAGE_SIZE, PGT_WRITE | PGT_ZEROED), 0);
	/* base: the physical address, as pgtable_translate gives it. */
	CHECK_EQ(pgtable_map(&pt, 0x6000, 0xa000, PAGE_SIZE, PGT_WRITE), 0);
	CHECK_EQ(pgtable_dirty(&pt, 0x5123, PGT_DIRTY_TEST, &base, &size), 0);
	CHECK_EQ(base, 0x9123);
	CHECK_EQ(size, PAGE_SIZE);
	CHECK_EQ(pgtable_dirty(&pt, 0x6000, PGT_DIRTY_TEST, NULL, NULL), 1);
	CHECK_EQ(pgtable_dirty(&pt, 0x5000, PGT_DIRTY_SET, NULL, NULL), 0);
	CHECK_EQ(pgtable_dirty(&pt, 0x5000, PGT_DIRTY_SET, NULL, NULL), 1);
	CHECK_EQ(raw_entry(&pt, 0x5000, 0) & PTE_D, PTE_D);
	CHECK_EQ(pgtable_dirty(&pt, 0x5000, PGT_DIRTY_CLEAR, NULL, NULL), 1);
	CHECK_EQ(pgtable_dirty(&pt, 0x5000, PGT_DIRTY_CLEAR, NULL, NULL), 0);
	CHECK_EQ(raw_entry(&pt, 0x5000, 0) & PTE_D, 0);
	/* Only D moves: the address and flags stay. */
	check_xlate(&pt, 0x5000, 0x9000, PAGE_SIZE, PGT_WRITE);
	CHECK_EQ(pgtable_dirty(&pt, 0x7000, PGT_DIRTY_TEST, &base, &size), -ENOENT);
	CHECK_EQ(pgtable_dirty(&pt, 3 * GiB + 5, PGT_DIRTY_TEST, &base, &size), -ENOENT);
	CHECK_EQ(pgtable_dirty(&pt, 0x0000800000005000ULL, PGT_DIRTY_SET, NULL, NULL), -ENOENT);

	/* A clean 2 MiB page: its base and size; an unmap of part of it splits it dirty. */
	CHECK_EQ(pgtable_map(&pt, 4 * MiB, 8 * MiB, 2 * MiB, PGT_WRITE | PGT_ZEROED), 0);
	CHECK_EQ(pgtable_dirty(&pt, 5 * MiB, PGT_DIRTY_TEST, &base, &size), 0);
	CHECK_EQ(base, 9 * MiB);
	CHECK_EQ(size, 2 * MiB);
	CHECK_EQ(pgtable_unmap(&pt, 4 * MiB, PAGE_SIZE), 0);
	CHECK_EQ(pgtable_dirty(&pt, 5 * MiB, PGT_DIRTY_TEST, &base, &size), 1);
	CHECK_EQ(size, PAGE_SIZE);
	pool_free(&p);
}

/* The next dirty leaf in a range: clean and unmapped stretches skipped. */
TEST(find_dirty)
{
	struct pgtable pt;
	struct pool p;
	uint64_t base = 0, size = 0;

	setup(&pt, &p, false, POOL_PAGES);
	pt.track_dirty = true;
	CHECK_EQ(pgtable_map(&pt, 0x100000, 0x900000, 64 * PAGE_SIZE, PGT_WRITE | PGT_ZEROED), 0);
	CHECK_EQ(pgtable_map(&pt, 4 * MiB, 8 * MiB, 2 * MiB, PGT_WRITE | PGT_ZEROED), 0);
	CHECK_EQ(pgtable_find_dirty(&pt, 0, GiB, &base, &size), 0);
	CHECK_EQ(pgtable_dirty(&pt, 0x100000 + 40 * PAGE_SIZE, PGT_DIRTY_SET, NULL, NULL), 0);
	CHECK_EQ(pgtable_dirty(&pt, 5 * MiB, PGT_DIRTY_SET, NULL, NULL), 0);
	CHECK_EQ(pgtable_find_dirty(&pt, 0, GiB, &base, &size), 1);
	CHECK_EQ(base, 0x100000 + 40 * PAGE_SIZE);
	CHECK_EQ(size, PAGE_SIZE);
	/* From inside the page: its own base; the end bounds the search. */
	CHECK_EQ(pgtable_find_dirty(&pt, base + 8, GiB, &base, &size), 1);
	CHECK_EQ(base, 0x100000 + 40 * PAGE_SIZE);
	CHECK_EQ(pgtable_find_dirty(&pt, 0, 0x100000 + 40 * PAGE_SIZE, &base, &size), 0);
	CHECK_EQ(pgtable_find_dirty(&pt, 0x100000 + 41 * PAGE_SIZE, GiB, &base, &size), 1);
	CHECK_EQ(base, 4 * MiB);
	CHECK_EQ(size, 2 * MiB);
	CHECK_EQ(pgtable_find_dirty(&pt, 6 * MiB, GiB, &base, &size), 0);
	/* The top of the lower half: nothing, and no wrap. */
	CHECK_EQ(pgtable_find_dirty(&pt, 0x00007ffffffff000ULL, 0x0000800000000000ULL, &base, &size),
		 0);
	pool_free(&p);
}
