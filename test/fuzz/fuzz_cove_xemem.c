// SPDX-License-Identifier: GPL-2.0
/*
 * The module's parse of an enclave's XEMEM export (linux/module/
 * cove_xemem_parse.c), every byte of which the enclave wrote. Input: two
 * bytes choosing the enclave's memory (up to two ranges near the ranges
 * the payload is likely to name), then the payload itself. Whatever it
 * says, an accepted segment has a key, a bounded range count, and ranges
 * that are whole pages inside the enclave's memory and add up to its
 * size; a refusal comes with one phrase.
 */
#include "cove_xemem_user.h"
#include "fuzz.h"
#include "../../linux/module/cove_xemem_parse.c"

struct fuzz_enclave {
	u64 base[2], size[2];
	unsigned int nr;
};

static bool fuzz_owns(void *ctx, u64 pa, u64 len)
{
	struct fuzz_enclave *e = ctx;

	for (unsigned int i = 0; i < e->nr; i++) {
		if (pa >= e->base[i] && len <= e->size[i] && pa - e->base[i] <= e->size[i] - len)
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cove_xemem_desc d;
	struct fuzz_enclave e = { .nr = 0 };
	const char *why = NULL;
	u64 total = 0;
	void *payload;
	u32 len;

	if (size < 2)
		return 0;
	/* The enclave: 0-2 ranges of a few MiB at low addresses, shapes from byte 0 and 1. */
	e.nr = data[0] % 3;
	for (unsigned int i = 0; i < e.nr; i++) {
		e.base[i] = (u64)((data[1] >> (4 * i)) & 15) << 20;
		e.size[i] = (u64)(1 + (data[0] >> (2 + 3 * i) & 7)) << 20;
	}
	len = (u32)(size - 2);
	/* An allocation of exactly the payload: ASan sees a read past its end. */
	payload = malloc(len ? len : 1);
	memcpy(payload, data + 2, len);
	memset(&d, 0xee, sizeof(d));
	if (cove_xemem_parse(payload, len, fuzz_owns, &e, &d, &why) == 0) {
		FUZZ_ASSERT(d.key != 0);
		FUZZ_ASSERT(d.nr >= 1 && d.nr <= COVE_XEMEM_MAX_RANGES);
		FUZZ_ASSERT(d.size && d.size % 4096 == 0 && d.size <= COVE_XEMEM_SIZE_MAX);
		FUZZ_ASSERT(!(d.flags & ~COVE_XEMEM_FLAGS));
		for (u32 i = 0; i < d.nr; i++) {
			FUZZ_ASSERT(d.r[i].size && (d.r[i].base | d.r[i].size) % 4096 == 0);
			FUZZ_ASSERT(fuzz_owns(&e, d.r[i].base, d.r[i].size));
			total += d.r[i].size;
		}
		FUZZ_ASSERT(total == d.size);
	} else {
		FUZZ_ASSERT(why && *why && !strchr(why, '\n'));
	}
	free(payload);
	return 0;
}
