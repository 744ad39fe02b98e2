// SPDX-License-Identifier: GPL-2.0
/*
 * perftest: perf_event_open's counting, as a self-monitoring program uses
 * it, run the same on Linux (in the same emulated machine, which has no
 * PMU) and on Cove; every line it prints must be the same.
 *
 *   hardware   a hardware event (instructions) is refused, with its errno
 *   clock      task-clock, disabled at open, enabled around 200 ms of work:
 *              the count is the thread's CPU time over it (within 10%),
 *              time enabled and running equal it, the id matches the ioctl's
 *   disable    a disabled counter stays put while the thread works on
 *   reset      RESET zeroes the count
 *   switches   ten 2 ms sleeps switch at least once, and no more often than
 *              getrusage counts around them
 *   migrations (two CPUs or more) five moves there and back are ten
 *   errors     unknown read_format bits EINVAL, a short read buffer ENOSPC,
 *              an unknown ioctl ENOTTY
 * Last line: "perftest: ok N checks".
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *prog = "perftest";

/*
 * Linux's struct perf_event_attr as its first version (64 bytes, size 64:
 * the kernel reads no further) and the constants used here, written out
 * since musl ships no kernel headers.
 */
struct perf_attr {
	uint32_t type, size;
	uint64_t config, sample_period, sample_type, read_format;
	uint64_t flags;			/* bit 0: disabled */
	uint32_t wakeup_events, bp_type;
	uint64_t config1;
};
#define PERF_TYPE_HARDWARE		0
#define PERF_TYPE_SOFTWARE		1
#define PERF_COUNT_HW_INSTRUCTIONS	1
#define PERF_COUNT_SW_TASK_CLOCK	1
#define PERF_COUNT_SW_CONTEXT_SWITCHES	3
#define PERF_COUNT_SW_CPU_MIGRATIONS	4
#define PERF_FORMAT_TOTAL_TIME_ENABLED	1
#define PERF_FORMAT_TOTAL_TIME_RUNNING	2
#define PERF_FORMAT_ID			4
#define PERF_FLAG_FD_CLOEXEC		8
#define PERF_EVENT_IOC_ENABLE		_IO('$', 0)
#define PERF_EVENT_IOC_DISABLE		_IO('$', 1)
#define PERF_EVENT_IOC_RESET		_IO('$', 3)
#define PERF_EVENT_IOC_ID		_IOR('$', 7, uint64_t *)

static int checks;

static void ok(const char *name)
{
	printf("%s: %s ok\n", prog, name);
	checks++;
}

static int perf_open(uint32_t type, uint64_t config, uint64_t read_format, int disabled)
{
	struct perf_attr a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	a.size = sizeof(a);
	a.config = config;
	a.read_format = read_format;
	a.flags = disabled ? 1 : 0;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static int open_or_die(uint32_t type, uint64_t config, uint64_t read_format, int disabled)
{
	int fd = perf_open(type, config, read_format, disabled);

	if (fd < 0)
		die("perf_event_open(type %u, config %llu): %s", type, (unsigned long long)config,
		    strerror(errno));
	return fd;
}

static long long thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Work in user mode for ms milliseconds of this thread's CPU time. */
static void work(long ms)
{
	long long end = thread_cpu_ns() + ms * 1000000LL;

	while (thread_cpu_ns() < end)
		for (volatile int i = 0; i < 20000; i++)
			;
}

static uint64_t read_value(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		die("read of a counter: %s", strerror(errno));
	return v;
}

static void check_hardware(void)
{
	int fd = perf_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0, 1);

	if (fd >= 0) {
		printf("%s: hardware events: counted\n", prog);
		close(fd);
		return;
	}
	printf("%s: hardware events: %s\n", prog, strerror(errno));
	checks++;
}

