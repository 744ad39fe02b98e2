// SPDX-License-Identifier: GPL-2.0
/*
 * cputime [SPIN_MS=300]: CPU-time accounting against what a program knows
 * it did. Each check prints one "cputime: NAME ok" line or fails.
 * cputime --spin MS: only spin in user mode for MS ms of wall time and say
 * how long it took ("cputime: rank R spun NS ns", R from COVE_RANK), for a
 * check of what the host reports the job used (`cove status --json`).
 * cputime --counts N: N writes to a file in the working directory (in an
 * enclave: offloaded calls), N moves between its first two CPUs (when it
 * has two), then a child making N writes more, collected; for a check of
 * the counts `cove run --perf` shows against a run with N = 0.
 *
 *   spin      a thread spinning SPIN_MS of wall time: its thread CPU clock
 *             and ru_utime (RUSAGE_THREAD) moved by that wall time within
 *             10%, and never by more than the wall time (+1 ms)
 *   sleep     a thread asleep 100 ms accrued under 5 ms, read by the main
 *             thread through its clock id (pthread_getcpuclockid)
 *   syscalls  a thread making system calls for SPIN_MS accrued system time,
 *             and its user + system time is that wall time within 10%
 *   process   CLOCK_PROCESS_CPUTIME_ID and RUSAGE_SELF cover both the
 *             above (>= their sum - 1%) and stay under the process's wall
 *             time (the sleeper adds nothing)
 *   times     times() lies between getrusage's before and after (a tick either side)
 *   procstat  /proc/self/stat utime and stime lie between getrusage's before
 *             and after reading it (a tick either side)
 *   maxrss    after touching 32 MiB, ru_maxrss >= 32 MiB
 *   children  a child spinning SPIN_MS: wait4's rusage, RUSAGE_CHILDREN and
 *             times' cutime show its user time within 10%
 *   monotonic a thread making system calls, yielding and sleeping 20 us in
 *             turn, for SPIN_MS / 3: the main thread reads its CPU clock
 *             without end meanwhile, and each read is no lower than the last
 *   hostwait  (first, only when stdin is a pipe that stays empty for a while)
 *             a read that waits 200 ms or more for the pipe's writer accrues
 *             under 10% of that wait: in an enclave the pipe is the host's,
 *             and the thread must sleep, not spin, until the host answers
 * The tolerances are loose only for the tick of Linux's own accounting and
 * an emulator's pauses; Cove's figures are cycle counts.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *prog = "cputime";

static unsigned long spin_ms;

static long long clock_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		die("clock_gettime(%d): %s", (int)c, strerror(errno));
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_ns(const struct timeval *tv)
{
	return tv->tv_sec * 1000000000LL + tv->tv_usec * 1000LL;
}

static void within(const char *what, long long got, long long want, int pct)
{
	long long slack = want / 100 * pct;

	if (got < want - slack || got > want + slack)
		die("%s: %lld ns, expected %lld ns within %d%%", what, got, want, pct);
}

/* Spin in user mode for about ms of wall time; returns the wall ns it took. */
static long long spin_user(unsigned long ms)
{
	long long t0 = clock_ns(CLOCK_MONOTONIC), t;

	do {
		for (volatile int i = 0; i < 10000; i++)
			;
		t = clock_ns(CLOCK_MONOTONIC);
	} while (t - t0 < (long long)ms * 1000000LL);
	return t - t0;
}

static void check_spin(void)
{
	/* The wall interval w0..w1 encloses the CPU clock's c0..c1: never less. */
	long long w0 = clock_ns(CLOCK_MONOTONIC), c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	long long c1, w1, wall;
	struct rusage r0, r1;

	if (getrusage(RUSAGE_THREAD, &r0))
		die("getrusage(RUSAGE_THREAD): %s", strerror(errno));
	wall = spin_user(spin_ms);
	c1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w1 = clock_ns(CLOCK_MONOTONIC);
	if (getrusage(RUSAGE_THREAD, &r1))
		die("getrusage(RUSAGE_THREAD): %s", strerror(errno));
	within("spin: thread CPU clock", c1 - c0, wall, 10);
	if (c1 - c0 > w1 - w0 + 1000000)
		die("spin: thread CPU clock %lld ns > wall %lld ns", c1 - c0, w1 - w0);
	within("spin: ru_utime", tv_ns(&r1.ru_utime) - tv_ns(&r0.ru_utime), wall, 10);
	printf("%s: spin ok\n", prog);
}

