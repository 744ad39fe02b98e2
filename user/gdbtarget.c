// SPDX-License-Identifier: GPL-2.0
/*
 * gdbtarget [segv]: something to debug with gdb (cove run --gdb PORT),
 * built with debug information. A second thread waits on a barrier while
 * the main thread sets gdbtarget_value to 21 and calls gdbtarget_mark(21)
 * through gdbtarget_outer, which doubles it; then it prints
 *
 *   gdbtarget: value 42 threads 2
 *
 * and exits with status 3. With "segv" it writes through a null pointer
 * in gdbtarget_crash instead; with "spin" it counts in gdbtarget_spins
 * until a debugger sets gdbtarget_stop, then prints
 *
 *   gdbtarget: stopped after spinning
 *
 * and exits with status 0. With "race" two threads call gdbtarget_hit
 * three times each, started together, and it prints
 *
 *   gdbtarget: hits 6
 *
 * (a breakpoint both threads run into stops at every hit, and no hit is
 * lost to another thread's stop) and exits with status 0.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

const char *prog = "gdbtarget";

volatile int gdbtarget_value;
volatile int gdbtarget_stop;
volatile unsigned long gdbtarget_spins;
static pthread_barrier_t gdbtarget_done;
static int gdbtarget_hits;

static void *gdbtarget_waiter(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&gdbtarget_done);
	return NULL;
}

void __attribute__((noinline)) gdbtarget_mark(int n)
{
	gdbtarget_value = n * 2;
	__asm__ volatile("" ::: "memory");
}

void __attribute__((noinline)) gdbtarget_outer(int n)
{
	gdbtarget_mark(n);
	__asm__ volatile("" ::: "memory");	/* not a tail call: outer stays in the trace */
}

void __attribute__((noinline)) gdbtarget_hit(int who)
{
	__atomic_add_fetch(&gdbtarget_hits, 1, __ATOMIC_SEQ_CST);
	__asm__ volatile("" : : "r"(who) : "memory");
}

static void *gdbtarget_racer(void *arg)
{
	pthread_barrier_wait(&gdbtarget_done);
	for (int i = 0; i < 3; i++)
		gdbtarget_hit((int)(long)arg);
	return NULL;
}

static int gdbtarget_race(void)
{
	pthread_t t[2];

	pthread_barrier_init(&gdbtarget_done, NULL, 2);
	for (long i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, gdbtarget_racer, (void *)(i + 1)))
			die("pthread_create");
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%s: hits %d\n", prog, gdbtarget_hits);
	return 0;
}

void __attribute__((noinline)) gdbtarget_crash(void)
{
	*(volatile int *)0 = gdbtarget_value;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc > 1 && !strcmp(argv[1], "segv"))
		gdbtarget_crash();
	if (argc > 1 && !strcmp(argv[1], "race"))
		return gdbtarget_race();
	if (argc > 1 && !strcmp(argv[1], "spin")) {
		while (!gdbtarget_stop)
			gdbtarget_spins++;
		printf("%s: stopped after spinning\n", prog);
		return 0;
	}
	pthread_barrier_init(&gdbtarget_done, NULL, 2);
	if (pthread_create(&t, NULL, gdbtarget_waiter, NULL))
		die("pthread_create");
	gdbtarget_value = 21;
	gdbtarget_outer(gdbtarget_value);
	pthread_barrier_wait(&gdbtarget_done);
	pthread_join(t, NULL);
	printf("%s: value %d threads 2\n", prog, gdbtarget_value);
	return 3;
}
