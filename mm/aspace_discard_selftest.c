// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the discard (mm/aspace_discard.c): fresh memory is clean,
 * a write through the kernel's direct map marks its page, a discard
 * zeroes what was written and leaves its page clean again, a large page
 * discarded in part keeps its other bytes and stays dirty, and memory
 * that was not freshly zeroed (a fork's copy, a futex word the kernel
 * changed) counts as written.
 */
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/selftest.h>

static int discard_selftest_dirty(struct aspace *as, uint64_t va)
{
	return arch_aspace_dirty(&as->arch, va, ASPACE_DIRTY_TEST, NULL, NULL);
}

SELFTEST(aspace_discard_dirty_pages)
{
	uint64_t va = 0x40000000, blk = 0x80000000, word = 0x5eed, got = 1;
	uint32_t old = 0;
	struct aspace *as;

	selftest_warm_heap();
	as = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(as);

	/* 4 KiB pages: clean when mapped; a kernel write marks its page only. */
	SELFTEST_CHECK(aspace_map_anon(as, va, 16 * PAGE_SIZE, VM_READ | VM_WRITE, VM_ANON) == 0);
	for (int i = 0; i < 16; i++)
		SELFTEST_CHECK(discard_selftest_dirty(as, va + i * PAGE_SIZE) == 0);
	SELFTEST_CHECK(aspace_write(as, va + 3 * PAGE_SIZE + 8, &word, 8) == 0);
	SELFTEST_CHECK(discard_selftest_dirty(as, va + 3 * PAGE_SIZE) == 1);
	SELFTEST_CHECK(discard_selftest_dirty(as, va + 4 * PAGE_SIZE) == 0);
	SELFTEST_CHECK(aspace_discard(as, va, 16 * PAGE_SIZE) == 0);
	SELFTEST_CHECK(aspace_read(as, va + 3 * PAGE_SIZE + 8, &got, 8) == 0 && got == 0);
	SELFTEST_CHECK(discard_selftest_dirty(as, va + 3 * PAGE_SIZE) == 0);

	/* Written again after the discard: marked again, zeroed again. */
	SELFTEST_CHECK(aspace_write(as, va + 3 * PAGE_SIZE + 8, &word, 8) == 0);
	SELFTEST_CHECK(aspace_discard(as, va + 3 * PAGE_SIZE, PAGE_SIZE) == 0);
	SELFTEST_CHECK(aspace_read(as, va + 3 * PAGE_SIZE + 8, &got, 8) == 0 && got == 0);

	/* A futex word the kernel changed is written memory. */
	SELFTEST_CHECK(aspace_cmpxchg_u32(as, va + 5 * PAGE_SIZE, &old, 7) == 0);
	SELFTEST_CHECK(discard_selftest_dirty(as, va + 5 * PAGE_SIZE) == 1);
	SELFTEST_CHECK(aspace_discard(as, va + 5 * PAGE_SIZE, PAGE_SIZE) == 0);
	SELFTEST_CHECK(aspace_read(as, va + 5 * PAGE_SIZE, &got, 8) == 0 && got == 0);

	/*
	 * One 2 MiB page with bytes at both ends: a discard of its second
	 * half zeroes that half only and leaves it dirty; of all of it, all.
	 */
	SELFTEST_CHECK(aspace_map_anon(as, blk, PAGE_SIZE_2M, VM_READ | VM_WRITE, VM_ANON) == 0);
	SELFTEST_CHECK(discard_selftest_dirty(as, blk) == 0);
	SELFTEST_CHECK(aspace_write(as, blk + 8, &word, 8) == 0);
	SELFTEST_CHECK(aspace_write(as, blk + PAGE_SIZE_2M - 8, &word, 8) == 0);
	SELFTEST_CHECK(aspace_discard(as, blk + PAGE_SIZE_2M / 2, PAGE_SIZE_2M / 2) == 0);
	SELFTEST_CHECK(aspace_read(as, blk + PAGE_SIZE_2M - 8, &got, 8) == 0 && got == 0);
	SELFTEST_CHECK(aspace_read(as, blk + 8, &got, 8) == 0 && got == word);
	SELFTEST_CHECK(discard_selftest_dirty(as, blk) == 1);
	SELFTEST_CHECK(aspace_discard(as, blk, PAGE_SIZE_2M) == 0);
	SELFTEST_CHECK(aspace_read(as, blk + 8, &got, 8) == 0 && got == 0);
	SELFTEST_CHECK(discard_selftest_dirty(as, blk) == 0);

	/* Pages mapped by any other path than a fresh zeroed one count as written. */
	SELFTEST_CHECK(aspace_advise_huge(as, blk, PAGE_SIZE_2M, VM_THP_NEVER, true) == 0);
	SELFTEST_CHECK(discard_selftest_dirty(as, blk + PAGE_SIZE) == 1);

	aspace_put(as);
	return 0;
}
