// SPDX-License-Identifier: GPL-2.0
/* Self-tests of user address spaces: large pages, splits, merges, no leaks. */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/string.h>

static uint32_t aspace_count_regions(struct aspace *as)
{
	uint32_t n = 0;

	for (struct vm_region *r = as->regions; r; r = r->next)
		n++;
	return n;
}

SELFTEST(aspace_map_protect_unmap)
{
	struct pmem_stats before, after;
	struct aspace *as;
	uint64_t va = 0x40000000, len = 8 * PAGE_SIZE_2M, got = 0, word = 0x1234;
	phys_addr_t pa;

	selftest_warm_heap();
	pmem_get_stats(&before);
	as = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(as);
	SELFTEST_CHECK(aspace_map_anon(as, va, len, VM_READ | VM_WRITE, VM_ANON) == 0);
	/* 2 MiB aligned and sized: all large pages. */
	SELFTEST_CHECK(as->populated[1] == 8 && as->populated[0] == 0);
	SELFTEST_CHECK(aspace_map_anon(as, va + PAGE_SIZE, PAGE_SIZE, VM_READ, VM_ANON) == -EEXIST);
	SELFTEST_CHECK(aspace_write(as, va + len - 8, &word, 8) == 0);
	SELFTEST_CHECK(aspace_read(as, va + len - 8, &got, 8) == 0 && got == word);
	/* Fresh memory is zero. */
	SELFTEST_CHECK(aspace_read(as, va + PAGE_SIZE_2M, &got, 8) == 0 && got == 0);

	/* A read-only hole in the middle splits one region into three... */
	SELFTEST_CHECK(aspace_protect(as, va + PAGE_SIZE_2M + PAGE_SIZE, PAGE_SIZE, VM_READ) == 0);
	SELFTEST_CHECK(aspace_count_regions(as) == 3);
	SELFTEST_CHECK(!aspace_check(as, va + PAGE_SIZE_2M + PAGE_SIZE, 8, VM_WRITE));
	SELFTEST_CHECK(aspace_check(as, va + PAGE_SIZE_2M, 8, VM_WRITE));
	/* ...and giving the rights back merges them again. */
	SELFTEST_CHECK(aspace_protect(as, va + PAGE_SIZE_2M + PAGE_SIZE, PAGE_SIZE,
				      VM_READ | VM_WRITE) == 0);
	SELFTEST_CHECK(aspace_count_regions(as) == 1);
	/* The split large page kept its contents. */
	SELFTEST_CHECK(aspace_read(as, va + len - 8, &got, 8) == 0 && got == word);

	/* Unmapping a 4 KiB piece of a 2 MiB page frees just that piece. */
	SELFTEST_CHECK(aspace_unmap(as, va + 3 * PAGE_SIZE_2M + PAGE_SIZE, PAGE_SIZE) == 0);
	SELFTEST_CHECK(arch_aspace_translate(&as->arch, va + 3 * PAGE_SIZE_2M + PAGE_SIZE, &pa,
					     &got) != 0);
	SELFTEST_CHECK(arch_aspace_translate(&as->arch, va + 3 * PAGE_SIZE_2M, &pa, &got) == 0);
	SELFTEST_CHECK(aspace_count_regions(as) == 2);

	aspace_put(as);
	/* Pages and page tables all came back. */
	pmem_get_stats(&after);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	SELFTEST_CHECK(pmem_check() == 0);
	return 0;
}

SELFTEST(aspace_find_free_and_small_pages)
{
	struct pmem_stats before, after;
	struct aspace *as;
	uint64_t va;

	selftest_warm_heap();
	pmem_get_stats(&before);
	as = aspace_create(PAGE_SIZE);
	SELFTEST_CHECK(as);
	SELFTEST_CHECK(aspace_find_free(as, 3 * PAGE_SIZE_2M, PAGE_SIZE_2M, &va) == 0);
	SELFTEST_CHECK((va & (PAGE_SIZE_2M - 1)) == 0 && va + 3 * PAGE_SIZE_2M <= as->mmap_top);
	SELFTEST_CHECK(aspace_map_anon(as, va, 3 * PAGE_SIZE_2M, VM_READ, VM_ANON) == 0);
	/* large_page 4K: no large pages even where they would fit. */
	SELFTEST_CHECK(as->populated[1] == 0 && as->populated[0] == 3 * 512);
	SELFTEST_CHECK(aspace_find_free(as, PAGE_SIZE_2M, PAGE_SIZE_2M, &va) == 0);
	SELFTEST_CHECK(!aspace_find(as, va) && !aspace_find(as, va + PAGE_SIZE_2M - 1));
	aspace_put(as);
	pmem_get_stats(&after);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	return 0;
}

