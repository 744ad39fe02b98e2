// SPDX-License-Identifier: GPL-2.0
/*
 * stream: memory bandwidth kernels in the manner of McCalpin's STREAM
 * (copy, scale, add, triad), written for Cove's test suite.
 *
 *   stream [N=2097152 doubles per array] [NTIMES=2]
 *
 * OpenMP-parallel (static schedule) in the glibc build, serial in the musl
 * build, which has no OpenMP runtime. Each pass runs
 *	copy:  c = a
 *	scale: b = s*c
 *	add:   c = a + b
 *	triad: a = b + s*c
 * The result is checked exactly: the arrays start from one of 16 values
 * chosen by j % 16, and one serial replay of the same operations per value
 * predicts every element bit for bit (IEEE arithmetic is deterministic and
 * each element sees the same operations in the same order). A skipped or
 * misplaced element therefore fails, whatever the thread count.
 *
 * Prints "stream: n=N ntimes=K", "stream: ok", and per kernel a line
 *	bench: stream_KERNEL threads=T bytes=B cycles=C ns=N
 * with the bytes one pass of that kernel moves and the best pass's time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

#ifdef _OPENMP
#include <omp.h>
#define OMP_FOR _Pragma("omp parallel for schedule(static)")
#else
#define OMP_FOR
#endif

const char *prog = "stream";

#define SCALAR 3.0
#define NCLASS 16
#define NKERNELS 4

static const char *const kernel_name[NKERNELS] = {
	"copy", "scale", "add", "triad"
};
/* Arrays each kernel reads plus writes, as STREAM counts them. */
static const unsigned int kernel_arrays[NKERNELS] = { 2, 2, 3, 3 };

static double *alloc_array(size_t n)
{
	void *p;

	if (posix_memalign(&p, 64, n * sizeof(double)))
		die("cannot allocate %zu doubles", n);
	return p;
}

static double init_a(size_t j)
{
	return 1.0 + (double)(j % NCLASS);
}

int main(int argc, char **argv)
{
	size_t n = arg_ulong(argc, argv, 1, 2u << 20, 1, 1ul << 30);
	unsigned long ntimes = arg_ulong(argc, argv, 2, 2, 1, 1000);
	uint64_t best_cyc[NKERNELS], best_ns[NKERNELS];
	double ea[NCLASS], eb[NCLASS], ec[NCLASS];
	double *a, *b, *c;
	unsigned long t;
	int threads = 1;
	size_t j;
	int k;

#ifdef _OPENMP
	threads = omp_get_max_threads();
#endif
	a = alloc_array(n);
	b = alloc_array(n);
	c = alloc_array(n);

	/* Parallel first touch: each thread's pages are its own, as in STREAM. */
	OMP_FOR
	for (j = 0; j < n; j++) {
		a[j] = init_a(j);
		b[j] = 2.0;
		c[j] = 0.0;
	}

	for (k = 0; k < NKERNELS; k++)
		best_cyc[k] = best_ns[k] = UINT64_MAX;

	for (t = 0; t < ntimes; t++) {
		uint64_t c0[NKERNELS + 1], n0[NKERNELS + 1];

		c0[0] = rdtsc();
		n0[0] = now_ns();
		OMP_FOR
		for (j = 0; j < n; j++)
			c[j] = a[j];
		c0[1] = rdtsc();
		n0[1] = now_ns();
		OMP_FOR
		for (j = 0; j < n; j++)
			b[j] = SCALAR * c[j];
		c0[2] = rdtsc();
		n0[2] = now_ns();
		OMP_FOR
		for (j = 0; j < n; j++)
			c[j] = a[j] + b[j];
		c0[3] = rdtsc();
		n0[3] = now_ns();
		OMP_FOR
		for (j = 0; j < n; j++)
			a[j] = b[j] + SCALAR * c[j];
		c0[4] = rdtsc();
		n0[4] = now_ns();

		for (k = 0; k < NKERNELS; k++) {
			if (c0[k + 1] - c0[k] < best_cyc[k])
				best_cyc[k] = c0[k + 1] - c0[k];
			if (n0[k + 1] - n0[k] < best_ns[k])
				best_ns[k] = n0[k + 1] - n0[k];
		}
	}

	/* Replay the passes once per starting value. */
	for (k = 0; k < NCLASS; k++) {
		ea[k] = init_a(k);
		eb[k] = 2.0;
		ec[k] = 0.0;
		for (t = 0; t < ntimes; t++) {
			ec[k] = ea[k];
			eb[k] = SCALAR * ec[k];
			ec[k] = ea[k] + eb[k];
			ea[k] = eb[k] + SCALAR * ec[k];
		}
	}
	for (j = 0; j < n; j++) {
		k = j % NCLASS;
		if (a[j] != ea[k] || b[j] != eb[k] || c[j] != ec[k])
			die("element %zu: a=%g b=%g c=%g, want %g %g %g", j,
			    a[j], b[j], c[j], ea[k], eb[k], ec[k]);
	}

	printf("stream: n=%zu ntimes=%lu\n", n, ntimes);
	for (k = 0; k < NKERNELS; k++)
		printf("bench: stream_%s threads=%d bytes=%llu cycles=%llu ns=%llu\n",
		       kernel_name[k], threads,
		       (unsigned long long)(kernel_arrays[k] * n * sizeof(double)),
		       (unsigned long long)best_cyc[k],
		       (unsigned long long)best_ns[k]);
	printf("stream: ok\n");
	free(a);
	free(b);
	free(c);
	return 0;
}
