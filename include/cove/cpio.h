/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader for cpio "newc" archives (magic 070701, and 070702 whose checksum is
 * accepted unchecked), the initramfs format. Entries are returned in place:
 * nothing is copied, and every length is checked against the buffer first.
 */
#ifndef COVE_CPIO_H
#define COVE_CPIO_H

#include <cove/types.h>

/* "070701", then 13 fields of 8 hex digits. */
#define CPIO_HDR_SIZE 110
#define CPIO_TRAILER "TRAILER!!!"

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	size_t name_len;	/* without the NUL */
	const void *data;	/* file bytes, or a symlink's target (no NUL) */
	uint32_t size;
	uint32_t ino;
	uint32_t mode;		/* S_IF* type and permission bits */
	uint32_t uid;
	uint32_t gid;
	uint32_t nlink;
	uint32_t mtime;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t rdev_major;
	uint32_t rdev_minor;
	size_t offset;		/* of the entry's header in the archive */
};

struct cpio_iter {
	const uint8_t *buf;
	size_t len;
	size_t pos;		/* next header; on error, the bad entry's offset */
	int state;		/* 0 going, 1 trailer seen, -EINVAL corrupt */
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len);

/*
 * Fills *e with the next entry and returns 1; returns 0 once the trailer is
 * reached (the trailer itself is not returned). A corrupt entry - bad magic,
 * a non-hex digit, an empty or unterminated name, a header, name or data
 * running past the buffer, or no trailer before the end - returns -EINVAL
 * and leaves it->pos at that entry's offset. Both ends are sticky.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

#endif /* COVE_CPIO_H */