/* The region at va must hold file's bytes from off on, over [start, end). */
static bool aspace_region_is(struct aspace *as, uint64_t va, uint64_t start, uint64_t end,
			     const struct vm_file_name *file, uint64_t off)
{
	struct vm_region *r = aspace_find(as, va);

	return r && r->start == start && r->end == end && r->file == file &&
	       r->file_off == off;
}

SELFTEST(aspace_file_regions)
{
	struct pmem_stats before, after;
	struct vm_file_name *name;
	struct aspace *as;
	uint64_t va = 0x50000000, pg = PAGE_SIZE;

	selftest_warm_heap();
	name = vm_file_name_create("/lib/x86_64-linux-gnu/libc.so.6");
	SELFTEST_CHECK(name);
	pmem_get_stats(&before);
	as = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(as);
	/* Six pages of the file from offset 3 pages, and anonymous memory right after. */
	SELFTEST_CHECK(aspace_map_file(as, va, 6 * pg, VM_READ, VM_FILE, name, 3 * pg) == 0);
	SELFTEST_CHECK(aspace_map_anon(as, va + 6 * pg, pg, VM_READ, VM_ANON) == 0);
	SELFTEST_CHECK(name->refs == 2 && aspace_count_regions(as) == 2);
	SELFTEST_CHECK(!strcmp(vm_region_path(aspace_find(as, va)), name->path));
	SELFTEST_CHECK(!vm_region_path(aspace_find(as, va + 6 * pg)));

	/* ld.so's RELRO step: a middle piece changes rights, offsets follow the split. */
	SELFTEST_CHECK(aspace_protect(as, va + 2 * pg, 2 * pg, VM_READ | VM_WRITE) == 0);
	SELFTEST_CHECK(aspace_count_regions(as) == 4 && name->refs == 4);
	SELFTEST_CHECK(aspace_region_is(as, va, va, va + 2 * pg, name, 3 * pg));
	SELFTEST_CHECK(aspace_region_is(as, va + 3 * pg, va + 2 * pg, va + 4 * pg, name, 5 * pg));
	SELFTEST_CHECK(aspace_region_is(as, va + 5 * pg, va + 4 * pg, va + 6 * pg, name, 7 * pg));
	SELFTEST_CHECK(aspace_check(as, va + 2 * pg, 2 * pg, VM_WRITE));
	SELFTEST_CHECK(!aspace_check(as, va + 4 * pg, pg, VM_WRITE));

	/* Unmapping the first page moves the region's start and offset. */
	SELFTEST_CHECK(aspace_unmap(as, va, pg) == 0);
	SELFTEST_CHECK(aspace_region_is(as, va + pg, va + pg, va + 2 * pg, name, 4 * pg));
	/* A hole in the middle of a region: the tail keeps its offset. */
	SELFTEST_CHECK(aspace_protect(as, va + pg, 5 * pg, VM_READ) == 0);
	SELFTEST_CHECK(aspace_region_is(as, va + pg, va + pg, va + 6 * pg, name, 4 * pg));
	SELFTEST_CHECK(aspace_unmap(as, va + 3 * pg, pg) == 0);
	SELFTEST_CHECK(aspace_region_is(as, va + 4 * pg, va + 4 * pg, va + 6 * pg, name, 7 * pg));
	/* Same file, same rights, but not consecutive bytes: no merge. */
	SELFTEST_CHECK(aspace_map_file(as, va + 3 * pg, pg, VM_READ, VM_FILE, name, 0) == 0);
	SELFTEST_CHECK(aspace_count_regions(as) == 4);
	SELFTEST_CHECK(aspace_unmap(as, va + 3 * pg, pg) == 0);
	/* Consecutive bytes: one region again. */
	SELFTEST_CHECK(aspace_map_file(as, va + 3 * pg, pg, VM_READ, VM_FILE, name, 6 * pg) == 0);
	SELFTEST_CHECK(aspace_region_is(as, va + pg, va + pg, va + 6 * pg, name, 4 * pg));
	SELFTEST_CHECK(aspace_count_regions(as) == 2);

	aspace_put(as);
	/* Every region's reference to the name went with it. */
	SELFTEST_CHECK(name->refs == 1);
	pmem_get_stats(&after);
	vm_file_name_put(name);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	return 0;
}
