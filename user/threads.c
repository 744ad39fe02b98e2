// SPDX-License-Identifier: GPL-2.0
/*
 * threads: pthreads and futex stress.
 *
 *   threads [NTHREADS=4] [ROUNDS=100] [ITERS=1000] [PINGPONGS=1000]
 *
 * Part 1: NTHREADS threads each add 1 to a shared counter ITERS times per
 * round, under a mutex, then meet at a barrier built from a mutex and a
 * condition variable. After the barrier every thread checks that the
 * counter holds exactly the total of all finished rounds: a lost update
 * (broken mutex) or an early exit from the barrier (broken condvar or
 * futex wake) shows up as a wrong count.
 *
 * Part 2: raw futex checks through syscall(SYS_futex): a wait on a stale
 * value must fail at once with EAGAIN, a timed wait must time out, and two
 * threads pass a turn back and forth PINGPONGS times with FUTEX_WAIT and
 * FUTEX_WAKE only.
 *
 * Part 3: a thread whose timed sleep ends on the core where another thread
 * spins in user mode (no system call that would give the core up) still
 * runs: from its wake on the two take turns, as on Linux.
 *
 * Prints "threads: ok <final count>".
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common.h"

const char *prog = "threads";

#define MAX_THREADS 256

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long counter;		/* protected by lock */
	unsigned int arrived;		/* barrier: threads waiting */
	unsigned long generation;	/* barrier: bumped on each release */
	unsigned int nthreads;
	unsigned long rounds;
	unsigned long iters;
};

static struct shared sh = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

/*
 * The generation number, not the arrival count, decides when a waiter may
 * leave: a thread that wakes spuriously, or only after the next round has
 * begun refilling `arrived`, still sees whether its own round was released.
 */
static void barrier_wait(void)
{
	unsigned long gen;

	pthread_mutex_lock(&sh.lock);
	gen = sh.generation;
	if (++sh.arrived == sh.nthreads) {
		sh.arrived = 0;
		sh.generation++;
		pthread_cond_broadcast(&sh.cond);
	} else {
		while (gen == sh.generation)
			pthread_cond_wait(&sh.cond, &sh.lock);
	}
	pthread_mutex_unlock(&sh.lock);
}

static void *counter_worker(void *arg)
{
	unsigned long id = (unsigned long)arg;
	unsigned long r, i, seen, want;

	for (r = 0; r < sh.rounds; r++) {
		for (i = 0; i < sh.iters; i++) {
			pthread_mutex_lock(&sh.lock);
			sh.counter++;
			pthread_mutex_unlock(&sh.lock);
		}
		barrier_wait();

		pthread_mutex_lock(&sh.lock);
		seen = sh.counter;
		pthread_mutex_unlock(&sh.lock);
		want = (r + 1) * sh.nthreads * sh.iters;
		if (seen != want)
			die("thread %lu round %lu: counter %lu, want %lu", id,
			    r, seen, want);

		/* Nobody may start the next round before all have checked. */
		barrier_wait();
	}
	return NULL;
}

/* Part 2: whose turn it is, 0 (main) or 1 (partner); a futex word. */
static int turn;
static unsigned long pingpongs;

/* Sleep until turn == want; the futex wait only sleeps while it is not. */
static void wait_turn(int want)
{
	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != want) {
		if (futex_wait(&turn, !want, NULL) && errno != EAGAIN &&
		    errno != EINTR)
			die("FUTEX_WAIT failed (errno %d)", errno);
	}
}

static void give_turn(int to)
{
	__atomic_store_n(&turn, to, __ATOMIC_RELEASE);
	if (futex_wake(&turn, 1) < 0)
		die("FUTEX_WAKE failed (errno %d)", errno);
}

static void *pong_worker(void *arg)
{
	unsigned long *done = arg;
	unsigned long i;

	for (i = 0; i < pingpongs; i++) {
		wait_turn(1);
		give_turn(0);
	}
	*done = i;
	return NULL;
}

static void futex_checks(void)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 1000000 };
	int word = 5;
	unsigned long partner_done = 0, i;
	pthread_t t;
	long ret;

	/* The kernel must compare the word first: 5 != 6, so no sleep. */
	ret = futex_wait(&word, 6, NULL);
	if (ret != -1 || errno != EAGAIN)
		die("FUTEX_WAIT on a stale value returned %ld errno %d, want EAGAIN",
		    ret, errno);

	/* Nobody will wake us: the 1 ms relative timeout must end the wait. */
	ret = futex_wait(&word, 5, &ts);
	if (ret != -1 || errno != ETIMEDOUT)
		die("timed FUTEX_WAIT returned %ld errno %d, want ETIMEDOUT",
		    ret, errno);

	ret = futex_wake(&word, 1);
	if (ret != 0)
		die("FUTEX_WAKE with no waiters woke %ld", ret);

	turn = 0;
	if (pthread_create(&t, NULL, pong_worker, &partner_done))
		die("pthread_create for the futex partner failed");
	for (i = 0; i < pingpongs; i++) {
		give_turn(1);
		wait_turn(0);
	}
	if (pthread_join(t, NULL))
		die("pthread_join for the futex partner failed");
	if (partner_done != pingpongs)
		die("futex partner made %lu passes, want %lu", partner_done,
		    pingpongs);
	printf("threads: futex ping-pong %lu ok\n", pingpongs);
}

static int sleeper_done;

static void *sleeper(void *arg)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 5000000 };

	(void)arg;
	nanosleep(&ts, NULL);
	__atomic_store_n(&sleeper_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Part 3: the sleeper and this thread on one core; this one only spins. */
static void sleep_beside_spinner(void)
{
	struct timespec t0, now;
	pthread_t t;
	int cpu;

	allowed_cpus(&cpu, 1);
	pin_self(cpu);		/* the sleeper inherits it */
	if (pthread_create(&t, NULL, sleeper, NULL))
		die("pthread_create for the sleeper failed");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!__atomic_load_n(&sleeper_done, __ATOMIC_ACQUIRE)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 10)
			die("a thread whose 5 ms sleep ended did not run in 10 s beside one "
			    "spinning on its core");
	}
	if (pthread_join(t, NULL))
		die("pthread_join for the sleeper failed");
	printf("threads: sleep beside a spinner ok\n");
}

int main(int argc, char **argv)
{
	pthread_t tids[MAX_THREADS];
	unsigned long i, want;
	int err;

	sh.nthreads = arg_ulong(argc, argv, 1, 4, 1, MAX_THREADS);
	sh.rounds = arg_ulong(argc, argv, 2, 100, 1, 1000000);
	sh.iters = arg_ulong(argc, argv, 3, 1000, 1, 1000000);
	pingpongs = arg_ulong(argc, argv, 4, 1000, 1, 100000000);

	for (i = 0; i < sh.nthreads; i++) {
		err = pthread_create(&tids[i], NULL, counter_worker, (void *)i);
		if (err)
			die("pthread_create %lu failed (error %d)", i, err);
	}
	for (i = 0; i < sh.nthreads; i++) {
		err = pthread_join(tids[i], NULL);
		if (err)
			die("pthread_join %lu failed (error %d)", i, err);
	}
	want = sh.nthreads * sh.rounds * sh.iters;
	if (sh.counter != want)
		die("final counter %lu, want %lu", sh.counter, want);

	futex_checks();
	sleep_beside_spinner();

	printf("threads: ok %lu\n", sh.counter);
	return 0;
}
