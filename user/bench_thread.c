// SPDX-License-Identifier: GPL-2.0
/*
 * bench_thread: cost of pthread_create + pthread_join of a thread that
 * returns at once: clone, first schedule, exit and the futex wake-up that
 * join waits for.
 *
 *   bench_thread [ITERS=500]
 */
#include <pthread.h>

#include "common.h"

const char *prog = "bench_thread";

static void *echo(void *arg)
{
	return arg;
}

static void create_join(unsigned long i)
{
	pthread_t t;
	void *ret;
	int err;

	err = pthread_create(&t, NULL, echo, (void *)i);
	if (err)
		die("pthread_create %lu failed (error %d)", i, err);
	err = pthread_join(t, &ret);
	if (err)
		die("pthread_join %lu failed (error %d)", i, err);
	/* The value must make the round trip through the thread's exit. */
	if (ret != (void *)i)
		die("thread %lu returned %p", i, ret);
}

int main(int argc, char **argv)
{
	unsigned long iters = arg_ulong(argc, argv, 1, 500, 1, 1ul << 32);
	uint64_t c0, c1, n0, n1;
	unsigned long i;

	/* Warm-up: the first create sets up libc's thread machinery. */
	create_join(0);

	c0 = rdtsc();
	n0 = now_ns();
	for (i = 1; i <= iters; i++)
		create_join(i);
	c1 = rdtsc();
	n1 = now_ns();

	bench_report("pthread_create_join", c1 - c0, n1 - n0, iters);
	return 0;
}
