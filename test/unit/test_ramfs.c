// SPDX-License-Identifier: GPL-2.0
/*
 * ramfs: lookups and their errors, symlinks, file contents (holes, truncate,
 * copy-on-write over the archive), directories, the space cap, loading hand-
 * made and real cpio archives, and allocation failures. Memory comes from a
 * counting allocator, and every test ends by checking nothing leaked.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include <cove/ramfs.h>

struct counter {
	long live;
	long calls;
	long fail_at;	/* the call that fails, counting from 1; 0 = never */
};

static void *count_alloc(void *ctx, size_t n)
{
	struct counter *c = ctx;

	if (++c->calls == c->fail_at)
		return NULL;
	c->live++;
	return malloc(n);
}

static void count_free(void *ctx, void *p)
{
	struct counter *c = ctx;

	c->live--;
	free(p);
}

static struct counter cnt;
static struct ramfs fs;
static uint64_t clock_now;

static uint64_t clock_read(void *ctx)
{
	(void)ctx;
	return clock_now;
}

static void fs_up_clock(uint64_t max_bytes, bool with_clock)
{
	struct ramfs_ops ops = {
		.alloc = count_alloc, .free = count_free, .ctx = &cnt, .max_bytes = max_bytes,
		.now = with_clock ? clock_read : NULL,
	};

	memset(&cnt, 0, sizeof(cnt));
	CHECK_EQ(ramfs_init(&fs, &ops), 0);
}

static void fs_up(uint64_t max_bytes)
{
	fs_up_clock(max_bytes, false);
}

static void fs_down(void)
{
	ramfs_destroy(&fs);
	CHECK_EQ(cnt.live, 0);
}

static struct ramfs_node *look(const char *path, bool follow)
{
	struct ramfs_node *n = NULL;

	return ramfs_lookup(&fs, NULL, path, follow, &n) ? NULL : n;
}

static int look_err(const char *path, bool follow)
{
	struct ramfs_node *n;

	return ramfs_lookup(&fs, NULL, path, follow, &n);
}

static uint32_t mode_of(struct ramfs_node *n)
{
	struct ramfs_stat st;

	ramfs_stat(n, &st);
	return st.mode;
}

static uint64_t size_of(struct ramfs_node *n)
{
	struct ramfs_stat st;

	ramfs_stat(n, &st);
	return st.size;
}

/* Creates a file by path with the given contents. */
static struct ramfs_node *put(const char *path, const char *text)
{
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_node *dir, *n = NULL;

	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, path, &dir, name), 0);
	CHECK_EQ(ramfs_create(&fs, dir, name, 0644, &n), 0);
	if (n && *text)
		CHECK_EQ(ramfs_write(n, 0, text, strlen(text)), (int64_t)strlen(text));
	return n;
}

static struct ramfs_node *mkdir_p(const char *path)
{
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_node *dir, *n = NULL;

	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, path, &dir, name), 0);
	CHECK_EQ(ramfs_mkdir(&fs, dir, name, 0755, &n), 0);
	return n;
}

static bool has_text(struct ramfs_node *n, const char *text)
{
	char buf[256];
	int64_t r = n ? ramfs_read(n, 0, buf, sizeof(buf)) : -1;

	return r == (int64_t)strlen(text) && !memcmp(buf, text, r);
}

/* A newc archive made byte by byte, as in test_cpio.c. */
struct ar {
	uint8_t buf[16384];
	size_t len;
};

static size_t ar_add_full(struct ar *a, const char *name, uint32_t mode, const char *data,
			  uint32_t ino, uint32_t nlink)
{
	size_t at = a->len, nlen = strlen(name) + 1, size = strlen(data);

	a->len += snprintf((char *)a->buf + a->len, sizeof(a->buf) - a->len,
			   "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino,
			   mode, 0, 0, nlink, 1000 + ino, (uint32_t)size, 3, 4, 0, 0,
			   (uint32_t)nlen, 0);
	memcpy(a->buf + a->len, name, nlen);
	a->len = ALIGN_UP(a->len + nlen, 4);
	memcpy(a->buf + a->len, data, size);
	a->len = ALIGN_UP(a->len + size, 4);
	return at;
}

static size_t ar_add(struct ar *a, const char *name, uint32_t mode, const char *data)
{
	static uint32_t ino = 100;

	return ar_add_full(a, name, mode, data, ino++, 1);
}

static size_t ar_end(struct ar *a)
{
	return ar_add_full(a, "TRAILER!!!", 0, "", 0, 1);
}

/* Loads from a heap copy, so ASan catches reads past the archive. */
static uint8_t *load(const struct ar *a, int want, size_t *bad)
{
	uint8_t *copy = malloc(a->len);

	memcpy(copy, a->buf, a->len);
	*bad = (size_t)-1;
	CHECK_EQ(ramfs_load_cpio(&fs, copy, a->len, bad), want);
	return copy;
}

TEST(ramfs_root)
{
	struct ramfs_stat st;
	struct ramfs_node *n;

	fs_up(0);
	ramfs_stat(fs.root, &st);
	CHECK_EQ(st.mode, S_IFDIR | 0755);
	CHECK_EQ(st.nlink, 2);
	CHECK_EQ(st.ino, 1);
	CHECK_EQ(st.size, 0);
	CHECK(look("/", true) == fs.root);
	CHECK(look("///", true) == fs.root);
	CHECK(look(".", true) == fs.root);
	CHECK(look("..", true) == fs.root);
	CHECK(look("/../..//.", true) == fs.root);
	CHECK_EQ(look_err("", true), -ENOENT);
	CHECK_EQ(fs.nr_nodes, 1);
	CHECK_EQ(ramfs_lookup(&fs, NULL, "x", true, &n), -ENOENT);
	fs_down();
}

