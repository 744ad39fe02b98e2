// SPDX-License-Identifier: GPL-2.0
/*
 * User address spaces. Memory is allocated and mapped when a region is
 * made, with the largest pages its alignment allows, so a running job
 * never takes a page fault for memory it asked for. The one exception is
 * a reservation (mmap PROT_NONE): address space that no access may touch,
 * so it gets its pages only when mprotect grants access -- still in a
 * system call, never in a fault. Runtimes reserve far more than they use
 * (glibc 64 MiB per malloc arena, ld.so a library's whole span).
 */
#include <cove/arch.h>
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kmap.h>
#include <cove/mempolicy.h>
#include <cove/pmem.h>
#include <cove/shmem.h>
#include <cove/ranges.h>
#include <cove/string.h>
#include <arch/memlayout.h>
#include "aspace_internal.h"

int aspace_page_index(uint64_t size)
{
	return size == PAGE_SIZE_1G ? 2 : size == PAGE_SIZE_2M ? 1 : 0;
}

struct aspace *aspace_create(uint64_t large_page)
{
	struct aspace *as = kzalloc(sizeof(*as));

	if (!as)
		return NULL;
	if (arch_aspace_init(&as->arch)) {
		kfree(as);
		return NULL;
	}
	if (large_page == PAGE_SIZE_1G && !arch_has_1g_pages())
		large_page = PAGE_SIZE_2M;
	as->large_page = large_page ? large_page : PAGE_SIZE_2M;
	as->mmap_top = USER_MMAP_TOP;
	as->refs = 1;
	return as;
}

void aspace_get(struct aspace *as)
{
	__atomic_fetch_add(&as->refs, 1, __ATOMIC_RELAXED);
}

struct vm_region *aspace_find(struct aspace *as, uint64_t va)
{
	for (struct vm_region *r = as->regions; r; r = r->next) {
		if (va >= r->start && va < r->end)
			return r;
		if (r->start > va)
			break;
	}
	return NULL;
}

bool aspace_range_free(struct aspace *as, uint64_t va, uint64_t end)
{
	for (struct vm_region *r = as->regions; r; r = r->next) {
		if (r->start < end && va < r->end)
			return false;
	}
	return true;
}

