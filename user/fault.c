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
 *   syscaller  30 times: a child exits while its other thread makes system
 *            calls without end                    -> each child ends, exits 0
 *   oom    map and touch memory until the kernel says no -> exits 0 on ENOMEM
 *   threadstorm  start threads until the kernel says no   -> exits 0 on EAGAIN
 *   exit N exit with status N
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* Ask for 64 MiB at a time, touching every page, until mmap fails. */
static int eat_memory(void)
{
	const size_t chunk = 64UL << 20;
	unsigned long mib = 0;
	char *p;

	for (;;) {
		p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		for (size_t off = 0; off < chunk; off += 4096)
			p[off] = 1;
		mib += chunk >> 20;
	}
	printf("fault: oom: mapped %lu MiB, then mmap said: %s\n", mib, strerror(errno));
	return errno == ENOMEM ? 0 : 1;
}

static pthread_mutex_t never_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

/* Asleep on a futex nobody wakes: the storm costs the kernel threads, not time. */
static void *wait_forever(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&never_lock);
	for (;;)
		pthread_cond_wait(&never, &never_lock);
	return NULL;
}

/* Small stacks, so the kernel's own limit is what stops us, not memory. */
static int start_threads(void)
{
	pthread_attr_t attr;
	pthread_t t;
	unsigned long n = 0;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	while (!(err = pthread_create(&t, &attr, wait_forever, NULL)))
		n++;
	printf("fault: threadstorm: %lu threads, then pthread_create said: %s\n", n,
	       strerror(err));
	fflush(stdout);
	exit(err == EAGAIN || err == ENOMEM ? 0 : 1);
}

static void *call_forever(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_getppid);
	return NULL;
}

/*
 * The kill reaches a thread that only makes system calls (the fast way
 * back to user mode must see it; the IPI may land while it is in the
 * kernel, and no other comes). A child that never ends hangs the job.
 */
static int exit_beside_syscalls(void)
{
	for (int i = 0; i < 30; i++) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return 3;
		if (!pid) {
			pthread_t t;

			if (pthread_create(&t, NULL, call_forever, NULL))
				_exit(3);
			usleep(2000 + 300 * i);
			exit(0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return 4;
	}
	printf("fault: syscaller: 30 children ended\n");
	return 0;
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
	else if (!strcmp(mode, "syscaller"))
		return exit_beside_syscalls();
	else if (!strcmp(mode, "sleeper")) {
		pthread_t t;

		if (pthread_create(&t, NULL, sleep_long, NULL))
			return 3;
		usleep(10000);	/* let it fall asleep first */
		exit(0);
	} else if (!strcmp(mode, "oom"))
		return eat_memory();
	else if (!strcmp(mode, "threadstorm"))
		start_threads();
	else if (!strcmp(mode, "exit") && argc > 2)
		return atoi(argv[2]);
	fprintf(stderr, "fault: FAIL unknown mode '%s' (segv divide ill stack abort protnone "
		"sleeper syscaller oom threadstorm exit N)\n",
		mode);
	return 2;
}
