// SPDX-License-Identifier: GPL-2.0
/* The log ring: overwrite-oldest, addressed by absolute byte position. */
#include <cove/log_ring.h>

void log_ring_init(struct log_ring *r, char *buf, uint64_t size)
{
	r->buf = buf;
	r->size = size;
	r->head = 0;
}

void log_ring_write(struct log_ring *r, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		r->buf[(r->head + i) & (r->size - 1)] = s[i];
	r->head += len;
}

uint64_t log_ring_used(const struct log_ring *r)
{
	return r->head < r->size ? r->head : r->size;
}

size_t log_ring_read(const struct log_ring *r, uint64_t pos, char *out, size_t len,
		     uint64_t *next_pos)
{
	uint64_t oldest = r->head - log_ring_used(r);
	size_t n = 0;

	if (pos < oldest)
		pos = oldest;
	while (n < len && pos < r->head) {
		out[n++] = r->buf[pos & (r->size - 1)];
		pos++;
	}
	if (next_pos)
		*next_pos = pos;
	return n;
}