static void aspace_insert(struct aspace *as, struct vm_region *n)
{
	struct vm_region **pp = &as->regions;

	while (*pp && (*pp)->start < n->start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
}

static void aspace_region_free(struct vm_region *r)
{
	vm_file_name_put(r->file);
	if (r->shm)
		shmem_map_put(r->shm);
	kfree(r);
}

/*
 * Splits r at va (inside it): r keeps [start, va), a new region after it
 * [va, end) with the same rights and file, the file offset moved along.
 */
int aspace_split(struct vm_region *r, uint64_t va)
{
	struct vm_region *tail = kzalloc(sizeof(*tail));

	if (!tail)
		return -ENOMEM;
	*tail = *r;
	tail->start = va;
	if (tail->file) {
		vm_file_name_get(tail->file);
		tail->file_off += va - r->start;
	}
	if (tail->shm) {
		shmem_map_get(tail->shm);
		tail->shm_off += va - r->start;
	}
	r->end = va;
	r->next = tail;
	return 0;
}

/*
 * Join neighbours that agree in everything, as Linux merges its VMAs: for
 * a file's copy that includes coming from consecutive bytes of the file.
 */
void aspace_merge(struct aspace *as)
{
	struct vm_region *r = as->regions;

	while (r && r->next) {
		struct vm_region *n = r->next;

		/* Two foreign mappings side by side stay two: each goes away whole. */
		if (r->end == n->start && r->prot == n->prot && r->kind == n->kind &&
		    r->kind != VM_XEMEM && r->file == n->file && r->reserved == n->reserved &&
		    r->pages.hugetlb == n->pages.hugetlb && r->pages.thp == n->pages.thp &&
		    (!r->file || n->file_off == r->file_off + (r->end - r->start)) &&
		    r->shm == n->shm && mempolicy_equal(&r->policy, &n->policy) &&
		    (!r->shm || n->shm_off == r->shm_off + (r->end - r->start))) {
			r->end = n->end;
			r->next = n->next;
			aspace_region_free(n);
			continue;
		}
		r = n;
	}
}

/*
 * The next mapped page at or after *va and below end: *va moves to it, *pa
 * and *size say where and how large it is. A large page only partly inside
 * counts 4 KiB at a time (unmapping such a piece splits the tables). False
 * when no mapped page is left.
 */
bool aspace_next_page(struct aspace *as, uint64_t *va, uint64_t end, phys_addr_t *pa,
		      uint64_t *size)
{
	for (; *va < end; *va += PAGE_SIZE) {
		if (arch_aspace_translate(&as->arch, *va, pa, size))
			continue;
		if (!IS_ALIGNED(*va, *size) || *va + *size > end)
			*size = PAGE_SIZE;
		*pa = ALIGN_DOWN(*pa, *size);
		return true;
	}
	return false;
}

/*
 * Unmap every page in [va, end), freeing it unless it belongs to a shared
 * object (shared: its object frees it); the regions are not touched.
 * hugetlb: the region's MAP_HUGETLB page size, whose pages are counted
 * apart (0 for any other).
 */
static void aspace_release(struct aspace *as, uint64_t va, uint64_t end, bool shared,
			   uint64_t hugetlb)
{
	struct pmem_batch freed;
	phys_addr_t pa;
	uint64_t size;
	int rc;

	freed.nr = 0;
	as->unmap_gen++;
	while ((rc = arch_aspace_unmap_next(&as->arch, &va, end, &pa, &size))) {
		/* A large page end cuts through stays whole: no table to split it. */
		if (rc < 0) {
			va += PAGE_SIZE;
			continue;
		}
		va += size;
		as->mapped_bytes -= size;
		if (shared) {
			as->shared_bytes -= size;
			continue;
		}
		if (hugetlb && size == hugetlb)
			aspace_hugetlb_account(size, -1);
		pmem_batch_add(&freed, pa, (unsigned int)pmem_order_for(size));
	}
	pmem_batch_flush(&freed);
}

/* The memory of a region's [va, end) goes: freed unless shared. */
static void aspace_release_region(struct aspace *as, const struct vm_region *r, uint64_t va,
				  uint64_t end)
{
	aspace_release(as, va, end, r->shm != NULL, r->pages.hugetlb);
}

/*
 * Largest page usable at va with end as the limit: within the address
 * space's largest page, or as the region's page policy says.
 */
static uint64_t aspace_pick_page(struct aspace *as, uint64_t va, uint64_t end,
				 const struct vm_pages *pages)
{
	static const uint64_t sizes[] = { PAGE_SIZE_1G, PAGE_SIZE_2M };
	uint64_t max = aspace_max_page(as, pages);

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (sizes[i] <= max && IS_ALIGNED(va, sizes[i]) && va + sizes[i] <= end)
			return sizes[i];
	}
	return PAGE_SIZE;
}

/*
 * Under as->lock, taken with interrupts off (flags: the caller's state).
 * Zeroing is the slow part -- seconds for tens of GiB -- so it runs with
 * the caller's interrupts back on: the timer, IPIs and the host's doorbell
 * get through, and a host watching the heartbeat does not take a job's
 * start for a hang. Holding as->lock meanwhile is safe: no interrupt
 * handler takes an address space's lock, and the kernel never preempts
 * itself (tasks switch only on the way back to user mode).
 */
