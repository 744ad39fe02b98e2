// SPDX-License-Identifier: GPL-2.0
/*
 * The gdb server's packet parser (kernel/lib/gdb_rsp.c): bytes from
 * whoever connects to `cove run --gdb PORT`. The input is fed byte by
 * byte, as it comes off the socket; each packet is parsed into a buffer
 * of exactly the size the server gives it, and framed back out. Promises:
 * packets are NUL-terminated and within RSP_PACKET_MAX; decoded data lies
 * inside the buffer; lengths agree; a framed reply parses back to itself.
 */
#include <cove/gdb_rsp.h>
#include "fuzz.h"

#define FUZZ_BIN 4096

static void fuzz_check_cmd(const struct rsp_cmd *c, const uint8_t *bin)
{
	if (c->kind == RSP_WRITE_MEM || c->kind == RSP_WRITE_REGS) {
		FUZZ_ASSERT(c->data == bin);
		FUZZ_ASSERT(c->data_len <= FUZZ_BIN);
	} else {
		FUZZ_ASSERT(c->data_len == 0);
	}
	if (c->kind == RSP_WRITE_MEM)
		FUZZ_ASSERT(c->len == c->data_len);
	if (c->kind == RSP_READ_MEM || c->kind == RSP_WRITE_MEM)
		FUZZ_ASSERT(c->len <= RSP_PACKET_MAX);
	if (c->kind == RSP_CONTINUE || c->kind == RSP_STEP)
		FUZZ_ASSERT(c->sig >= 0 && c->sig <= 0xff);
	if (c->kind == RSP_THREAD_ALIVE)
		FUZZ_ASSERT(c->tid > 0);
}

/* A reply framed and read back is the same bytes. */
static void fuzz_roundtrip(const char *body, size_t len)
{
	static char framed[2 * RSP_PACKET_MAX + 8];
	static struct rsp_reader r;
	size_t n = rsp_frame(body, len, framed, sizeof(framed));
	enum rsp_event ev = RSP_EV_NONE;

	FUZZ_ASSERT(n);
	rsp_reader_init(&r);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(ev == RSP_EV_NONE);
		ev = rsp_feed(&r, (uint8_t)framed[i]);
	}
	FUZZ_ASSERT(ev == RSP_EV_PACKET);
	FUZZ_ASSERT(r.len == len && !memcmp(r.body, body, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rsp_reader r;
	uint8_t *bin = malloc(FUZZ_BIN);
	struct rsp_cmd cmd;

	if (!bin)
		abort();
	rsp_reader_init(&r);
	for (size_t i = 0; i < size; i++) {
		enum rsp_event ev = rsp_feed(&r, data[i]);

		if (ev != RSP_EV_PACKET)
			continue;
		FUZZ_ASSERT(r.len <= RSP_PACKET_MAX && r.body[r.len] == '\0');
		rsp_parse(r.body, r.len, &cmd, bin, FUZZ_BIN);
		fuzz_check_cmd(&cmd, bin);
		fuzz_roundtrip(r.body, r.len);
	}
	for (int s = -2; s < 80; s++) {
		int g = rsp_sig_from_linux(s);

		FUZZ_ASSERT(!g || rsp_sig_to_linux(g) == s);
	}
	free(bin);
	return 0;
}
