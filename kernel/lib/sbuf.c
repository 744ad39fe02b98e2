// SPDX-License-Identifier: GPL-2.0
/* The growing text buffer (cove/sbuf.h). Pure: host tests build it with libc. */
#include <stdarg.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/sbuf.h>
#include <cove/string.h>

#define SBUF_FIRST 256

void sbuf_init(struct sbuf *sb, size_t max)
{
	memset(sb, 0, sizeof(*sb));
	sb->max = max;
}

void sbuf_free(struct sbuf *sb)
{
	kfree(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* Room for n more bytes and a NUL; false (and overflow set) if there is none. */
static bool sbuf_room(struct sbuf *sb, size_t n)
{
	size_t want = sb->len + n + 1, cap = sb->cap ? sb->cap : SBUF_FIRST;
	char *nb;

	if (sb->overflow)
		return false;
	if (want <= sb->cap)
		return true;
	if (want > sb->max || want < n) {
		sb->overflow = true;
		return false;
	}
	while (cap < want)
		cap *= 2;
	cap = MIN(cap, sb->max);
	nb = kmalloc(cap);
	if (!nb) {
		sb->overflow = true;
		return false;
	}
	if (sb->len)
		memcpy(nb, sb->buf, sb->len);
	kfree(sb->buf);
	sb->buf = nb;
	sb->cap = cap;
	return true;
}

void sbuf_putmem(struct sbuf *sb, const void *p, size_t n)
{
	if (!sbuf_room(sb, n))
		return;
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

void sbuf_putc(struct sbuf *sb, char c)
{
	sbuf_putmem(sb, &c, 1);
}

void sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_putmem(sb, s, strlen(s));
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char small[128];
	int n;

	/* Most lines fit the small buffer; a longer one is formatted in place. */
	va_start(ap, fmt);
	n = kvsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sbuf_putmem(sb, small, (size_t)n);
		return;
	}
	if (!sbuf_room(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	kvsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sbuf_pad_to(struct sbuf *sb, size_t col)
{
	size_t start = sb->len;

	while (start && sb->buf[start - 1] != '\n')
		start--;
	while (sb->len - start < col && !sb->overflow)
		sbuf_putc(sb, ' ');
}