TEST(ramfs_lookup_edges)
{
	char longname[300];
	struct ramfs_node *d, *f;

	fs_up(0);
	d = mkdir_p("/a");
	mkdir_p("/a/b");
	f = put("/a/b/f", "hi");
	CHECK(look("a//b///f", true) == f);
	CHECK(look("/a/./b/../b/f", true) == f);
	CHECK(look("a/b/", true) == look("a/b", true));
	CHECK(look("a/b/..", true) == d);
	/* Relative to a starting directory, and ".." from it. */
	CHECK_EQ(ramfs_lookup(&fs, d, "b/f", true, &f), 0);
	CHECK(look("/a/b/f", true) == f);
	CHECK_EQ(ramfs_lookup(&fs, d, "../a/b/f", true, &f), 0);
	CHECK_EQ(look_err("a/b/f/", true), -ENOTDIR);
	CHECK_EQ(look_err("a/b/f/.", true), -ENOTDIR);
	CHECK_EQ(look_err("a/b/f/x", true), -ENOTDIR);
	CHECK_EQ(look_err("a/b/f/..", true), -ENOTDIR);
	CHECK_EQ(look_err("a/x/f", true), -ENOENT);
	CHECK_EQ(look_err("a/b/g", true), -ENOENT);
	memset(longname, 'n', sizeof(longname));
	longname[256] = '\0';
	CHECK_EQ(look_err(longname, true), -ENAMETOOLONG);
	longname[255] = '\0';
	CHECK_EQ(look_err(longname, true), -ENOENT);
	CHECK(put(longname, "") != NULL);
	CHECK(look(longname, true) != NULL);
	fs_down();
}

TEST(ramfs_lookup_parent_split)
{
	char name[RAMFS_NAME_MAX + 1], longpath[300];
	struct ramfs_node *dir, *a;

	fs_up(0);
	a = mkdir_p("a");
	put("a/f", "");
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "/a/new", &dir, name), 0);
	CHECK(dir == a && !strcmp(name, "new"));
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "a//new//", &dir, name), 0);
	CHECK(dir == a && !strcmp(name, "new"));
	CHECK_EQ(ramfs_lookup_parent(&fs, a, "x", &dir, name), 0);
	CHECK(dir == a && !strcmp(name, "x"));
	CHECK_EQ(ramfs_lookup_parent(&fs, a, "/", &dir, name), 0);
	CHECK(dir == fs.root && !strcmp(name, "."));
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "", &dir, name), -ENOENT);
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "a/f/x", &dir, name), -ENOTDIR);
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "nope/x", &dir, name), -ENOENT);
	memset(longpath, 'p', sizeof(longpath));
	longpath[0] = '/';
	longpath[257] = '\0';
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, longpath, &dir, name), -ENAMETOOLONG);
	/* mkdir("/") and creat("a/..") meet an existing name. */
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "/", &dir, name), 0);
	CHECK_EQ(ramfs_mkdir(&fs, dir, name, 0755, NULL), -EEXIST);
	CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "a/..", &dir, name), 0);
	CHECK_EQ(ramfs_create(&fs, dir, name, 0644, NULL), -EEXIST);
	fs_down();
}

TEST(ramfs_symlinks)
{
	static struct ar a;
	struct ramfs_node *d, *f, *l;
	char buf[64], name[16], target[16];
	uint8_t *copy;
	size_t bad;

	a.len = 0;
	ar_add(&a, "d/f", 0100644, "data");
	ar_add(&a, "d/rel", 0120777, "f");
	ar_add(&a, "abs", 0120777, "/d/f");
	ar_add(&a, "dl", 0120777, "d");
	ar_add(&a, "d/up", 0120777, "../dl/rel");
	ar_add(&a, "dangling", 0120777, "nowhere");
	ar_add(&a, "loop1", 0120777, "loop2");
	ar_add(&a, "loop2", 0120777, "loop1/x");
	ar_add(&a, "self", 0120777, "self");
	/* 40 links in a chain resolve; one more is a loop. */
	ar_add(&a, "c0", 0120777, "d/f");
	for (int i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		ar_add(&a, name, 0120777, target);
	}
	ar_end(&a);
	fs_up(0);
	copy = load(&a, 0, &bad);
	d = look("d", true);
	f = look("d/f", true);
	l = look("d/rel", false);
	CHECK(f && l && l != f);
	CHECK(look("d/rel", true) == f);
	CHECK_EQ(mode_of(l), S_IFLNK | 0777);
	CHECK_EQ(size_of(l), 1);
	CHECK(look("abs", true) == f);
	CHECK(look("dl/f", false) == f);
	CHECK(look("dl/", false) == d);		/* a trailing slash follows */
	CHECK(look("dl", true) == d);
	CHECK(S_ISLNK(mode_of(look("dl", false))));
	CHECK(look("d/up", true) == f);
	CHECK_EQ(look_err("dangling", true), -ENOENT);
	CHECK(look("dangling", false) != NULL);
	CHECK_EQ(look_err("dangling/", false), -ENOENT);
	CHECK_EQ(look_err("abs/", true), -ENOTDIR);
	CHECK_EQ(look_err("loop1", true), -ELOOP);
	CHECK_EQ(look_err("self", true), -ELOOP);
	CHECK_EQ(look_err("self/x", false), -ELOOP);
	CHECK(look("self", false) != NULL);
	CHECK(look("c39", true) == f);
	CHECK_EQ(look_err("c40", true), -ELOOP);
	CHECK(S_ISLNK(mode_of(look("c40", false))));
	CHECK_EQ(ramfs_readlink(look("d/up", false), buf, sizeof(buf)), 9);
	CHECK(!memcmp(buf, "../dl/rel", 9));
	CHECK_EQ(ramfs_readlink(look("d/up", false), buf, 3), 3);
	CHECK_EQ(ramfs_readlink(f, buf, sizeof(buf)), -EINVAL);
	CHECK_EQ(ramfs_read(l, 0, buf, sizeof(buf)), -EINVAL);
	CHECK_EQ(ramfs_write(l, 0, "x", 1), -EINVAL);
	CHECK_EQ(ramfs_truncate(l, 0), -EINVAL);
	/* Unlinking a symlink leaves its target alone. */
	CHECK_EQ(ramfs_unlink(&fs, d, "rel"), 0);
	CHECK(look("d/f", true) == f);
	CHECK_EQ(ramfs_rmdir(&fs, NULL, "dl"), -ENOTDIR);
	fs_down();
	free(copy);
}

