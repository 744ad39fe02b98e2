// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of reservations (mmap PROT_NONE): no memory until mprotect
 * grants access, then exactly that part; fork copies only what is
 * populated; munmap gives everything back; a populate that cannot fit
 * changes nothing.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/string.h>

/* Page tables a small populate may add: a PDPT, a PD, a PT, and slack. */
#define RESERVE_TABLE_SLACK (8 * PAGE_SIZE)

static uint64_t aspace_reserve_free(void)
{
	struct pmem_stats st;

	pmem_get_stats(&st);
	return st.free_bytes;
}

SELFTEST(aspace_reserve_populates_on_protect)
{
	uint64_t va = 0x40000000, len = 64 * MiB, at = va + 4 * MiB, big_va = 0x100000000;
	uint64_t before, base, spent, got = 1, word = 0x5eed, size, big;
	struct aspace *as, *copy;
	struct vm_region *r;
	phys_addr_t pa;
	int err = 0;

	selftest_warm_heap();
	before = aspace_reserve_free();
	as = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(as);
	base = aspace_reserve_free();
	/* 64 MiB of address space cost no memory, and nothing may touch it. */
	SELFTEST_CHECK(aspace_reserve(as, va, len, VM_ANON) == 0);
	SELFTEST_CHECK(aspace_reserve_free() == base && as->mapped_bytes == 0);
	SELFTEST_CHECK(aspace_find(as, va + len - 1)->prot == 0);
	SELFTEST_CHECK(!aspace_check(as, va, 8, VM_READ));
	SELFTEST_CHECK(aspace_read(as, va, &got, 8) == -EFAULT);

	/* 1 MiB made writable costs that MiB (and its page tables), zeroed. */
	base = aspace_reserve_free();
	SELFTEST_CHECK(aspace_protect(as, at, MiB, VM_READ | VM_WRITE) == 0);
	spent = base - aspace_reserve_free();
	SELFTEST_CHECK(spent >= MiB && spent <= MiB + RESERVE_TABLE_SLACK);
	SELFTEST_CHECK(as->mapped_bytes == MiB && as->populated[0] == MiB / PAGE_SIZE);
	r = aspace_find(as, at);
	SELFTEST_CHECK(r && r->start == at && r->end == at + MiB && !r->reserved);
	SELFTEST_CHECK(aspace_find(as, at - 1)->reserved && aspace_find(as, at + MiB)->reserved);
	SELFTEST_CHECK(aspace_read(as, at, &got, 8) == 0 && got == 0);
	SELFTEST_CHECK(aspace_read(as, at + MiB - 8, &got, 8) == 0 && got == 0);
	SELFTEST_CHECK(aspace_write(as, at + 8, &word, 8) == 0);
	SELFTEST_CHECK(arch_aspace_translate(&as->arch, at + MiB, &pa, &size) != 0);
	/* Aligned, it gets a large page. */
	SELFTEST_CHECK(aspace_protect(as, va + 16 * MiB, PAGE_SIZE_2M, VM_READ) == 0);
	SELFTEST_CHECK(as->populated[1] == 1 && as->mapped_bytes == MiB + PAGE_SIZE_2M);

	/* fork: the same reservation, unpopulated; only the populated parts copied. */
	base = aspace_reserve_free();
	copy = aspace_clone(as, 0, &err);
	SELFTEST_CHECK(copy && err == 0);
	spent = base - aspace_reserve_free();
	SELFTEST_CHECK(spent >= MiB + PAGE_SIZE_2M &&
		       spent <= MiB + PAGE_SIZE_2M + 2 * RESERVE_TABLE_SLACK);
	SELFTEST_CHECK(copy->mapped_bytes == as->mapped_bytes);
	SELFTEST_CHECK(aspace_find(copy, va)->reserved && aspace_find(copy, va)->prot == 0);
	SELFTEST_CHECK(aspace_find(copy, va + len - 1)->reserved);
	SELFTEST_CHECK(aspace_find(copy, va + 16 * MiB)->prot == VM_READ);
	SELFTEST_CHECK(arch_aspace_translate(&copy->arch, va, &pa, &size) != 0);
	SELFTEST_CHECK(aspace_read(copy, at + 8, &got, 8) == 0 && got == word);
	aspace_put(copy);

	/* Back to PROT_NONE: the pages stay (as on Linux), the region is no reservation. */
	SELFTEST_CHECK(aspace_protect(as, at, MiB, 0) == 0);
	r = aspace_find(as, at);
	SELFTEST_CHECK(r->prot == 0 && !r->reserved && as->mapped_bytes == MiB + PAGE_SIZE_2M);
	SELFTEST_CHECK(aspace_read(as, at + 8, &got, 8) == 0 && got == word);

	/* munmap across holes and pages alike. */
	SELFTEST_CHECK(aspace_unmap(as, va, len) == 0);
	SELFTEST_CHECK(as->mapped_bytes == 0 && !as->regions);

	/* More than the partition holds: mprotect fails, the reservation stays as it was. */
	big = ALIGN_UP(aspace_reserve_free(), PAGE_SIZE_2M) + PAGE_SIZE_2M;
	SELFTEST_CHECK(aspace_reserve(as, big_va, big, VM_ANON) == 0);
	SELFTEST_CHECK(aspace_protect(as, big_va + PAGE_SIZE, big - 2 * PAGE_SIZE,
				      VM_READ | VM_WRITE) == -ENOMEM);
	r = aspace_find(as, big_va);
	SELFTEST_CHECK(r && r->start == big_va && r->end == big_va + big && r->reserved &&
		       r->prot == 0 && !r->next);
	SELFTEST_CHECK(as->mapped_bytes == 0);
	aspace_put(as);
	/* Pages and page tables all came back. */
	SELFTEST_CHECK(aspace_reserve_free() == before);
	return 0;
}
