// SPDX-License-Identifier: GPL-2.0
/*
 * rankio: the ranks of one job doing host I/O at once. Every rank of
 * `cove run -n N` is a process of its own; its offloaded calls must read
 * its own memory and use its own host descriptors, whatever the other
 * ranks do meanwhile.
 *
 *   rankio DIR LINES
 *	as rank $COVE_RANK (0 or 1): opens DIR/cloexec.R close-on-exec,
 *	says it is ready (DIR/ready.R) and waits for the other rank's, then
 *	writes LINES lines of its own text, one write(2) each from the same
 *	buffer address in every rank, to DIR/out.R and to DIR/shared
 *	(O_APPEND). Then rank 1 execs itself (--exec), which closes its own
 *	close-on-exec file and leaves DIR/exec.1; rank 0 waits for that and
 *	checks that its own close-on-exec file is still open.
 *   rankio --expect R LINES
 *	prints what rank R writes to each file, to compare with.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *prog = "rankio";

#define RANKIO_LINE 96
#define RANKIO_WAIT_MS 60000

/* The same address in every rank: a call served with another rank's memory shows. */
static char rankio_buf[RANKIO_LINE];

static size_t rankio_line(unsigned int rank, unsigned long i)
{
	int n = snprintf(rankio_buf, sizeof(rankio_buf), "rank %u line %05lu ", rank, i);

	/* Filler that differs per rank and per line. */
	for (; n < RANKIO_LINE - 1; n++)
		rankio_buf[n] = (char)((rank ? 'A' : 'a') + (i + (unsigned long)n) % 26);
	rankio_buf[RANKIO_LINE - 1] = '\n';
	return RANKIO_LINE;
}

static void rankio_touch(const char *dir, const char *name, unsigned int rank)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s.%u", dir, name, rank);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	close(fd);
}

static void rankio_wait(const char *dir, const char *name, unsigned int rank)
{
	struct timespec step = { 0, 10 * 1000000L };
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s.%u", dir, name, rank);
	for (int ms = 0; ms < RANKIO_WAIT_MS; ms += 10) {
		if (!stat(path, &st))
			return;
		nanosleep(&step, NULL);
	}
	die("%s did not appear", path);
}

static int rankio_open(const char *dir, const char *name, unsigned int rank, int flags)
{
	char path[512];
	int fd;

	if (rank == ~0U)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s/%s.%u", dir, name, rank);
	fd = open(path, flags | O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

static void rankio_write(int fd, size_t len, const char *what, unsigned long i)
{
	ssize_t n = write(fd, rankio_buf, len);

	if (n != (ssize_t)len)
		die("write %s line %lu: %zd (%s)", what, i, n, n < 0 ? strerror(errno) : "short");
}

/* Rank 1 after its exec: its own close-on-exec file is gone, as on Linux. */
static int rankio_after_exec(const char *dir, int fd)
{
	if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
		die("rank 1: close-on-exec descriptor %d still open after its execve", fd);
	printf("rankio 1: own close-on-exec descriptor closed by its execve\n");
	rankio_touch(dir, "exec", 1);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("COVE_RANK"), *dir;
	unsigned long lines, i;
	unsigned int rank;
	int own, shared, keep;
	char fdarg[16];

	if (argc == 4 && !strcmp(argv[1], "--expect")) {
		rank = (unsigned int)arg_ulong(argc, argv, 2, 0, 0, 1);
		lines = arg_ulong(argc, argv, 3, 0, 1, 1000000);
		for (i = 0; i < lines; i++)
			fwrite(rankio_buf, 1, rankio_line(rank, i), stdout);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--exec"))
		return rankio_after_exec(argv[2], (int)arg_ulong(argc, argv, 3, 0, 0, 65535));
	if (argc != 3 || !env)
		die("usage: rankio DIR LINES (as a rank of cove run -n 2), "
		    "or rankio --expect RANK LINES");
	dir = argv[1];
	lines = arg_ulong(argc, argv, 2, 0, 1, 1000000);
	rank = (unsigned int)strtoul(env, NULL, 10);
	if (rank > 1)
		die("rank %u: only ranks 0 and 1 take part", rank);
	keep = rankio_open(dir, "cloexec", rank, O_CLOEXEC | O_TRUNC);
	own = rankio_open(dir, "out", rank, O_TRUNC);
	shared = rankio_open(dir, "shared", ~0U, O_APPEND);
	rankio_touch(dir, "ready", rank);
	rankio_wait(dir, "ready", !rank);
	for (i = 0; i < lines; i++) {
		size_t len = rankio_line(rank, i);

		rankio_write(own, len, "own", i);
		rankio_write(shared, len, "shared", i);
	}
	printf("rankio %u: wrote %lu lines\n", rank, lines);
	fflush(stdout);
	if (rank == 1) {
		snprintf(fdarg, sizeof(fdarg), "%d", keep);
		execl(argv[0], argv[0], "--exec", dir, fdarg, (char *)NULL);
		die("rank 1: execve %s: %s", argv[0], strerror(errno));
	}
	rankio_wait(dir, "exec", 1);
	if (fcntl(keep, F_GETFD) < 0)
		die("rank 0: its close-on-exec descriptor %d was closed by rank 1's execve (%s)",
		    keep, strerror(errno));
	if (write(keep, "kept\n", 5) != 5)
		die("rank 0: write to its close-on-exec descriptor: %s", strerror(errno));
	printf("rankio 0: own close-on-exec descriptor survived rank 1's execve\n");
	return 0;
}