struct sleeper {
	pthread_barrier_t started, measured;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	struct timespec ts = { 0, 100 * 1000000L };

	pthread_barrier_wait(&s->started);
	nanosleep(&ts, NULL);
	pthread_barrier_wait(&s->measured);
	return NULL;
}

static void check_hostwait(void)
{
	struct stat st;
	long long w0, w1, c0, c1;
	char c;

	if (fstat(0, &st) || !S_ISFIFO(st.st_mode))
		return;
	w0 = clock_ns(CLOCK_MONOTONIC);
	c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	if (read(0, &c, 1) != 1)
		die("hostwait: nothing came through stdin");
	c1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w1 = clock_ns(CLOCK_MONOTONIC);
	if (w1 - w0 < 200000000LL)
		die("hostwait: the pipe had data after %lld ns: nothing to measure", w1 - w0);
	if ((c1 - c0) * 10 > w1 - w0)
		die("hostwait: waiting %lld ns for a read cost %lld ns of CPU", w1 - w0, c1 - c0);
	printf("%s: hostwait ok\n", prog);
}

static void check_sleep(void)
{
	struct sleeper s;
	clockid_t cid;
	pthread_t th;
	long long c0, c1;

	pthread_barrier_init(&s.started, NULL, 2);
	pthread_barrier_init(&s.measured, NULL, 2);
	if (pthread_create(&th, NULL, sleeper_main, &s))
		die("pthread_create");
	if (pthread_getcpuclockid(th, &cid))
		die("pthread_getcpuclockid");
	pthread_barrier_wait(&s.started);
	c0 = clock_ns(cid);
	/* Wait without spinning: the main thread's own sleep. */
	{
		struct timespec ts = { 0, 150 * 1000000L };

		nanosleep(&ts, NULL);
	}
	c1 = clock_ns(cid);
	pthread_barrier_wait(&s.measured);
	pthread_join(th, NULL);
	if (c1 - c0 > 5000000)
		die("sleep: a sleeping thread accrued %lld ns", c1 - c0);
	if (c1 < c0)
		die("sleep: its clock went back");
	printf("%s: sleep ok\n", prog);
}

static void *churner_main(void *arg)
{
	int *stop = arg;
	struct timespec ts = { 0, 20000 };

	while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
		for (int i = 0; i < 20; i++)
			syscall(SYS_getppid);
		sched_yield();
		nanosleep(&ts, NULL);
		for (volatile int i = 0; i < 2000; i++)
			;
	}
	return NULL;
}

/*
 * Another thread's CPU clock, read while that thread crosses into the
 * kernel and out, and on and off its CPU, as often as it can be: a read
 * in the middle of one of those must not count a stretch twice.
 */
