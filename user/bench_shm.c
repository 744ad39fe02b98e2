// SPDX-License-Identifier: GPL-2.0
/*
 * bench_shm: ping-pong between two processes on two CPUs through shared
 * memory, as MPI's intra-node transports pass messages.
 *
 *   bench_shm [ROUNDTRIPS=2000]
 *
 * A MAP_SHARED|MAP_ANONYMOUS page, shared over fork, holds a turn word;
 * parent and child are pinned to their own CPU. Two figures:
 *   shm_pingpong        both spin on the word (polling, as MPI does)
 *   shm_futex_pingpong  both sleep on it with process-shared futexes (no
 *                       FUTEX_PRIVATE_FLAG: the kernel keys them by page)
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *prog = "bench_shm";

struct shared {
	int ready;
	int spin_turn;			/* 0: parent's turn, 1: child's */
	int futex_turn;
};

static void spin_until(int *word, int want)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != want)
		__builtin_ia32_pause();
}

static void sleep_until(int *word, int want)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != want) {
		if (futex_wait(word, !want, NULL) && errno != EAGAIN && errno != EINTR)
			die("FUTEX_WAIT failed (errno %d)", errno);
	}
}

static void set_and_wake(int *word, int val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	if (futex_wake(word, 1) < 0)
		die("FUTEX_WAKE failed (errno %d)", errno);
}

static void child(struct shared *s, int cpu, unsigned long iters)
{
	pin_self(cpu);
	set_and_wake(&s->ready, 1);
	for (unsigned long i = 0; i < iters; i++) {
		spin_until(&s->spin_turn, 1);
		__atomic_store_n(&s->spin_turn, 0, __ATOMIC_RELEASE);
	}
	for (unsigned long i = 0; i < iters; i++) {
		sleep_until(&s->futex_turn, 1);
		set_and_wake(&s->futex_turn, 0);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long iters = arg_ulong(argc, argv, 1, 2000, 1, 1ul << 40);
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0);
	uint64_t c0, c1, n0, n1;
	int cpus[2], status;
	pid_t pid;

	if (s == MAP_FAILED)
		die("mmap MAP_SHARED|MAP_ANONYMOUS failed (errno %d)", errno);
	if (allowed_cpus(cpus, 2) < 2)
		die("needs two CPUs");
	printf("bench_shm: processes pinned to CPU %d and CPU %d\n", cpus[0], cpus[1]);
	pin_self(cpus[0]);
	pid = fork();
	if (pid < 0)
		die("fork failed (errno %d)", errno);
	if (!pid)
		child(s, cpus[1], iters);
	sleep_until(&s->ready, 1);

	c0 = rdtsc();
	n0 = now_ns();
	for (unsigned long i = 0; i < iters; i++) {
		__atomic_store_n(&s->spin_turn, 1, __ATOMIC_RELEASE);
		spin_until(&s->spin_turn, 0);
	}
	c1 = rdtsc();
	n1 = now_ns();
	bench_report("shm_pingpong", c1 - c0, n1 - n0, iters);

	c0 = rdtsc();
	n0 = now_ns();
	insn_mark();
	for (unsigned long i = 0; i < iters; i++) {
		set_and_wake(&s->futex_turn, 1);
		sleep_until(&s->futex_turn, 0);
	}
	insn_mark();
	c1 = rdtsc();
	n1 = now_ns();
	bench_report("shm_futex_pingpong", c1 - c0, n1 - n0, iters);

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("the partner process failed (status %#x)", status);
	return 0;
}
