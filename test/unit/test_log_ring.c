// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the log byte ring: absolute positions, overwrite-oldest,
 * clamping of stale readers and chunked reads. The ring buffer is heap
 * allocated at its exact size so ASan catches any index that escapes it.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/log_ring.h>
#include "unit.h"

#define RING_SIZE 16

static struct log_ring ring;
static char *ring_buf;

static struct log_ring *fresh_ring(void)
{
	free(ring_buf);
	ring_buf = malloc(RING_SIZE);
	if (!ring_buf)
		abort();
	memset(ring_buf, '?', RING_SIZE);
	log_ring_init(&ring, ring_buf, RING_SIZE);
	return &ring;
}

static void put(struct log_ring *r, const char *s)
{
	log_ring_write(r, s, strlen(s));
}

/* Read up to len bytes from pos into a NUL-terminated string. */
static size_t get(const struct log_ring *r, uint64_t pos, size_t len, char *out, uint64_t *next)
{
	size_t n = log_ring_read(r, pos, out, len, next);

	out[n] = '\0';
	return n;
}

TEST(log_ring_empty)
{
	struct log_ring *r = fresh_ring();
	char out[8];
	uint64_t next = 99;

	CHECK_EQ(log_ring_used(r), 0);
	CHECK_EQ(log_ring_read(r, 0, out, sizeof(out), &next), 0);
	CHECK_EQ(next, 0);
	log_ring_write(r, "x", 0);
	CHECK_EQ(r->head, 0);
	CHECK_EQ(log_ring_used(r), 0);
}

TEST(log_ring_short_write_and_partial_reads)
{
	struct log_ring *r = fresh_ring();
	char out[64];
	uint64_t next;

	put(r, "hello");
	CHECK_EQ(log_ring_used(r), 5);
	CHECK_EQ(get(r, 0, 63, out, &next), 5);
	CHECK(!strcmp(out, "hello"));
	CHECK_EQ(next, 5);
	CHECK_EQ(get(r, 2, 2, out, &next), 2);
	CHECK(!strcmp(out, "ll"));
	CHECK_EQ(next, 4);
	CHECK_EQ(get(r, next, 63, out, &next), 1);
	CHECK(!strcmp(out, "o"));
	CHECK_EQ(next, 5);
	/* Caught up: nothing more, position unchanged. */
	CHECK_EQ(get(r, 5, 63, out, &next), 0);
	CHECK_EQ(next, 5);
	/* len 0 and a NULL next_pos are fine. */
	CHECK_EQ(log_ring_read(r, 1, out, 0, &next), 0);
	CHECK_EQ(next, 1);
	CHECK_EQ(log_ring_read(r, 0, out, 3, NULL), 3);
	CHECK(!memcmp(out, "hel", 3));
}

TEST(log_ring_size_minus_one_and_exact_size)
{
	struct log_ring *r = fresh_ring();
	char out[64];
	uint64_t next;

	put(r, "abcdefghijklmno");
	CHECK_EQ(log_ring_used(r), RING_SIZE - 1);
	CHECK_EQ(get(r, 0, 63, out, &next), RING_SIZE - 1);
	CHECK(!strcmp(out, "abcdefghijklmno"));
	CHECK_EQ(next, RING_SIZE - 1);

	put(r, "p");
	CHECK_EQ(log_ring_used(r), RING_SIZE);
	CHECK_EQ(get(r, 0, 63, out, &next), RING_SIZE);
	CHECK(!strcmp(out, "abcdefghijklmnop"));
	CHECK_EQ(next, RING_SIZE);

	/* One more byte pushes out the oldest. */
	put(r, "q");
	CHECK_EQ(log_ring_used(r), RING_SIZE);
	CHECK_EQ(get(r, 0, 63, out, &next), RING_SIZE);
	CHECK(!strcmp(out, "bcdefghijklmnopq"));
	CHECK_EQ(next, RING_SIZE + 1);

	/* A single write of exactly the size into an empty ring. */
	r = fresh_ring();
	put(r, "0123456789ABCDEF");
	CHECK_EQ(r->head, RING_SIZE);
	CHECK_EQ(get(r, 0, 63, out, &next), RING_SIZE);
	CHECK(!strcmp(out, "0123456789ABCDEF"));
}

TEST(log_ring_wrap_and_clamp)
{
	struct log_ring *r = fresh_ring();
	char out[64];
	uint64_t next;

	put(r, "0123456789");
	put(r, "abcdefghij");
	CHECK_EQ(r->head, 20);
	CHECK_EQ(log_ring_used(r), RING_SIZE);
	/* Oldest held byte is at position 4; older positions clamp to it. */
	CHECK_EQ(get(r, 0, 63, out, &next), RING_SIZE);
	CHECK(!strcmp(out, "456789abcdefghij"));
	CHECK_EQ(next, 20);
	CHECK_EQ(get(r, 3, 2, out, &next), 2);
	CHECK(!strcmp(out, "45"));
	CHECK_EQ(next, 6);
	/* Across the physical end of the buffer. */
	CHECK_EQ(get(r, 14, 4, out, &next), 4);
	CHECK(!strcmp(out, "efgh"));
	CHECK_EQ(next, 18);
	CHECK_EQ(get(r, 10, 63, out, &next), 10);
	CHECK(!strcmp(out, "abcdefghij"));
	CHECK_EQ(next, 20);
}

TEST(log_ring_write_longer_than_ring)
{
	struct log_ring *r = fresh_ring();
	char out[64];
	uint64_t next;

	put(r, "xy");
	put(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	CHECK_EQ(r->head, 38);
	CHECK_EQ(log_ring_used(r), RING_SIZE);
	CHECK_EQ(get(r, 0, 63, out, &next), RING_SIZE);
	CHECK(!strcmp(out, "UVWXYZ0123456789"));
	CHECK_EQ(next, 38);
}

TEST(log_ring_chunked_reader_follows_writer)
{
	struct log_ring *r = fresh_ring();
	char all[128], chunk[8];
	uint64_t pos = 0;
	size_t got = 0, n;
	const char *lines[] = { "one\n", "two\n", "three\n", "four\n" };

	/* A reader draining in 3-byte reads after each write sees every byte. */
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		put(r, lines[i]);
		while ((n = log_ring_read(r, pos, chunk, 3, &pos)) > 0) {
			CHECK(n <= 3);
			memcpy(all + got, chunk, n);
			got += n;
		}
		CHECK_EQ(pos, r->head);
	}
	all[got] = '\0';
	CHECK(!strcmp(all, "one\ntwo\nthree\nfour\n"));
	CHECK_EQ(got, r->head);

	/* A lapped reader skips straight to the oldest held byte. */
	put(r, "0123456789abcdefXYZ");
	CHECK_EQ(log_ring_read(r, pos, chunk, 3, &pos), 3);
	CHECK(!memcmp(chunk, "3456789abcdefXYZ", 3));
	CHECK_EQ(pos, r->head - RING_SIZE + 3);
}