static int aspace_populate(struct aspace *as, uint64_t va, uint64_t end, uint32_t prot,
			   unsigned long flags, const struct vm_pages *pages,
			   const struct aspace_fill *fill)
{
	uint64_t hugetlb = pages ? pages->hugetlb : 0;
	/* NULL for a region being made: the thread's NUMA policy places it. */
	const struct vm_region *r = aspace_find(as, va);
	uint64_t start = va;

	while (va < end) {
		uint64_t size = aspace_pick_page(as, va, end, pages);
		phys_addr_t pa;
		bool written = false;
		int rc;

		/*
		 * Fall back to smaller pages when large blocks run out; but
		 * MAP_HUGETLB memory is its page size or nothing, as Linux's.
		 */
		while (mempolicy_alloc(r, va, (unsigned int)pmem_order_for(size), &pa)) {
			if (size == PAGE_SIZE || hugetlb) {
				aspace_release(as, start, va, false, hugetlb);
				pmem_say_refused(hugetlb ? "huge pages" : "mapping", end - start);
				return -ENOMEM;
			}
			size = size == PAGE_SIZE_1G ? PAGE_SIZE_2M : PAGE_SIZE;
		}
		arch_irq_restore(flags);
		if (fill)
			written = fill->fill(fill->ctx, va, phys_to_virt(pa), size);
		else
			memset(phys_to_virt(pa), 0, size);
		arch_irq_disable();
		rc = written ? arch_aspace_map(&as->arch, va, pa, size, prot) :
			       arch_aspace_map_zeroed(&as->arch, va, pa, size, prot);
		if (rc) {
			pmem_free(pa, (unsigned int)pmem_order_for(size));
			aspace_release(as, start, va, false, hugetlb);
			return rc;
		}
		if (hugetlb)
			aspace_hugetlb_account(size, 1);
		as->mapped_bytes += size;
		as->peak_bytes = MAX(as->peak_bytes, as->mapped_bytes);
		as->populated[aspace_page_index(size)]++;
		va += size;
	}
	return 0;
}

void aspace_reclaim_tables(struct aspace *as)
{
	if (!arch_aspace_tables_pending(&as->arch))
		return;
	/* The host's mirror (cove/offload.h) may have walked them: it must look again. */
	__atomic_fetch_add(&as->unmap_gen, 1, __ATOMIC_RELEASE);
	arch_aspace_reclaim(&as->arch);
}

int aspace_map_anon(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		    enum vm_kind kind)
{
	return aspace_map_file(as, va, len, prot, kind, NULL, 0);
}

/*
 * A heap that brk grows, a stack that grows down: the new part keeps the
 * page policy of the part it extends (madvise's advice). Under as->lock.
 */
static const struct vm_pages *aspace_grown_pages(struct aspace *as, uint64_t va, uint64_t end,
						 enum vm_kind kind)
{
	if (kind != VM_HEAP && kind != VM_STACK)
		return NULL;
	for (struct vm_region *r = as->regions; r && r->start <= end; r = r->next) {
		if (r->kind == kind && !r->shm && (r->end == va || r->start == end))
			return &r->pages;
	}
	return NULL;
}

static int aspace_map_region(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
			     enum vm_kind kind, struct vm_file_name *file, uint64_t file_off,
			     bool reserve, const struct vm_pages *pages,
			     const struct aspace_fill *fill)
{
	uint64_t end = va + ALIGN_UP(len, PAGE_SIZE);
	struct vm_region *r;
	unsigned long flags;
	int rc = 0;

	if (!len || !IS_ALIGNED(va, PAGE_SIZE) || end < va || va < USER_VA_START ||
	    end > USER_VA_END)
		return -EINVAL;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	flags = spin_lock_irqsave(&as->lock);
	if (!aspace_range_free(as, va, end)) {
		spin_unlock_irqrestore(&as->lock, flags);
		kfree(r);
		return -EEXIST;
	}
	if (!pages)
		pages = aspace_grown_pages(as, va, end, kind);
	if (pages)
		r->pages = *pages;
	if (!reserve)
		rc = aspace_populate(as, va, end, prot, flags, &r->pages, fill);
	if (rc) {
		spin_unlock_irqrestore(&as->lock, flags);
		aspace_reclaim_tables(as);
		kfree(r);
		return rc;
	}
	r->start = va;
	r->end = end;
	r->prot = prot;
	r->kind = kind;
	r->file = file;
	r->file_off = file ? file_off : 0;
	r->reserved = reserve;
	vm_file_name_get(file);
	aspace_insert(as, r);
	aspace_merge(as);
	spin_unlock_irqrestore(&as->lock, flags);
	aspace_reclaim_tables(as);
	return 0;
}

int aspace_map_with(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		    enum vm_kind kind, struct vm_file_name *file, uint64_t file_off,
		    bool reserve, const struct vm_pages *pages)
{
	return aspace_map_region(as, va, len, prot, kind, file, file_off, reserve, pages, NULL);
}

