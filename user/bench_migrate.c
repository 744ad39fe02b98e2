// SPDX-License-Identifier: GPL-2.0
/*
 * bench_migrate: cost of moving a running thread between CPUs.
 *
 *   bench_migrate [ROUNDTRIPS=1000]
 *
 * The thread repins itself A -> B -> A with sched_setaffinity, which on
 * Linux returns only once the caller runs on an allowed CPU. After each
 * move the getcpu syscall confirms where it landed (two cheap syscalls,
 * counted in the figure). A move that did not happen is a failure: it is
 * reported, after the timing line, and the exit status is 1. With only one
 * CPU there is nowhere to go: the program says so and times A -> A.
 */
#include <stdio.h>

#include "common.h"

const char *prog = "bench_migrate";

int main(int argc, char **argv)
{
	unsigned long iters = arg_ulong(argc, argv, 1, 1000, 1, 1ul << 40);
	unsigned long i, missed = 0;
	uint64_t c0, c1, n0, n1;
	int cpus[2], ncpu, a, b, first_bad = -1;

	ncpu = allowed_cpus(cpus, 2);
	a = cpus[0];
	b = ncpu > 1 ? cpus[1] : cpus[0];
	if (ncpu == 1)
		printf("bench_migrate: only one CPU (%d), nothing to migrate to\n",
		       a);
	else
		printf("bench_migrate: CPU %d -> CPU %d -> CPU %d\n", a, b, a);

	/* Start on A, so the first timed move is a real one. */
	pin_self(a);
	if (current_cpu() != a)
		die("not on CPU %d after pinning to it (on %d)", a,
		    current_cpu());

	c0 = rdtsc();
	n0 = now_ns();
	insn_mark();
	for (i = 0; i < iters; i++) {
		pin_self(b);
		if (current_cpu() != b) {
			missed++;
			first_bad = b;
		}
		pin_self(a);
		if (current_cpu() != a) {
			missed++;
			first_bad = a;
		}
	}
	insn_mark();
	c1 = rdtsc();
	n1 = now_ns();

	bench_report("migrate_roundtrip", c1 - c0, n1 - n0, iters);
	if (missed)
		die("%lu of %lu moves did not reach their CPU (last: CPU %d)",
		    missed, 2 * iters, first_bad);
	return 0;
}
