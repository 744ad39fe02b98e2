// SPDX-License-Identifier: GPL-2.0
/*
 * The cpio newc reader: archives built here byte by byte (good and corrupt),
 * every truncation and many byte flips of a good one, and archives made by
 * the real cpio tool when it is installed. Archives are parsed from malloc'd
 * buffers of their exact size, so any read past the end trips ASan.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include <cove/cpio.h>
#include <cove/errno.h>

struct ar {
	uint8_t buf[4096];
	size_t len;
};

static void ar_pad(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* One entry; namesize is taken from name unless namesize is non-zero. */
static size_t ar_add_raw(struct ar *a, const char *magic, const char *name, uint32_t namesize,
			 uint32_t mode, const void *data, uint32_t size, uint32_t ino,
			 uint32_t nlink)
{
	size_t at = a->len;
	size_t nlen = strlen(name) + 1;

	a->len += snprintf((char *)a->buf + a->len, sizeof(a->buf) - a->len,
			   "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", magic,
			   ino, mode, 1000, 100, nlink, 1700000000 + ino, size, 8, 1, 0, 0,
			   namesize ? namesize : (uint32_t)nlen, 0);
	memcpy(a->buf + a->len, name, nlen);
	a->len += nlen;
	ar_pad(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	ar_pad(a);
	return at;
}

static size_t ar_add(struct ar *a, const char *name, uint32_t mode, const char *data)
{
	static uint32_t ino = 100;

	return ar_add_raw(a, "070701", name, 0, mode, data, strlen(data), ino++, 1);
}

static size_t ar_trailer(struct ar *a)
{
	return ar_add_raw(a, "070701", "TRAILER!!!", 0, 0, "", 0, 0, 1);
}

/* A copy of exactly len bytes, so ASan sees the end of the archive. */
static uint8_t *dup_exact(const void *p, size_t len)
{
	uint8_t *d = malloc(len ? len : 1);

	memcpy(d, p, len);
	return d;
}

/* Runs the reader to the end: entries seen, or the error with its offset. */
static int walk(const void *p, size_t len, size_t *bad, int *nr)
{
	uint8_t *copy = dup_exact(p, len);
	struct cpio_entry e;
	struct cpio_iter it;
	int r;

	*nr = 0;
	cpio_iter_init(&it, copy, len);
	while ((r = cpio_next(&it, &e)) > 0)
		(*nr)++;
	*bad = it.pos;
	free(copy);
	return r;
}

static struct ar good;
static size_t good_second, good_trailer;

static void build_good(void)
{
	memset(&good, 0, sizeof(good));
	ar_add(&good, ".", 040755, "");
	good_second = ar_add(&good, "bin", 040755, "");
	ar_add(&good, "bin/a", 0100644, "x");
	ar_add(&good, "bin/bb", 0100755, "yz");
	ar_add(&good, "bin/ccc", 0100600, "abc");
	ar_add(&good, "bin/l", 0120777, "bb");
	good_trailer = ar_trailer(&good);
}

TEST(cpio_reads_fields)
{
	uint8_t *p;
	struct cpio_entry e;
	struct cpio_iter it;
	static const char *const names[] = { ".", "bin", "bin/a", "bin/bb", "bin/ccc", "bin/l" };

	build_good();
	p = dup_exact(good.buf, good.len);
	cpio_iter_init(&it, p, good.len);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		CHECK_EQ(cpio_next(&it, &e), 1);
		CHECK(!strcmp(e.name, names[i]));
		CHECK_EQ(e.name_len, strlen(names[i]));
		/* Name and data both start 4-byte aligned within the archive. */
		CHECK_EQ(((const uint8_t *)e.name - p) % 4, 2);
		if (e.size)
			CHECK_EQ(((const uint8_t *)e.data - p) % 4, 0);
		CHECK_EQ(e.uid, 1000);
		CHECK_EQ(e.gid, 100);
		CHECK_EQ(e.nlink, 1);
		CHECK_EQ(e.mtime, 1700000000 + e.ino);
		CHECK_EQ(e.dev_major, 8);
		CHECK_EQ(e.dev_minor, 1);
		if (i == 1)
			CHECK_EQ(e.offset, good_second);
		if (i == 4) {
			CHECK_EQ(e.mode, 0100600);
			CHECK_EQ(e.size, 3);
			CHECK(!memcmp(e.data, "abc", 3));
		}
		if (i == 5) {
			CHECK_EQ(e.mode, 0120777);
			CHECK(!memcmp(e.data, "bb", 2));
		}
	}
	CHECK_EQ(cpio_next(&it, &e), 0);
	CHECK_EQ(it.pos, good_trailer);
	CHECK_EQ(cpio_next(&it, &e), 0);	/* sticky */
	free(p);
}

