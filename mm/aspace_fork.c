// SPDX-License-Identifier: GPL-2.0
/*
 * fork's copy of an address space. Cove copies every page now, into
 * memory allocated now, rather than sharing pages copy-on-write: Cove
 * never demand-pages (a job's memory is populated when it is mapped, so it
 * runs without page faults or their noise), and a copy-on-write child or
 * parent would take a fault on its first write to each page, and could
 * even find no memory left then, with nobody to tell but a signal. Copying
 * eagerly makes fork fail with ENOMEM up front instead, and each region is
 * populated with the largest pages its alignment allows, as the parent's.
 *
 * Shared memory (MAP_SHARED, /dev/shm, SysV) is the exception by
 * definition: the child maps the very same pages, and costs nothing. So is
 * a reservation (mmap PROT_NONE, no pages yet): the child gets the same
 * reservation, also without pages.
 */
#include <cove/arch.h>
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/aspace_numa.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kmap.h>
#include <cove/pmem.h>
#include <cove/shmem.h>
#include <cove/string.h>
#include <cove/vm_file_name.h>
#include <arch/memlayout.h>
#include "aspace_internal.h"

/* The regions of src as they are now: copied out so no lock is held while copying. */
static struct vm_region *aspace_snapshot(struct aspace *src, uint32_t *count)
{
	unsigned long flags = spin_lock_irqsave(&src->lock);
	struct vm_region *snap = NULL;
	uint32_t n = 0, i = 0;

	for (struct vm_region *r = src->regions; r; r = r->next)
		n++;
	spin_unlock_irqrestore(&src->lock, flags);
	snap = kmalloc(sizeof(*snap) * (n ? n : 1));
	if (!snap)
		return NULL;
	flags = spin_lock_irqsave(&src->lock);
	for (struct vm_region *r = src->regions; r && i < n; r = r->next) {
		snap[i] = *r;
		vm_file_name_get(r->file);	/* held until the copy is done */
		if (r->shm)
			shmem_get(r->shm);
		snap[i++].next = NULL;
	}
	spin_unlock_irqrestore(&src->lock, flags);
	*count = i;
	return snap;
}

/*
 * What a child's page holds: src's bytes inside [copy_start, copy_end),
 * zeros elsewhere; every page's bytes with all (a write-back mapping, whose
 * dirty bits count from the file's bytes, not from zeros).
 */
struct fork_fill {
	struct aspace *src;
	uint64_t copy_start, copy_end;
	bool all;
};

/*
 * Fill the child's new page at dst (address va, size bytes) as it is
 * populated, one source page at a time: a source page written since it
 * was zeros is copied, anything else is zeroed (cove/aspace.h:
 * arch_aspace_dirty), so no byte is written twice. True if any was copied.
 */
static bool fork_fill_page(void *ctx, uint64_t va, void *dst, uint64_t size)
{
	const struct fork_fill *ff = ctx;
	uint64_t end = va + size;
	uint8_t *out = dst;
	bool written = false;

	while (va < end) {
		uint64_t chunk = end - va, psize;
		phys_addr_t pa;
		int dirty = 0;

		if (va < ff->copy_start) {
			chunk = MIN(chunk, ff->copy_start - va);
		} else if (va < ff->copy_end) {
			if (ff->all)
				dirty = arch_aspace_translate(&ff->src->arch, va, &pa, &psize) ? -1 : 1;
			else
				dirty = arch_aspace_dirty(&ff->src->arch, va, ASPACE_DIRTY_TEST, &pa,
							  &psize);
			/* Unmapped meanwhile by another thread: zeros, a page at a time. */
			chunk = MIN(chunk, dirty < 0 ? PAGE_SIZE - (va & (PAGE_SIZE - 1)) :
					   psize - (va & (psize - 1)));
			chunk = MIN(chunk, ff->copy_end - va);
		}
		if (dirty > 0) {
			memcpy(out, phys_to_virt(pa), chunk);
			written = true;
		} else {
			memset(out, 0, chunk);
		}
		out += chunk;
		va += chunk;
	}
	return written;
}

/* Below the stack pointer at fork: the red zone, then margin before growing. */
#define FORK_STACK_RED_ZONE 128
#define FORK_STACK_MARGIN (64 * KiB)

/* What of a region the child gets populated, and which bytes of it are copied. */
struct clone_extent {
	uint64_t map_start, map_end;
	uint64_t copy_start, copy_end;
};

/*
 * Every region whole, but two. The heap only up to the break, populated to
 * the page holding it (sys_brk populates more if the child grows): above
 * the break the heap holds zeros (sys_brk keeps it so), as fresh memory
 * does. And the stack holding sp from sp down (less the red zone), plus a
 * margin populated and zeroed: what lies below are dead frames, and the
 * rest of the stack populates as the child reaches it (mm/aspace_stack.c).
 */
