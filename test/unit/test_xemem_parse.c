// SPDX-License-Identifier: GPL-2.0
/*
 * The module's parse of an enclave's XEMEM export
 * (linux/module/cove_xemem_parse.c): one good export kept whole, and each
 * way an enclave could lie refused with its own reason.
 */
#include "cove_xemem_user.h"
#include "../../linux/module/cove_xemem_parse.c"
#include "unit.h"

#define MiB (1ULL << 20)

/* The enclave owns [16 MiB, 48 MiB). */
static bool owns(void *ctx, u64 pa, u64 len)
{
	(void)ctx;
	return pa >= 16 * MiB && len <= 32 * MiB && pa - 16 * MiB <= 32 * MiB - len;
}

static struct {
	struct cove_xemem_export h;
	u64 r[8][2];
} msg;

static u32 make(u64 key, u64 size, u32 flags, u32 nr)
{
	msg.h.key = key;
	msg.h.size = size;
	msg.h.flags = flags;
	msg.h.nr_ranges = nr;
	return (u32)(sizeof(msg.h) + nr * 16);
}

static struct cove_xemem_desc d;

static const char *refused(u32 len)
{
	const char *why = NULL;

	if (cove_xemem_parse(&msg, len, owns, NULL, &d, &why) != -EINVAL)
		return "accepted";
	return why;
}

TEST(xemem_parse_good)
{
	const char *why = NULL;
	u32 len = make(0x51, 3 * 4096 + 2 * MiB, 1, 2);

	msg.r[0][0] = 16 * MiB;
	msg.r[0][1] = 2 * MiB;
	msg.r[1][0] = 40 * MiB;
	msg.r[1][1] = 3 * 4096;
	CHECK_EQ(cove_xemem_parse(&msg, len, owns, NULL, &d, &why), 0);
	CHECK_EQ(d.key, 0x51);
	CHECK_EQ(d.nr, 2);
	CHECK_EQ(d.flags, 1);
	CHECK_EQ(d.r[1].base, 40 * MiB);
	CHECK_EQ(d.size, 2 * MiB + 3 * 4096);
}

TEST(xemem_parse_bad)
{
	u32 len;

	msg.r[0][0] = 16 * MiB;
	msg.r[0][1] = 4096;
	CHECK(!strcmp(refused(sizeof(msg.h) - 1), "shorter than its header"));
	len = make(0, 4096, 0, 1);
	CHECK(!strcmp(refused(len), "key 0"));
	len = make(1, 4096, 0x10, 1);
	CHECK(!strcmp(refused(len), "unknown flags"));
	len = make(1, 0, 0, 1);
	CHECK(!strcmp(refused(len), "a size that is not whole pages up to the limit"));
	len = make(1, 4097, 0, 1);
	CHECK(!strcmp(refused(len), "a size that is not whole pages up to the limit"));
	len = make(1, COVE_XEMEM_SIZE_MAX + 4096, 0, 1);
	CHECK(!strcmp(refused(len), "a size that is not whole pages up to the limit"));
	len = make(1, 4096, 0, 0);
	CHECK(!strcmp(refused(len), "a range count out of bounds"));
	len = make(1, 4096, 0, COVE_XEMEM_MAX_RANGES + 1);
	CHECK(!strcmp(refused(len), "a range count out of bounds"));
	/* A count the payload does not hold: never read past it. */
	make(1, 4096, 0, 2);
	CHECK(!strcmp(refused((u32)sizeof(msg.h) + 16),
		      "a length that does not match its range count"));
	len = make(1, 4096, 0, 1);
	msg.r[0][0] = 16 * MiB + 100;
	CHECK(!strcmp(refused(len), "a range that is not whole pages"));
	msg.r[0][0] = ~0ULL & ~4095ULL;
	msg.r[0][1] = 8192;
	len = make(1, 8192, 0, 1);
	CHECK(!strcmp(refused(len), "a range that is not whole pages"));
	msg.r[0][0] = 8 * MiB;	/* the host's, not the enclave's */
	msg.r[0][1] = 4096;
	len = make(1, 4096, 0, 1);
	CHECK(!strcmp(refused(len), "a range outside the enclave's memory"));
	msg.r[0][0] = 16 * MiB;
	msg.r[0][1] = 8192;
	CHECK(!strcmp(refused(len), "ranges larger than the segment"));
	len = make(1, 3 * 4096, 0, 1);
	CHECK(!strcmp(refused(len), "ranges smaller than the segment"));
}