TEST(cpio_crc_magic_and_lowercase_hex)
{
	struct ar a = { .len = 0 };
	struct cpio_entry e;
	struct cpio_iter it;

	ar_add_raw(&a, "070702", "f", 0, 0100644, "data", 4, 7, 1);
	/* Lower-case hex digits, in the mode field. */
	memcpy(a.buf + 6 + 8 * 1, "000081a4", 8);
	ar_trailer(&a);
	cpio_iter_init(&it, a.buf, a.len);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK_EQ(e.mode, 0100644);
	CHECK_EQ(e.ino, 7);
	CHECK_EQ(cpio_next(&it, &e), 0);
}

TEST(cpio_trailing_padding_ignored)
{
	int nr;
	size_t bad;

	build_good();
	memset(good.buf + good.len, 0, 512);
	CHECK_EQ(walk(good.buf, good.len + 512, &bad, &nr), 0);
	CHECK_EQ(nr, 6);
	/* A trailer with its padding cut off still ends the archive. */
	CHECK_EQ(walk(good.buf, good_trailer + CPIO_HDR_SIZE + 11, &bad, &nr), 0);
}

TEST(cpio_empty_and_truncated_header)
{
	int nr;
	size_t bad;

	CHECK_EQ(walk("", 0, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, 0);
	build_good();
	CHECK_EQ(walk(good.buf, good_second + CPIO_HDR_SIZE - 1, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, good_second);
	CHECK_EQ(nr, 1);
}

/* Corrupts one byte of the second entry's header and expects its offset back. */
static void check_corrupt_at(size_t byte, char c)
{
	int nr;
	size_t bad;

	build_good();
	good.buf[good_second + byte] = c;
	CHECK_EQ(walk(good.buf, good.len, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, good_second);
	CHECK_EQ(nr, 1);
}

TEST(cpio_bad_magic_and_non_hex)
{
	check_corrupt_at(0, '1');		/* "170701" */
	check_corrupt_at(5, '7');		/* "070707", the older odc format */
	check_corrupt_at(6 + 8 * 6 + 3, 'g');	/* filesize */
	check_corrupt_at(6 + 8 * 12 + 7, ' ');	/* check, the last field */
	check_corrupt_at(6 + 8 * 11, 'x');	/* namesize */
}

TEST(cpio_bad_names)
{
	struct ar a = { .len = 0 };
	int nr;
	size_t bad, second;

	/* namesize 0 */
	ar_add(&a, "ok", 0100644, "");
	second = ar_add_raw(&a, "070701", "zero", 0, 0100644, "", 0, 1, 1);
	memcpy(a.buf + second + 6 + 8 * 11, "00000000", 8);
	ar_trailer(&a);
	CHECK_EQ(walk(a.buf, a.len, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, second);

	/* namesize one short: the last name byte is not the NUL */
	a.len = 0;
	second = ar_add_raw(&a, "070701", "abc", 3, 0100644, "", 0, 1, 1);
	ar_trailer(&a);
	CHECK_EQ(walk(a.buf, a.len, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, second);

	/* an embedded NUL */
	a.len = 0;
	second = ar_add_raw(&a, "070701", "abc", 0, 0100644, "", 0, 1, 1);
	a.buf[second + CPIO_HDR_SIZE + 1] = 0;
	ar_trailer(&a);
	CHECK_EQ(walk(a.buf, a.len, &bad, &nr), -EINVAL);

	/* namesize running past the end of the buffer */
	a.len = 0;
	ar_add(&a, "ok", 0100644, "");
	second = ar_add_raw(&a, "070701", "abc", 0xfffffff0, 0100644, "", 0, 1, 1);
	CHECK_EQ(walk(a.buf, a.len, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, second);
	CHECK_EQ(nr, 1);
}

TEST(cpio_data_past_end)
{
	struct ar a = { .len = 0 };
	int nr;
	size_t bad, second;

	ar_add(&a, "ok", 0100644, "1234");
	second = ar_add(&a, "big", 0100644, "abcd");
	/* Claims 0xffffffff bytes: the sum must not wrap around. */
	memcpy(a.buf + second + 6 + 8 * 6, "FFFFFFFF", 8);
	ar_trailer(&a);
	CHECK_EQ(walk(a.buf, a.len, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, second);
	/* Just one byte too many, with the archive ending right after the data. */
	a.len = 0;
	ar_add(&a, "ok", 0100644, "1234");
	second = ar_add(&a, "big", 0100644, "abcd");
	memcpy(a.buf + second + 6 + 8 * 6, "00000005", 8);
	CHECK_EQ(walk(a.buf, a.len, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, second);
	CHECK_EQ(nr, 1);
}

TEST(cpio_missing_trailer)
{
	int nr;
	size_t bad;

	build_good();
	CHECK_EQ(walk(good.buf, good_trailer, &bad, &nr), -EINVAL);
	CHECK_EQ(bad, good_trailer);
	CHECK_EQ(nr, 6);
}

/* Every prefix fails cleanly unless it still holds the whole trailer name. */
TEST(cpio_every_truncation)
{
	size_t end = 0, bad;
	int nr;

	build_good();
	end = good_trailer + CPIO_HDR_SIZE + sizeof(CPIO_TRAILER);
	for (size_t len = 0; len <= good.len; len++) {
		int r = walk(good.buf, len, &bad, &nr);

		CHECK_EQ(r, len >= end ? 0 : -EINVAL);
		CHECK(bad <= len);
	}
}

/* Flipped bytes must never make the reader look outside the buffer. */
TEST(cpio_byte_flips)
{
	static const char junk[] = "0123456789aAfFgG\0\377 /";
	uint32_t seed = 12345;
	int nr;
	size_t bad;

	build_good();
	for (int round = 0; round < 20000; round++) {
		struct ar a = good;
		int flips = 1 + round % 4;

		for (int i = 0; i < flips; i++) {
			seed = seed * 1103515245 + 12345;
			a.buf[(seed >> 8) % good.len] = junk[(seed >> 20) % sizeof(junk)];
		}
		/* A missing trailer is reported at the end of the buffer. */
		if (walk(a.buf, good.len, &bad, &nr) < 0)
			CHECK(bad <= good.len);
	}
}

static bool have_cpio(void)
{
	if (system("command -v cpio >/dev/null 2>&1") == 0)
		return true;
	printf("  note: cpio not installed, real-archive case skipped\n");
	return false;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(n ? n : 1);
	if (fread(p, 1, n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = n;
	return p;
}

TEST(cpio_real_tool)
{
	char dir[] = "/tmp/cove_cpio_XXXXXX", cmd[256], path[128];
	bool seen_dir = false, seen_link = false, seen_odd = false, seen_dot = false;
	struct cpio_entry e;
	struct cpio_iter it;
	uint8_t *p;
	size_t len;
	int r, nr = 0;

	if (!have_cpio())
		return;
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p d/e && printf abcde > d/odd && : > empty && "
		 "ln -s d/odd sym && find . | LC_ALL=C sort | cpio -o -H newc --quiet > %s.cpio",
		 dir, dir);
	CHECK_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s.cpio", dir);
	p = read_all(path, &len);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.cpio", dir, dir);
	CHECK_EQ(system(cmd), 0);
	CHECK(p != NULL);
	if (!p)
		return;
	cpio_iter_init(&it, p, len);
	while ((r = cpio_next(&it, &e)) > 0) {
		/* GNU cpio drops the "./" that find puts in front; others may not. */
		const char *name = strncmp(e.name, "./", 2) ? e.name : e.name + 2;

		nr++;
		seen_dot |= !strcmp(name, ".") && (e.mode & 0170000) == 0040000;
		seen_dir |= !strcmp(name, "d/e") && (e.mode & 0170000) == 0040000;
		seen_odd |= !strcmp(name, "d/odd") && e.size == 5 && !memcmp(e.data, "abcde", 5);
		seen_link |= !strcmp(name, "sym") && (e.mode & 0170000) == 0120000 &&
			     e.size == 5 && !memcmp(e.data, "d/odd", 5);
	}
	CHECK_EQ(r, 0);
	CHECK_EQ(nr, 6);
	CHECK(seen_dot && seen_dir && seen_odd && seen_link);
	free(p);
}
