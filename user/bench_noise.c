// SPDX-License-Identifier: GPL-2.0
/*
 * bench_noise: OS noise detection, in the manner of FWQ (fixed work quanta).
 *
 *   bench_noise [QUANTA=800] [LOOPS=10000]
 *
 * The same fixed quantum of pure arithmetic (LOOPS dependent steps, no
 * memory traffic, no syscalls) is timed QUANTA times with the TSC. On a
 * quiet CPU every quantum takes about the minimum; a quantum that took
 * much longer was interrupted (timer tick, IPI, daemon). Reports
 * min/median/max cycles per quantum and how many quanta exceeded 1.5x the
 * minimum: the figure an LWK aims to hold at zero.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

const char *prog = "bench_noise";

static volatile uint64_t sink;

/*
 * One quantum: a chain of dependent multiply-adds. The empty asm makes x
 * opaque to the compiler each step, so the loop cannot be folded or cut
 * short, and its length stays fixed.
 */
static uint64_t quantum(uint64_t x, unsigned long loops)
{
	unsigned long i;

	for (i = 0; i < loops; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		__asm__ __volatile__("" : "+r"(x));
	}
	return x;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned long nq = arg_ulong(argc, argv, 1, 800, 1, 100000000);
	unsigned long loops = arg_ulong(argc, argv, 2, 10000, 1, 1ul << 40);
	uint64_t *cyc, t, c0, c1, n0, n1, x = 1;
	unsigned long i, slow = 0;

	cyc = malloc(nq * sizeof(*cyc));
	if (!cyc)
		die("cannot allocate %lu samples", nq);

	/* Warm-up quantum, not recorded: faults in code and the sample array. */
	x = quantum(x, loops);
	for (i = 0; i < nq; i++)
		cyc[i] = 0;

	c0 = rdtsc();
	n0 = now_ns();
	for (i = 0; i < nq; i++) {
		t = rdtsc();
		x = quantum(x, loops);
		cyc[i] = rdtsc() - t;
	}
	c1 = rdtsc();
	n1 = now_ns();
	sink = x;

	qsort(cyc, nq, sizeof(*cyc), cmp_u64);
	/* slower than 1.5x the fastest, in integers: 2*c > 3*min */
	for (i = 0; i < nq; i++)
		if (2 * cyc[i] > 3 * cyc[0])
			slow++;

	bench_report("noise", c1 - c0, n1 - n0, nq);
	printf("bench: noise_quantum loops=%lu min=%llu median=%llu max=%llu slow=%lu of %lu (>1.5x min)\n",
	       loops, (unsigned long long)cyc[0],
	       (unsigned long long)cyc[nq / 2],
	       (unsigned long long)cyc[nq - 1], slow, nq);
	free(cyc);
	return 0;
}
