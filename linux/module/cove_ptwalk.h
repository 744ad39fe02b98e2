/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking a job's page tables, which live in enclave memory and are the
 * enclave's to write: every table is checked to be the enclave's before
 * it is read, every page before it is handed out. Pure; the memory access
 * is the caller's (cove_mirror.c in the module, a fuzz harness in tests).
 */
#ifndef COVE_PTWALK_H
#define COVE_PTWALK_H

#ifndef COVE_PTWALK_USER
#include <linux/types.h>
#endif

struct cove_ptwalk_mem {
	void *ctx;
	/* Whether [pa, pa + len) is all the enclave's memory. */
	bool (*owns)(void *ctx, u64 pa, u64 len);
	/* Read the 8-byte entry at pa (checked by owns first): 0 or -EFAULT. */
	int (*read64)(void *ctx, u64 pa, u64 *val);
};

/*
 * Where the walk ended: the leaf entry's address (in a table the enclave
 * owns) and value, and whether the job may write the page (writable at
 * every level, as the CPU decides for user code).
 */
struct cove_ptwalk_leaf {
	u64 entry_pa;
	u64 entry;
	bool writable;
};

/*
 * The 4 KiB page behind user address va in the 4-level tables at root:
 * present and user-accessible at every level, inside the enclave. 0 with
 * *pa set (and *leaf, unless NULL), or -EFAULT.
 */
int cove_ptwalk(const struct cove_ptwalk_mem *mem, u64 root, u64 va, u64 *pa,
		struct cove_ptwalk_leaf *leaf);

#endif /* COVE_PTWALK_H */
