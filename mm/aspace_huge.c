// SPDX-License-Identifier: GPL-2.0
/*
 * Large pages on request. Cove already maps a job's memory with the
 * largest pages alignment allows, up front, so what a program asks for
 * adds two things. MAP_HUGETLB makes every page of a mapping 2 MiB or
 * 1 GiB or fails with ENOMEM, as Linux's hugetlb pool does (Cove has no
 * separate pool: the pages come from the partition's free blocks). And
 * madvise's advice: MADV_HUGEPAGE gives 2 MiB pages even to a job run with
 * pagesize=4K and remakes 2 MiB-aligned blocks that 4 KiB pages fill (a
 * glibc arena grown piece by piece by mprotect) as one 2 MiB page -- what
 * Linux's fault path and khugepaged do; MADV_NOHUGEPAGE keeps 4 KiB pages
 * for memory populated after it.
 */
#include <cove/arch.h>
#include <cove/aspace_huge.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kmap.h>
#include <cove/pmem.h>
#include <cove/string.h>
#include "aspace_internal.h"

/*
 * MAP_HUGETLB pages held by every address space, [0] 2 MiB and [1] 1 GiB:
 * updated with atomics by whoever maps or frees one (under that address
 * space's lock), read by /proc/meminfo.
 */
static int64_t hugetlb_pages[2];

void aspace_hugetlb_account(uint64_t size, int64_t n)
{
	__atomic_fetch_add(&hugetlb_pages[size == PAGE_SIZE_1G], n, __ATOMIC_RELAXED);
}

void aspace_hugetlb_in_use(uint64_t *pages_2m, uint64_t *pages_1g)
{
	*pages_2m = (uint64_t)__atomic_load_n(&hugetlb_pages[0], __ATOMIC_RELAXED);
	*pages_1g = (uint64_t)__atomic_load_n(&hugetlb_pages[1], __ATOMIC_RELAXED);
}

uint64_t aspace_max_page(const struct aspace *as, const struct vm_pages *pages)
{
	if (!pages)
		return as->large_page;
	if (pages->hugetlb)
		return pages->hugetlb;
	if (pages->thp == VM_THP_NEVER)
		return PAGE_SIZE;
	if (pages->thp == VM_THP_HUGE)
		return MAX(as->large_page, PAGE_SIZE_2M);
	return as->large_page;
}

int aspace_map_hugetlb(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		       uint64_t page_size)
{
	struct vm_pages pages = { .hugetlb = page_size };
	struct pmem_stats st;

	if ((page_size != PAGE_SIZE_2M && page_size != PAGE_SIZE_1G) ||
	    (page_size == PAGE_SIZE_1G && !arch_has_1g_pages()) ||
	    !IS_ALIGNED(va | len, page_size))
		return -EINVAL;
	/*
	 * Refused at once when the blocks are not there, as Linux's pool
	 * reservation is, rather than after zeroing all that can be had.
	 */
	pmem_get_stats(&st);
	if (len / page_size > (page_size == PAGE_SIZE_1G ? st.free_blocks_1g : st.free_2m_units))
		return -ENOMEM;
	return aspace_map_with(as, va, len, prot, VM_ANON, NULL, 0, false, &pages);
}

/*
 * The 2 MiB block at blk of a new shared mapping, mapped in 4 KiB pages
 * (a pagesize=4K job's shared memory is), onto one 2 MiB page of the same
 * memory when the object's block lies behind it whole. Under as->lock;
 * nobody else uses the mapping yet.
 */
static void aspace_map_block_large(struct aspace *as, uint64_t blk, uint32_t prot)
{
	phys_addr_t pa, last;
	uint64_t size;

	if (arch_aspace_translate(&as->arch, blk, &pa, &size) || size != PAGE_SIZE ||
	    !IS_ALIGNED(pa, PAGE_SIZE_2M) ||
	    arch_aspace_translate(&as->arch, blk + PAGE_SIZE_2M - PAGE_SIZE, &last, &size) ||
	    last != pa + PAGE_SIZE_2M - PAGE_SIZE)
		return;
	if (arch_aspace_unmap(&as->arch, blk, PAGE_SIZE_2M) ||
	    !arch_aspace_map(&as->arch, blk, pa, PAGE_SIZE_2M, prot))
		return;
	/* Not mapped large after all: the 4 KiB pages again. */
	for (uint64_t off = 0; off < PAGE_SIZE_2M; off += PAGE_SIZE)
		arch_aspace_map(&as->arch, blk + off, pa + off, PAGE_SIZE, prot);
}

