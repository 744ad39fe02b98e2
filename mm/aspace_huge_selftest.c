// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of large pages on request (mm/aspace_huge.c): MAP_HUGETLB
 * memory is its page size or nothing, and is never cut through; the
 * collapse of a 4 KiB-filled block keeps its bytes and gives the 4 KiB
 * pages and their table back; the split keeps the memory; shared
 * MAP_HUGETLB memory is mapped in 2 MiB pages even in a 4K job; nothing
 * leaks.
 */
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/errno.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/shmem.h>

static uint64_t huge_selftest_free(void)
{
	struct pmem_stats st;

	pmem_get_stats(&st);
	return st.free_bytes;
}

static uint64_t huge_selftest_page(struct aspace *as, uint64_t va)
{
	uint64_t size = 0;
	phys_addr_t pa;

	return arch_aspace_translate(&as->arch, va, &pa, &size) ? 0 : size;
}

SELFTEST(aspace_huge_pages_on_request)
{
	uint64_t va = 0x40000000, blk = 0x80000000, before, used_2m, used_1g, base_2m, base_1g;
	uint64_t word, got = 0, bytes[3] = { 0, 0, 0 };
	struct shmem *shm;
	struct aspace *as;
	phys_addr_t pa;
	bool large;

	selftest_warm_heap();
	before = huge_selftest_free();
	aspace_hugetlb_in_use(&base_2m, &base_1g);
	as = aspace_create(PAGE_SIZE);	/* a pagesize=4K job: only asking gives large pages */
	SELFTEST_CHECK(as);

	/* MAP_HUGETLB: 2 MiB pages only, counted, and no cut through one. */
	SELFTEST_CHECK(aspace_map_hugetlb(as, va + PAGE_SIZE, PAGE_SIZE_2M, VM_READ | VM_WRITE,
					  PAGE_SIZE_2M) == -EINVAL);
	SELFTEST_CHECK(aspace_map_hugetlb(as, va, 2 * PAGE_SIZE_2M, VM_READ | VM_WRITE,
					  PAGE_SIZE_2M) == 0);
	SELFTEST_CHECK(huge_selftest_page(as, va) == PAGE_SIZE_2M);
	SELFTEST_CHECK(huge_selftest_page(as, va + PAGE_SIZE_2M) == PAGE_SIZE_2M);
	aspace_hugetlb_in_use(&used_2m, &used_1g);
	SELFTEST_CHECK(used_2m == base_2m + 2);
	SELFTEST_CHECK(aspace_hugetlb_size(as, va) == PAGE_SIZE_2M);
	SELFTEST_CHECK(aspace_hugetlb_cut_check(as, va + PAGE_SIZE, va + PAGE_SIZE_2M) == -EINVAL);
	SELFTEST_CHECK(aspace_hugetlb_cut_check(as, va, va + PAGE_SIZE_2M) == 0);
	SELFTEST_CHECK(aspace_map_hugetlb(as, 0x100000000000ULL, 1ULL << 40, VM_READ,
					  PAGE_SIZE_2M) == -ENOMEM);
	SELFTEST_CHECK(aspace_unmap(as, va, 2 * PAGE_SIZE_2M) == 0);
	aspace_hugetlb_in_use(&used_2m, &used_1g);
	SELFTEST_CHECK(used_2m == base_2m);

	/* Shared MAP_HUGETLB in a 4K job: the object's 2 MiB block as one page. */
	shm = shmem_create();
	SELFTEST_CHECK(shm && shmem_resize(shm, PAGE_SIZE_2M) == 0);
	SELFTEST_CHECK(shmem_page(shm, 0, &pa, &large) == 0 && large);
	SELFTEST_CHECK(aspace_map_shared(as, va, PAGE_SIZE_2M, VM_READ | VM_WRITE, VM_ANON, shm,
					 0) == 0);
	SELFTEST_CHECK(huge_selftest_page(as, va) == PAGE_SIZE);
	aspace_set_hugetlb(as, va, PAGE_SIZE_2M, PAGE_SIZE_2M);
	SELFTEST_CHECK(huge_selftest_page(as, va) == PAGE_SIZE_2M);
	SELFTEST_CHECK(aspace_unmap(as, va, PAGE_SIZE_2M) == 0);
	shmem_put(shm);

	/* Four 512 KiB pieces in 4 KiB pages, bytes in two of them. */
	for (int i = 0; i < 4; i++)
		SELFTEST_CHECK(aspace_map_anon(as, blk + i * 512 * KiB, 512 * KiB,
					       VM_READ | VM_WRITE, VM_ANON) == 0);
	SELFTEST_CHECK(huge_selftest_page(as, blk) == PAGE_SIZE);
	word = 0xc0ffee;
	SELFTEST_CHECK(aspace_write(as, blk + 8, &word, 8) == 0);
	word = 0xfeed;
	SELFTEST_CHECK(aspace_write(as, blk + PAGE_SIZE_2M - 8, &word, 8) == 0);

	/* MADV_HUGEPAGE, the only thread: one 2 MiB page, the bytes kept. */
	SELFTEST_CHECK(aspace_advise_huge(as, blk, PAGE_SIZE_2M, VM_THP_HUGE, true) == 0);
	SELFTEST_CHECK(huge_selftest_page(as, blk) == PAGE_SIZE_2M);
	SELFTEST_CHECK(aspace_read(as, blk + 8, &got, 8) == 0 && got == 0xc0ffee);
	SELFTEST_CHECK(aspace_read(as, blk + PAGE_SIZE_2M - 8, &got, 8) == 0 && got == 0xfeed);
	SELFTEST_CHECK(aspace_find(as, blk)->pages.thp == VM_THP_HUGE);
	aspace_region_resident(as, aspace_find(as, blk), bytes);
	SELFTEST_CHECK(bytes[0] == 0 && bytes[1] == PAGE_SIZE_2M);

	/* MADV_NOHUGEPAGE: 4 KiB pages of the same memory. */
	SELFTEST_CHECK(aspace_advise_huge(as, blk, PAGE_SIZE_2M, VM_THP_NEVER, true) == 0);
	SELFTEST_CHECK(huge_selftest_page(as, blk + PAGE_SIZE) == PAGE_SIZE);
	SELFTEST_CHECK(aspace_read(as, blk + 8, &got, 8) == 0 && got == 0xc0ffee);

	/* MADV_DONTNEED: zeros; a hole past the mapping is ENOMEM. */
	SELFTEST_CHECK(aspace_discard(as, blk, PAGE_SIZE_2M) == 0);
	SELFTEST_CHECK(aspace_read(as, blk + 8, &got, 8) == 0 && got == 0);
	SELFTEST_CHECK(aspace_discard(as, blk, 2 * PAGE_SIZE_2M) == -ENOMEM);

	/* Everything back: pages, the tables collapse and split used. */
	aspace_put(as);
	SELFTEST_CHECK(huge_selftest_free() == before);
	return 0;
}
