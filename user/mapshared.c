// SPDX-License-Identifier: GPL-2.0
/*
 * mapshared: MAP_SHARED mappings of a file that are written, as programs
 * use them (Python's mmap, numpy.memmap, output files mapped whole). On
 * Linux the mapping is the page cache; in an enclave it is a copy whose
 * written pages go back to the file, so each check looks at the file
 * only at the points where Cove writes back: msync, munmap, the process's
 * end, an mremap or an mmap over the mapping.
 *
 *   mapshared DIR     makes its files in DIR; "mapshared: NAME ok" per
 *                     check, then "mapshared: ok N checks"
 *
 * Checked: msync writes what was written and nothing past the file's end
 * (a mapping never grows its file); munmap writes back, after close(); a
 * process that ends without either does; a fork child's writes and its
 * parent's both reach the file, neither undoing the other's; mremap and
 * MAP_FIXED over the mapping write it first; EACCES for a read-only
 * descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *prog = "mapshared";

static long pg;
static int nchecks;
static char path[4096];

static void pass(const char *name)
{
	nchecks++;
	printf("mapshared: %s ok\n", name);
	fflush(stdout);
}

/* A fresh file of len bytes: byte i is 'a' + i % 26. */
static int make_file(const char *dir, const char *name, size_t len)
{
	char *buf = malloc(len);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + i % 26);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, buf, len) == (ssize_t)len, "make %s: %s", path,
	      strerror(errno));
	free(buf);
	return fd;
}

static char *map_shared(int fd, size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK(p != MAP_FAILED, "mmap MAP_SHARED of %s: %s", path, strerror(errno));
	return p;
}

/* The file's byte at off, read with a descriptor of its own. */
static int file_byte(off_t off)
{
	unsigned char c;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	n = pread(fd, &c, 1, off);
	close(fd);
	return n == 1 ? c : -1;
}

static off_t file_size(void)
{
	struct stat st;

	CHECK(!stat(path, &st), "stat %s: %s", path, strerror(errno));
	return st.st_size;
}

static void check_msync(const char *dir)
{
	size_t len = 3 * pg + 100;
	int fd = make_file(dir, "msync", len);
	char *p = map_shared(fd, 4 * pg);

	p[0] = 'X';
	p[2 * pg + 7] = 'Y';
	p[len + 5] = 'Z';		/* the last page's tail, past the end */
	CHECK(!msync(p, 4 * pg, MS_SYNC), "msync: %s", strerror(errno));
	CHECK(file_byte(0) == 'X' && file_byte(2 * pg + 7) == 'Y', "msync wrote %c %c",
	      file_byte(0), file_byte(2 * pg + 7));
	CHECK(file_byte(pg) == 'a' + pg % 26 && file_byte(1) == 'b', "msync changed other bytes");
	CHECK(file_size() == (off_t)len, "the file grew to %ld", (long)file_size());
	p[pg + 1] = 'W';
	CHECK(!msync(p + pg, pg, MS_ASYNC), "msync MS_ASYNC: %s", strerror(errno));
	CHECK(file_byte(pg + 1) == 'W', "msync MS_ASYNC did not write");
	munmap(p, 4 * pg);
	close(fd);
	pass("msync");
}

static void check_munmap(const char *dir)
{
	int fd = make_file(dir, "munmap", 2 * pg);
	char *p = map_shared(fd, 2 * pg);

	close(fd);			/* the mapping outlives its descriptor */
	memcpy(p + pg - 2, "MUNMAP", 6);
	CHECK(!munmap(p, 2 * pg), "munmap: %s", strerror(errno));
	CHECK(file_byte(pg - 2) == 'M' && file_byte(pg + 3) == 'P', "munmap did not write back");
	pass("munmap");
}

static void check_exit(const char *dir)
{
	int fd = make_file(dir, "exit", pg), status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (p == MAP_FAILED)
			_exit(1);
		p[10] = 'E';
		_exit(0);		/* no msync, no munmap */
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
	      "the child failed");
	CHECK(file_byte(10) == 'E', "the child's write is not in the file");
	close(fd);
	pass("exit");
}

/*
 * Parent and child each write a page of the mapping and write it back, the
 * parent first: neither's write-back may carry its old view of the other's
 * page (in Cove each has a copy, and writes back only what it wrote).
 */
static void check_fork(const char *dir)
{
	int fd = make_file(dir, "fork", 2 * pg), status, go[2];
	char *p = map_shared(fd, 2 * pg), c;
	pid_t pid;

	p[0] = 'P';
	CHECK(!msync(p, 2 * pg, MS_SYNC), "msync: %s", strerror(errno));
	CHECK(!pipe(go), "pipe: %s", strerror(errno));
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* The child sees the mapping as it was at the fork. */
		if (p[0] != 'P' || p[2] != 'c' || p[pg] != 'a' + pg % 26)
			_exit(2);
		if (read(go[0], &c, 1) != 1)
			_exit(3);
		p[pg] = 'C';
		_exit(msync(p, 2 * pg, MS_SYNC) ? 1 : 0);
	}
	p[1] = 'Q';
	CHECK(!msync(p, pg, MS_SYNC) && write(go[1], "g", 1) == 1, "msync: %s", strerror(errno));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "the child failed");
	CHECK(!WEXITSTATUS(status), "the child failed with %d", WEXITSTATUS(status));
	CHECK(file_byte(1) == 'Q' && file_byte(pg) == 'C', "after the child: %c %c",
	      file_byte(1), file_byte(pg));
	p[2] = 'R';
	CHECK(!munmap(p, 2 * pg), "munmap: %s", strerror(errno));
	CHECK(file_byte(0) == 'P' && file_byte(2) == 'R' && file_byte(pg) == 'C',
	      "after both: %c %c %c", file_byte(0), file_byte(2), file_byte(pg));
	close(go[0]);
	close(go[1]);
	close(fd);
	pass("fork");
}

static void check_remap(const char *dir)
{
	int fd = make_file(dir, "remap", 4 * pg);
	char *p = map_shared(fd, 4 * pg), *q;

	p[3 * pg] = 'R';
	q = mremap(p, 4 * pg, pg, 0);	/* shrinks: the cut pages are written first */
	CHECK(q == p, "mremap: %s", strerror(errno));
	CHECK(file_byte(3 * pg) == 'R', "mremap lost a write of the part it cut");
	q[0] = 'F';
	CHECK(mmap(q, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		   0) == q, "mmap MAP_FIXED: %s", strerror(errno));
	CHECK(file_byte(0) == 'F', "MAP_FIXED over the mapping lost its write");
	munmap(q, pg);
	close(fd);
	pass("remap");
}

static void check_read_only_fd(const char *dir)
{
	int fd = make_file(dir, "rdonly", pg), ro;

	close(fd);
	ro = open(path, O_RDONLY);
	CHECK(ro >= 0, "open: %s", strerror(errno));
	CHECK(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED &&
	      errno == EACCES, "a shared writable map of a read-only descriptor: %s",
	      strerror(errno));
	close(ro);
	pass("rdonly");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	pg = sysconf(_SC_PAGESIZE);
	check_msync(dir);
	check_munmap(dir);
	check_exit(dir);
	check_fork(dir);
	check_remap(dir);
	check_read_only_fd(dir);
	printf("mapshared: ok %d checks\n", nchecks);
	return 0;
}
