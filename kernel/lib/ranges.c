// SPDX-License-Identifier: GPL-2.0
/*
 * Sorted lists of physical ranges: the partition, the host's grants. Pure,
 * so the protection layer links its own copy and the unit tests run it.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/ranges.h>

bool ranges_contain(const struct boot_range *r, uint32_t n, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < n; i++) {
		if (base >= r[i].base && base + size <= r[i].base + r[i].size)
			return true;
	}
	return false;
}

bool ranges_overlap(const struct boot_range *r, uint32_t n, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < n; i++) {
		if (base < r[i].base + r[i].size && r[i].base < base + size)
			return true;
	}
	return false;
}

bool range_is_whole_pages(uint64_t base, uint64_t size)
{
	return size && !((base | size) & (PAGE_SIZE - 1)) && base + size > base;
}

int ranges_cut(struct boot_range *r, uint32_t *n, uint32_t max, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	for (uint32_t i = 0; i < *n; i++) {
		uint64_t rb = r[i].base, re = rb + r[i].size;

		if (base < rb || end > re)
			continue;
		if (base > rb && end < re) {
			if (*n == max)
				return -ENOSPC;
			/* Keep the list sorted: the upper part goes right after. */
			for (uint32_t j = *n; j > i + 1; j--)
				r[j] = r[j - 1];
			r[i + 1].base = end;
			r[i + 1].size = re - end;
			(*n)++;
			r[i].size = base - rb;
		} else if (base > rb) {
			r[i].size = base - rb;
		} else if (end < re) {
			r[i].base = end;
			r[i].size = re - end;
		} else {
			for (uint32_t j = i; j + 1 < *n; j++)
				r[j] = r[j + 1];
			(*n)--;
		}
		return 0;
	}
	return -EINVAL;
}
