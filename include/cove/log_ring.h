/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A byte ring holding the kernel log. It outlives the console: the host (in
 * co-kernel mode) and the self-tests read it back. Pure logic, host-tested.
 */
#ifndef COVE_LOG_RING_H
#define COVE_LOG_RING_H

#include <cove/types.h>

struct log_ring {
	char *buf;
	uint64_t size;		/* power of two */
	uint64_t head;		/* total bytes ever written; buf[head % size] is next */
};

void log_ring_init(struct log_ring *r, char *buf, uint64_t size);
void log_ring_write(struct log_ring *r, const char *s, size_t len);
/* Bytes still in the ring: min(head, size). */
uint64_t log_ring_used(const struct log_ring *r);
/*
 * Copy up to len bytes starting at absolute position pos (clamped to the
 * oldest byte still held); returns bytes copied and sets *next_pos.
 */
size_t log_ring_read(const struct log_ring *r, uint64_t pos, char *out, size_t len,
		     uint64_t *next_pos);

#endif /* COVE_LOG_RING_H */
