// SPDX-License-Identifier: GPL-2.0
/*
 * The enclave's processors through CPUID (see cove/cpuinfo.h): read on
 * the CPU that asks, since a partition's cores are all of one model; the
 * decoding is cpuinfo_fmt.c's.
 */
#include <cove/arch.h>
#include <cove/cpuinfo.h>
#include <cove/heap.h>
#include <cove/string.h>
#include <arch/cpuid_info.h>
#include <arch/x86.h>

static void cpuid_read(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	cpuid(leaf, sub, &r->a, &r->b, &r->c, &r->d);
}

/* The deterministic cache leaf, if this model has one. */
static uint32_t cpuid_cache_leaf(const struct cpuid_info *ci)
{
	char vendor[13];

	cpuid_vendor(ci, vendor);
	if (!strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "HygonGenuine")) {
		/* 0x8000001d exists only with TOPOEXT. */
		return ci->e0.a >= 0x8000001d && (ci->e1.c & (1U << 22)) ? 0x8000001d : 0;
	}
	return ci->l0.a >= 4 ? 4 : 0;
}

void cpuid_info_collect(struct cpuid_info *ci)
{
	uint32_t leaf;

	memset(ci, 0, sizeof(*ci));
	cpuid_read(0, 0, &ci->l0);
	if (ci->l0.a >= 1)
		cpuid_read(1, 0, &ci->l1);
	if (ci->l0.a >= 7)
		cpuid_read(7, 0, &ci->l7);
	if (ci->l0.a >= 0xb) {
		cpuid_read(0xb, 0, &ci->lb[0]);
		cpuid_read(0xb, 1, &ci->lb[1]);
	}
	if (ci->l0.a >= 0xd)
		cpuid_read(0xd, 1, &ci->ld1);
	cpuid_read(0x80000000, 0, &ci->e0);
	if (ci->e0.a < 0x80000000 || ci->e0.a >= 0x80010000)
		ci->e0.a = 0;	/* no extended leaves */
	if (ci->e0.a >= 0x80000001)
		cpuid_read(0x80000001, 0, &ci->e1);
	for (uint32_t i = 0; i < 3 && ci->e0.a >= 0x80000004; i++)
		cpuid_read(0x80000002 + i, 0, &ci->brand[i]);
	if (ci->e0.a >= 0x80000005)
		cpuid_read(0x80000005, 0, &ci->e5);
	if (ci->e0.a >= 0x80000006)
		cpuid_read(0x80000006, 0, &ci->e6);
	if (ci->e0.a >= 0x80000007)
		cpuid_read(0x80000007, 0, &ci->e7);
	if (ci->e0.a >= 0x80000008)
		cpuid_read(0x80000008, 0, &ci->e8);
	leaf = cpuid_cache_leaf(ci);
	while (leaf && ci->nr_cache < CPUID_CACHE_LEAVES) {
		struct cpuid_regs *r = &ci->cache[ci->nr_cache];

		cpuid_read(leaf, ci->nr_cache, r);
		if (!(r->a & 0x1f))
			break;
		ci->nr_cache++;
	}
	ci->tsc_khz = arch_cycles_per_ms();
}

size_t arch_cpu_caches(struct cpu_cache *out, size_t max)
{
	struct cpuid_info *ci = kmalloc(sizeof(*ci));
	size_t n;

	if (!ci)
		return 0;
	cpuid_info_collect(ci);
	n = cpuid_caches(ci, out, max);
	kfree(ci);
	return n;
}

void arch_cpu_places(struct cpu_view *cpus, uint32_t n)
{
	struct cpuid_info *ci = kmalloc(sizeof(*ci));

	for (uint32_t i = 0; i < n; i++)
		memset(&cpus[i].place, 0, sizeof(cpus[i].place));
	if (!ci)
		return;
	cpuid_info_collect(ci);
	for (uint32_t i = 0; i < n; i++)
		cpuid_place(ci, cpus[i].hwid, &cpus[i].place);
	kfree(ci);
}

void arch_cpuinfo_show(struct sbuf *sb, const struct cpu_view *cpus, uint32_t n)
{
	struct cpuid_info *ci = kmalloc(sizeof(*ci));

	if (!ci)
		return;
	cpuid_info_collect(ci);
	for (uint32_t i = 0; i < n; i++)
		cpuid_show(ci, sb, &cpus[i]);
	kfree(ci);
}
