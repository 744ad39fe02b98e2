// SPDX-License-Identifier: GPL-2.0
/*
 * The vDSO: clock_gettime, gettimeofday, time, getcpu and clock_getres
 * served in user mode from the time page (cove/vdso_data.h), so a job that
 * asks the time often never enters the kernel for it. Built as its own
 * position-independent shared object (vdso.lds) and mapped into every job;
 * glibc and musl find these symbols under version LINUX_2.6 as on Linux.
 *
 * A clock this page cannot tell (the CPU-time clocks, a bad id) goes to the
 * kernel by a real system call, so the result is always the kernel's.
 */
#include <cove/vdso_data.h>

#define NR_gettimeofday 96
#define NR_time 201
#define NR_clock_gettime 228
#define NR_clock_getres 229
#define NR_getcpu 309

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

struct vdso_timespec {
	int64_t sec, nsec;
};

struct vdso_timeval {
	int64_t sec, usec;
};

/* Placed one page below the image by vdso.lds; hidden, so reached RIP-relative. */
extern const struct vdso_data vdso_vvar __attribute__((visibility("hidden")));

static long vdso_syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b)
			 : "rcx", "r11", "memory");
	return ret;
}

static long vdso_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline uint64_t vdso_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Monotonic ns and the boot epoch, read consistently (see seq in vdso_data.h). */
static uint64_t vdso_now_ns(uint64_t *epoch)
{
	const struct vdso_data *d = &vdso_vvar;
	uint32_t seq;
	uint64_t ns;

	do {
		while ((seq = d->seq) & 1)
			__builtin_ia32_pause();
		__atomic_signal_fence(__ATOMIC_ACQUIRE);
		ns = vdso_cycles_to_ns(vdso_rdtsc() - d->cycles_at_boot, d->cycles_per_ms);
		*epoch = d->epoch_at_boot;
		__atomic_signal_fence(__ATOMIC_ACQUIRE);
	} while (seq != d->seq);
	return ns;
}

/* The clock's value in ns, as the kernel's time_clock_ns; false if not ours. */
static bool vdso_clock_ns(long clk, uint64_t *ns)
{
	uint64_t epoch, now;

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		now = vdso_now_ns(&epoch);
		*ns = epoch * 1000000000ULL + now;
		return true;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = vdso_now_ns(&epoch);
		return true;
	default:
		return false;
	}
}

int __vdso_clock_gettime(long clk, struct vdso_timespec *ts)
{
	uint64_t ns;

	if (!vdso_clock_ns(clk, &ns))
		return (int)vdso_syscall2(NR_clock_gettime, clk, (long)ts);
	ts->sec = (int64_t)(ns / 1000000000ULL);
	ts->nsec = (int64_t)(ns % 1000000000ULL);
	return 0;
}

int __vdso_clock_getres(long clk, struct vdso_timespec *res)
{
	uint64_t ns;

	if (!vdso_clock_ns(clk, &ns))
		return (int)vdso_syscall2(NR_clock_getres, clk, (long)res);
	if (res) {
		res->sec = 0;
		res->nsec = 1;
	}
	return 0;
}

int __vdso_gettimeofday(struct vdso_timeval *tv, void *tz)
{
	uint64_t ns;

	/* A time zone wants the kernel's zeroes written; rare enough to trap for. */
	if (tz)
		return (int)vdso_syscall2(NR_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		vdso_clock_ns(CLOCK_REALTIME, &ns);
		tv->sec = (int64_t)(ns / 1000000000ULL);
		tv->usec = (int64_t)(ns % 1000000000ULL) / 1000;
	}
	return 0;
}

long __vdso_time(long *t)
{
	uint64_t ns;
	long s;

	vdso_clock_ns(CLOCK_REALTIME, &ns);
	s = (long)(ns / 1000000000ULL);
	if (t)
		*t = s;
	return s;
}

int __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *cache)
{
	uint32_t lo, hi, aux;

	if (!(vdso_vvar.flags & VDSO_F_RDTSCP))
		return (int)vdso_syscall3(NR_getcpu, (long)cpu, (long)node, (long)cache);
	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	if (cpu)
		*cpu = aux & 0xfff;
	if (node)
		*node = aux >> 12;
	return 0;
}

/* The plain names, as Linux's vDSO offers them too. */
int clock_gettime(long, struct vdso_timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime")));
int clock_getres(long, struct vdso_timespec *)
	__attribute__((weak, alias("__vdso_clock_getres")));
int gettimeofday(struct vdso_timeval *, void *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
int getcpu(unsigned int *, unsigned int *, void *)
	__attribute__((weak, alias("__vdso_getcpu")));
