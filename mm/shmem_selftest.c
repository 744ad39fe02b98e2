// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of shared memory objects: the same pages in two address
 * spaces (and in a fork's copy), 2 MiB blocks where the size allows, pages
 * kept for mappers across a shrink, and every page back in the partition
 * once the last reference goes.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/shmem.h>

SELFTEST(shmem_shared_pages_and_refcount)
{
	uint64_t va_a = 0x40000000, va_b = 0x80200000, len = 2 * PAGE_SIZE_2M + PAGE_SIZE;
	struct pmem_stats before, after;
	struct aspace *a, *b, *fork_copy;
	phys_addr_t pa_a, pa_b, pa;
	uint64_t size, word = 0x5eed, got = 0;
	struct shmem *shm;
	bool large;
	int err = 0;

	selftest_warm_heap();
	pmem_get_stats(&before);
	shm = shmem_create();
	SELFTEST_CHECK(shm);
	SELFTEST_CHECK(shmem_resize(shm, len) == 0);
	SELFTEST_CHECK(shmem_size(shm) == len && shmem_resident(shm) == len);
	/* Two whole 2 MiB units are blocks (partition permitting); the 4 KiB tail is not. */
	SELFTEST_CHECK(shmem_page(shm, 0, &pa, &large) == 0);
	SELFTEST_CHECK(shmem_page(shm, 2 * PAGE_SIZE_2M, &pa, &large) == 0 && !large);
	SELFTEST_CHECK(shmem_page(shm, len, &pa, &large) == -ENXIO);

	a = aspace_create(PAGE_SIZE_2M);
	b = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(a && b);
	SELFTEST_CHECK(aspace_map_shared(a, va_a, len, VM_READ | VM_WRITE, VM_ANON, shm, 0) == 0);
	/* b maps it from its second page on, at another address. */
	SELFTEST_CHECK(aspace_map_shared(b, va_b, len - PAGE_SIZE, VM_READ | VM_WRITE, VM_ANON, shm,
					 PAGE_SIZE) == 0);
	SELFTEST_CHECK(shmem_mappers(shm) == 2);
	SELFTEST_CHECK(arch_aspace_translate(&a->arch, va_a + PAGE_SIZE, &pa_a, &size) == 0);
	SELFTEST_CHECK(arch_aspace_translate(&b->arch, va_b, &pa_b, &size) == 0 && pa_a == pa_b);
	SELFTEST_CHECK(aspace_write(a, va_a + PAGE_SIZE + 8, &word, 8) == 0);
	SELFTEST_CHECK(aspace_read(b, va_b + 8, &got, 8) == 0 && got == word);

	/* A fork's copy maps the same pages, copying none. */
	fork_copy = aspace_clone(a, 0, &err);
	SELFTEST_CHECK(fork_copy && !err && shmem_mappers(shm) == 3);
	SELFTEST_CHECK(arch_aspace_translate(&fork_copy->arch, va_a + PAGE_SIZE, &pa, &size) == 0 &&
		       pa == pa_a);
	SELFTEST_CHECK(fork_copy->shared_bytes == a->shared_bytes);

	/* Unmapping a piece in one leaves the others' pages alone. */
	SELFTEST_CHECK(aspace_unmap(a, va_a, PAGE_SIZE_2M) == 0);
	SELFTEST_CHECK(shmem_mappers(shm) == 3);
	SELFTEST_CHECK(aspace_read(b, va_b + 8, &got, 8) == 0 && got == word);

	/* A shrink with mappers keeps the pages until the last of them goes. */
	shmem_put(shm);		/* only the mappers hold it now */
	SELFTEST_CHECK(shmem_resize(shm, PAGE_SIZE) == 0 && shmem_resident(shm) == len);
	aspace_put(fork_copy);
	aspace_put(a);
	SELFTEST_CHECK(shmem_mappers(shm) == 1 && shmem_resident(shm) == len);
	aspace_put(b);
	pmem_get_stats(&after);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	return 0;
}

SELFTEST(shmem_growth_beyond_memory_fails_clean)
{
	struct pmem_stats before, after;
	struct shmem *shm;

	selftest_warm_heap();
	pmem_get_stats(&before);
	shm = shmem_create();
	SELFTEST_CHECK(shm);
	SELFTEST_CHECK(shmem_resize(shm, 4 * PAGE_SIZE) == 0);
	SELFTEST_CHECK(shmem_resize(shm, before.free_bytes + PAGE_SIZE_2M) == -ENOSPC);
	/* Nothing changed: the size and the pages are those from before. */
	SELFTEST_CHECK(shmem_size(shm) == 4 * PAGE_SIZE && shmem_resident(shm) == 4 * PAGE_SIZE);
	SELFTEST_CHECK(shmem_resize(shm, SHMEM_SIZE_MAX + 1) == -EFBIG);
	SELFTEST_CHECK(shmem_write(shm, 3 * PAGE_SIZE + 10, "x", 1) == 1 &&
		       shmem_size(shm) == 4 * PAGE_SIZE);
	shmem_put(shm);
	pmem_get_stats(&after);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	return 0;
}
