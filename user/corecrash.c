// SPDX-License-Identifier: GPL-2.0
/*
 * corecrash segv|abort|nocore [DIR]: die by a signal that dumps core, with
 * a second thread asleep and a known value in memory, for a core file to be
 * checked (corecheck, gdb). segv dies with known values in xmm0 and, with
 * AVX, ymm1 (corefpu.h), its second thread spinning in user mode with one
 * in xmm2. nocore sets RLIMIT_CORE to 0 first. DIR: change into it first
 * (where the core goes).
 *
 *   corecrash: magic at ADDR
 *   corecrash: ymm1 set (AVX) | ymm1 not set (no AVX)
 */
#include <cpuid.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common.h"
#include "corefpu.h"

const char *prog = "corecrash";

/*
 * "CoveCore", made at run time from its reverse, so those bytes are in
 * the process's written data and nowhere in its program file.
 */
volatile char corecrash_magic[8];
static pthread_barrier_t started;
static volatile int spinning;

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	for (;;)
		pause();
	return NULL;
}

/*
 * Never in the kernel by itself: its registers in the core are the ones
 * the kernel saved when it stopped the thread for the dump.
 */
static void *spinner(void *arg)
{
	static const double xmm2 = COREFPU_XMM2_OTHER;

	(void)arg;
	pthread_barrier_wait(&started);
	__asm__ volatile("movsd %1, %%xmm2\n\tmovl $1, %0\n1:\tpause\n\tjmp 1b"
			 : "=m"(spinning) : "m"(xmm2) : "xmm2", "memory");
	return NULL;
}

static const double fpu_xmm0 = COREFPU_XMM0;
static const float fpu_ymm1[8] = COREFPU_YMM1;

/* AVX in the CPU, and the kernel saves its state (XCR0 has SSE and AVX). */
static int corecrash_has_avx(void)
{
	unsigned int a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_AVX) || !(c & bit_OSXSAVE))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	return (lo & 6) == 6;
}

static void __attribute__((noinline)) corecrash_inner(const char *how, int avx)
{
	if (!strcmp(how, "abort"))
		abort();
	/* Loaded and the store at address 0 in one asm: nothing in between touches them. */
	if (avx)
		__asm__ volatile("movsd %0, %%xmm0\n\tvmovups %1, %%ymm1\n\tmovl $1, (%2)"
				 : : "m"(fpu_xmm0), "m"(fpu_ymm1), "r"(0L)
				 : "xmm0", "xmm1", "memory");
	else
		__asm__ volatile("movsd %0, %%xmm0\n\tmovl $1, (%1)"
				 : : "m"(fpu_xmm0), "r"(0L) : "xmm0", "memory");
}

static void __attribute__((noinline)) corecrash_outer(const char *how, int avx)
{
	corecrash_inner(how, avx);
	__asm__ volatile("" ::: "memory");	/* not a tail call: outer stays in the trace */
}

int main(int argc, char **argv)
{
	pthread_t th;
	int avx = corecrash_has_avx();

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
	if (pthread_create(&th, NULL, strcmp(argv[1], "segv") ? sleeper : spinner, NULL))
		die("pthread_create");
	pthread_barrier_wait(&started);
	while (!strcmp(argv[1], "segv") && !spinning)
		sched_yield();
	printf("%s: magic at %p\n", prog, (void *)corecrash_magic);
	printf("%s: ymm1 %s\n", prog, avx ? "set (AVX)" : "not set (no AVX)");
	fflush(stdout);
	corecrash_outer(argv[1], avx);
	return 0;
}
