// SPDX-License-Identifier: GPL-2.0
/* A job's page tables, walked without trusting a bit of them (cove_ptwalk.h). */
#ifndef COVE_PTWALK_USER
#include <linux/errno.h>
#include <linux/types.h>
#endif
#include "cove_ptwalk.h"

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_U (1ULL << 2)
#define PTE_PS (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL
#define PTWALK_PAGE 4096ULL

int cove_ptwalk(const struct cove_ptwalk_mem *mem, u64 root, u64 va, u64 *pa,
		struct cove_ptwalk_leaf *leaf)
{
	static const unsigned int shift[] = { 39, 30, 21, 12 };
	u64 table = root & PTE_ADDR, ent = 0, size, at = 0, rights = PTE_RW;
	unsigned int level;

	for (level = 0; level < 4; level++) {
		at = table + ((va >> shift[level]) & 511) * 8;

		if (!mem->owns(mem->ctx, table, PTWALK_PAGE) || mem->read64(mem->ctx, at, &ent))
			return -EFAULT;
		if ((ent & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			return -EFAULT;
		rights &= ent;
		/* A 1 GiB or 2 MiB page ends the walk early. */
		if ((level == 1 || level == 2) && (ent & PTE_PS))
			break;
		table = ent & PTE_ADDR;
	}
	size = level == 4 ? PTWALK_PAGE : 1ULL << shift[level];
	*pa = ((ent & PTE_ADDR) & ~(size - 1)) + (va & (size - 1) & ~(PTWALK_PAGE - 1));
	if (!mem->owns(mem->ctx, *pa, PTWALK_PAGE))
		return -EFAULT;
	if (leaf) {
		leaf->entry_pa = at;
		leaf->entry = ent;
		leaf->writable = rights & PTE_RW;
	}
	return 0;
}
