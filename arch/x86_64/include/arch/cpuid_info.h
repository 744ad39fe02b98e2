/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What CPUID says of the processor model, read once into this structure so
 * that decoding it (cpuinfo_fmt.c) is pure and host-tested with the values
 * of real processors.
 */
#ifndef ARCH_CPUID_INFO_H
#define ARCH_CPUID_INFO_H

#include <cove/cpuinfo.h>
#include <cove/types.h>

struct sbuf;

struct cpuid_regs {
	uint32_t a, b, c, d;
};

#define CPUID_CACHE_LEAVES 8

struct cpuid_info {
	struct cpuid_regs l0, l1, l7, ld1;	/* leaves 0, 1, 7.0, 0xd.1 */
	struct cpuid_regs lb[2];		/* leaf 0xb, levels 0 and 1 */
	struct cpuid_regs e0, e1, e5, e6, e7, e8;	/* leaves 0x8000000N */
	struct cpuid_regs brand[3];		/* 0x80000002..4 */
	/* Deterministic cache leaves: 4 (Intel) or 0x8000001d (AMD), up to type 0. */
	struct cpuid_regs cache[CPUID_CACHE_LEAVES];
	uint32_t nr_cache;
	uint64_t tsc_khz;			/* the time stamp counter's rate */
};

/* Read every leaf above on this CPU (cpuinfo.c). */
void cpuid_info_collect(struct cpuid_info *ci);
/* Pure decoders (cpuinfo_fmt.c). */
size_t cpuid_caches(const struct cpuid_info *ci, struct cpu_cache *out, size_t max);
void cpuid_place(const struct cpuid_info *ci, uint32_t apic_id, struct cpu_place *pl);
void cpuid_show(const struct cpuid_info *ci, struct sbuf *sb, const struct cpu_view *cpu);
/* "GenuineIntel", "AuthenticAMD", ...: 13 bytes with the NUL. */
void cpuid_vendor(const struct cpuid_info *ci, char out[13]);

#endif /* ARCH_CPUID_INFO_H */
