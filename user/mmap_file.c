// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_file: file-backed mmap as ld.so and programs use it, checked
 * against pread of the same file. Linux behaves the same way, so every
 * check holds there too.
 *
 *   mmap_file [FILE=/data/lines.txt]       the checks below; "mmap_file: ok"
 *   mmap_file write-after-mprotect [FILE]  writes to a private copy, makes it
 *                                          read-only and writes again: SIGSEGV
 *
 * Checked: the mapping holds the file's bytes at any page-multiple offset,
 * the end of its last page past EOF is zero, the file position does not
 * move; a private writable copy does not write to the file; MAP_FIXED over
 * a PROT_NONE reservation (what ld.so does for every library); munmap of
 * a page in the middle; mprotect of part of a mapping; MAP_SHARED read-only;
 * mremap moving a copy; the mapping outliving close(); and the errors for
 * a bad fd, an unaligned offset, a write-only fd and a shared writable map
 * of a read-only fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

const char *prog = "mmap_file";

static long pg;

static void *map(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(addr, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		die("mmap(%p, %zu, %d, %#x, %d, %ld): errno %d", addr, len, prot, flags, fd,
		    (long)off, errno);
	return p;
}

static void expect_errno(void *p, int want, const char *what)
{
	if (p != MAP_FAILED)
		die("%s: mapped at %p instead of failing", what, p);
	if (errno != want)
		die("%s: errno %d, expected %d", what, errno, want);
}

static void same(const void *a, const void *b, size_t len, const char *what)
{
	if (memcmp(a, b, len))
		die("%s: the mapping differs from the file", what);
}

static void write_after_mprotect(int fd)
{
	volatile char *w = map(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	w[0] = 'W';
	if (mprotect((void *)w, pg, PROT_READ))
		die("mprotect: errno %d", errno);
	printf("mmap_file: writing to a page made read-only\n");
	fflush(stdout);
	w[1] = 'X';
	die("the write to a read-only page went through");
}

int main(int argc, char **argv)
{
	bool protect = argc > 1 && !strcmp(argv[1], "write-after-mprotect");
	const char *path = argc > 1 + protect ? argv[1 + protect] : "/data/lines.txt";
	char *buf, *p, *q, *w, *r, *m, *u, *s, one;
	size_t size, end;
	struct stat st;
	int fd, wfd;

	pg = sysconf(_SC_PAGESIZE);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die("cannot open %s", path);
	if (protect)
		write_after_mprotect(fd);
	size = st.st_size;
	end = (size + pg - 1) / pg * pg;
	if (size < 4 * (size_t)pg || size % pg == 0)
		die("%s: %zu bytes; need more than 4 pages and a partial last one", path, size);
	buf = malloc(size);
	if (!buf || pread(fd, buf, size, 0) != (ssize_t)size)
		die("pread of %s failed", path);
	if (read(fd, &one, 1) != 1 || lseek(fd, 0, SEEK_CUR) != 1)
		die("read did not move the file position");

	/* The whole file; a length that is not a page multiple. */
	p = map(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	same(p, buf, size, "whole file");
	for (size_t i = size; i < end; i++)
		if (p[i])
			die("byte %zu past the end of the file is %#x, not 0", i, p[i]);
	if (lseek(fd, 0, SEEK_CUR) != 1)
		die("mmap moved the file position");

	/* From an offset: the last page shows the file, not just 'length' bytes. */
	q = map(NULL, 5000, PROT_READ, MAP_PRIVATE, fd, pg);
	same(q, buf + pg, 2 * pg, "offset one page");

	/* A private writable copy: the file does not change. */
	w = map(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_DENYWRITE, fd, 0);
	w[0] = 'X';
	if (pread(fd, &one, 1, 0) != 1 || one != buf[0] || p[0] != buf[0])
		die("a write to a private copy reached the file or another mapping");

	/* ld.so's way: reserve a span, then map a segment over part of it. */
	r = map(NULL, 8 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m = map(r + 2 * pg, 2 * pg, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 2 * pg);
	if (m != r + 2 * pg)
		die("MAP_FIXED put the mapping at %p, not %p", m, r + 2 * pg);
	same(m, buf + 2 * pg, 2 * pg, "MAP_FIXED over a reservation");
	if (mprotect(m, pg, PROT_READ | PROT_WRITE))
		die("mprotect of part of a file mapping: errno %d", errno);
	m[0] = 'Y';
	same(m + pg, buf + 3 * pg, pg, "the part mprotect left alone");
	if (m[0] != 'Y' || m[1] != buf[2 * pg + 1])
		die("the page made writable lost its bytes");
	if (munmap(r, 8 * pg))
		die("munmap of the reservation: errno %d", errno);

	/* A page out of the middle: the others stay, and the hole is free again. */
	u = map(NULL, 3 * pg, PROT_READ, MAP_PRIVATE, fd, 0);
	if (munmap(u + pg, pg))
		die("munmap of a middle page: errno %d", errno);
	same(u, buf, pg, "first page after munmap");
	same(u + 2 * pg, buf + 2 * pg, pg, "last page after munmap");
	if (map(u + pg, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 3 * pg) != u + pg)
		die("the hole munmap left is not free");
	same(u + pg, buf + 3 * pg, pg, "page mapped into the hole");
	expect_errno(mmap(u, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0), EEXIST,
		     "MAP_FIXED_NOREPLACE over a mapping");

	/* Shared but read-only; then moved by mremap. */
	s = map(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	same(s, buf, size, "MAP_SHARED read-only");
	q = mremap(q, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		die("mremap: errno %d", errno);
	same(q, buf + pg, 2 * pg, "moved by mremap");

	/* The errors Linux gives. */
	expect_errno(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 1000, 0), EBADF, "a bad fd");
	expect_errno(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL, "an unaligned offset");
	expect_errno(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES,
		     "a shared writable map of a read-only fd");
	wfd = open("/tmp/mmap_file.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (wfd < 0 || write(wfd, buf, pg) != pg)
		die("cannot write /tmp/mmap_file.out");
	expect_errno(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, wfd, 0), EACCES, "a write-only fd");
	close(wfd);
	unlink("/tmp/mmap_file.out");

	/* The mappings are copies: closing the file changes nothing. */
	close(fd);
	same(p, buf, size, "after close");
	if (w[0] != 'X' || memcmp(w + 1, buf + 1, size - 1))
		die("the private copy lost its bytes");
	printf("mmap_file: %zu bytes of %s checked\n", size, path);
	printf("mmap_file: ok\n");
	return 0;
}
