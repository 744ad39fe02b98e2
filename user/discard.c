// SPDX-License-Identifier: GPL-2.0
/*
 * discard [FILE]: madvise(MADV_DONTNEED) on private anonymous memory reads
 * as zeros after, however the bytes got there, and every time. Cove keeps
 * the memory and zeroes only pages written since they were last zeros, so
 * each way a page can be written must be seen:
 *
 *   rewrite    64 KiB written and discarded 8 times over
 *   partial    a discard of 8 KiB inside a 4 MiB mapping (2 MiB pages when
 *              given): the rest keeps its bytes, then all of it is zeros
 *   untouched  8 MiB never written, discarded (what glibc does to an
 *              exiting thread's stack)
 *   othercore  a thread (on another core when there is one) writes the
 *              page the main thread discards, 40 rounds
 *   fork       a child discards its copy of the parent's bytes; the
 *              parent's stay
 *   pipe       read() from a pipe into a page never written by the program
 *   file       the same from FILE (default: this program), twice: in an
 *              enclave a host file's bytes are written by the host proxy
 *
 * Prints "discard: NAME ok" per check, then "discard: ok N checks".
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *prog = "discard";

static int checks;

static void ok(const char *name)
{
	printf("%s: %s ok\n", prog, name);
	checks++;
}

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap %zu: %s", len, strerror(errno));
	return p;
}

static void discard(void *p, size_t len)
{
	if (madvise(p, len, MADV_DONTNEED))
		die("madvise(MADV_DONTNEED): %s", strerror(errno));
}

/* The first non-zero byte's offset, or -1. */
static long first_nonzero(const void *p, size_t len)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++) {
		if (c[i])
			return (long)i;
	}
	return -1;
}

static void expect_zeros(const char *what, const void *p, size_t len)
{
	long at = first_nonzero(p, len);

	if (at >= 0)
		die("%s: byte %ld is %#x after MADV_DONTNEED", what, at,
		    ((const unsigned char *)p)[at]);
}

static void check_rewrite(void)
{
	size_t len = 64 * 1024;
	unsigned char *p = map_anon(len);

	for (int round = 1; round <= 8; round++) {
		memset(p, round, len);
		discard(p, len);
		expect_zeros("rewrite", p, len);
	}
	munmap(p, len);
	ok("rewrite");
}

static void check_partial(void)
{
	size_t len = 4 << 20, big = 2 << 20;
	unsigned char *raw = map_anon(len + big), *p;

	/* 2 MiB aligned, and large pages asked for where the system has them. */
	p = (unsigned char *)(((unsigned long)raw + big - 1) & ~(big - 1));
	madvise(p, len, MADV_HUGEPAGE);
	memset(p, 0x5a, len);
	discard(p + big - 4096, 8192);
	expect_zeros("partial: the discarded 8 KiB", p + big - 4096, 8192);
	for (size_t i = 0; i < len; i += 4096) {
		if (i == big - 4096 || i == big)
			continue;
		if (p[i] != 0x5a || p[i + 4095] != 0x5a)
			die("partial: the page at %zu lost its bytes", i);
	}
	discard(p, len);
	expect_zeros("partial: all of it", p, len);
	munmap(raw, len + big);
	ok("partial");
}

static void check_untouched(void)
{
	size_t len = 8 << 20;
	unsigned char *p = map_anon(len);

	discard(p, len - 4096);
	expect_zeros("untouched", p, len);
	munmap(p, len);
	ok("untouched");
}

struct writer {
	unsigned char *page;
	int turn;		/* 1: the writer's, 2: the discarder's, 0: stop */
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	for (int round = 1; ; round++) {
		int t;

		while ((t = __atomic_load_n(&w->turn, __ATOMIC_ACQUIRE)) == 2)
			sched_yield();
		if (!t)
			return NULL;
		memset(w->page, round, 4096);
		__atomic_store_n(&w->turn, 2, __ATOMIC_RELEASE);
	}
}

static void check_othercore(void)
{
	struct writer w = { .page = map_anon(4096), .turn = 2 };
	pthread_t th;

	if (pthread_create(&th, NULL, writer_main, &w))
		die("pthread_create");
	for (int round = 1; round <= 40; round++) {
		__atomic_store_n(&w.turn, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&w.turn, __ATOMIC_ACQUIRE) == 1)
			sched_yield();
		if (w.page[0] != (unsigned char)round)
			die("othercore: round %d: the writer's bytes are not there", round);
		discard(w.page, 4096);
		expect_zeros("othercore", w.page, 4096);
	}
	__atomic_store_n(&w.turn, 0, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	munmap(w.page, 4096);
	ok("othercore");
}

static void check_fork(void)
{
	size_t len = 256 * 1024;
	unsigned char *p = map_anon(len);
	int status;
	pid_t pid;

	memset(p, 0x77, len);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		discard(p, len);
		_exit(first_nonzero(p, len) < 0 ? 0 : 3);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		die("fork: waitpid");
	if (WEXITSTATUS(status))
		die("fork: the child's copy was not zeros after MADV_DONTNEED");
	if (p[0] != 0x77 || p[len - 1] != 0x77)
		die("fork: the parent's bytes changed");
	munmap(p, len);
	ok("fork");
}

static void check_pipe(void)
{
	unsigned char *p = map_anon(4096), buf[512];
	int fds[2];

	if (pipe(fds))
		die("pipe: %s", strerror(errno));
	memset(buf, 0x33, sizeof(buf));
	if (write(fds[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
	    read(fds[0], p, sizeof(buf)) != (ssize_t)sizeof(buf) || p[0] != 0x33)
		die("pipe: the bytes did not come through");
	discard(p, 4096);
	expect_zeros("pipe", p, 4096);
	close(fds[0]);
	close(fds[1]);
	munmap(p, 4096);
	ok("pipe");
}

static void check_file(const char *path)
{
	unsigned char *p = map_anon(4096);
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("file: open %s: %s", path, strerror(errno));
	for (int round = 1; round <= 2; round++) {
		ssize_t n = pread(fd, p, 4096, 0);

		if (n <= 0 || first_nonzero(p, (size_t)n) < 0)
			die("file: round %d: pread of %s gave %zd bytes, none of them set", round,
			    path, n);
		discard(p, 4096);
		expect_zeros("file", p, 4096);
	}
	close(fd);
	munmap(p, 4096);
	ok("file");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_rewrite();
	check_partial();
	check_untouched();
	check_othercore();
	check_fork();
	check_pipe();
	check_file(argc > 1 ? argv[1] : argv[0]);
	printf("%s: ok %d checks\n", prog, checks);
	return 0;
}