int aspace_map_filled(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		      enum vm_kind kind, struct vm_file_name *file, uint64_t file_off,
		      const struct vm_pages *pages, const struct aspace_fill *fill)
{
	return aspace_map_region(as, va, len, prot, kind, file, file_off, false, pages, fill);
}

int aspace_map_file(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		    enum vm_kind kind, struct vm_file_name *file, uint64_t file_off)
{
	return aspace_map_with(as, va, len, prot, kind, file, file_off, false, NULL);
}

int aspace_reserve(struct aspace *as, uint64_t va, uint64_t len, enum vm_kind kind)
{
	return aspace_map_with(as, va, len, 0, kind, NULL, 0, true, NULL);
}

/*
 * Map the pages of shm behind [va, end) from off on, 2 MiB ones where the
 * object has a block and va, off and end agree. Under as->lock; on error
 * nothing stays mapped.
 */
static int aspace_map_shm_pages(struct aspace *as, uint64_t va, uint64_t end, uint32_t prot,
				struct shmem *shm, uint64_t off)
{
	uint64_t start = va;

	while (va < end) {
		uint64_t size = PAGE_SIZE;
		phys_addr_t pa;
		bool large;
		int rc;

		if (shmem_page(shm, off, &pa, &large))
			break;	/* past the object's end: left unmapped */
		if (large && as->large_page >= PAGE_SIZE_2M && IS_ALIGNED(va, PAGE_SIZE_2M) &&
		    IS_ALIGNED(off, PAGE_SIZE_2M) && va + PAGE_SIZE_2M <= end)
			size = PAGE_SIZE_2M;
		rc = arch_aspace_map(&as->arch, va, pa, size, prot);
		if (rc) {
			aspace_release(as, start, va, true, 0);
			return rc;
		}
		as->mapped_bytes += size;
		as->peak_bytes = MAX(as->peak_bytes, as->mapped_bytes);
		as->shared_bytes += size;
		as->populated[aspace_page_index(size)]++;
		va += size;
		off += size;
	}
	return 0;
}

int aspace_shm_fault(struct aspace *as, uint64_t va)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	struct vm_region *r = aspace_find(as, va);
	uint64_t pg = ALIGN_DOWN(va, PAGE_SIZE);
	int rc = -EFAULT;

	/*
	 * A shared mapping reaches past its object's end when it is made
	 * (a file sized after mmap, as UCX and MPICH size theirs): pages the
	 * object has grown since come in on first touch, as on Linux.
	 */
	if (r && r->shm && r->prot && !r->reserved) {
		phys_addr_t pa;
		bool large;
		uint64_t off = r->shm_off + (pg - r->start);

		if (!shmem_page(r->shm, off, &pa, &large)) {
			rc = aspace_map_shm_pages(as, pg, pg + PAGE_SIZE, r->prot, r->shm, off);
			if (rc == -EEXIST)
				rc = 0;	/* another thread of ours mapped it first */
		}
	}
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}

int aspace_map_shared(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		      enum vm_kind kind, struct shmem *shm, uint64_t shm_off)
{
	uint64_t end = va + ALIGN_UP(len, PAGE_SIZE);
	struct vm_region *r;
	unsigned long flags;
	int rc;

	if (!len || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(shm_off, PAGE_SIZE) || end < va ||
	    va < USER_VA_START || end > USER_VA_END)
		return -EINVAL;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	/* A mapper before any page is in the tables: a shrink meanwhile keeps them. */
	shmem_map_get(shm);
	flags = spin_lock_irqsave(&as->lock);
	rc = aspace_range_free(as, va, end) ? 0 : -EEXIST;
	if (!rc)
		rc = aspace_map_shm_pages(as, va, end, prot, shm, shm_off);
	if (rc) {
		spin_unlock_irqrestore(&as->lock, flags);
		aspace_reclaim_tables(as);
		shmem_map_put(shm);
		kfree(r);
		return rc;
	}
	r->start = va;
	r->end = end;
	r->prot = prot;
	r->kind = kind;
	r->shm = shm;
	r->shm_off = shm_off;
	aspace_insert(as, r);
	aspace_merge(as);
	spin_unlock_irqrestore(&as->lock, flags);
	aspace_reclaim_tables(as);
	return 0;
}

