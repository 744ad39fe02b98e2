/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for the kernel header, for fuzz_cove_shared.c. */
#ifndef FUZZ_KSHIM_BITOPS_H
#define FUZZ_KSHIM_BITOPS_H

#define BITS_PER_LONG 64

static inline int test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long bit = 1UL << nr, old = *addr;

	*addr = old | bit;
	return !!(old & bit);
}

static inline void clear_bit(unsigned long nr, unsigned long *addr)
{
	*addr &= ~(1UL << nr);
}

#endif
