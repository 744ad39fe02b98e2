// SPDX-License-Identifier: GPL-2.0
/*
 * bench_syscall: cost of entering and leaving the kernel.
 *
 *   bench_syscall [ITERS=100000]
 *
 * getppid does no work and cannot be cached by libc, so a loop of raw
 * syscall(SYS_getppid) measures the bare entry/exit path.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

const char *prog = "bench_syscall";

int main(int argc, char **argv)
{
	unsigned long iters = arg_ulong(argc, argv, 1, 100000, 1, 1ul << 40);
	uint64_t c0, c1, n0, n1;
	long ppid, ret;
	unsigned long i;

	/* Warm-up: fault in the code and data the loop touches. */
	ppid = syscall(SYS_getppid);
	if (ppid < 0)
		die("getppid failed");

	c0 = rdtsc();
	n0 = now_ns();
	for (i = 0; i < iters; i++) {
		ret = syscall(SYS_getppid);
		/* Checking keeps the call from being optimised out. */
		if (ret != ppid)
			die("getppid changed from %ld to %ld", ppid, ret);
	}
	c1 = rdtsc();
	n1 = now_ns();

	bench_report("syscall_getppid", c1 - c0, n1 - n0, iters);
	return 0;
}
