// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel heap. Small objects come from 4 KiB slab pages cut into one
 * size class each; anything larger is a buddy block of its own. Every object
 * carries a 16-byte header so kfree needs no size and catches double frees.
 */
#include <cove/heap.h>
#include <cove/kmap.h>
#include <cove/panic.h>
#include <cove/pmem.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <generated/config.h>

#define HEAP_MAGIC_USED 0xC0FEA110U
#define HEAP_MAGIC_FREE 0xDEADF7EEU
#define HEAP_NR_CLASSES 7	/* 32 .. 2048 bytes, header included */
#define HEAP_MIN_SHIFT 5
#define HEAP_LARGE 0xffffffffU

struct heap_hdr {
	uint32_t magic;
	uint32_t cls;		/* size class, or HEAP_LARGE */
	uint32_t order;		/* HEAP_LARGE: buddy order of the block */
	uint32_t size;		/* bytes asked for (objects are below 1 GiB) */
};

struct heap_free {
	struct heap_hdr hdr;
	struct heap_free *next;
};

/* Free lists per class and counters, all under heap_lock. */
static struct heap_free *heap_free_list[HEAP_NR_CLASSES];
static struct heap_stats heap_st;
static spinlock_t heap_lock = SPINLOCK_INIT;

static int heap_class_for(size_t total)
{
	for (int c = 0; c < HEAP_NR_CLASSES; c++) {
		if (total <= (1UL << (HEAP_MIN_SHIFT + c)))
			return c;
	}
	return -1;
}

static bool heap_refill(int cls)
{
	size_t objsize = 1UL << (HEAP_MIN_SHIFT + cls);
	phys_addr_t pa;
	uint8_t *page;

	if (pmem_alloc(0, &pa))
		return false;
	page = phys_to_virt(pa);
	for (size_t off = 0; off + objsize <= PAGE_SIZE; off += objsize) {
		struct heap_free *f = (struct heap_free *)(page + off);

		f->hdr.magic = HEAP_MAGIC_FREE;
		f->hdr.cls = (uint32_t)cls;
		f->next = heap_free_list[cls];
		heap_free_list[cls] = f;
	}
	heap_st.slab_pages++;
	return true;
}

static void *heap_alloc_large(size_t size, size_t total)
{
	int order = pmem_order_for(total);
	phys_addr_t pa;
	struct heap_hdr *h;

	if (order < 0 || pmem_alloc((unsigned int)order, &pa))
		return NULL;
	h = phys_to_virt(pa);
	h->magic = HEAP_MAGIC_USED;
	h->cls = HEAP_LARGE;
	h->order = (uint32_t)order;
	h->size = (uint32_t)size;
	return h + 1;
}

void *kmalloc(size_t size)
{
	size_t total = size + sizeof(struct heap_hdr);
	int cls = heap_class_for(total);
	struct heap_free *f;
	unsigned long flags;
	void *p;

	if (size == 0 || total < size)
		return NULL;
	if (cls < 0) {
		p = heap_alloc_large(size, total);
		flags = spin_lock_irqsave(&heap_lock);
		if (p) {
			heap_st.allocs++;
			heap_st.bytes_in_use += size;
		}
		spin_unlock_irqrestore(&heap_lock, flags);
		return p;
	}

	flags = spin_lock_irqsave(&heap_lock);
	if (!heap_free_list[cls] && !heap_refill(cls)) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	f = heap_free_list[cls];
	heap_free_list[cls] = f->next;
	f->hdr.magic = HEAP_MAGIC_USED;
	f->hdr.size = (uint32_t)size;
	heap_st.allocs++;
	heap_st.bytes_in_use += size;
	spin_unlock_irqrestore(&heap_lock, flags);
	return &f->hdr + 1;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct heap_hdr *h;
	unsigned long flags;

	if (!p)
		return;
	h = (struct heap_hdr *)p - 1;
	if (h->magic != HEAP_MAGIC_USED)
		panic("kfree(%p): %s", p,
		      h->magic == HEAP_MAGIC_FREE ? "double free" : "not a heap object");

	if (h->cls == HEAP_LARGE) {
		uint32_t order = h->order;

		h->magic = HEAP_MAGIC_FREE;
		flags = spin_lock_irqsave(&heap_lock);
		heap_st.frees++;
		heap_st.bytes_in_use -= h->size;
		spin_unlock_irqrestore(&heap_lock, flags);
		pmem_free(virt_to_phys(h), order);
		return;
	}

	/* Debug builds poison freed objects so use-after-free shows up. */
	if (CONFIG_DEBUG)
		memset(h + 1, 0x6b, h->size);
	flags = spin_lock_irqsave(&heap_lock);
	heap_st.frees++;
	heap_st.bytes_in_use -= h->size;
	h->magic = HEAP_MAGIC_FREE;
	((struct heap_free *)h)->next = heap_free_list[h->cls];
	heap_free_list[h->cls] = (struct heap_free *)h;
	spin_unlock_irqrestore(&heap_lock, flags);
}

void heap_get_stats(struct heap_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);

	*st = heap_st;
	spin_unlock_irqrestore(&heap_lock, flags);
}
