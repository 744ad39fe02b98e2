/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel heap: small objects from slabs, large ones as whole blocks. */
#ifndef COVE_HEAP_H
#define COVE_HEAP_H

#include <cove/types.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

struct heap_stats {
	uint64_t allocs, frees, bytes_in_use, slab_pages;
};
void heap_get_stats(struct heap_stats *st);

#endif /* COVE_HEAP_H */