static void aspace_clone_extent(const struct aspace *src, const struct vm_region *r,
				uint64_t sp, uint64_t brk_mapped, struct clone_extent *x)
{
	x->map_start = x->copy_start = r->start;
	x->map_end = x->copy_end = r->end;
	if (r->kind == VM_HEAP) {
		x->map_end = MAX(r->start, MIN(r->end, brk_mapped));
		x->copy_end = MAX(r->start, MIN(x->map_end, ALIGN_UP(src->brk_cur, PAGE_SIZE)));
	} else if (r->kind == VM_STACK && sp > r->start && sp <= r->end) {
		uint64_t live = sp - MIN(sp - r->start, FORK_STACK_RED_ZONE);

		x->copy_start = ALIGN_DOWN(live, PAGE_SIZE);
		x->map_start = x->copy_start - MIN(x->copy_start - r->start, FORK_STACK_MARGIN);
	}
}

struct aspace *aspace_clone(struct aspace *src, uint64_t sp, int *err)
{
	struct vm_region *snap;
	struct aspace *dst;
	struct pmem_stats st;
	uint32_t n = 0;
	struct clone_extent x;
	struct fork_fill ff;
	const struct aspace_fill fill = { fork_fill_page, &ff };
	uint64_t need = 0, brk_mapped;
	int rc = 0;

	snap = aspace_snapshot(src, &n);
	if (!snap) {
		*err = -ENOMEM;
		return NULL;
	}
	brk_mapped = MIN(src->brk_mapped, ALIGN_UP(src->brk_cur, PAGE_SIZE));
	for (uint32_t i = 0; i < n; i++) {
		if (snap[i].shm || snap[i].reserved)
			continue;	/* shared, or no pages: nothing copied */
		aspace_clone_extent(src, &snap[i], sp, brk_mapped, &x);
		if (snap[i].kind != VM_XEMEM)
			need += x.map_end - x.map_start;
	}
	/* Fail early and cheaply when the copy cannot fit. */
	pmem_get_stats(&st);
	dst = need > st.free_bytes ? NULL : aspace_create(src->large_page);
	if (!dst)
		rc = -ENOMEM;
	if (dst) {
		dst->brk_base = src->brk_base;
		dst->brk_cur = src->brk_cur;
		dst->brk_limit = src->brk_limit;
		dst->auxv_addr = src->auxv_addr;
		dst->auxv_len = src->auxv_len;
		dst->brk_mapped = brk_mapped;
		dst->stack_floor = src->stack_floor;
		dst->mmap_top = src->mmap_top;
	}
	for (uint32_t i = 0; i < n && !rc; i++) {
		struct vm_region *r = &snap[i];

		if (r->shm) {
			rc = aspace_map_shared(dst, r->start, r->end - r->start, r->prot, r->kind,
					       r->shm, r->shm_off);
			if (!rc && r->pages.hugetlb)
				aspace_set_hugetlb(dst, r->start, r->end - r->start, r->pages.hugetlb);
			continue;
		}
		if (r->reserved) {
			rc = aspace_map_with(dst, r->start, r->end - r->start, 0, r->kind, NULL, 0,
					     true, &r->pages);
			continue;
		}
		aspace_clone_extent(src, r, sp, brk_mapped, &x);
		/* Foreign pages are their owner's to share: not inherited (Linux's VM_DONTCOPY). */
		if (x.map_end == x.map_start || r->kind == VM_XEMEM)
			continue;
		if (x.map_start != r->start)	/* the stack: the rest stays reserved */
			dst->stack_floor = src->stack_floor ? src->stack_floor : r->start;
		/*
		 * Each page filled as it is populated: the parent's bytes
		 * where it wrote them, zeros elsewhere, through the kernel's
		 * view of the page, so it is mapped with the region's own
		 * rights at once (a second pass to protect walked every page
		 * again). The same page policy: MAP_HUGETLB memory is copied
		 * into pages of its size or the fork fails, as madvise's
		 * advice is kept.
		 */
		ff = (struct fork_fill){ src, x.copy_start, x.copy_end,
					 r->file && r->file->writeback };
		rc = aspace_map_filled(dst, x.map_start, x.map_end - x.map_start, r->prot,
				       r->kind, r->file, r->file_off + (x.map_start - r->start),
				       &r->pages, &fill);
		/*
		 * A write-back mapping is the child's to write back too, but only
		 * what the child writes: what the parent wrote is the parent's.
		 */
		if (!rc && ff.all) {
			dst->writeback_maps++;
			aspace_writeback_clean(dst, x.map_start, x.map_end);
		}
		/*
		 * The child keeps the region's mbind policy, and its copy goes where
		 * the policy says; a copy that finds no room there stays where it
		 * is (Linux's child would fault it in later, not fail the fork).
		 */
		if (!rc && r->policy.mode != MPOL_DEFAULT)
			aspace_mbind(dst, x.map_start, x.map_end - x.map_start, &r->policy, 0);
	}
	for (uint32_t i = 0; i < n; i++) {
		vm_file_name_put(snap[i].file);
		shmem_put(snap[i].shm);
	}
	kfree(snap);
	if (rc) {
		if (dst)
			aspace_put(dst);
		*err = rc == -EEXIST ? -ENOMEM : rc;
		return NULL;
	}
	return dst;
}