/*
 * Cut [va, end) out of the region list: its pages are unmapped (and freed
 * unless shared) and the regions wholly inside move to *dead, freed by the
 * caller once no CPU can use their pages (after the flush). The one step
 * that can fail, splitting a region that spans the whole range, comes
 * first, so a failure changes nothing.
 */
static int aspace_cut(struct aspace *as, uint64_t va, uint64_t end, struct vm_region **dead)
{
	struct vm_region **pp = &as->regions, *r = aspace_find(as, va);

	if (r && r->start < va && r->end > end) {
		int rc = aspace_split(r, end);

		if (rc)
			return rc;
	}
	while (*pp) {
		r = *pp;
		if (r->end <= va || r->start >= end) {
			pp = &r->next;
			continue;
		}
		if (!r->reserved)	/* no pages to walk, however large */
			aspace_release_region(as, r, MAX(r->start, va), MIN(r->end, end));
		if (r->start < va) {
			r->end = va;
			pp = &r->next;
		} else if (r->end > end) {
			if (r->file)
				r->file_off += end - r->start;
			if (r->shm)
				r->shm_off += end - r->start;
			r->start = end;
			pp = &r->next;
		} else {
			*pp = r->next;
			r->next = *dead;
			*dead = r;
		}
	}
	return 0;
}

/* Whether [va, end) touches a region of kind (under as->lock). */
static bool aspace_touches_kind(struct aspace *as, uint64_t va, uint64_t end, enum vm_kind kind)
{
	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		if (r->end > va && r->kind == kind)
			return true;
	}
	return false;
}

int aspace_unmap(struct aspace *as, uint64_t va, uint64_t len)
{
	uint64_t end = va + ALIGN_UP(len, PAGE_SIZE);
	struct vm_region *dead = NULL;
	unsigned long flags;
	int rc;

	if (!len || !IS_ALIGNED(va, PAGE_SIZE) || end < va || end > USER_VA_END)
		return -EINVAL;
	flags = spin_lock_irqsave(&as->lock);
	/* Foreign pages would be freed as ours: only their owner unmaps them. */
	rc = aspace_touches_kind(as, va, end, VM_XEMEM) ? -EINVAL : aspace_cut(as, va, end, &dead);
	spin_unlock_irqrestore(&as->lock, flags);
	arch_aspace_flush(&as->arch);
	while (dead) {
		struct vm_region *r = dead;

		dead = r->next;
		aspace_region_free(r);
	}
	return rc;
}

int aspace_map_foreign(struct aspace *as, uint64_t va, const struct boot_range *chunks,
		       uint32_t nr, uint32_t prot)
{
	uint64_t end = va, at = va;
	struct vm_region *r;
	unsigned long flags;
	int rc = 0;

	for (uint32_t i = 0; i < nr; i++) {
		if (!chunks[i].size || !IS_ALIGNED(chunks[i].base | chunks[i].size, PAGE_SIZE) ||
		    end + chunks[i].size < end)
			return -EINVAL;
		end += chunks[i].size;
	}
	if (!nr || !IS_ALIGNED(va, PAGE_SIZE) || va < USER_VA_START || end > USER_VA_END)
		return -EINVAL;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	flags = spin_lock_irqsave(&as->lock);
	if (!aspace_range_free(as, va, end))
		rc = -EEXIST;
	for (uint32_t i = 0; i < nr && !rc; i++) {
		rc = arch_aspace_map(&as->arch, at, chunks[i].base, chunks[i].size, prot);
		at += chunks[i].size;
	}
	if (rc) {
		if (rc != -EEXIST)
			arch_aspace_unmap(&as->arch, va, at - va);
		spin_unlock_irqrestore(&as->lock, flags);
		aspace_reclaim_tables(as);
		kfree(r);
		return rc;
	}
	r->start = va;
	r->end = end;
	r->prot = prot;
	r->kind = VM_XEMEM;
	aspace_insert(as, r);
	spin_unlock_irqrestore(&as->lock, flags);
	aspace_reclaim_tables(as);
	return 0;
}