TEST(ramfs_write_read_holes)
{
	struct ramfs_node *f;
	char buf[64];

	fs_up(0);
	f = put("f", "hello");
	CHECK_EQ(ramfs_read(f, 0, buf, sizeof(buf)), 5);
	CHECK_EQ(ramfs_read(f, 5, buf, sizeof(buf)), 0);
	CHECK_EQ(ramfs_read(f, 100, buf, sizeof(buf)), 0);
	CHECK_EQ(ramfs_read(f, 1, buf, 2), 2);
	CHECK(!memcmp(buf, "el", 2));
	/* Write at the size appends; past it leaves zeros between. */
	CHECK_EQ(ramfs_write(f, size_of(f), "!!", 2), 2);
	CHECK(has_text(f, "hello!!"));
	CHECK_EQ(ramfs_write(f, 10, "end", 3), 3);
	CHECK_EQ(size_of(f), 13);
	CHECK_EQ(ramfs_read(f, 0, buf, sizeof(buf)), 13);
	CHECK(!memcmp(buf, "hello!!\0\0\0end", 13));
	CHECK_EQ(ramfs_write(f, 1, "EL", 2), 2);
	CHECK_EQ(ramfs_read(f, 0, buf, 5), 5);
	CHECK(!memcmp(buf, "hELlo", 5));
	CHECK_EQ(ramfs_write(f, 3, "", 0), 0);
	CHECK_EQ(ramfs_write(f, RAMFS_FILE_MAX, "x", 1), -EFBIG);
	CHECK_EQ(ramfs_write(f, UINT64_MAX, "x", 1), -EFBIG);
	CHECK_EQ(ramfs_read(fs.root, 0, buf, 1), -EISDIR);
	CHECK_EQ(ramfs_write(fs.root, 0, buf, 1), -EISDIR);
	CHECK_EQ(ramfs_truncate(fs.root, 0), -EISDIR);
	/* Many small appends stay correct as the buffer grows. */
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(ramfs_write(f, size_of(f), "0123456789", 10), 10);
	CHECK_EQ(size_of(f), 10013);
	CHECK_EQ(ramfs_read(f, 10003, buf, sizeof(buf)), 10);
	CHECK(!memcmp(buf, "0123456789", 10));
	fs_down();
}

TEST(ramfs_truncate_grow_shrink)
{
	struct ramfs_node *f;
	struct ramfs_stat st;
	char buf[64];
	uint64_t before;

	fs_up(0);
	f = put("f", "abcdef");
	CHECK_EQ(ramfs_truncate(f, 3), 0);
	CHECK(has_text(f, "abc"));
	/* Growing again shows zeros, not the old "def". */
	CHECK_EQ(ramfs_truncate(f, 6), 0);
	CHECK_EQ(ramfs_read(f, 0, buf, sizeof(buf)), 6);
	CHECK(!memcmp(buf, "abc\0\0\0", 6));
	CHECK_EQ(ramfs_truncate(f, 5000), 0);
	ramfs_stat(f, &st);
	CHECK_EQ(st.size, 5000);
	CHECK_EQ(st.blocks, 10);
	CHECK_EQ(ramfs_read(f, 4990, buf, sizeof(buf)), 10);
	CHECK(!memcmp(buf, "\0\0\0\0\0\0\0\0\0\0", 10));
	/* Shrinking a lot hands memory back. */
	before = fs.data_bytes;
	CHECK_EQ(ramfs_truncate(f, 2), 0);
	CHECK(fs.data_bytes < before);
	CHECK(has_text(f, "ab"));
	CHECK_EQ(ramfs_truncate(f, 0), 0);
	CHECK_EQ(fs.data_bytes, 0);
	CHECK_EQ(ramfs_read(f, 0, buf, sizeof(buf)), 0);
	CHECK_EQ(ramfs_truncate(f, RAMFS_FILE_MAX + 1), -EFBIG);
	fs_down();
}

