// SPDX-License-Identifier: GPL-2.0
/*
 * bench_futex: futex ping-pong between two threads on two CPUs.
 *
 *   bench_futex [ROUNDTRIPS=2000]
 *
 * The threads pass a turn word back and forth with raw FUTEX_WAIT and
 * FUTEX_WAKE, each pinned to its own CPU, so one round trip is two
 * cross-CPU wake-ups (IPI, wake, schedule). With one CPU both threads are
 * pinned to it and the figure is two local context switches instead; the
 * program says so.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "common.h"

const char *prog = "bench_futex";

static int turn;	/* 0: main's turn, 1: partner's; the futex word */
static int ready;	/* set by the partner once pinned */
static int cpu_a, cpu_b;
static unsigned long iters;

/* Sleep until *word == want; values are only ever 0 and 1. */
static void wait_for(int *word, int want)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != want) {
		if (futex_wait(word, !want, NULL) && errno != EAGAIN &&
		    errno != EINTR)
			die("FUTEX_WAIT failed (errno %d)", errno);
	}
}

static void set_and_wake(int *word, int val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	if (futex_wake(word, 1) < 0)
		die("FUTEX_WAKE failed (errno %d)", errno);
}

static void check_on(int cpu, const char *who)
{
	int on = current_cpu();

	if (on != cpu)
		printf("bench_futex: warning: %s pinned to CPU %d runs on CPU %d\n",
		       who, cpu, on);
}

static void *partner(void *arg)
{
	unsigned long i;

	(void)arg;
	pin_self(cpu_b);
	check_on(cpu_b, "partner");
	set_and_wake(&ready, 1);
	for (i = 0; i < iters; i++) {
		wait_for(&turn, 1);
		set_and_wake(&turn, 0);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t c0, c1, n0, n1;
	unsigned long i;
	int cpus[2], ncpu, err;
	pthread_t t;

	iters = arg_ulong(argc, argv, 1, 2000, 1, 1ul << 40);
	ncpu = allowed_cpus(cpus, 2);
	cpu_a = cpus[0];
	cpu_b = ncpu > 1 ? cpus[1] : cpus[0];
	if (ncpu == 1)
		printf("bench_futex: only one CPU, both threads pinned to CPU %d\n",
		       cpu_a);
	else
		printf("bench_futex: threads pinned to CPU %d and CPU %d\n",
		       cpu_a, cpu_b);

	pin_self(cpu_a);
	check_on(cpu_a, "main");
	err = pthread_create(&t, NULL, partner, NULL);
	if (err)
		die("pthread_create failed (error %d)", err);
	/* Time only the ping-pong, not the partner's start-up. */
	wait_for(&ready, 1);

	c0 = rdtsc();
	n0 = now_ns();
	insn_mark();
	for (i = 0; i < iters; i++) {
		set_and_wake(&turn, 1);
		wait_for(&turn, 0);
	}
	insn_mark();
	c1 = rdtsc();
	n1 = now_ns();

	err = pthread_join(t, NULL);
	if (err)
		die("pthread_join failed (error %d)", err);
	bench_report("futex_pingpong", c1 - c0, n1 - n0, iters);
	return 0;
}
