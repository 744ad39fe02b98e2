// SPDX-License-Identifier: GPL-2.0
/* An enclave's XEMEM export, checked field by field (cove_xemem_parse.h). */
#ifndef COVE_XEMEM_USER
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#endif
#include "cove_xemem_parse.h"

#define XEMEM_PAGE 4096ULL

static int cove_xemem_bad(const char **why, const char *what)
{
	*why = what;
	return -EINVAL;
}

int cove_xemem_parse(const void *payload, u32 len, bool (*owns)(void *ctx, u64 pa, u64 len),
		     void *ctx, struct cove_xemem_desc *d, const char **why)
{
	const size_t hdr = sizeof(struct cove_xemem_export), one = 2 * sizeof(u64);
	struct cove_xemem_export h;
	u64 total = 0;
	u32 i;

	if (len < hdr)
		return cove_xemem_bad(why, "shorter than its header");
	/* One copy of the header: the enclave may change the slot meanwhile. */
	memcpy(&h, payload, hdr);
	if (!h.key)
		return cove_xemem_bad(why, "key 0");
	if (h.flags & ~(u32)COVE_XEMEM_FLAGS)
		return cove_xemem_bad(why, "unknown flags");
	if (!h.size || h.size % XEMEM_PAGE || h.size > COVE_XEMEM_SIZE_MAX)
		return cove_xemem_bad(why, "a size that is not whole pages up to the limit");
	if (!h.nr_ranges || h.nr_ranges > COVE_XEMEM_MAX_RANGES)
		return cove_xemem_bad(why, "a range count out of bounds");
	if (len != hdr + (size_t)h.nr_ranges * one)
		return cove_xemem_bad(why, "a length that does not match its range count");
	d->key = h.key;
	d->size = h.size;
	d->flags = h.flags;
	d->nr = h.nr_ranges;
	for (i = 0; i < d->nr; i++) {
		u64 base, size;

		memcpy(&base, (const char *)payload + hdr + i * one, sizeof(base));
		memcpy(&size, (const char *)payload + hdr + i * one + sizeof(base), sizeof(size));
		if (!size || (base | size) % XEMEM_PAGE || base + size < base)
			return cove_xemem_bad(why, "a range that is not whole pages");
		if (size > h.size - total)
			return cove_xemem_bad(why, "ranges larger than the segment");
		if (!owns(ctx, base, size))
			return cove_xemem_bad(why, "a range outside the enclave's memory");
		total += size;
		d->r[i].base = base;
		d->r[i].size = size;
	}
	if (total != h.size)
		return cove_xemem_bad(why, "ranges smaller than the segment");
	return 0;
}
