// SPDX-License-Identifier: GPL-2.0
/*
 * madvise(MADV_DONTNEED) on memory that stays resident: private anonymous
 * pages must read as zeros after, as Linux's do when they fault back in.
 * Zeroing every page was the whole cost of a thread's exit (glibc discards
 * all of an exiting thread's stack but the top, 8 MiB nearly never
 * touched), so only pages written since they last held zeros are zeroed.
 *
 * A page's dirty bit says so. Cove maps a freshly zeroed page clean
 * (arch_aspace_map_zeroed) and every other page dirty; the CPU sets the
 * bit on a write through the job's tables, the kernel on a write through
 * its direct map (aspace_access.c), and the host module on a proxy's
 * first write through its mirror (co-kernel mode: cove_mirror.c).
 *
 * A page discarded whole has its bit cleared, then every CPU's cached
 * translation dropped, and only then is it zeroed: a write in between
 * lands before the zeros, and a write after sets the bit again. The
 * host's mirror is told to look again too (unmap_gen), since it may map
 * the page writable from an earlier write. A page discarded in part keeps
 * its bit and is zeroed at once.
 */
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/string.h>
#include "aspace_internal.h"

/* Zeroed per hold of the lock (interrupts are off meanwhile). */
#define DISCARD_CHUNK (2ULL << 20)
/* Whole pages cleaned per pass, zeroed after the flush. */
#define DISCARD_BATCH 32

struct discard_batch {
	unsigned int n;
	struct {
		uint64_t va, size;
		phys_addr_t pa;
	} page[DISCARD_BATCH];
};

static bool discard_zeroes(const struct vm_region *r)
{
	/*
	 * Anonymous private memory refaults as zeros on Linux. A file's copy
	 * (program images included) would refault from the file: keeping its
	 * bytes is the nearest Cove has. Shared memory and foreign pages
	 * keep theirs, as Linux's page cache does.
	 */
	return !r->shm && !r->reserved &&
	       (r->kind == VM_ANON || r->kind == VM_HEAP || r->kind == VM_STACK);
}

/*
 * Under as->lock: the next page written since it held zeros, at or after
 * va and below end (pages in between are clean: zeros already). Discarded
 * whole, it is cleaned and queued in b; in part, zeroed now. Returns where
 * to go on from.
 */
static uint64_t discard_next(struct aspace *as, uint64_t va, uint64_t end,
			     struct discard_batch *b)
{
	uint64_t base, size, stop;
	phys_addr_t pa;

	if (!arch_aspace_find_dirty(&as->arch, va, end, &base, &size))
		return end;
	va = MAX(va, base);
	stop = MIN(end, base + size);
	if (va == base && stop == base + size) {
		if (arch_aspace_dirty(&as->arch, va, ASPACE_DIRTY_CLEAR, &pa, &size) == 1) {
			b->page[b->n].va = va;
			b->page[b->n].size = size;
			b->page[b->n].pa = pa;
			b->n++;
		}
		return stop;
	}
	if (!arch_aspace_translate(&as->arch, va, &pa, &size))
		memset(phys_to_virt(pa), 0, stop - va);
	return stop;
}

/*
 * The queued pages, after the flush: zeroed if each still maps what it
 * mapped (an unmap meanwhile gave it back; its new owner's bytes stay).
 */
static void discard_zero_batch(struct aspace *as, const struct discard_batch *b)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);

	as->unmap_gen++;	/* the host's mirror must look again */
	for (unsigned int i = 0; i < b->n; i++) {
		uint64_t size;
		phys_addr_t pa;

		if (!arch_aspace_translate(&as->arch, b->page[i].va, &pa, &size) &&
		    pa == b->page[i].pa && size == b->page[i].size)
			memset(phys_to_virt(pa), 0, size);
	}
	spin_unlock_irqrestore(&as->lock, flags);
}

int aspace_discard(struct aspace *as, uint64_t va, uint64_t len)
{
	uint64_t end = va + ALIGN_UP(len, PAGE_SIZE);
	struct discard_batch b;
	int rc = 0;

	while (va < end) {
		unsigned long flags = spin_lock_irqsave(&as->lock);
		struct vm_region *r = as->regions;
		uint64_t stop;

		while (r && r->end <= va)
			r = r->next;
		if (!r || r->start >= end) {
			spin_unlock_irqrestore(&as->lock, flags);
			return -ENOMEM;
		}
		if (r->start > va) {
			rc = -ENOMEM;	/* a hole: Linux goes on with the rest */
			va = r->start;
		}
		if (r->pages.hugetlb && !IS_ALIGNED(va, r->pages.hugetlb)) {
			spin_unlock_irqrestore(&as->lock, flags);
			return -EINVAL;
		}
		stop = MIN(r->end, r->pages.hugetlb ? ALIGN_UP(end, r->pages.hugetlb) : end);
		stop = MIN(stop, va + DISCARD_CHUNK);
		b.n = 0;
		if (discard_zeroes(r)) {
			while (va < stop && b.n < DISCARD_BATCH)
				va = discard_next(as, va, stop, &b);
		} else {
			va = stop;
		}
		spin_unlock_irqrestore(&as->lock, flags);
		if (b.n) {
			/* No CPU may write on through a translation that still says dirty. */
			arch_aspace_flush(&as->arch);
			discard_zero_batch(as, &b);
		}
	}
	return rc;
}