int aspace_unmap_foreign(struct aspace *as, uint64_t va, uint64_t len)
{
	struct vm_region **pp = &as->regions, *r = NULL;
	unsigned long flags = spin_lock_irqsave(&as->lock);

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->start == va && (*pp)->end - va == len && (*pp)->kind == VM_XEMEM) {
			r = *pp;
			*pp = r->next;
			arch_aspace_unmap(&as->arch, va, len);
			as->unmap_gen++;
			break;
		}
	}
	spin_unlock_irqrestore(&as->lock, flags);
	if (!r)
		return -EINVAL;
	/* No CPU may keep a translation once the owner takes the pages back. */
	arch_aspace_flush(&as->arch);
	aspace_region_free(r);
	return 0;
}

/*
 * Populate the reservations in [va, end) (whole regions, after the splits)
 * with rights prot. On failure what this call populated is given back and
 * -ENOMEM returned: the regions are as they were.
 */
static int aspace_fill_reserved(struct aspace *as, uint64_t va, uint64_t end, uint32_t prot,
				unsigned long flags)
{
	struct vm_region *r;
	int rc = 0;

	for (r = as->regions; r && r->start < end; r = r->next) {
		if (r->end > va && r->reserved) {
			rc = aspace_populate(as, r->start, r->end, prot, flags, &r->pages, NULL);
			if (rc)
				break;
		}
	}
	if (!rc)
		return 0;
	for (struct vm_region *p = as->regions; p != r; p = p->next) {
		if (p->end > va && p->reserved)
			aspace_release_region(as, p, p->start, p->end);
	}
	return -ENOMEM;
}

/* Re-map each page of [va, end) with rights prot, keeping its memory. */
static int aspace_reprotect(struct aspace *as, uint64_t va, uint64_t end, uint32_t prot)
{
	phys_addr_t pa;
	uint64_t size;

	for (; aspace_next_page(as, &va, end, &pa, &size); va += size) {
		int rc = arch_aspace_unmap(&as->arch, va, size);

		if (!rc)
			rc = arch_aspace_map(&as->arch, va, pa, size, prot);
		if (rc)
			return rc;
	}
	return 0;
}

bool aspace_range_mapped(struct aspace *as, uint64_t va, uint64_t end)
{
	for (uint64_t cur = va; cur < end;) {
		struct vm_region *r = aspace_find(as, cur);

		if (!r)
			return false;
		cur = r->end;
	}
	return true;
}

int aspace_split_edges(struct aspace *as, uint64_t va, uint64_t end)
{
	int rc = 0;

	for (struct vm_region *r = as->regions; r && r->start < end && !rc; r = r->next) {
		if (r->start < va && r->end > va)
			rc = aspace_split(r, va);
		else if (r->start < end && r->end > end)
			rc = aspace_split(r, end);
	}
	return rc;
}

int aspace_protect(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot)
{
	uint64_t end = va + ALIGN_UP(len, PAGE_SIZE);
	unsigned long flags;
	int rc = 0;

	if (!IS_ALIGNED(va, PAGE_SIZE) || end < va || end > USER_VA_END)
		return -EINVAL;
	flags = spin_lock_irqsave(&as->lock);
	/* A foreign mapping keeps the rights its owner granted. */
	if (aspace_touches_kind(as, va, end, VM_XEMEM)) {
		rc = -EACCES;
		goto out;
	}
	/* Linux: the whole range must be mapped. */
	if (!aspace_range_mapped(as, va, end)) {
		rc = -ENOMEM;
		goto out;
	}
	/*
	 * Split the regions at the edges first, so each keeps one protection:
	 * the only step that can fail (no memory) comes before any change a
	 * user could see. A failed second split leaves an extra boundary that
	 * the merge below removes.
	 */
	rc = aspace_split_edges(as, va, end);
	if (rc)
		goto merge;
	/*
	 * Reservations given access get their pages now, already with prot;
	 * first, as the step most likely to fail. Left PROT_NONE they stay
	 * reserved; populated memory made PROT_NONE keeps its pages.
	 */
	if (prot) {
		rc = aspace_fill_reserved(as, va, end, prot, flags);
		if (rc)
			goto merge;
	}
	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		if (r->end <= va || r->reserved)
			continue;
		rc = aspace_reprotect(as, MAX(r->start, va), MIN(r->end, end), prot);
		if (rc)
			break;
	}
	/* Failed: the reservations just filled still change, their pages are there. */
	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		if (r->start < va || (rc && !r->reserved))
			continue;
		r->prot = prot;
		r->reserved = r->reserved && !prot;
	}
	/*
	 * The host's mirror (cove/offload.h) may hold these pages with the
	 * rights they had, writable say: it must look again, so that a host
	 * read() into memory now read-only fails as the job's own write would.
	 */
	as->unmap_gen++;
