// SPDX-License-Identifier: GPL-2.0
/*
 * omp_reduce: an OpenMP parallel-for reduction over 1..N, checked against
 * closed forms.
 *
 *   omp_reduce [N=1000000]
 *
 * The integer sums (of i and of i*i, modulo 2^64) must match exactly. The
 * double sum of i must match too: every partial sum is an integer below
 * 2^53, so it is exact in any order, and thread count cannot change it.
 * Also checks that the team really had omp_get_max_threads() threads, the
 * sign that the kernel let libgomp create them all.
 *
 * glibc build only: musl has no OpenMP runtime.
 * Prints "omp_reduce: threads=T sum=S ok".
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"

const char *prog = "omp_reduce";

int main(int argc, char **argv)
{
	/* N(N+1)/2 must stay below 2^53 for the double sum to be exact. */
	unsigned long n = arg_ulong(argc, argv, 1, 1000000, 1, 100000000);
	int max = omp_get_max_threads();
	uint64_t isum = 0, isq = 0, want_sum, want_sq;
	unsigned __int128 wide;
	double dsum = 0.0;
	int team = 0;
	unsigned long i;

#pragma omp parallel
	{
#pragma omp single
		team = omp_get_num_threads();

#pragma omp for schedule(static) reduction(+ : isum, isq, dsum)
		for (i = 1; i <= n; i++) {
			isum += i;
			isq += (uint64_t)i * i;
			dsum += (double)i;
		}
	}

	want_sum = (uint64_t)n * (n + 1) / 2;
	/* 128-bit so the division is exact; the loop's sum wraps mod 2^64. */
	wide = (unsigned __int128)n * (n + 1) * (2 * n + 1) / 6;
	want_sq = (uint64_t)wide;

	if (!omp_get_dynamic() && team != max)
		die("team of %d threads, omp_get_max_threads() is %d", team,
		    max);
	if (isum != want_sum)
		die("sum %llu, want %llu", (unsigned long long)isum,
		    (unsigned long long)want_sum);
	if (isq != want_sq)
		die("sum of squares %llu, want %llu", (unsigned long long)isq,
		    (unsigned long long)want_sq);
	if (dsum != (double)want_sum)
		die("double sum %.1f, want %llu", dsum,
		    (unsigned long long)want_sum);

	printf("omp_reduce: threads=%d sum=%llu ok\n", max,
	       (unsigned long long)isum);
	return 0;
}
