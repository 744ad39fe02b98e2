// SPDX-License-Identifier: GPL-2.0
/* Applying mem= and cpus= to the boot description. */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/kvsnprintf.h>
#include <cove/partition.h>
#include <cove/string.h>

/* Partition bytes below addr: how much of mem= an address costs. */
static uint64_t partition_bytes_below(const struct boot_info *bi, uint64_t addr)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < bi->nr_mem; i++) {
		uint64_t b = bi->mem[i].base, e = b + bi->mem[i].size;

		if (addr > b)
			sum += MIN(addr, e) - b;
	}
	return sum;
}

/* Image and modules must stay; loader data already consumed may go. */
static bool partition_reserved_needed(const struct boot_reserved *r)
{
	return !(r->flags & BOOT_RESERVED_DISCARDABLE);
}

static void partition_report(partition_report_fn report, void *ctx, bool err, const char *fmt,
			     ...) __printf(4, 5);

static void partition_report(partition_report_fn report, void *ctx, bool err, const char *fmt,
			     ...)
{
	char msg[192];
	va_list ap;

	if (!report)
		return;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(ctx, err, msg);
}

static void partition_cut_memory(struct boot_info *bi, uint64_t limit)
{
	uint64_t left = ALIGN_DOWN(limit, PAGE_SIZE);
	uint32_t n = 0;

	for (uint32_t i = 0; i < bi->nr_mem && left; i++) {
		bi->mem[n] = bi->mem[i];
		if (bi->mem[n].size > left)
			bi->mem[n].size = left;
		left -= bi->mem[n].size;
		n++;
	}
	bi->nr_mem = n;
}

static void partition_drop_outside_reserved(struct boot_info *bi)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < bi->nr_reserved; i++) {
		if (ranges_contain(bi->mem, bi->nr_mem, bi->reserved[i].base, bi->reserved[i].size))
			bi->reserved[n++] = bi->reserved[i];
	}
	bi->nr_reserved = n;
}

int partition_restrict(struct boot_info *bi, uint64_t mem_limit, uint32_t cpu_limit,
		       partition_report_fn report, void *ctx)
{
	uint64_t total = partition_bytes(bi);

	if (mem_limit && mem_limit < total) {
		uint64_t needed = 0;

		for (uint32_t i = 0; i < bi->nr_reserved; i++) {
			const struct boot_reserved *r = &bi->reserved[i];

			if (partition_reserved_needed(r))
				needed = MAX(needed, partition_bytes_below(bi, r->base + r->size));
		}
		needed += PARTITION_MIN_HEADROOM;
		if (mem_limit < needed) {
			partition_report(report, ctx, true,
					 "mem=%luK is too small: the kernel image and modules sit in "
					 "the first %lu KiB and the kernel needs %lu MiB more; "
					 "use at least mem=%luM",
					 (unsigned long)(mem_limit >> 10),
					 (unsigned long)((needed - PARTITION_MIN_HEADROOM) >> 10),
					 (unsigned long)(PARTITION_MIN_HEADROOM >> 20),
					 (unsigned long)(ALIGN_UP(needed, MiB) >> 20));
			return -EINVAL;
		}
		partition_cut_memory(bi, mem_limit);
	} else if (mem_limit > total) {
		partition_report(report, ctx, false,
				 "mem=%lu MiB asks for more than the %lu MiB present; using all of it",
				 (unsigned long)(mem_limit >> 20), (unsigned long)(total >> 20));
	}
	partition_drop_outside_reserved(bi);

	if (cpu_limit && cpu_limit < bi->nr_cpus) {
		bi->nr_cpus = cpu_limit;
	} else if (cpu_limit > bi->nr_cpus) {
		partition_report(report, ctx, false,
				 "cpus=%u asks for more than the %u CPUs present; using %u",
				 cpu_limit, bi->nr_cpus, bi->nr_cpus);
	}
	return 0;
}
