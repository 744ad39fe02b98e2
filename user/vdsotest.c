// SPDX-License-Identifier: GPL-2.0
/*
 * vdsotest [ROUNDS=1000]: the time calls through the C library, which
 * should find them in the vDSO (AT_SYSINFO_EHDR) and make no system call.
 *
 * For each kind of call, ROUNDS calls between two readings of the kernel's
 * count of this thread's entries (Cove's test call COVE_SYS_KENTRIES; on
 * Linux it does not exist and the count reads "n/a"); then each call's
 * result against the very system call: the vDSO's reading must lie between
 * two readings by the kernel (same clock), getcpu must name the same CPU.
 *
 *   vdsotest: auxv ok          AT_SYSINFO_EHDR points at an ELF image
 *   vdsotest: maps ok          /proc/self/maps shows [vdso]
 *   vdsotest: traps NAME N     entries into the kernel for ROUNDS calls
 *                              ("syscall": ROUNDS getppid system calls, the
 *                              counter's own check)
 *   vdsotest: agree NAME ok
 *   vdsotest: ok
 */
#include <elf.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cove/fault_kinds.h>
#include "common.h"

const char *prog = "vdsotest";

static long kentries(void)
{
	return syscall(COVE_SYS_KENTRIES);
}

static const struct {
	const char *name;
	clockid_t id;
} clocks[] = {
	{ "realtime", CLOCK_REALTIME },
	{ "monotonic", CLOCK_MONOTONIC },
	{ "monotonic_raw", CLOCK_MONOTONIC_RAW },
	{ "realtime_coarse", CLOCK_REALTIME_COARSE },
	{ "monotonic_coarse", CLOCK_MONOTONIC_COARSE },
	{ "boottime", CLOCK_BOOTTIME },
};

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void report_traps(const char *name, long before, long after)
{
	if (before < 0)
		printf("%s: traps %s n/a\n", prog, name);
	else
		printf("%s: traps %s %ld\n", prog, name, after - before - 1);
}

static void check_auxv(void)
{
	const Elf64_Ehdr *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	char line[256];
	FILE *f;
	int found = 0;

	if (!eh)
		die("no AT_SYSINFO_EHDR in the auxiliary vector");
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_DYN)
		die("AT_SYSINFO_EHDR %p is not a shared object", (const void *)eh);
	printf("%s: auxv ok\n", prog);
	f = fopen("/proc/self/maps", "r");
	if (!f)
		die("/proc/self/maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo;

		if (strstr(line, "[vdso]") && sscanf(line, "%lx-", &lo) == 1 &&
		    lo == (unsigned long)eh)
			found = 1;
	}
	fclose(f);
	if (!found)
		die("/proc/self/maps has no [vdso] at %p", (const void *)eh);
	printf("%s: maps ok\n", prog);
}

static void count_traps(unsigned long rounds)
{
	struct timespec ts;
	struct timeval tv;
	volatile long sink = 0;
	long k0, k1;

	for (size_t c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		k0 = kentries();
		for (unsigned long i = 0; i < rounds; i++) {
			clock_gettime(clocks[c].id, &ts);
			sink += ts.tv_nsec;
		}
		k1 = kentries();
		report_traps(clocks[c].name, k0, k1);
	}
	k0 = kentries();
	for (unsigned long i = 0; i < rounds; i++) {
		gettimeofday(&tv, NULL);
		sink += tv.tv_usec;
	}
	k1 = kentries();
	report_traps("gettimeofday", k0, k1);
	k0 = kentries();
	for (unsigned long i = 0; i < rounds; i++)
		sink += time(NULL);
	k1 = kentries();
	report_traps("time", k0, k1);
	k0 = kentries();
	for (unsigned long i = 0; i < rounds; i++)
		sink += sched_getcpu();
	k1 = kentries();
	report_traps("getcpu", k0, k1);
	/* The counter itself: a real system call per round must show as one. */
	k0 = kentries();
	for (unsigned long i = 0; i < rounds; i++)
		sink += syscall(SYS_getppid);
	k1 = kentries();
	report_traps("syscall", k0, k1);
	(void)sink;
}

static void check_agree(void)
{
	struct timespec s1, v, s2, res;
	struct timeval t1, tv, t2;
	unsigned int cpu;
	long long a, b;
	time_t w1, w, w2;
	cpu_set_t set;
	int vcpu;

	for (size_t c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		if (syscall(SYS_clock_gettime, clocks[c].id, &s1) ||
		    clock_gettime(clocks[c].id, &v) ||
		    syscall(SYS_clock_gettime, clocks[c].id, &s2))
			die("clock_gettime(%s): %s", clocks[c].name, strerror(errno));
		if (ts_ns(&v) < ts_ns(&s1) || ts_ns(&v) > ts_ns(&s2))
			die("clock %s: vDSO %lld outside the kernel's %lld..%lld", clocks[c].name,
			    ts_ns(&v), ts_ns(&s1), ts_ns(&s2));
		if (v.tv_nsec < 0 || v.tv_nsec >= 1000000000L)
			die("clock %s: tv_nsec %ld", clocks[c].name, v.tv_nsec);
		if (clock_getres(clocks[c].id, &res) || res.tv_sec != 0 || res.tv_nsec <= 0)
			die("clock_getres(%s)", clocks[c].name);
		printf("%s: agree %s ok\n", prog, clocks[c].name);
	}
	if (syscall(SYS_gettimeofday, &t1, NULL) || gettimeofday(&tv, NULL) ||
	    syscall(SYS_gettimeofday, &t2, NULL))
		die("gettimeofday: %s", strerror(errno));
	a = tv.tv_sec * 1000000LL + tv.tv_usec;
	b = t1.tv_sec * 1000000LL + t1.tv_usec;
	if (a < b || a > t2.tv_sec * 1000000LL + t2.tv_usec || tv.tv_usec >= 1000000)
		die("gettimeofday: vDSO %lld outside the kernel's", a);
	printf("%s: agree gettimeofday ok\n", prog);
	w1 = syscall(SYS_time, NULL);
	w = time(NULL);
	w2 = syscall(SYS_time, NULL);
	if (w < w1 || w > w2)
		die("time: vDSO %ld outside the kernel's %ld..%ld", (long)w, (long)w1, (long)w2);
	printf("%s: agree time ok\n", prog);
	/* Pinned, so both ways must name the same CPU (Cove pins anyway). */
	if (syscall(SYS_getcpu, &cpu, NULL, NULL))
		die("getcpu: %s", strerror(errno));
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity: %s", strerror(errno));
	if (syscall(SYS_getcpu, &cpu, NULL, NULL))
		die("getcpu: %s", strerror(errno));
	vcpu = sched_getcpu();
	if (vcpu < 0 || (unsigned int)vcpu != cpu)
		die("getcpu: vDSO says %d, the kernel %u", vcpu, cpu);
	printf("%s: agree getcpu ok\n", prog);
	/* A clock the vDSO passes to the kernel still works through it. */
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &v) || clock_gettime(CLOCK_THREAD_CPUTIME_ID, &v))
		die("CPU-time clocks: %s", strerror(errno));
	if (clock_gettime((clockid_t)99, &v) == 0 || errno != EINVAL)
		die("clock 99: not EINVAL");
	printf("%s: agree fallback ok\n", prog);
}

int main(int argc, char **argv)
{
	unsigned long rounds = arg_ulong(argc, argv, 1, 1000, 1, 100000000);

	check_auxv();
	count_traps(rounds);
	check_agree();
	printf("%s: ok\n", prog);
	return 0;
}