TEST(ramfs_dirs_and_unlink)
{
	struct ramfs_node *a, *b, *f;
	struct ramfs_stat st;

	fs_up(0);
	a = mkdir_p("a");
	ramfs_stat(fs.root, &st);
	CHECK_EQ(st.nlink, 3);
	b = mkdir_p("a/b");
	f = put("a/f", "x");
	CHECK_EQ(mode_of(a), S_IFDIR | 0755);
	CHECK_EQ(ramfs_mkdir(&fs, a, "b", 0700, NULL), -EEXIST);
	CHECK_EQ(ramfs_create(&fs, a, "f", 0600, NULL), -EEXIST);
	CHECK_EQ(ramfs_create(&fs, a, ".", 0600, NULL), -EEXIST);
	CHECK_EQ(ramfs_create(&fs, a, "x/y", 0600, NULL), -EINVAL);
	CHECK_EQ(ramfs_create(&fs, a, "", 0600, NULL), -ENOENT);
	CHECK_EQ(ramfs_create(&fs, f, "x", 0600, NULL), -ENOTDIR);
	CHECK_EQ(ramfs_create(&fs, a, "m", 0107777, &f), 0);
	CHECK_EQ(mode_of(f), S_IFREG | 07777);	/* the type bits are ours */
	ramfs_stat(a, &st);
	CHECK_EQ(st.nlink, 3);
	CHECK_EQ(ramfs_rmdir(&fs, NULL, "a"), -ENOTEMPTY);
	CHECK_EQ(ramfs_unlink(&fs, NULL, "a"), -EISDIR);
	CHECK_EQ(ramfs_rmdir(&fs, a, "f"), -ENOTDIR);
	CHECK_EQ(ramfs_rmdir(&fs, a, "."), -EINVAL);
	CHECK_EQ(ramfs_rmdir(&fs, a, ".."), -ENOTEMPTY);
	CHECK_EQ(ramfs_unlink(&fs, a, "."), -EISDIR);
	CHECK_EQ(ramfs_unlink(&fs, a, "nope"), -ENOENT);
	CHECK_EQ(ramfs_unlink(&fs, a, "f"), 0);
	CHECK_EQ(ramfs_unlink(&fs, a, "m"), 0);
	CHECK_EQ(ramfs_unlink(&fs, a, "f"), -ENOENT);
	CHECK_EQ(ramfs_rmdir(&fs, a, "b"), 0);
	(void)b;
	ramfs_stat(a, &st);
	CHECK_EQ(st.nlink, 2);
	CHECK_EQ(ramfs_rmdir(&fs, NULL, "a"), 0);
	CHECK_EQ(fs.nr_nodes, 1);
	CHECK_EQ(cnt.live, 1);		/* the root and nothing else */
	fs_down();
}

TEST(ramfs_link_and_rename)
{
	struct ramfs_node *a, *b, *f, *g, *n;
	struct ramfs_stat st;
	const char *name = "";
	uint64_t pos = 0;

	fs_up(0);
	a = mkdir_p("a");
	b = mkdir_p("a/b");
	f = put("a/f", "eff");
	g = put("g", "gee");
	/* link: a second name, same node; not for directories or names that exist. */
	CHECK_EQ(ramfs_link(&fs, a, "f", b, "f2"), 0);
	CHECK(look("a/b/f2", false) == f);
	ramfs_stat(f, &st);
	CHECK_EQ(st.nlink, 2);
	CHECK_EQ(ramfs_link(&fs, NULL, "a", b, "x"), -EPERM);
	CHECK_EQ(ramfs_link(&fs, a, "f", NULL, "g"), -EEXIST);
	CHECK_EQ(ramfs_link(&fs, a, "none", NULL, "x"), -ENOENT);
	/* rename of a file over another: the old name goes, the target's node with it. */
	CHECK_EQ(ramfs_rename(&fs, NULL, "g", a, "f", RAMFS_RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(ramfs_rename(&fs, NULL, "g", a, "f", 0), 0);
	CHECK(look("g", false) == NULL && look("a/f", false) == g && has_text(look("a/f", false), "gee"));
	ramfs_stat(f, &st);
	CHECK_EQ(st.nlink, 1);			/* still a/b/f2 */
	CHECK_EQ(ramfs_rename(&fs, a, "f", b, "f2", RAMFS_RENAME_EXCHANGE), 0);
	CHECK(look("a/f", false) == f && look("a/b/f2", false) == g);
	CHECK_EQ(ramfs_rename(&fs, a, "f", b, "none", RAMFS_RENAME_EXCHANGE), -ENOENT);
	/* Two names of one node: nothing happens. */
	CHECK_EQ(ramfs_link(&fs, a, "f", NULL, "h"), 0);
	CHECK_EQ(ramfs_rename(&fs, a, "f", NULL, "h", 0), 0);
	CHECK(look("a/f", false) == f && look("h", false) == f);
	/* Directories: moved with their counts; never into themselves; kinds must agree. */
	CHECK_EQ(ramfs_rename(&fs, NULL, "a", b, "in", 0), -EINVAL);
	CHECK_EQ(ramfs_rename(&fs, a, "b", a, "f", 0), -ENOTDIR);
	CHECK_EQ(ramfs_rename(&fs, NULL, "h", a, "b", 0), -EISDIR);
	CHECK_EQ(ramfs_rename(&fs, a, "b", NULL, "b2", 0), 0);
	CHECK(look("b2", false) == b && look("b2/f2", false) == g && look("a/b", false) == NULL);
	ramfs_stat(a, &st);
	CHECK_EQ(st.nlink, 2);
	ramfs_stat(fs.root, &st);
	CHECK_EQ(st.nlink, 4);			/* ".", "..", a and b2 */
	CHECK(look("b2/..", false) == fs.root);
	CHECK_EQ(ramfs_rename(&fs, NULL, "a", NULL, "b2", 0), -ENOTEMPTY);
	CHECK_EQ(ramfs_rename(&fs, NULL, ".", NULL, "x", 0), -EBUSY);
	/* The moved name comes last when the directory is read. */
	while (!ramfs_readdir(fs.root, &pos, &name, &n) && strcmp(name, "b2"))
		;
	CHECK(!strcmp(name, "b2") && n == b);
	CHECK_EQ(ramfs_readdir(fs.root, &pos, &name, &n), -ENOENT);
	fs_down();
}

TEST(ramfs_held_nodes)
{
	struct ramfs_node *d, *f, *n;
	struct ramfs_stat st;
	const char *name;
	uint64_t pos = 0;
	long live;

	fs_up(0);
	d = mkdir_p("d");
	f = put("d/f", "still here");
	ramfs_get(f);
	ramfs_get(d);
	/* An open file outlives its name, readable and writable. */
	CHECK_EQ(ramfs_unlink(&fs, d, "f"), 0);
	CHECK_EQ(look_err("d/f", true), -ENOENT);
	CHECK(has_text(f, "still here"));
	CHECK_EQ(ramfs_write(f, 0, "STILL", 5), 5);
	CHECK(has_text(f, "STILL here"));
	ramfs_stat(f, &st);
	CHECK_EQ(st.nlink, 0);
	live = cnt.live;
	ramfs_put(f);
	CHECK(cnt.live < live);
	/* A removed cwd stays empty and has no way up. */
	CHECK_EQ(ramfs_rmdir(&fs, NULL, "d"), 0);
	CHECK_EQ(look_err("d", true), -ENOENT);
	CHECK_EQ(ramfs_lookup(&fs, d, "..", true, &n), -ENOENT);
	CHECK_EQ(ramfs_lookup(&fs, d, ".", true, &n), 0);
	CHECK(n == d);
	CHECK_EQ(ramfs_lookup(&fs, d, "/", true, &n), 0);
	CHECK(n == fs.root);
	CHECK_EQ(ramfs_create(&fs, d, "new", 0644, NULL), -ENOENT);
	CHECK_EQ(ramfs_mkdir(&fs, d, "new", 0755, NULL), -ENOENT);
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), 0);
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), 0);
	CHECK(!strcmp(name, "..") && n == d);
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), -ENOENT);
	ramfs_stat(d, &st);
	CHECK_EQ(st.nlink, 0);
	ramfs_put(d);
	CHECK_EQ(fs.nr_nodes, 1);
	/* A held node still named is freed by ramfs_destroy. */
	ramfs_get(put("kept", "x"));
	fs_down();
}

