/* SPDX-License-Identifier: GPL-2.0 */
/* Sorted lists of physical ranges (struct boot_range); pure logic. */
#ifndef COVE_RANGES_H
#define COVE_RANGES_H

#include <cove/types.h>

struct boot_range;

/* Whether one of the n ranges holds all of [base, base+size). */
bool ranges_contain(const struct boot_range *r, uint32_t n, uint64_t base, uint64_t size);
/* Whether any of the n ranges shares a byte with [base, base+size). */
bool ranges_overlap(const struct boot_range *r, uint32_t n, uint64_t base, uint64_t size);
/* Whether [base, base+size) is a non-empty run of whole pages that does not wrap. */
bool range_is_whole_pages(uint64_t base, uint64_t size);
/*
 * Cut [base, base+size) out of the one of the *n sorted ranges that holds
 * it, splitting that range if need be (room for max). 0; -EINVAL if no
 * range holds it all; -ENOSPC if a split finds no room (nothing changed).
 */
int ranges_cut(struct boot_range *r, uint32_t *n, uint32_t max, uint64_t base, uint64_t size);

#endif /* COVE_RANGES_H */