void aspace_set_hugetlb(struct aspace *as, uint64_t va, uint64_t len, uint64_t page_size)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);

	for (struct vm_region *r = as->regions; r && r->start < va + len; r = r->next) {
		if (r->start < va || r->end > va + len)
			continue;
		r->pages.hugetlb = page_size;
		for (uint64_t blk = ALIGN_UP(r->start, page_size); blk + page_size <= r->end;
		     blk += page_size)
			aspace_map_block_large(as, blk, r->prot);
	}
	spin_unlock_irqrestore(&as->lock, flags);
	aspace_reclaim_tables(as);
}

uint64_t aspace_hugetlb_size(struct aspace *as, uint64_t va)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	struct vm_region *r = aspace_find(as, va);
	uint64_t size = r ? r->pages.hugetlb : 0;

	spin_unlock_irqrestore(&as->lock, flags);
	return size;
}

int aspace_hugetlb_cut_check(struct aspace *as, uint64_t va, uint64_t end)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	const uint64_t at[2] = { va, end };
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		struct vm_region *r = aspace_find(as, at[i]);

		if (r && r->start != at[i] && r->pages.hugetlb && !IS_ALIGNED(at[i], r->pages.hugetlb))
			rc = -EINVAL;
	}
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}

/* Private anonymous memory advised MADV_HUGEPAGE, covering the 2 MiB block at blk. */
static bool aspace_collapsible(const struct vm_region *r, uint64_t blk)
{
	return r && r->start <= blk && blk + PAGE_SIZE_2M <= r->end && !r->shm && !r->reserved &&
	       !r->pages.hugetlb && r->pages.thp == VM_THP_HUGE &&
	       (r->kind == VM_ANON || r->kind == VM_HEAP || r->kind == VM_STACK);
}

/*
 * Remake the block at blk, which 4 KiB pages fill, as one 2 MiB page with
 * the same bytes and rights. Under as->lock (flags: the caller's interrupt
 * state, back on while copying as in aspace_populate); old: room for the
 * block's 512 page addresses. False, nothing changed, if it cannot be.
 */
static bool aspace_collapse_block(struct aspace *as, uint64_t blk, uint32_t prot,
				  phys_addr_t *old, unsigned long flags)
{
	const uint32_t n = PAGE_SIZE_2M / PAGE_SIZE;
	phys_addr_t big;
	uint64_t size;
	uint8_t *to;

	for (uint32_t i = 0; i < n; i++) {
		if (arch_aspace_translate(&as->arch, blk + i * PAGE_SIZE, &old[i], &size) ||
		    size != PAGE_SIZE)
			return false;
	}
	if (pmem_alloc(PMEM_ORDER_2M, &big))
		return false;
	to = phys_to_virt(big);
	arch_irq_restore(flags);
	for (uint32_t i = 0; i < n; i++)
		memcpy(to + i * PAGE_SIZE, phys_to_virt(old[i]), PAGE_SIZE);
	arch_irq_disable();
	/* The emptied table goes as the large leaf goes in (pgtable's free_table). */
	if (arch_aspace_unmap(&as->arch, blk, PAGE_SIZE_2M) ||
	    arch_aspace_map(&as->arch, blk, big, PAGE_SIZE_2M, prot)) {
		for (uint32_t i = 0; i < n; i++)
			arch_aspace_map(&as->arch, blk + i * PAGE_SIZE, old[i], PAGE_SIZE, prot);
		pmem_free(big, PMEM_ORDER_2M);
		return false;
	}
	for (uint32_t i = 0; i < n; i++)
		pmem_free(old[i], PMEM_ORDER_4K);
	as->unmap_gen++;	/* a host mirror must look again */
	as->populated[aspace_page_index(PAGE_SIZE_2M)]++;
	return true;
}

/* Under as->lock: collapse what can be in the blocks [va, end) touches. */
static bool aspace_collapse_locked(struct aspace *as, uint64_t va, uint64_t end,
				   unsigned long flags)
{
	phys_addr_t *old = NULL;
	bool any = false;

	for (uint64_t blk = ALIGN_DOWN(va, PAGE_SIZE_2M); blk < end; blk += PAGE_SIZE_2M) {
		struct vm_region *r = aspace_find(as, blk);

		if (!aspace_collapsible(r, blk))
			continue;
		if (!old)
			old = kmalloc(PAGE_SIZE_2M / PAGE_SIZE * sizeof(*old));
		if (!old)
			break;
		any |= aspace_collapse_block(as, blk, r->prot, old, flags);
	}
	kfree(old);
	return any;
}

