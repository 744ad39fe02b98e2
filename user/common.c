// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by Cove's user-space test programs; see common.h.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/*
 * Futex operation numbers are kernel ABI. musl-gcc does not see the kernel
 * headers (<linux/futex.h>), so they are spelled out here.
 */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

void die(const char *fmt, ...)
{
	va_list ap;

	/* Results printed so far must reach the console before the verdict. */
	fflush(stdout);
	fprintf(stderr, "%s: FAIL ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

unsigned long arg_ulong(int argc, char **argv, int idx, unsigned long def,
			unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	if (idx >= argc)
		return def;
	errno = 0;
	v = strtoul(argv[idx], &end, 0);
	if (errno || end == argv[idx] || *end || argv[idx][0] == '-')
		die("argument %d '%s' is not a number", idx, argv[idx]);
	if (v < min || v > max)
		die("argument %d (%lu) out of range [%lu, %lu]", idx, v, min,
		    max);
	return v;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime(CLOCK_MONOTONIC) failed");
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * The harness runs these benchmarks under QEMU with -icount shift=0, where
 * the virtual clock advances exactly 1 ns per guest instruction: there the
 * ns figures are guest instruction counts (kernel and user together), which
 * is why every line carries ns next to the TSC cycles.
 */
void bench_report(const char *name, uint64_t cycles, uint64_t ns,
		  uint64_t iters)
{
	double n = iters ? (double)iters : 1.0;

	printf("bench: %s cycles=%llu ns=%llu iters=%llu per_iter_cycles=%.1f per_iter_ns=%.1f\n",
	       name, (unsigned long long)cycles, (unsigned long long)ns,
	       (unsigned long long)iters, (double)cycles / n, (double)ns / n);
}

long futex_wait(int *uaddr, int val, const void *timeout)
{
	return syscall(SYS_futex, uaddr, FUTEX_WAIT, val, timeout, NULL, 0);
}

long futex_wake(int *uaddr, int nr)
{
	return syscall(SYS_futex, uaddr, FUTEX_WAKE, nr, NULL, NULL, 0);
}

int allowed_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int cpu, n = 0;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity failed (errno %d)", errno);
	for (cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus[n++] = cpu;
	if (!n)
		die("sched_getaffinity returned an empty CPU set");
	return n;
}

void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* pid 0 is the calling thread, not the whole process. */
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity to CPU %d failed (errno %d)", cpu,
		    errno);
}

int current_cpu(void)
{
	unsigned int cpu = UINT_MAX;

	/*
	 * The raw syscall, not sched_getcpu(): glibc may answer from rseq or
	 * the vDSO, and the point is to ask the kernel where we are.
	 */
	if (syscall(SYS_getcpu, &cpu, NULL, NULL))
		die("getcpu failed (errno %d)", errno);
	return (int)cpu;
}
