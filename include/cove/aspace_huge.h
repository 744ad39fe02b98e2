/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Large pages a job asks for (mm/aspace_huge.c): MAP_HUGETLB mappings,
 * whose every page is 2 MiB or 1 GiB or which are not made at all, and
 * madvise's MADV_HUGEPAGE / MADV_NOHUGEPAGE, which say what the rest of
 * a region's memory comes in. What is mapped how, for /proc/PID/smaps.
 */
#ifndef COVE_ASPACE_HUGE_H
#define COVE_ASPACE_HUGE_H

#include <cove/aspace.h>

/*
 * A region over [va, va+len) populated now (unless reserve), with the
 * page policy given (NULL: the address space's default). The general form
 * of aspace_map_file / aspace_reserve, for fork's copies.
 */
int aspace_map_with(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		    enum vm_kind kind, struct vm_file_name *file, uint64_t file_off,
		    bool reserve, const struct vm_pages *pages);
/*
 * What fills each page as it is populated, instead of zeros (fork's copy):
 * fill writes size bytes for address va at dst, and says whether any may
 * be other than zero (true: the page is mapped as written, false: as
 * zeros, clean). Called with interrupts on and the address space's lock
 * held: it must not block, nor touch this address space.
 */
struct aspace_fill {
	bool (*fill)(void *ctx, uint64_t va, void *dst, uint64_t size);
	void *ctx;
};
/* aspace_map_with, populated now, each page written by fill. */
int aspace_map_filled(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		      enum vm_kind kind, struct vm_file_name *file, uint64_t file_off,
		      const struct vm_pages *pages, const struct aspace_fill *fill);
/*
 * Anonymous private memory over [va, va+len), both aligned to page_size
 * (2 MiB, or 1 GiB where arch_has_1g_pages), every page of that size:
 * 0, -EEXIST, -EINVAL, or -ENOMEM when the partition has too few free
 * blocks of that size (nothing is mapped then).
 */
int aspace_map_hugetlb(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		       uint64_t page_size);
/* The regions inside [va, va+len) are MAP_HUGETLB of page_size (shared ones, after mapping). */
void aspace_set_hugetlb(struct aspace *as, uint64_t va, uint64_t len, uint64_t page_size);
/*
 * -EINVAL if cutting the address space at va or at end would split a
 * MAP_HUGETLB page (munmap, mprotect, mremap must not), else 0.
 */
int aspace_hugetlb_cut_check(struct aspace *as, uint64_t va, uint64_t end);
/* The MAP_HUGETLB page size of the region holding va, or 0. */
uint64_t aspace_hugetlb_size(struct aspace *as, uint64_t va);
/*
 * madvise(MADV_HUGEPAGE / MADV_NOHUGEPAGE): the mapped parts of
 * [va, va+len) take the advice for memory populated from now on (a
 * reservation given access, a heap or stack that grows). With collapse
 * (the caller's thread is the only one using the address space), every
 * 2 MiB-aligned block of MADV_HUGEPAGE memory that 4 KiB pages fill is
 * remade as one 2 MiB page now, its bytes kept; MADV_NOHUGEPAGE maps the
 * large pages of private anonymous memory wholly in the range as 4 KiB
 * ones (same memory). 0, or -ENOMEM if part of the range is not mapped
 * (the rest still advised), as Linux.
 */
int aspace_advise_huge(struct aspace *as, uint64_t va, uint64_t len, enum vm_thp thp,
		       bool collapse);
/*
 * The collapse alone, over the MADV_HUGEPAGE regions in [va, va+len): for
 * memory just populated there (mprotect of a reservation). Same rule: only
 * when the caller's thread is the only one using the address space.
 */
void aspace_collapse(struct aspace *as, uint64_t va, uint64_t len);
/*
 * madvise(MADV_DONTNEED): private anonymous memory in [va, va+len) reads
 * as zeros after, as Linux's would when it faults back in; a file's
 * private copy and shared memory keep their bytes. A MAP_HUGETLB region's
 * part must start on its page size (else -EINVAL) and goes to the end of
 * the page. -ENOMEM if part of the range is not mapped (the rest done).
 */
int aspace_discard(struct aspace *as, uint64_t va, uint64_t len);
/* Under as->lock: bytes of r mapped now in 4 KiB, 2 MiB and 1 GiB pages. */
void aspace_region_resident(struct aspace *as, const struct vm_region *r, uint64_t bytes[3]);
/* The largest page a region with this policy gets (pages NULL: the address space's default). */
uint64_t aspace_max_page(const struct aspace *as, const struct vm_pages *pages);
/* MAP_HUGETLB pages in use in the enclave now, by size. */
void aspace_hugetlb_in_use(uint64_t *pages_2m, uint64_t *pages_1g);

#endif /* COVE_ASPACE_HUGE_H */
