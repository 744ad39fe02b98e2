// SPDX-License-Identifier: GPL-2.0
/*
 * bench_process: the cost of processes.
 *
 *   bench_process fork [N=200] [KIB=1024]
 *                                    fork + _exit + waitpid, N times, from a
 *                                    process with KIB of touched heap data
 *   bench_process vfork [N=200] [KIB=1024]
 *                                    vfork + _exit + waitpid (posix_spawn's path)
 *   bench_process pipe [ROUNDTRIPS=1000]
 *                                    one byte back and forth over two pipes
 *                                    between a parent and its child, each
 *                                    pinned to its own CPU when two are allowed
 *
 * fork is measured from a process whose heap holds touched data (1 MiB by
 * default), so a kernel that copies what it need not shows it; the figure
 * is per fork, exit and reap together, as a shell or system() pays it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *prog = "bench_process";

static void reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		die("waitpid failed (errno %d)", errno);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
		die("child ended with status 0x%x, not exit(7)", st);
}

static void bench_fork(unsigned long n, unsigned long kib, int use_vfork)
{
	char *ballast = malloc(kib * 1024 + 1);
	uint64_t c0, n0;
	unsigned long i;

	if (!ballast)
		die("malloc of %lu KiB failed", kib);
	memset(ballast, 0x5a, kib * 1024);
	c0 = rdtsc();
	n0 = now_ns();
	for (i = 0; i < n; i++) {
		pid_t pid = use_vfork ? vfork() : fork();

		if (pid < 0)
			die("%s failed (errno %d)", use_vfork ? "vfork" : "fork", errno);
		if (pid == 0)
			_exit(7);
		reap(pid);
	}
	bench_report(use_vfork ? "vfork_exit_wait" : "fork_exit_wait", rdtsc() - c0,
		     now_ns() - n0, n);
	free(ballast);
}

static void xwrite(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		die("pipe write failed (errno %d)", errno);
}

static char xread(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		die("pipe read failed (errno %d)", errno);
	return c;
}

static void bench_pipe(unsigned long n)
{
	int ping[2], pong[2], cpus[2], ncpu;
	uint64_t c0, n0, c1, n1;
	unsigned long i;
	pid_t pid;

	ncpu = allowed_cpus(cpus, 2);
	if (pipe(ping) || pipe(pong))
		die("pipe failed (errno %d)", errno);
	printf("bench_process: pipe ping-pong on CPU %d and CPU %d\n", cpus[0],
	       ncpu > 1 ? cpus[1] : cpus[0]);
	pid = fork();
	if (pid < 0)
		die("fork failed (errno %d)", errno);
	if (pid == 0) {
		pin_self(ncpu > 1 ? cpus[1] : cpus[0]);
		close(ping[1]);
		close(pong[0]);
		xwrite(pong[1], 'r');	/* pinned and ready */
		for (i = 0; i < n; i++)
			xwrite(pong[1], xread(ping[0]));
		_exit(7);
	}
	pin_self(cpus[0]);
	close(ping[0]);
	close(pong[1]);
	if (xread(pong[0]) != 'r')
		die("child did not start");
	c0 = rdtsc();
	n0 = now_ns();
	insn_mark();
	for (i = 0; i < n; i++) {
		xwrite(ping[1], (char)i);
		if (xread(pong[0]) != (char)i)
			die("the byte came back changed");
	}
	insn_mark();
	c1 = rdtsc();
	n1 = now_ns();
	reap(pid);
	bench_report("pipe_pingpong", c1 - c0, n1 - n0, n);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(what, "fork"))
		bench_fork(arg_ulong(argc, argv, 2, 200, 1, 1ul << 30),
			   arg_ulong(argc, argv, 3, 1024, 0, 1ul << 20), 0);
	else if (!strcmp(what, "vfork"))
		bench_fork(arg_ulong(argc, argv, 2, 200, 1, 1ul << 30),
			   arg_ulong(argc, argv, 3, 1024, 0, 1ul << 20), 1);
	else if (!strcmp(what, "pipe"))
		bench_pipe(arg_ulong(argc, argv, 2, 1000, 1, 1ul << 30));
	else
		die("usage: bench_process fork|vfork|pipe [N]");
	return 0;
}
