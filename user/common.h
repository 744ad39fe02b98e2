/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by Cove's user-space test programs.
 *
 * Everything here sits on plain Linux syscalls that a lightweight kernel
 * can provide: no /proc, no /sys, no dynamic loading, no locale files.
 * Each program defines `prog` (its name) so that failures read
 * "<prog>: FAIL <why>" on one line.
 */
#ifndef COVE_USER_COMMON_H
#define COVE_USER_COMMON_H

#include <stdint.h>
#include <stddef.h>

/* Set by each program: the prefix of its messages. */
extern const char *prog;

/* Print "<prog>: FAIL <message>" and exit(1). */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* The first failed check ends the program with its message (procview's counts too). */
#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond))                                                  \
			die(__VA_ARGS__);                                     \
	} while (0)

/*
 * argv[idx] as an unsigned number in [min, max], or def when the argument
 * is absent. A malformed or out-of-range value is a failure, not a silent
 * default, so a typo in a test script cannot go unnoticed.
 */
unsigned long arg_ulong(int argc, char **argv, int idx, unsigned long def,
			unsigned long min, unsigned long max);

/*
 * The instruction-count marker (test/bench/insn_marker.h): a NOP, unless
 * the TCG plugin of `make bench` runs, which notes then what every vCPU
 * has executed. Two-core benchmarks bracket their timed loop with it.
 */
static inline void insn_mark(void)
{
	__asm__ __volatile__(".byte 0x0f, 0x1f, 0x80, 0x43, 0x4f, 0x56, 0x45" ::: "memory");
}

/*
 * Time stamp counter. The lfence keeps rdtsc from being hoisted above the
 * work it is meant to close (rdtsc is not ordered with earlier loads).
 */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

/*
 * One line in the format every microbenchmark shares:
 *   bench: NAME cycles=C ns=N iters=I per_iter_cycles=X per_iter_ns=Y
 */
void bench_report(const char *name, uint64_t cycles, uint64_t ns,
		  uint64_t iters);

/*
 * Raw futex calls through syscall(2), bypassing libc's locks, so the
 * kernel's futex itself is what gets exercised. Return the syscall's
 * value (-1 with errno set on error).
 */
long futex_wait(int *uaddr, int val, const void *timeout);
long futex_wake(int *uaddr, int nr);

/*
 * CPUs the calling thread may run on (sched_getaffinity), lowest first.
 * Returns how many were stored in cpus[0..max-1]. Used instead of
 * sysconf(_SC_NPROCESSORS_ONLN), which glibc answers by reading /sys.
 */
int allowed_cpus(int *cpus, int max);

/* Pin the calling thread to one CPU; dies if the kernel refuses. */
void pin_self(int cpu);

/* The CPU the caller runs on, asked of the kernel (getcpu syscall). */
int current_cpu(void);

#endif /* COVE_USER_COMMON_H */
