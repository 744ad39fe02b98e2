// SPDX-License-Identifier: GPL-2.0
/*
 * corecrash segv|abort|nocore [DIR]: die by a signal that dumps core, with
 * a second thread asleep and a known value in memory, for a core file to be
 * checked (corecheck, gdb). nocore sets RLIMIT_CORE to 0 first. DIR: change
 * into it first (where the core goes).
 *
 *   corecrash: magic at ADDR
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common.h"

const char *prog = "corecrash";

/*
 * "CoveCore", made at run time from its reverse, so those bytes are in
 * the process's written data and nowhere in its program file.
 */
volatile char corecrash_magic[8];
static pthread_barrier_t started;

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	for (;;)
		pause();
	return NULL;
}

static void __attribute__((noinline)) corecrash_inner(const char *how)
{
	if (!strcmp(how, "abort"))
		abort();
	*(volatile int *)0 = 1;
}

static void __attribute__((noinline)) corecrash_outer(const char *how)
{
	corecrash_inner(how);
	__asm__ volatile("" ::: "memory");	/* not a tail call: outer stays in the trace */
}

int main(int argc, char **argv)
{
	pthread_t th;

	if (argc < 2 || (strcmp(argv[1], "segv") && strcmp(argv[1], "abort") &&
			 strcmp(argv[1], "nocore")))
		die("usage: corecrash segv|abort|nocore [DIR]");
	if (argc > 2 && chdir(argv[2]))
		die("chdir %s", argv[2]);
	if (!strcmp(argv[1], "nocore")) {
		struct rlimit rl = { 0, RLIM_INFINITY };

		if (setrlimit(RLIMIT_CORE, &rl))
			die("setrlimit");
		getrlimit(RLIMIT_CORE, &rl);
		if (rl.rlim_cur != 0)
			die("RLIMIT_CORE reads %lu after setting 0", (unsigned long)rl.rlim_cur);
	}
	{
		static volatile const char rev[] = "eroCevoC";

		for (int i = 0; i < 8; i++)
			corecrash_magic[i] = rev[7 - i];
	}
	pthread_barrier_init(&started, NULL, 2);
	if (pthread_create(&th, NULL, sleeper, NULL))
		die("pthread_create");
	pthread_barrier_wait(&started);
	printf("%s: magic at %p\n", prog, (void *)corecrash_magic);
	fflush(stdout);
	corecrash_outer(argv[1]);
	return 0;
}
