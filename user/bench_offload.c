// SPDX-License-Identifier: GPL-2.0
/*
 * bench_offload: the cost of a call Cove serves itself (getppid) beside
 * calls its job's host proxy serves (getuid, a 4 KiB pread of a host
 * file), run as a Cove job and as a plain Linux program in the same
 * emulated machine (scripts/bench-cokernel.sh). On Linux all three are
 * native, so the ratio is the price of the offload round trip.
 *
 *   bench_offload FILE [ITERS=2000]     (FILE: at least 4 KiB)
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

const char *prog = "bench_offload";

static void bench_call(const char *name, long nr, long a0, long a1, long a2, long a3,
		       unsigned long iters, long want)
{
	uint64_t c0, c1, n0, n1;
	long r = syscall(nr, a0, a1, a2, a3);	/* warm-up: mirror the pages, load the code */

	if (r != want)
		die("%s returned %ld, not %ld", name, r, want);
	c0 = rdtsc();
	n0 = now_ns();
	for (unsigned long i = 0; i < iters; i++) {
		r = syscall(nr, a0, a1, a2, a3);
		if (r != want)
			die("%s returned %ld, not %ld", name, r, want);
	}
	c1 = rdtsc();
	n1 = now_ns();
	bench_report(name, c1 - c0, n1 - n0, iters);
}

int main(int argc, char **argv)
{
	unsigned long iters = arg_ulong(argc, argv, 2, 2000, 1, 1ul << 30);
	static char buf[4096];
	int fd;

	if (argc < 2)
		die("usage: bench_offload FILE [ITERS]");
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		die("%s: cannot open", argv[1]);
	bench_call("native_getppid", SYS_getppid, 0, 0, 0, 0, iters, getppid());
	bench_call("offload_getuid", SYS_getuid, 0, 0, 0, 0, iters, (long)getuid());
	bench_call("offload_pread4k", SYS_pread64, fd, (long)buf, sizeof(buf), 0, iters / 4 + 1,
		   sizeof(buf));
	close(fd);
	return 0;
}