static void check_monotonic(void)
{
	long long t0 = clock_ns(CLOCK_MONOTONIC), first, prev, now, reads = 0;
	int stop = 0;
	clockid_t cid;
	pthread_t th;

	if (pthread_create(&th, NULL, churner_main, &stop))
		die("pthread_create");
	if (pthread_getcpuclockid(th, &cid))
		die("pthread_getcpuclockid");
	first = prev = clock_ns(cid);
	do {
		now = clock_ns(cid);
		if (now < prev)
			die("monotonic: a busy thread's CPU clock went back %lld ns at read %lld",
			    prev - now, reads);
		prev = now;
	} while (++reads % 64 || clock_ns(CLOCK_MONOTONIC) - t0 < (long long)spin_ms * 333333LL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	if (prev == first)
		die("monotonic: the thread's CPU clock stood still over %lld reads", reads);
	printf("%s: monotonic ok\n", prog);
}

static void check_syscalls(void)
{
	long long t0 = clock_ns(CLOCK_MONOTONIC), t, wall;
	struct rusage r0, r1;

	getrusage(RUSAGE_THREAD, &r0);
	do {
		for (int i = 0; i < 100; i++)
			syscall(SYS_getppid);
		t = clock_ns(CLOCK_MONOTONIC);
	} while (t - t0 < (long long)spin_ms * 1000000LL);
	getrusage(RUSAGE_THREAD, &r1);
	wall = t - t0;
	if (tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_stime) < wall / 100)
		die("syscalls: system time %lld ns for %lld ns of system calls",
		    tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_stime), wall);
	within("syscalls: user + system", tv_ns(&r1.ru_utime) - tv_ns(&r0.ru_utime) +
	       tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_stime), wall, 10);
	printf("%s: syscalls ok\n", prog);
}

/* N writes to a file in the working directory, one system call each. */
static void counts_write(const char *name, unsigned long n)
{
	FILE *f = fopen(name, "w");

	if (!f)
		die("counts: %s: %s", name, strerror(errno));
	for (unsigned long i = 0; i < n; i++)
		if (pwrite(fileno(f), &i, 1, (off_t)i) != 1)
			die("counts: pwrite: %s", strerror(errno));
	fclose(f);
	unlink(name);
}

static int counts_run(unsigned long n)
{
	unsigned long mask, cpu[2], nr = 0, one;
	int status;
	pid_t pid;

	if (syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask) < 0)
		die("counts: sched_getaffinity: %s", strerror(errno));
	for (unsigned long c = 0; c < 64 && nr < 2; c++)
		if (mask & (1UL << c))
			cpu[nr++] = c;
	counts_write("cputime.counts", n);
	for (unsigned long i = 0; nr == 2 && i < n; i++) {
		one = 1UL << cpu[i % 2 ? 0 : 1];
		if (syscall(SYS_sched_setaffinity, 0, sizeof(one), &one))
			die("counts: sched_setaffinity: %s", strerror(errno));
	}
	pid = fork();
	if (pid < 0)
		die("counts: fork: %s", strerror(errno));
	if (!pid) {
		counts_write("cputime.counts.child", n);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || status)
		die("counts: the child ended with %#x", status);
	printf("%s: counted %lu writes, %lu moves, %lu child writes\n", prog, n,
	       nr == 2 ? n : 0, n);
	return 0;
}