TEST(ramfs_clock)
{
	static struct ar a;
	struct ramfs_node *d, *f;
	struct ramfs_stat st;
	uint8_t *copy;
	size_t bad;

	a.len = 0;
	ar_add_full(&a, "dir", 040755, "", 5, 2);
	ar_add_full(&a, "dir/f", 0100644, "x", 6, 1);
	ar_end(&a);
	fs_up_clock(0, true);
	clock_now = 50;
	copy = load(&a, 0, &bad);
	/* Archive times stay, even for a directory whose children came later. */
	ramfs_stat(look("dir", true), &st);
	CHECK_EQ(st.mtime, 1005);
	ramfs_stat(look("dir/f", true), &st);
	CHECK_EQ(st.mtime, 1006);
	clock_now = 100;
	d = mkdir_p("d");
	ramfs_stat(d, &st);
	CHECK_EQ(st.mtime, 100);
	ramfs_stat(fs.root, &st);
	CHECK_EQ(st.mtime, 100);
	clock_now = 200;
	f = put("d/f", "");
	ramfs_stat(d, &st);
	CHECK_EQ(st.mtime, 200);
	clock_now = 300;
	CHECK_EQ(ramfs_write(f, 0, "x", 1), 1);
	ramfs_stat(f, &st);
	CHECK_EQ(st.mtime, 300);
	clock_now = 400;
	CHECK_EQ(ramfs_truncate(f, 0), 0);
	ramfs_stat(f, &st);
	CHECK_EQ(st.mtime, 400);
	clock_now = 500;
	CHECK_EQ(ramfs_unlink(&fs, d, "f"), 0);
	ramfs_stat(d, &st);
	CHECK_EQ(st.mtime, 500);
	fs_down();
	free(copy);
}

TEST(ramfs_readdir_order)
{
	static const char *const want[] = { ".", "..", "one", "two", "three", "four" };
	struct ramfs_node *d, *n;
	const char *name;
	char path[16];
	uint64_t pos = 0;
	int i = 0;

	fs_up(0);
	d = mkdir_p("d");
	for (i = 2; i < 6; i++) {
		snprintf(path, sizeof(path), "d/%s", want[i]);
		put(path, "");
	}
	for (i = 0; !ramfs_readdir(d, &pos, &name, &n); i++) {
		CHECK(i < 6 && !strcmp(name, want[i]));
		if (i == 0)
			CHECK(n == d);
		if (i == 1)
			CHECK(n == fs.root);
	}
	CHECK_EQ(i, 6);
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), -ENOENT);
	CHECK_EQ(ramfs_readdir(look("d/one", true), &pos, &name, &n), -ENOTDIR);
	/* Removing names mid-way skips nothing that is left, like rm -rf does. */
	pos = 0;
	for (i = 0; i < 3; i++)
		CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), 0);
	CHECK(!strcmp(name, "one"));
	CHECK_EQ(ramfs_unlink(&fs, d, "one"), 0);
	CHECK_EQ(ramfs_unlink(&fs, d, "three"), 0);
	put("d/five", "");
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), 0);
	CHECK(!strcmp(name, "two"));
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), 0);
	CHECK(!strcmp(name, "four"));
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), 0);
	CHECK(!strcmp(name, "five"));
	CHECK_EQ(ramfs_readdir(d, &pos, &name, &n), -ENOENT);
	fs_down();
}

