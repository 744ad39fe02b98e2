// SPDX-License-Identifier: GPL-2.0
/*
 * mmap(MAP_HUGETLB) of anonymous memory: Linux's hugetlb rules (size bits,
 * alignment, rounding, ENOMEM when the pages are not there) over Cove's
 * large pages (cove/aspace_huge.h).
 */
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/errno.h>
#include <cove/shmem.h>
#include "sys_mm.h"

/*
 * MAP_HUGETLB's page size from the flags' size bits, as Linux's hstates:
 * 2 MiB by default, 1 GiB where the CPU has such pages; 0 for any other.
 */
static uint64_t mm_hugetlb_size(uint64_t flags)
{
	switch ((flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK) {
	case 0:
	case 21:
		return PAGE_SIZE_2M;
	case 30:
		return arch_has_1g_pages() ? PAGE_SIZE_1G : 0;
	default:
		return 0;
	}
}

/* A new shared object for MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB: 2 MiB blocks only. */
static int mm_hugetlb_shmem(uint64_t len, uint64_t size, struct shmem **out)
{
	struct shmem *shm;
	phys_addr_t pa;
	bool large;
	int rc;

	/* shmem holds 2 MiB blocks at most: a shared 1 GiB page cannot be had. */
	if (size != PAGE_SIZE_2M)
		return -ENOMEM;
	shm = shmem_create();
	if (!shm)
		return -ENOMEM;
	rc = shmem_resize(shm, len) ? -ENOMEM : 0;
	for (uint64_t off = 0; !rc && off < len; off += PAGE_SIZE_2M) {
		if (shmem_page(shm, off, &pa, &large) || !large)
			rc = -ENOMEM;
	}
	if (rc) {
		shmem_put(shm);
		return rc;
	}
	*out = shm;
	return 0;
}

/* Place [va, va + len) for MAP_HUGETLB memory (shm: onto its pages): 0 or -errno. */
static int mm_hugetlb_at(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
			 uint64_t size, struct shmem *shm)
{
	int rc;

	if (!shm)
		return aspace_map_hugetlb(as, va, len, prot, size);
	rc = aspace_map_shared(as, va, len, prot, VM_ANON, shm, 0);
	if (!rc)
		aspace_set_hugetlb(as, va, len, size);
	return rc;
}

/*
 * Anonymous MAP_HUGETLB: every page of the size the flags name, as Linux's
 * hugetlb: the length rounds up to it, a fixed address must be aligned to
 * it, a hint is rounded up to it, and no free block of that size left is
 * ENOMEM (Cove has no separate pool: any free block of the partition).
 */
int64_t mm_map_hugetlb(struct aspace *as, uint64_t addr, uint64_t len, uint64_t flags,
			      uint32_t prot)
{
	uint64_t size = mm_hugetlb_size(flags), va;
	struct shmem *shm = NULL;
	int rc;

	if (!size || ALIGN_UP(len, size) < len)
		return -EINVAL;
	len = ALIGN_UP(len, size);
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !IS_ALIGNED(addr, size))
		return -EINVAL;
	if ((flags & MAP_TYPE) != MAP_PRIVATE) {
		rc = mm_hugetlb_shmem(len, size, &shm);
		if (rc)
			return rc;
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		rc = 0;
		if (flags & MAP_FIXED) {
			rc = aspace_hugetlb_cut_check(as, addr, addr + len);
			if (!rc)
				aspace_unmap(as, addr, len);
		}
		if (!rc)
			rc = mm_hugetlb_at(as, addr, len, prot, size, shm);
		if (rc && rc != -EINVAL)
			rc = rc == -EEXIST && (flags & MAP_FIXED_NOREPLACE) ? -EEXIST : -ENOMEM;
		va = addr;
	} else {
		va = ALIGN_UP(addr, size);
		rc = addr && va >= addr ? mm_hugetlb_at(as, va, len, prot, size, shm) : -EEXIST;
		/* Elsewhere only if the hint's place was taken: no memory is no memory. */
		if (rc == -EEXIST || rc == -EINVAL)
			rc = aspace_find_free(as, len, size, &va) ? -ENOMEM :
			     mm_hugetlb_at(as, va, len, prot, size, shm);
		if (rc)
			rc = -ENOMEM;
	}
	shmem_put(shm);
	return rc ? rc : (int64_t)va;
}