int main(int argc, char **argv)
{
	long long start = clock_ns(CLOCK_MONOTONIC), p0, p1, wall;
	long ticks = sysconf(_SC_CLK_TCK);
	struct rusage ru, rc;
	struct tms tm;
	int fds[2], status;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "--spin")) {
		const char *rank = getenv("COVE_RANK");

		spin_ms = arg_ulong(argc, argv, 2, 300, 50, 100000);
		printf("%s: rank %s spun %lld ns\n", prog, rank ? rank : "-", spin_user(spin_ms));
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--counts"))
		return counts_run(arg_ulong(argc, argv, 2, 100, 0, 1000000));
	spin_ms = arg_ulong(argc, argv, 1, 300, 50, 100000);
	check_hostwait();
	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	check_spin();
	check_sleep();
	check_syscalls();

	p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage: %s", strerror(errno));
	wall = clock_ns(CLOCK_MONOTONIC) - start;
	if (p1 - p0 < 2 * (long long)spin_ms * 1000000LL / 100 * 99)
		die("process: CPU clock moved %lld ns for 2 x %lu ms of work", p1 - p0, spin_ms);
	if (p1 > wall + 20000000LL)
		die("process: CPU clock %lld ns > wall %lld ns", p1, wall);
	if (tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime) > wall + 20000000LL ||
	    tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime) < 2 * (long long)spin_ms * 990000LL)
		die("process: rusage %lld + %lld ns against wall %lld ns", tv_ns(&ru.ru_utime),
		    tv_ns(&ru.ru_stime), wall);
	printf("%s: process ok\n", prog);

	getrusage(RUSAGE_SELF, &rc);
	if (times(&tm) == (clock_t)-1)
		die("times: %s", strerror(errno));
	getrusage(RUSAGE_SELF, &ru);
	/* Between the getrusage before and after, a tick either side for rounding. */
	if ((long)tm.tms_utime < (long)(tv_ns(&rc.ru_utime) * ticks / 1000000000LL) - 1 ||
	    (long)tm.tms_utime > (long)(tv_ns(&ru.ru_utime) * ticks / 1000000000LL) + 1 ||
	    (long)tm.tms_stime < (long)(tv_ns(&rc.ru_stime) * ticks / 1000000000LL) - 1 ||
	    (long)tm.tms_stime > (long)(tv_ns(&ru.ru_stime) * ticks / 1000000000LL) + 1)
		die("times: %ld + %ld ticks, rusage %lld + %lld ns", (long)tm.tms_utime,
		    (long)tm.tms_stime, tv_ns(&ru.ru_utime), tv_ns(&ru.ru_stime));
	printf("%s: times ok\n", prog);

	{
		char buf[1024], *p;
		unsigned long ut, st;
		struct rusage before;
		FILE *f;

		getrusage(RUSAGE_SELF, &before);
		f = fopen("/proc/self/stat", "r");
		if (!f || !fgets(buf, sizeof(buf), f))
			die("/proc/self/stat: %s", strerror(errno));
		fclose(f);
		getrusage(RUSAGE_SELF, &ru);
		p = strrchr(buf, ')');
		/* After "pid (comm)": state is field 3, utime 14, stime 15. */
		if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
				 &ut, &st) != 2)
			die("/proc/self/stat: cannot read utime and stime");
		/* Read between the two: within them, a tick either side for rounding. */
		if ((long)ut < (long)(tv_ns(&before.ru_utime) * ticks / 1000000000LL) - 1 ||
		    (long)ut > (long)(tv_ns(&ru.ru_utime) * ticks / 1000000000LL) + 1 ||
		    (long)st < (long)(tv_ns(&before.ru_stime) * ticks / 1000000000LL) - 1 ||
		    (long)st > (long)(tv_ns(&ru.ru_stime) * ticks / 1000000000LL) + 1)
			die("procstat: %lu + %lu ticks, rusage %lld + %lld ns", ut, st,
			    tv_ns(&ru.ru_utime), tv_ns(&ru.ru_stime));
		printf("%s: procstat ok\n", prog);
	}

	{
		size_t len = 32UL << 20;
		char *m = malloc(len);

		if (!m)
			die("malloc 32 MiB");
		memset(m, 1, len);
		getrusage(RUSAGE_SELF, &ru);
		if (ru.ru_maxrss < 32 * 1024)
			die("maxrss: %ld KiB after touching 32 MiB", ru.ru_maxrss);
		free(m);
		printf("%s: maxrss ok\n", prog);
	}

	if (pipe(fds))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		long long w = spin_user(spin_ms);

		if (write(fds[1], &w, sizeof(w)) != sizeof(w))
			_exit(2);
		_exit(0);
	}
	{
		long long child_wall;

		close(fds[1]);
		if (read(fds[0], &child_wall, sizeof(child_wall)) != sizeof(child_wall))
			die("children: no word from the child");
		if (wait4(pid, &status, 0, &rc) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("children: wait4");
		within("children: wait4's ru_utime", tv_ns(&rc.ru_utime), child_wall, 10);
		getrusage(RUSAGE_CHILDREN, &ru);
		within("children: RUSAGE_CHILDREN ru_utime", tv_ns(&ru.ru_utime), child_wall, 10);
		times(&tm);
		within("children: times' cutime", (long long)tm.tms_cutime * 1000000000LL / ticks,
		       child_wall, 10);
		printf("%s: children ok\n", prog);
	}
	check_monotonic();
	printf("%s: ok\n", prog);
	return 0;
}