TEST(ramfs_stat_fields)
{
	struct ramfs_node *f, *g;
	struct ramfs_stat st;

	fs_up(0);
	f = put("f", "12345");
	g = put("g", "");
	ramfs_stat(f, &st);
	CHECK_EQ(st.mode, S_IFREG | 0644);
	CHECK_EQ(st.size, 5);
	CHECK_EQ(st.blocks, 1);
	CHECK_EQ(st.nlink, 1);
	CHECK_EQ(st.mtime, 0);
	CHECK(st.ino != 1);
	ramfs_chmod(f, 0100600);
	ramfs_set_mtime(f, 1234);
	ramfs_stat(f, &st);
	CHECK_EQ(st.mode, S_IFREG | 0600);
	CHECK_EQ(st.mtime, 1234);
	ramfs_stat(g, &st);
	CHECK_EQ(st.size, 0);
	CHECK_EQ(st.blocks, 0);
	CHECK(st.ino != 1);
	{
		struct ramfs_stat sf;

		ramfs_stat(f, &sf);
		CHECK(sf.ino != st.ino);
	}
	CHECK_EQ(fs.nr_nodes, 3);
	fs_down();
}

TEST(ramfs_enospc)
{
	static char big[5000];
	struct ramfs_node *f, *g;

	fs_up(4096);
	f = put("f", "");
	g = put("g", "");
	memset(big, 'b', sizeof(big));
	CHECK_EQ(ramfs_write(f, 0, big, 4097), -ENOSPC);
	CHECK_EQ(size_of(f), 0);
	CHECK_EQ(ramfs_write(f, 0, big, 3000), 3000);
	CHECK(fs.data_bytes <= 4096);
	CHECK_EQ(ramfs_write(g, 0, big, 2000), -ENOSPC);
	CHECK_EQ(ramfs_truncate(g, 2000), -ENOSPC);
	CHECK_EQ(ramfs_write(g, 0, big, 1000), 1000);
	CHECK(fs.data_bytes <= 4096);
	/* A file may grow into every byte left, even if doubling would not fit. */
	CHECK_EQ(ramfs_write(f, 3000, big, 4096 - 3000 - 1024), 4096 - 3000 - 1024);
	CHECK_EQ(fs.data_bytes, 4096);
	/* Names cost no data bytes; their contents do. */
	CHECK_EQ(ramfs_create(&fs, NULL, "h", 0644, &f), 0);
	CHECK_EQ(ramfs_write(f, 0, "x", 1), -ENOSPC);
	CHECK_EQ(size_of(f), 0);
	/* Removing a file gives its bytes back. */
	CHECK_EQ(ramfs_unlink(&fs, NULL, "f"), 0);
	CHECK_EQ(ramfs_write(g, 1000, big, 3000), 3000);
	CHECK(fs.data_bytes <= 4096);
	CHECK_EQ(size_of(g), 4000);
	fs_down();
}

TEST(ramfs_load_tree)
{
	static struct ar a;
	struct ramfs_node *n;
	struct ramfs_stat st;
	uint8_t *copy;
	size_t bad;

	a.len = 0;
	ar_add(&a, ".", 040700, "");
	ar_add(&a, "./bin", 040755, "");
	ar_add(&a, "./bin/sh", 0100755, "#!shell");
	ar_add(&a, "/etc/deep/er/conf", 0100644, "k=v");	/* parents made */
	ar_add(&a, "etc//motd", 0100644, "old");
	ar_add(&a, "etc/motd", 0100600, "new");			/* replaces */
	ar_add(&a, "lib", 0120777, "usr/lib");
	ar_add(&a, "usr/lib/libc.so", 0100644, "ELF");		/* made via the link */
	ar_add(&a, "lib/ld.so", 0100644, "LD");
	ar_add(&a, "dev/console", 0020600, "");			/* skipped */
	ar_add(&a, "etc/deep/", 040711, "");			/* existing dir, new mode */
	ar_add(&a, "empty", 0100644, "");
	ar_add(&a, "bin/../sbin", 040755, "");
	ar_end(&a);
	fs_up(0);
	copy = load(&a, 0, &bad);
	CHECK_EQ(bad, (size_t)-1);
	CHECK_EQ(mode_of(fs.root), S_IFDIR | 0700);
	CHECK(has_text(look("/bin/sh", true), "#!shell"));
	CHECK_EQ(mode_of(look("/bin/sh", true)), S_IFREG | 0755);
	CHECK(has_text(look("/etc/deep/er/conf", true), "k=v"));
	CHECK_EQ(mode_of(look("etc/deep/er", true)), S_IFDIR | 0755);
	CHECK_EQ(mode_of(look("etc/deep", true)), S_IFDIR | 0711);
	CHECK(has_text(look("etc/motd", true), "new"));
	CHECK_EQ(mode_of(look("etc/motd", true)), S_IFREG | 0600);
	CHECK(has_text(look("lib/libc.so", true), "ELF"));
	CHECK(has_text(look("usr/lib/ld.so", true), "LD"));
	CHECK(S_ISLNK(mode_of(look("lib", false))));
	CHECK_EQ(look_err("dev", true), -ENOENT);	/* nothing at all for it */
	CHECK(look("sbin", true) != NULL);
	n = look("empty", true);
	CHECK(n && size_of(n) == 0);
	ramfs_stat(look("bin/sh", true), &st);
	CHECK(st.mtime >= 1000);
	CHECK_EQ(st.uid, 0);
	/* Archive-backed files cost no data bytes until written. */
	CHECK_EQ(fs.data_bytes, 0);
	fs_down();
	free(copy);
}

