/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The enclave's processors as /proc/cpuinfo and /sys/devices/system/cpu
 * describe them. Common code knows the enclave's CPUs (logical numbers and
 * hardware ids); the architecture says what they are and where they sit.
 */
#ifndef COVE_CPUINFO_H
#define COVE_CPUINFO_H

#include <cove/types.h>

struct sbuf;

enum cpu_cache_type {
	CPU_CACHE_DATA = 1,
	CPU_CACHE_INSTRUCTION = 2,
	CPU_CACHE_UNIFIED = 3,
};

struct cpu_cache {
	uint32_t level;
	enum cpu_cache_type type;
	uint64_t size;			/* bytes */
	uint32_t line_size, ways, sets, partitions;
	/* CPUs whose hardware ids agree above this many low bits share it. */
	uint32_t share_shift;
};

#define CPU_CACHES_MAX 8

/* Where a CPU sits, from its hardware id. */
struct cpu_place {
	uint32_t package, die, core, thread;
};

/* One enclave CPU, as the job sees it. */
struct cpu_view {
	uint32_t index;			/* logical number: 0..n-1 */
	uint32_t hwid;			/* x86: the APIC ID */
	struct cpu_place place;
	uint32_t siblings;		/* enclave CPUs in its package */
	uint32_t cores;			/* distinct cores among them */
};

/* The caches of this CPU's model, innermost first: how many (at most max). */
size_t arch_cpu_caches(struct cpu_cache *out, size_t max);
/* Fill in place for each of n CPUs from its hwid. */
void arch_cpu_places(struct cpu_view *cpus, uint32_t n);
/* The /proc/cpuinfo blocks of n CPUs, in order. */
void arch_cpuinfo_show(struct sbuf *sb, const struct cpu_view *cpus, uint32_t n);

#endif /* COVE_CPUINFO_H */
