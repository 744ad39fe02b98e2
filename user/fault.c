// SPDX-License-Identifier: GPL-2.0
/*
 * fault MODE: misbehave on purpose so tests can check that a user fault
 * ends only this job, with the signal Linux would send.
 *   segv   write through a NULL pointer          -> SIGSEGV
 *   divide integer division by zero              -> SIGFPE
 *   ill    an undefined instruction (ud2)        -> SIGILL
 *   stack  unbounded recursion                   -> SIGSEGV (stack overflow)
 *   abort  abort()                               -> SIGABRT
 *   protnone read memory mapped PROT_NONE         -> SIGSEGV
 *   sleeper  exit while another thread sleeps 100 s -> exits 0 at once
 *   exit N exit with status N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <pthread.h>
#include <unistd.h>
#include "common.h"

const char *prog = "fault";
static volatile int zero;
static volatile int one = 1;	/* so gcc cannot fold 1 / x into compares */
static volatile int depth_limit = -1;	/* never reached: keeps gcc from calling it infinite */
static volatile int *volatile null_ptr;

static int recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	if (depth == depth_limit)
		return 0;
	return recurse(depth + 1) + frame[0];
}

static void *sleep_long(void *arg)
{
	(void)arg;
	sleep(100);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	printf("fault: %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "segv"))
		*null_ptr = 1;
	else if (!strcmp(mode, "divide"))
		return one / zero;
	else if (!strcmp(mode, "ill"))
		__asm__ volatile("ud2");
	else if (!strcmp(mode, "stack"))
		return recurse(0);
	else if (!strcmp(mode, "abort"))
		abort();
	else if (!strcmp(mode, "protnone")) {
		volatile char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 3;
		return p[0];
	}
	else if (!strcmp(mode, "sleeper")) {
		pthread_t t;

		if (pthread_create(&t, NULL, sleep_long, NULL))
			return 3;
		usleep(10000);	/* let it fall asleep first */
		exit(0);
	} else if (!strcmp(mode, "exit") && argc > 2)
		return atoi(argv[2]);
	fprintf(stderr, "fault: FAIL unknown mode '%s' (segv divide ill stack abort protnone "
		"exit N)\n",
		mode);
	return 2;
}
