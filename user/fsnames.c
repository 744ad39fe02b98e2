// SPDX-License-Identifier: GPL-2.0
/*
 * fsnames: link and rename as programs use them (sed -i and editors
 * write a new file and rename it over the old one; tools keep a second
 * name with link), in a directory of the file system under test.
 *
 *   fsnames DIR      works in DIR/fsnames.*; "fsnames: NAME ok" per check,
 *                    then "fsnames: ok N checks"
 *
 * In bare mode DIR is in the enclave's own tree, in co-kernel mode on the
 * host (both names the host's: the calls go there whole). Either way the
 * lines equal Linux's. Checked: link (a second name, one inode, nlink 2;
 * EEXIST, ENOENT, EPERM for a directory); rename over a file, of a
 * directory with its contents, RENAME_NOREPLACE and RENAME_EXCHANGE,
 * two names of one file, and the errors (EINVAL into itself, EISDIR,
 * ENOTDIR, ENOTEMPTY); EXDEV to /dev/shm, another file system.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

const char *prog = "fsnames";

static int nchecks;
static char base[512];

static void pass(const char *name)
{
	nchecks++;
	printf("fsnames: %s ok\n", name);
	fflush(stdout);
}

/* DIR/fsnames.NAME */
static const char *at(const char *name)
{
	static char bufs[4][600];
	static int i;
	char *b = bufs[i++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/fsnames.%s", base, name);
	return b;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text),
	      "write %s: %s", path, strerror(errno));
	close(fd);
}

static int holds(const char *path, const char *text)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) && !strcmp(buf, text);
}

static struct stat st_of(const char *path)
{
	struct stat st;

	CHECK(!lstat(path, &st), "stat %s: %s", path, strerror(errno));
	return st;
}

static int fails_with(long rc, int err)
{
	return rc == -1 && errno == err;
}

static void check_link(void)
{
	put(at("f"), "eff");
	CHECK(!link(at("f"), at("f2")), "link: %s", strerror(errno));
	CHECK(st_of(at("f")).st_ino == st_of(at("f2")).st_ino && st_of(at("f")).st_nlink == 2,
	      "link: not one file with two names");
	CHECK(fails_with(link(at("f"), at("f2")), EEXIST), "link onto a name: %s",
	      strerror(errno));
	CHECK(fails_with(link(at("none"), at("x")), ENOENT), "link of nothing: %s",
	      strerror(errno));
	CHECK(!mkdir(at("d"), 0755), "mkdir: %s", strerror(errno));
	CHECK(fails_with(link(at("d"), at("x")), EPERM), "link of a directory: %s",
	      strerror(errno));
	pass("link");
}

static void check_rename(void)
{
	put(at("new"), "replacement");
	/* What sed -i does: a new file renamed over the old. */
	CHECK(!rename(at("new"), at("f")), "rename over a file: %s", strerror(errno));
	CHECK(holds(at("f"), "replacement") && holds(at("f2"), "eff") &&
	      st_of(at("f2")).st_nlink == 1 && fails_with(access(at("new"), F_OK), ENOENT),
	      "rename over a file: wrong names after");
	CHECK(fails_with(syscall(SYS_renameat2, AT_FDCWD, at("f"), AT_FDCWD, at("f2"), 1), EEXIST),
	      "RENAME_NOREPLACE: %s", strerror(errno));
	CHECK(!syscall(SYS_renameat2, AT_FDCWD, at("f"), AT_FDCWD, at("f2"), 2),
	      "RENAME_EXCHANGE: %s", strerror(errno));
	CHECK(holds(at("f"), "eff") && holds(at("f2"), "replacement"), "exchange: wrong bytes");
	CHECK(!link(at("f"), at("f3")) && !rename(at("f"), at("f3")) &&
	      holds(at("f"), "eff") && holds(at("f3"), "eff"), "rename between two names");
	pass("rename");
}

static void check_rename_dirs(void)
{
	put(at("d/inner"), "in");
	CHECK(!rename(at("d"), at("e")), "rename a directory: %s", strerror(errno));
	CHECK(holds(at("e/inner"), "in") && fails_with(access(at("d"), F_OK), ENOENT),
	      "the directory's contents did not move");
	CHECK(!mkdir(at("e/sub"), 0755), "mkdir: %s", strerror(errno));
	CHECK(fails_with(rename(at("e"), at("e/sub/x")), EINVAL), "into itself: %s",
	      strerror(errno));
	CHECK(fails_with(rename(at("f"), at("e")), EISDIR), "a file over a directory: %s",
	      strerror(errno));
	CHECK(fails_with(rename(at("e"), at("f")), ENOTDIR), "a directory over a file: %s",
	      strerror(errno));
	CHECK(!mkdir(at("g"), 0755) && fails_with(rename(at("g"), at("e")), ENOTEMPTY),
	      "over a directory with entries: %s", strerror(errno));
	CHECK(!rename(at("e/sub"), at("g")) && st_of(at("e")).st_nlink == 2,
	      "over an empty directory: %s", strerror(errno));
	pass("rename_dirs");
}

static void check_exdev(void)
{
	CHECK(fails_with(rename(at("f"), "/dev/shm/fsnames.x"), EXDEV), "rename to /dev/shm: %s",
	      strerror(errno));
	CHECK(fails_with(link(at("f"), "/dev/shm/fsnames.x"), EXDEV), "link to /dev/shm: %s",
	      strerror(errno));
	pass("exdev");
}

static void clean(void)
{
	const char *files[] = { "f", "f2", "f3", "new", "x", "e/inner", "d/inner" };
	const char *dirs[] = { "g", "e/sub", "e", "d" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(at(files[i]));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rmdir(at(dirs[i]));
}

int main(int argc, char **argv)
{
	snprintf(base, sizeof(base), "%s", argc > 1 ? argv[1] : "/tmp");
	clean();
	check_link();
	check_rename();
	check_rename_dirs();
	check_exdev();
	clean();
	CHECK(fails_with(access(at("e"), F_OK), ENOENT), "left behind");
	printf("fsnames: ok %d checks\n", nchecks);
	return 0;
}