void aspace_collapse(struct aspace *as, uint64_t va, uint64_t len)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	bool any = aspace_collapse_locked(as, va, va + len, flags);

	spin_unlock_irqrestore(&as->lock, flags);
	if (any)
		arch_aspace_flush(&as->arch);
	aspace_reclaim_tables(as);
}

/*
 * The large page at va (size bytes, inside r) becomes 4 KiB pages of the
 * same memory, rights and bytes: MADV_NOHUGEPAGE over memory Cove
 * populated before the advice, which Linux would not have populated yet.
 * Under as->lock, by the only thread using the address space (the page
 * is unmapped for a moment). False, the large page kept, on no memory.
 */
static bool aspace_split_page(struct aspace *as, uint64_t va, uint64_t size, phys_addr_t pa,
			      uint32_t prot)
{
	uint64_t off;

	if (arch_aspace_unmap(&as->arch, va, size))
		return false;
	for (off = 0; off < size; off += PAGE_SIZE) {
		if (arch_aspace_map(&as->arch, va + off, pa + off, PAGE_SIZE, prot))
			break;
	}
	if (off < size) {
		arch_aspace_unmap(&as->arch, va, off);
		arch_aspace_map(&as->arch, va, pa, size, prot);
		return false;
	}
	as->unmap_gen++;
	return true;
}

/* Under as->lock: split the large pages of private anonymous memory wholly in [va, end). */
static bool aspace_split_locked(struct aspace *as, uint64_t va, uint64_t end)
{
	bool any = false;
	phys_addr_t pa;
	uint64_t size;

	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		uint64_t at = MAX(r->start, va), stop = MIN(r->end, end);

		if (r->end <= va || r->shm || r->reserved || r->pages.hugetlb ||
		    (r->kind != VM_ANON && r->kind != VM_HEAP && r->kind != VM_STACK))
			continue;
		for (; aspace_next_page(as, &at, stop, &pa, &size); at += size) {
			if (size > PAGE_SIZE)
				any |= aspace_split_page(as, at, size, pa, r->prot);
		}
	}
	return any;
}

/* Regions advice changes nothing for: foreign pages, the vDSO, MAP_HUGETLB. */
static bool aspace_advisable(const struct vm_region *r)
{
	return r->kind != VM_XEMEM && r->kind != VM_VDSO && !r->pages.hugetlb;
}

int aspace_advise_huge(struct aspace *as, uint64_t va, uint64_t len, enum vm_thp thp,
		       bool collapse)
{
	uint64_t end = va + ALIGN_UP(len, PAGE_SIZE), cur = va;
	unsigned long flags = spin_lock_irqsave(&as->lock);
	bool any = false;
	int rc = 0;

	/* Each region keeps one advice: split at the edges first. */
	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		if (!aspace_advisable(r))
			continue;
		if (r->start < va && r->end > va)
			rc = aspace_split(r, va);
		else if (r->start < end && r->end > end)
			rc = aspace_split(r, end);
		if (rc)
			goto out;
	}
	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		if (r->end <= va)
			continue;
		if (r->start > cur)
			rc = -ENOMEM;	/* a hole: Linux advises the rest and says so */
		cur = r->end;
		if (aspace_advisable(r))
			r->pages.thp = thp;
	}
	if (cur < end)
		rc = -ENOMEM;
	if (collapse && thp == VM_THP_HUGE)
		any = aspace_collapse_locked(as, va, end, flags);
	else if (collapse && thp == VM_THP_NEVER)
		any = aspace_split_locked(as, va, end);
out:
	aspace_merge(as);
	spin_unlock_irqrestore(&as->lock, flags);
	if (any)
		arch_aspace_flush(&as->arch);
	aspace_reclaim_tables(as);
	return rc;
}

void aspace_region_resident(struct aspace *as, const struct vm_region *r, uint64_t bytes[3])
{
	uint64_t va = r->start, size;
	phys_addr_t pa;

	if (r->reserved)
		return;
	for (; aspace_next_page(as, &va, r->end, &pa, &size); va += size)
		bytes[aspace_page_index(size)] += size;
}