TEST(ramfs_load_copy_on_write)
{
	static struct ar a;
	struct ramfs_node *f;
	uint8_t *copy, *orig;
	size_t bad;
	char buf[32];

	a.len = 0;
	ar_add(&a, "f", 0100644, "archive bytes");
	ar_add(&a, "g", 0100644, "shrink me");
	ar_end(&a);
	fs_up(0);
	copy = load(&a, 0, &bad);
	orig = malloc(a.len);
	memcpy(orig, copy, a.len);
	f = look("f", true);
	CHECK_EQ(ramfs_write(f, 0, "ARCHIVE", 7), 7);
	CHECK(has_text(f, "ARCHIVE bytes"));
	CHECK(fs.data_bytes >= 13);
	CHECK(!memcmp(copy, orig, a.len));
	/* A second file is still shared; shrinking it needs no copy. */
	f = look("g", true);
	CHECK_EQ(ramfs_truncate(f, 6), 0);
	CHECK(has_text(f, "shrink"));
	CHECK_EQ(ramfs_truncate(f, 8), 0);
	CHECK_EQ(ramfs_read(f, 0, buf, sizeof(buf)), 8);
	CHECK(!memcmp(buf, "shrink\0\0", 8));
	CHECK(!memcmp(copy, orig, a.len));
	fs_down();
	free(orig);
	free(copy);
}

TEST(ramfs_load_hard_links)
{
	static struct ar a;
	struct ramfs_node *x, *y;
	struct ramfs_stat st;
	uint8_t *copy;
	size_t bad;

	/* As GNU cpio writes them: the bytes come with the last name. */
	a.len = 0;
	ar_add_full(&a, "x", 0100755, "", 7, 3);
	ar_add_full(&a, "d/y", 0100755, "", 7, 3);
	ar_add_full(&a, "z", 0100755, "shared", 7, 3);
	ar_add_full(&a, "dir7", 040755, "", 8, 2);
	ar_add_full(&a, "notlinked", 0100644, "own", 8, 2);	/* ino of a dir: no */
	ar_end(&a);
	fs_up(0);
	copy = load(&a, 0, &bad);
	x = look("x", true);
	y = look("d/y", true);
	CHECK(x && x == y && x == look("z", true));
	CHECK(has_text(x, "shared"));
	ramfs_stat(x, &st);
	CHECK_EQ(st.nlink, 3);
	CHECK(has_text(look("notlinked", true), "own"));
	CHECK_EQ(ramfs_unlink(&fs, NULL, "x"), 0);
	CHECK_EQ(ramfs_unlink(&fs, NULL, "z"), 0);
	ramfs_stat(y, &st);
	CHECK_EQ(st.nlink, 1);
	CHECK(has_text(y, "shared"));
	fs_down();
	free(copy);
}

/* Each corrupt variant fails at the right entry and keeps what came before. */
TEST(ramfs_load_corrupt)
{
	static struct ar a;
	uint8_t *copy;
	size_t bad, at;

	a.len = 0;
	ar_add(&a, "first", 0100644, "1");
	at = ar_add(&a, "second", 0100644, "2");
	ar_end(&a);
	a.buf[at + 3] = 'x';				/* bad magic */
	fs_up(0);
	copy = load(&a, -EINVAL, &bad);
	CHECK_EQ(bad, at);
	CHECK(has_text(look("first", true), "1"));
	CHECK_EQ(look_err("second", true), -ENOENT);
	fs_down();
	free(copy);

	a.len = 0;
	ar_add(&a, "first", 0100644, "1");
	at = ar_add(&a, "second", 0100644, "2");	/* no trailer */
	fs_up(0);
	copy = load(&a, -EINVAL, &bad);
	CHECK_EQ(bad, a.len);
	CHECK(look("second", true) != NULL);
	fs_down();
	free(copy);

	a.len = 0;
	ar_add(&a, "file", 0100644, "1");
	at = ar_add(&a, "file/sub", 0100644, "2");	/* under a file */
	ar_end(&a);
	fs_up(0);
	copy = load(&a, -ENOTDIR, &bad);
	CHECK_EQ(bad, at);
	fs_down();
	free(copy);

	a.len = 0;
	ar_add(&a, "d/f", 0100644, "1");
	at = ar_add(&a, "d", 0100644, "2");		/* over a full directory */
	ar_end(&a);
	fs_up(0);
	copy = load(&a, -ENOTEMPTY, &bad);
	CHECK_EQ(bad, at);
	fs_down();
	free(copy);

	a.len = 0;
	at = ar_add(&a, "l", 0120777, "");		/* empty symlink target */
	ar_end(&a);
	fs_up(0);
	copy = load(&a, -EINVAL, &bad);
	CHECK_EQ(bad, at);
	fs_down();
	free(copy);

	a.len = 0;
	at = ar_add(&a, "..", 0100644, "x");		/* a file named ".." */
	ar_end(&a);
	fs_up(0);
	copy = load(&a, -EINVAL, &bad);
	CHECK_EQ(bad, at);
	fs_down();
	free(copy);
}

