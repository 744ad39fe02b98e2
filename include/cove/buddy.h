/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binary-buddy physical page allocator. Blocks of order k are 4 KiB << k
 * bytes and naturally aligned in physical address terms, so a 2 MiB or 1 GiB
 * block can be mapped with one large page. No locking: callers serialise.
 *
 * Free lists live in-band (the first bytes of each free block, reached via
 * phys_to_virt); the only out-of-band metadata is a few bitmaps in a
 * caller-provided buffer, so the allocator can run before any heap exists.
 */
#ifndef COVE_BUDDY_H
#define COVE_BUDDY_H

#include <cove/types.h>

#define BUDDY_MAX_ORDER 18
#define BUDDY_NR_ORDERS (BUDDY_MAX_ORDER + 1)
#define BUDDY_SPAN_ALIGN (PAGE_SIZE << BUDDY_MAX_ORDER)

struct buddy {
	phys_addr_t base;		/* span start, aligned down to 1 GiB */
	uint64_t nr_pages;		/* span length in pages, multiple of 2^18 */
	void *(*phys_to_virt)(phys_addr_t pa);
	uint64_t *bitmap[BUDDY_NR_ORDERS];	/* bit set: block free, on list */
	uint64_t *managed;		/* one bit per page handed in by add_range */
	phys_addr_t free_head[BUDDY_NR_ORDERS];	/* physical, or BUDDY_NONE */
	uint64_t nr_free[BUDDY_NR_ORDERS];	/* free blocks per order */
	uint64_t free_pages;		/* free pages in total */
	uint64_t managed_pages;		/* pages ever added with add_range */
};

/* No block can start here: it is not page aligned. */
#define BUDDY_NONE (~(phys_addr_t)0)

/* Bytes of metadata needed to manage physical span [lo, hi); 0 if empty. */
size_t buddy_metadata_size(phys_addr_t lo, phys_addr_t hi);
/* meta must be buddy_metadata_size(lo, hi) bytes, 8-byte aligned; it is zeroed here. */
void buddy_init(struct buddy *b, phys_addr_t lo, phys_addr_t hi, void *meta,
		void *(*phys_to_virt)(phys_addr_t));
/*
 * Give [base, base + size) to the allocator, shrunk inward to whole pages
 * (nothing left after that is not an error). -EINVAL if it leaves the span
 * or overlaps memory already added.
 */
int buddy_add_range(struct buddy *b, phys_addr_t base, uint64_t size);
/*
 * Take [base, base + size) (whole pages) out of the allocator for good, as
 * if it had never been added: -EBUSY, changing nothing, if any page of it
 * is allocated; -EINVAL if it is misaligned or was never (all) added.
 */
int buddy_take_range(struct buddy *b, phys_addr_t base, uint64_t size);
/* 0 and *out set, -ENOMEM, or -EINVAL for a bad order. */
int buddy_alloc(struct buddy *b, unsigned int order, phys_addr_t *out);
/* As buddy_alloc, but the whole block ends at or below limit. Prefers the lowest fit. */
int buddy_alloc_below(struct buddy *b, unsigned int order, phys_addr_t limit,
		      phys_addr_t *out);
/*
 * -EINVAL, changing nothing, for a misaligned or out-of-span address, a bad
 * order, memory never added, or a double free (the block, a block containing
 * it, or a block inside it is already free).
 */
int buddy_free(struct buddy *b, phys_addr_t addr, unsigned int order);
/* Smallest k with PAGE_SIZE << k >= size; -EINVAL for 0 or more than 1 GiB. */
int buddy_order_for(uint64_t size);
uint64_t buddy_free_bytes(const struct buddy *b);
/* Cross-checks lists, bitmaps and counters; 0 if consistent, else -EINVAL. */
int buddy_check(const struct buddy *b);

#endif /* COVE_BUDDY_H */
