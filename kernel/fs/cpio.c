// SPDX-License-Identifier: GPL-2.0
/*
 * cpio "newc" reader. The archive comes from the boot loader and may be
 * anything, so each offset is compared with the remaining length before it is
 * used; sums never overflow because every field is at most 32 bits wide and
 * the buffer length is a size_t.
 */
#include <cove/cpio.h>
#include <cove/errno.h>
#include <cove/string.h>

/* Header fields after the magic, in archive order. */
enum {
	CPIO_INO, CPIO_MODE, CPIO_UID, CPIO_GID, CPIO_NLINK, CPIO_MTIME,
	CPIO_FILESIZE, CPIO_DEVMAJOR, CPIO_DEVMINOR, CPIO_RDEVMAJOR,
	CPIO_RDEVMINOR, CPIO_NAMESIZE, CPIO_CHECK, CPIO_NR_FIELDS
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->pos = 0;
	it->state = 0;
}

static bool cpio_hex8(const uint8_t *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = s[i];

		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return false;
		v = (v << 4) | c;
	}
	*out = v;
	return true;
}

static int cpio_corrupt(struct cpio_iter *it)
{
	it->state = -EINVAL;
	return -EINVAL;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	uint32_t f[CPIO_NR_FIELDS];
	size_t left, name_end, data_off;
	const uint8_t *h;

	if (it->state)
		return it->state < 0 ? it->state : 0;
	/* Running out of bytes before the trailer is truncation too. */
	left = it->len - it->pos;
	if (left < CPIO_HDR_SIZE)
		return cpio_corrupt(it);
	h = it->buf + it->pos;
	if (memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2'))
		return cpio_corrupt(it);
	for (int i = 0; i < CPIO_NR_FIELDS; i++)
		if (!cpio_hex8(h + 6 + 8 * i, &f[i]))
			return cpio_corrupt(it);

	if (f[CPIO_NAMESIZE] == 0 || f[CPIO_NAMESIZE] > left - CPIO_HDR_SIZE)
		return cpio_corrupt(it);
	name_end = it->pos + CPIO_HDR_SIZE + f[CPIO_NAMESIZE];
	/* An embedded NUL would silently shorten the name: refuse it too. */
	e->name = (const char *)h + CPIO_HDR_SIZE;
	e->name_len = f[CPIO_NAMESIZE] - 1;
	if (strnlen(e->name, f[CPIO_NAMESIZE]) != e->name_len)
		return cpio_corrupt(it);

	/* The name is padded so the data starts 4-byte aligned, and so is the data. */
	data_off = ALIGN_UP(name_end, 4);
	if (f[CPIO_FILESIZE] && (data_off > it->len || f[CPIO_FILESIZE] > it->len - data_off))
		return cpio_corrupt(it);

	e->data = f[CPIO_FILESIZE] ? it->buf + data_off : NULL;
	e->size = f[CPIO_FILESIZE];
	e->ino = f[CPIO_INO];
	e->mode = f[CPIO_MODE];
	e->uid = f[CPIO_UID];
	e->gid = f[CPIO_GID];
	e->nlink = f[CPIO_NLINK];
	e->mtime = f[CPIO_MTIME];
	e->dev_major = f[CPIO_DEVMAJOR];
	e->dev_minor = f[CPIO_DEVMINOR];
	e->rdev_major = f[CPIO_RDEVMAJOR];
	e->rdev_minor = f[CPIO_RDEVMINOR];
	e->offset = it->pos;

	if (e->name_len == sizeof(CPIO_TRAILER) - 1 && !strcmp(e->name, CPIO_TRAILER)) {
		it->state = 1;
		return 0;
	}
	/* Padding after the last bytes may be cut off; the next call then fails. */
	it->pos = MIN(ALIGN_UP(data_off + e->size, 4), it->len);
	return 1;
}
