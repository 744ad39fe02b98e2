/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An enclave's XEMEM export (struct cove_xemem_export, pisces_abi.h), as
 * the host reads it: every byte the enclave wrote, so the parse checks
 * every field before the host keeps a copy. Pure; whether a physical range
 * is the enclave's is the caller's to say (the module: its partition
 * ranges; the fuzz harness: made-up ones).
 */
#ifndef COVE_XEMEM_PARSE_H
#define COVE_XEMEM_PARSE_H

#ifndef COVE_XEMEM_USER
#include <linux/types.h>
#include <cove/pisces_abi.h>
#endif

struct cove_xemem_desc {
	u64 key;
	u64 size;
	u32 flags;
	u32 nr;
	struct {
		u64 base, size;
	} r[COVE_XEMEM_MAX_RANGES];
};

/*
 * Parse len bytes of payload into *d: 0, or -EINVAL with *why one phrase
 * saying what was wrong. On success: key != 0, 1 <= nr <=
 * COVE_XEMEM_MAX_RANGES, every range whole pages, non-empty and owned by
 * the enclave (owns(ctx, base, size)), their sizes summing to size, which
 * is whole pages in (0, COVE_XEMEM_SIZE_MAX].
 */
int cove_xemem_parse(const void *payload, u32 len, bool (*owns)(void *ctx, u64 pa, u64 len),
		     void *ctx, struct cove_xemem_desc *d, const char **why);

#endif /* COVE_XEMEM_PARSE_H */