merge:
	aspace_merge(as);
out:
	spin_unlock_irqrestore(&as->lock, flags);
	arch_aspace_flush(&as->arch);
	aspace_reclaim_tables(as);
	return rc;
}

int aspace_find_free(struct aspace *as, uint64_t len, uint64_t align, uint64_t *va)
{
	uint64_t cand = ALIGN_DOWN(as->mmap_top - len, align);

	len = ALIGN_UP(len, PAGE_SIZE);
	/* Walk down from mmap_top past every region in the way. */
	for (;;) {
		bool moved = false;

		if (cand < USER_VA_START || cand + len < cand)
			return -ENOMEM;
		for (struct vm_region *r = as->regions; r; r = r->next) {
			if (r->start < cand + len && cand < r->end) {
				if (r->start < len)
					return -ENOMEM;
				cand = ALIGN_DOWN(r->start - len, align);
				moved = true;
			}
		}
		if (!moved)
			break;
	}
	*va = cand;
	return 0;
}

/* Pages freed per hold of the lock when a whole space goes (interrupts are off meanwhile). */
#define ASPACE_EMPTY_CHUNK (4ULL << 20)

/* aspace_empty calls in progress, on any CPU (atomic): aspace_emptying() reads it. */
static uint32_t aspace_empties_running;

bool aspace_emptying(void)
{
	return __atomic_load_n(&aspace_empties_running, __ATOMIC_ACQUIRE) != 0;
}

bool aspace_wait_emptied(uint32_t ms)
{
	uint64_t deadline = arch_cycles() + ms * arch_cycles_per_ms();

	while (aspace_emptying()) {
		if (arch_cycles() > deadline)
			return false;
		arch_cpu_relax();
	}
	return true;
}

void aspace_empty(struct aspace *as)
{
	unsigned long flags;
	struct vm_region *dead;

	__atomic_fetch_add(&aspace_empties_running, 1, __ATOMIC_ACQ_REL);
	flags = spin_lock_irqsave(&as->lock);
	dead = as->regions;

	/*
	 * Taken off the list at once, so nothing finds them, then freed a few
	 * MiB at a time: a rank's hundreds of MiB freed in one hold kept its
	 * core from interrupts for long (the boot core, from the host's
	 * doorbell).
	 */
	as->regions = NULL;
	for (struct vm_region *r = dead; r; r = r->next) {
		if (r->kind == VM_XEMEM) {	/* the pages are their owner's */
			arch_aspace_unmap(&as->arch, r->start, r->end - r->start);
			continue;
		}
		if (r->reserved)
			continue;
		for (uint64_t va = r->start, end; va < r->end; va = end) {
			phys_addr_t pa;
			uint64_t size;

			end = r->end - va > ASPACE_EMPTY_CHUNK ? va + ASPACE_EMPTY_CHUNK : r->end;
			/* Never through a large page: it goes whole, with its chunk. */
			if (end < r->end && !arch_aspace_translate(&as->arch, end, &pa, &size) &&
			    !IS_ALIGNED(end, size))
				end = MIN(ALIGN_UP(end, size), r->end);
			aspace_release_region(as, r, va, end);
			spin_unlock_irqrestore(&as->lock, flags);
			flags = spin_lock_irqsave(&as->lock);
		}
	}
	spin_unlock_irqrestore(&as->lock, flags);
	arch_aspace_flush(&as->arch);
	while (dead) {
		struct vm_region *r = dead;

		dead = r->next;
		aspace_region_free(r);
	}
	__atomic_fetch_sub(&aspace_empties_running, 1, __ATOMIC_ACQ_REL);
}

void aspace_put(struct aspace *as)
{
	if (__atomic_sub_fetch(&as->refs, 1, __ATOMIC_ACQ_REL))
		return;
	aspace_empty(as);
	arch_aspace_destroy(&as->arch);
	kfree(as);
}