/* Cut anywhere - header, name or data - an archive fails cleanly at the cut. */
TEST(ramfs_load_every_truncation)
{
	static struct ar a;
	size_t bad, trailer;

	a.len = 0;
	ar_add(&a, "dir", 040755, "");
	ar_add(&a, "dir/file", 0100644, "contents");
	ar_add(&a, "dir/link", 0120777, "file");
	trailer = ar_end(&a);
	for (size_t len = 0; len <= a.len; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		int r;

		memcpy(copy, a.buf, len);
		fs_up(0);
		bad = (size_t)-1;
		r = ramfs_load_cpio(&fs, copy, len, &bad);
		if (len >= trailer + 110 + 11) {
			CHECK_EQ(r, 0);
			CHECK(has_text(look("dir/link", true), "contents"));
		} else {
			CHECK_EQ(r, -EINVAL);
			CHECK(bad == len || (bad < len && bad % 4 == 0));
		}
		fs_down();
		free(copy);
	}
}

/* Every allocation, in turn, fails: the error comes back and nothing leaks. */
TEST(ramfs_alloc_failures)
{
	static struct ar a;
	uint8_t *copy;
	size_t bad;
	long total;

	a.len = 0;
	ar_add(&a, "a/b/c", 0100644, "abc");
	ar_add(&a, "a/l", 0120777, "b");
	ar_end(&a);
	copy = malloc(a.len);
	memcpy(copy, a.buf, a.len);
	fs_up(0);
	CHECK_EQ(ramfs_load_cpio(&fs, copy, a.len, &bad), 0);
	CHECK(put("a/x", "payload") != NULL);
	total = cnt.calls;
	CHECK(total > 10);
	fs_down();
	for (long k = 2; k <= total; k++) {
		struct ramfs_node *dir, *n;
		char name[RAMFS_NAME_MAX + 1];
		int r;

		fs_up(0);
		cnt.fail_at = k;
		r = ramfs_load_cpio(&fs, copy, a.len, &bad);
		if (!r) {
			CHECK_EQ(ramfs_lookup_parent(&fs, NULL, "a/x", &dir, name), 0);
			r = ramfs_create(&fs, dir, name, 0644, &n);
			if (!r)
				r = ramfs_write(n, 0, "payload", 7) == 7 ? 0 : -ENOMEM;
		}
		CHECK_EQ(r, -ENOMEM);
		fs_down();
	}
	free(copy);
}

static bool contains(const uint8_t *p, size_t len, const char *s)
{
	for (size_t n = strlen(s), i = 0; i + n <= len; i++)
		if (!memcmp(p + i, s, n))
			return true;
	return false;
}

static bool have_cpio(void)
{
	if (system("command -v cpio >/dev/null 2>&1") == 0)
		return true;
	printf("  note: cpio not installed, real-archive case skipped\n");
	return false;
}

TEST(ramfs_load_real_cpio)
{
	char dir[] = "/tmp/cove_ramfs_XXXXXX", cmd[512], path[64], buf[16];
	const char *seen[8], *name;
	struct ramfs_node *n, *d;
	uint64_t pos = 0;
	uint8_t *img = NULL;
	size_t len = 0, bad;
	int nr = 0;
	FILE *f;

	if (!have_cpio())
		return;
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p sub/deeper && printf 'hello\\n' > sub/hi && "
		 "printf 1234567 > sub/seven && ln sub/seven sub/hard && : > sub/empty && "
		 "ln -s ../hi sub/deeper/up && ln -s /sub sub/abs && chmod 0751 sub && "
		 "find . | LC_ALL=C sort | cpio -o -H newc --quiet > %s.cpio",
		 dir, dir);
	CHECK_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s.cpio", dir);
	f = fopen(path, "rb");
	CHECK(f != NULL);
	if (f) {
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		img = malloc(len);
		CHECK_EQ(fread(img, 1, len, f), len);
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.cpio", dir, dir);
	CHECK_EQ(system(cmd), 0);
	fs_up(0);
	if (img)
		CHECK_EQ(ramfs_load_cpio(&fs, img, len, &bad), 0);
	CHECK(has_text(look("sub/hi", true), "hello\n"));
	CHECK(has_text(look("sub/deeper/up", true), "hello\n"));
	CHECK(has_text(look("sub/abs/deeper/up", true), "hello\n"));
	CHECK(look("sub/hard", true) == look("sub/seven", true));
	CHECK(has_text(look("/sub/hard", true), "1234567"));
	CHECK_EQ(mode_of(look("sub", true)), S_IFDIR | 0751);
	n = look("sub/deeper/up", false);
	CHECK(n && ramfs_readlink(n, buf, sizeof(buf)) == 5 && !memcmp(buf, "../hi", 5));
	d = look("sub", true);
	while (d && !ramfs_readdir(d, &pos, &name, &n))
		if (nr < 8)
			seen[nr++] = name;
	/* In archive order, which puts hard links where cpio likes. */
	CHECK_EQ(nr, 8);
	for (int i = 0; i < nr; i++)
		CHECK(strstr(". .. abs deeper empty hard hi seven ", seen[i]) != NULL);
	CHECK(!strcmp(seen[0], ".") && !strcmp(seen[1], "..") && !strcmp(seen[2], "abs"));
	/* Writing into a loaded file leaves the image alone. */
	n = look("sub/hi", true);
	CHECK_EQ(ramfs_write(n, 0, "J", 1), 1);
	CHECK(has_text(n, "Jello\n"));
	CHECK(img && contains(img, len, "hello\n"));
	fs_down();
	free(img);
}