static void check_clock(void)
{
	uint64_t w[4], id = 0;
	long long c0, c1, cpu;
	int fd = open_or_die(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK,
			     PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING |
			     PERF_FORMAT_ID, 1);

	if (read(fd, w, sizeof(w)) != sizeof(w) || w[0] || w[1])
		die("clock: a counter disabled at open reads %llu over %llu ns",
		    (unsigned long long)w[0], (unsigned long long)w[1]);
	if (ioctl(fd, PERF_EVENT_IOC_ID, &id) || id != w[3])
		die("clock: PERF_EVENT_IOC_ID gave %llu, read %llu", (unsigned long long)id,
		    (unsigned long long)w[3]);
	c0 = thread_cpu_ns();
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	work(200);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	c1 = thread_cpu_ns();
	cpu = c1 - c0;
	if (read(fd, w, sizeof(w)) != sizeof(w))
		die("clock: read: %s", strerror(errno));
	if ((long long)w[0] > cpu + cpu / 10 || (long long)w[0] < cpu - cpu / 10)
		die("clock: counted %llu ns over %lld ns of CPU time", (unsigned long long)w[0],
		    cpu);
	if (w[1] != w[2] || w[1] < w[0] - w[0] / 10 || (long long)w[1] > cpu + cpu / 10)
		die("clock: enabled %llu, running %llu ns for a count of %llu",
		    (unsigned long long)w[1], (unsigned long long)w[2], (unsigned long long)w[0]);
	ok("clock");

	work(50);
	if (read(fd, w, sizeof(w)) != sizeof(w) || w[0] > (uint64_t)cpu + cpu / 10)
		die("disable: a disabled counter moved to %llu", (unsigned long long)w[0]);
	ok("disable");

	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	if (read(fd, w, sizeof(w)) != sizeof(w) || w[0])
		die("reset: the count is %llu after RESET", (unsigned long long)w[0]);
	ok("reset");
	close(fd);
}

/* The thread's context switches so far, as getrusage tells them. */
static long thread_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		die("getrusage: %s", strerror(errno));
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

/*
 * A sleep whose timer has fired before the thread got to schedule does not
 * switch (Linux under a loaded emulator counts 9 for ten), so the count is
 * held to getrusage's over a span that encloses the counter's.
 */
static void check_switches(void)
{
	struct timespec ts = { 0, 2000000 };
	long before = thread_switches(), after;
	int fd = open_or_die(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, 0, 0);
	uint64_t n;

	for (int i = 0; i < 10; i++)
		nanosleep(&ts, NULL);
	n = read_value(fd);
	after = thread_switches();
	if (n < 1 || n > (uint64_t)(after - before))
		die("switches: %llu for ten sleeps, getrusage %ld", (unsigned long long)n,
		    after - before);
	close(fd);
	ok("switches");
}

static void check_migrations(void)
{
	int cpus[2], fd;
	uint64_t n;

	if (allowed_cpus(cpus, 2) < 2)
		return;
	pin_self(cpus[0]);
	fd = open_or_die(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, 0, 0);
	for (int i = 0; i < 5; i++) {
		pin_self(cpus[1]);
		pin_self(cpus[0]);
	}
	n = read_value(fd);
	if (n < 10)
		die("migrations: %llu for ten moves", (unsigned long long)n);
	close(fd);
	ok("migrations");
}

static void check_errors(void)
{
	int fd;
	uint32_t small;

	fd = perf_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 1ULL << 40, 0);
	if (fd >= 0 || errno != EINVAL)
		die("errors: unknown read_format bits gave %d (%s)", fd, strerror(errno));
	fd = open_or_die(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK,
			 PERF_FORMAT_TOTAL_TIME_ENABLED, 0);
	if (read(fd, &small, sizeof(small)) >= 0 || errno != ENOSPC)
		die("errors: a 4-byte read of a 16-byte format: %s", strerror(errno));
	if (ioctl(fd, _IO('$', 0x3f), 0) >= 0 || errno != ENOTTY)
		die("errors: an unknown ioctl: %s", strerror(errno));
	close(fd);
	ok("errors");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_hardware();
	check_clock();
	check_switches();
	check_migrations();
	check_errors();
	printf("%s: ok %d checks\n", prog, checks);
	return 0;
}
