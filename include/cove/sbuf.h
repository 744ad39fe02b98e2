/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growing text buffer, for contents made in one go (the files of /proc
 * and /sys are written whole when opened, then read from the copy). Memory
 * comes from kmalloc; a buffer that cannot grow, or would pass its cap,
 * stops taking text and remembers that it overflowed.
 */
#ifndef COVE_SBUF_H
#define COVE_SBUF_H

#include <cove/types.h>

struct sbuf {
	char *buf;		/* NUL-terminated while len < cap */
	size_t len;
	size_t cap;
	size_t max;		/* never grow past this many bytes */
	bool overflow;		/* some text was dropped */
};

/* An empty buffer that may grow to max bytes (allocated on first use). */
void sbuf_init(struct sbuf *sb, size_t max);
void sbuf_free(struct sbuf *sb);
void sbuf_putc(struct sbuf *sb, char c);
void sbuf_puts(struct sbuf *sb, const char *s);
void sbuf_putmem(struct sbuf *sb, const void *p, size_t n);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...) __printf(2, 3);
/* Spaces until the text since the last newline is col characters wide. */
void sbuf_pad_to(struct sbuf *sb, size_t col);

#endif /* COVE_SBUF_H */
