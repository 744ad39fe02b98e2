// SPDX-License-Identifier: GPL-2.0
/*
 * Binary-buddy physical page allocator; the contract is in <cove/buddy.h>.
 *
 * The span is whole 1 GiB chunks, so the buddy of any block below the top
 * order is pa ^ size and always lies inside the span. Per order there is
 * one bitmap whose bit is set exactly when that block heads a free list
 * entry; that lets a free find its buddy, and spot a double free, without
 * touching the (possibly unmapped or user-owned) memory around it.
 * A further bitmap records which pages were ever added, so holes in the
 * span are never handed out and cannot be freed into the lists.
 */
#include <cove/buddy.h>
#include <cove/errno.h>
#include <cove/string.h>

/*
 * The in-band list node at the start of every free block. Links hold
 * physical addresses so they stay valid whatever phys_to_virt does.
 */
struct buddy_node {
	phys_addr_t next;
	phys_addr_t prev;
};

static uint64_t bitmap_words(uint64_t bits)
{
	return (bits + 63) / 64;
}

static bool bit_test(const uint64_t *map, uint64_t i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static void bit_flip(uint64_t *map, uint64_t i)
{
	map[i / 64] ^= 1ULL << (i % 64);
}

/* Bits of word i / 64 that fall in [i, end); end > i. */
static uint64_t range_mask(uint64_t i, uint64_t end)
{
	uint64_t n = MIN(64 - i % 64, end - i);

	return (n == 64 ? ~0ULL : (1ULL << n) - 1) << (i % 64);
}

/* Whether every bit in [first, first + n) equals val; a word at a time. */
static bool bits_all(const uint64_t *map, uint64_t first, uint64_t n, bool val)
{
	uint64_t end = first + n;

	for (uint64_t i = first; i < end; i = ALIGN_DOWN(i, 64) + 64) {
		uint64_t m = range_mask(i, end);

		if ((map[i / 64] & m) != (val ? m : 0))
			return false;
	}
	return true;
}

static void bits_set(uint64_t *map, uint64_t first, uint64_t n)
{
	uint64_t end = first + n;

	for (uint64_t i = first; i < end; i = ALIGN_DOWN(i, 64) + 64)
		map[i / 64] |= range_mask(i, end);
}

/* Index of the lowest set bit below n, or n if there is none. */
static uint64_t bits_find(const uint64_t *map, uint64_t n)
{
	for (uint64_t w = 0; w < bitmap_words(n); w++) {
		if (map[w])
			return MIN(w * 64 + __builtin_ctzll(map[w]), n);
	}
	return n;
}

static phys_addr_t buddy_end(const struct buddy *b)
{
	return b->base + (b->nr_pages << PAGE_SHIFT);
}

static uint64_t buddy_index(const struct buddy *b, phys_addr_t pa, unsigned int k)
{
	return (pa - b->base) >> (PAGE_SHIFT + k);
}

static struct buddy_node *buddy_node(const struct buddy *b, phys_addr_t pa)
{
	return b->phys_to_virt(pa);
}

static void buddy_span(phys_addr_t lo, phys_addr_t hi, phys_addr_t *base, uint64_t *nr_pages)
{
	*base = ALIGN_DOWN(lo, BUDDY_SPAN_ALIGN);
	*nr_pages = hi > lo ? (ALIGN_UP(hi, BUDDY_SPAN_ALIGN) - *base) >> PAGE_SHIFT : 0;
}

size_t buddy_metadata_size(phys_addr_t lo, phys_addr_t hi)
{
	phys_addr_t base;
	uint64_t nr_pages, words;

	buddy_span(lo, hi, &base, &nr_pages);
	words = bitmap_words(nr_pages);
	for (unsigned int k = 0; k <= BUDDY_MAX_ORDER; k++)
		words += bitmap_words(nr_pages >> k);
	return words * sizeof(uint64_t);
}

void buddy_init(struct buddy *b, phys_addr_t lo, phys_addr_t hi, void *meta,
		void *(*phys_to_virt)(phys_addr_t))
{
	size_t size = buddy_metadata_size(lo, hi);
	uint64_t *p = meta;

	memset(b, 0, sizeof(*b));
	buddy_span(lo, hi, &b->base, &b->nr_pages);
	b->phys_to_virt = phys_to_virt;
	if (size)
		memset(meta, 0, size);
	b->managed = p;
	p += bitmap_words(b->nr_pages);
	for (unsigned int k = 0; k <= BUDDY_MAX_ORDER; k++) {
		b->bitmap[k] = p;
		p += bitmap_words(b->nr_pages >> k);
		b->free_head[k] = BUDDY_NONE;
	}
}

static void buddy_push(struct buddy *b, phys_addr_t pa, unsigned int k)
{
	struct buddy_node *n = buddy_node(b, pa);

	n->next = b->free_head[k];
	n->prev = BUDDY_NONE;
	if (n->next != BUDDY_NONE)
		buddy_node(b, n->next)->prev = pa;
	b->free_head[k] = pa;
	bit_flip(b->bitmap[k], buddy_index(b, pa, k));
	b->nr_free[k]++;
	b->free_pages += 1ULL << k;
}

static void buddy_unlink(struct buddy *b, phys_addr_t pa, unsigned int k)
{
	struct buddy_node *n = buddy_node(b, pa);

	if (n->prev != BUDDY_NONE)
		buddy_node(b, n->prev)->next = n->next;
	else
		b->free_head[k] = n->next;
	if (n->next != BUDDY_NONE)
		buddy_node(b, n->next)->prev = n->prev;
	bit_flip(b->bitmap[k], buddy_index(b, pa, k));
	b->nr_free[k]--;
	b->free_pages -= 1ULL << k;
}

/* Frees a block already validated, merging with free buddies while it can. */
static void buddy_release(struct buddy *b, phys_addr_t pa, unsigned int k)
{
	for (; k < BUDDY_MAX_ORDER; k++) {
		phys_addr_t buddy = pa ^ (PAGE_SIZE << k);

		if (!bit_test(b->bitmap[k], buddy_index(b, buddy, k)))
			break;
		buddy_unlink(b, buddy, k);
		pa = MIN(pa, buddy);
	}
	buddy_push(b, pa, k);
}

/*
 * Takes free block pa of order k and keeps its lowest part of order want;
 * keeping the low end is what lets alloc_below judge a block by its start.
 */
static phys_addr_t buddy_take(struct buddy *b, phys_addr_t pa, unsigned int k,
			      unsigned int want)
{
	buddy_unlink(b, pa, k);
	while (k > want) {
		k--;
		buddy_push(b, pa + (PAGE_SIZE << k), k);
	}
	return pa;
}

int buddy_add_range(struct buddy *b, phys_addr_t base, uint64_t size)
{
	phys_addr_t start, end;
	uint64_t first, pages;

	if (size > BUDDY_NONE - base)
		return -EINVAL;
	end = ALIGN_DOWN(base + size, PAGE_SIZE);
	if (end <= base)
		return 0;
	start = ALIGN_UP(base, PAGE_SIZE);
	if (start == end)
		return 0;
	if (start < b->base || end > buddy_end(b))
		return -EINVAL;
	first = (start - b->base) >> PAGE_SHIFT;
	pages = (end - start) >> PAGE_SHIFT;
	if (!bits_all(b->managed, first, pages, false))
		return -EINVAL;
	bits_set(b->managed, first, pages);
	b->managed_pages += pages;

	while (start < end) {
		unsigned int k = 0;

		while (k < BUDDY_MAX_ORDER && IS_ALIGNED(start, PAGE_SIZE << (k + 1)) &&
		       end - start >= PAGE_SIZE << (k + 1))
			k++;
		buddy_release(b, start, k);
		start += PAGE_SIZE << k;
	}
	return 0;
}

/* The free block holding page pa, as its order; -1 if pa is in use. */
static int buddy_free_block_of(const struct buddy *b, phys_addr_t pa)
{
	for (unsigned int k = 0; k <= BUDDY_MAX_ORDER; k++) {
		if (bit_test(b->bitmap[k], buddy_index(b, ALIGN_DOWN(pa, PAGE_SIZE << k), k)))
			return (int)k;
	}
	return -1;
}

/*
 * Free block [pa, pa + 2^k pages), already unlinked: keep what lies outside
 * [lo, hi) and drop the rest. The halves kept cannot merge with anything,
 * since their buddies are (part of) the range being taken.
 */
static void buddy_split_around(struct buddy *b, phys_addr_t pa, unsigned int k, phys_addr_t lo,
			       phys_addr_t hi)
{
	phys_addr_t end = pa + (PAGE_SIZE << k);

	if (end <= lo || pa >= hi) {
		buddy_push(b, pa, k);
		return;
	}
	if (pa >= lo && end <= hi)
		return;
	buddy_split_around(b, pa, k - 1, lo, hi);
	buddy_split_around(b, pa + (PAGE_SIZE << (k - 1)), k - 1, lo, hi);
}

int buddy_take_range(struct buddy *b, phys_addr_t base, uint64_t size)
{
	phys_addr_t end = base + size, pa;
	uint64_t first, pages;

	if (!size || !IS_ALIGNED(base | size, PAGE_SIZE) || end < base || base < b->base ||
	    end > buddy_end(b))
		return -EINVAL;
	first = (base - b->base) >> PAGE_SHIFT;
	pages = size >> PAGE_SHIFT;
	if (!bits_all(b->managed, first, pages, true))
		return -EINVAL;
	/* All or nothing: look before changing anything. */
	for (pa = base; pa < end;) {
		int k = buddy_free_block_of(b, pa);

		if (k < 0)
			return -EBUSY;
		pa = ALIGN_DOWN(pa, PAGE_SIZE << k) + (PAGE_SIZE << k);
	}
	for (pa = base; pa < end;) {
		unsigned int k = (unsigned int)buddy_free_block_of(b, pa);
		phys_addr_t blk = ALIGN_DOWN(pa, PAGE_SIZE << k);

		buddy_unlink(b, blk, k);
		buddy_split_around(b, blk, k, base, end);
		pa = blk + (PAGE_SIZE << k);
	}
	for (uint64_t i = first; i < first + pages; i++)
		bit_flip(b->managed, i);
	b->managed_pages -= pages;
	return 0;
}

int buddy_alloc(struct buddy *b, unsigned int order, phys_addr_t *out)
{
	if (order > BUDDY_MAX_ORDER)
		return -EINVAL;
	for (unsigned int k = order; k <= BUDDY_MAX_ORDER; k++) {
		if (b->free_head[k] != BUDDY_NONE) {
			*out = buddy_take(b, b->free_head[k], k, order);
			return 0;
		}
	}
	return -ENOMEM;
}

/*
 * The free lists are unordered, so search the bitmaps instead: the cost is
 * bounded by the limit (a 1 MiB limit reads a handful of words), and the
 * lowest fit is found, which keeps scarce low memory for later callers too.
 */
int buddy_alloc_below(struct buddy *b, unsigned int order, phys_addr_t limit,
		      phys_addr_t *out)
{
	uint64_t need;

	if (order > BUDDY_MAX_ORDER)
		return -EINVAL;
	need = PAGE_SIZE << order;
	limit = MIN(limit, buddy_end(b));
	if (limit < b->base || limit - b->base < need)
		return -ENOMEM;
	for (unsigned int k = order; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t n = ((limit - b->base - need) >> (PAGE_SHIFT + k)) + 1;
		uint64_t i = bits_find(b->bitmap[k], n);

		if (i < n) {
			*out = buddy_take(b, b->base + (i << (PAGE_SHIFT + k)), k, order);
			return 0;
		}
	}
	return -ENOMEM;
}

int buddy_free(struct buddy *b, phys_addr_t addr, unsigned int order)
{
	uint64_t first;

	if (order > BUDDY_MAX_ORDER || !IS_ALIGNED(addr, PAGE_SIZE << order) ||
	    addr < b->base || addr >= buddy_end(b))
		return -EINVAL;
	/* A free ancestor means this block is already free: one bit per order. */
	for (unsigned int k = order; k <= BUDDY_MAX_ORDER; k++) {
		if (bit_test(b->bitmap[k], buddy_index(b, addr, k)))
			return -EINVAL;
	}
	/*
	 * A hole or a free sub-block would corrupt the lists. Checking costs a
	 * word per 32 pages (4 KiB of reads for 1 GiB), far below what the
	 * caller spent using the block.
	 */
	first = (addr - b->base) >> PAGE_SHIFT;
	if (!bits_all(b->managed, first, 1ULL << order, true))
		return -EINVAL;
	for (unsigned int k = 0; k < order; k++) {
		if (!bits_all(b->bitmap[k], first >> k, 1ULL << (order - k), false))
			return -EINVAL;
	}
	buddy_release(b, addr, order);
	return 0;
}

int buddy_order_for(uint64_t size)
{
	int k = 0;

	if (size == 0 || size > (PAGE_SIZE << BUDDY_MAX_ORDER))
		return -EINVAL;
	while ((PAGE_SIZE << k) < size)
		k++;
	return k;
}

uint64_t buddy_free_bytes(const struct buddy *b)
{
	return b->free_pages << PAGE_SHIFT;
}

/* Walks free list k; returns its length, or -1 if it disagrees with the rest. */
static int64_t buddy_check_list(const struct buddy *b, unsigned int k)
{
	phys_addr_t prev = BUDDY_NONE, pa = b->free_head[k];
	uint64_t seen = 0;

	while (pa != BUDDY_NONE) {
		const struct buddy_node *n;

		/* Bounding the walk by the count keeps a corrupted cycle from hanging us. */
		if (seen++ == b->nr_free[k] || pa < b->base || pa >= buddy_end(b) ||
		    !IS_ALIGNED(pa, PAGE_SIZE << k) ||
		    !bit_test(b->bitmap[k], buddy_index(b, pa, k)) ||
		    !bits_all(b->managed, (pa - b->base) >> PAGE_SHIFT, 1ULL << k, true))
			return -1;
		n = buddy_node(b, pa);
		if (n->prev != prev)
			return -1;
		prev = pa;
		pa = n->next;
	}
	return seen == b->nr_free[k] ? (int64_t)seen : -1;
}

int buddy_check(const struct buddy *b)
{
	uint64_t pages = 0;

	for (unsigned int k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t nblk = b->nr_pages >> k, bits = 0;
		int64_t listed = buddy_check_list(b, k);

		if (listed < 0)
			return -EINVAL;
		/*
		 * Every listed block has its bit, so equal counts make the two a
		 * bijection. A set bit must also not sit inside a larger free
		 * block (overlap) nor beside a free buddy (a missed merge).
		 */
		for (uint64_t w = 0; w < bitmap_words(nblk); w++) {
			for (uint64_t m = b->bitmap[k][w]; m; m &= m - 1) {
				uint64_t i = w * 64 + __builtin_ctzll(m);

				if (k < BUDDY_MAX_ORDER && bit_test(b->bitmap[k], i ^ 1))
					return -EINVAL;
				for (unsigned int j = k + 1; j <= BUDDY_MAX_ORDER; j++) {
					if (bit_test(b->bitmap[j], i >> (j - k)))
						return -EINVAL;
				}
				bits++;
			}
		}
		if (bits != (uint64_t)listed)
			return -EINVAL;
		pages += bits << k;
	}
	if (pages != b->free_pages || pages > b->managed_pages)
		return -EINVAL;
	return 0;
}
