// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for partition_restrict(): mem= and cpus= applied to a PC-like
 * boot description, with the exact resulting ranges and the reports made.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/partition.h>
#include "unit.h"

/* Low RAM [0x1000, 0x9f000), [1 MiB, 0x7fe0000), and 1 GiB above 4 GiB. */
#define LOW_BYTES 0x9e000ULL
#define MID_BASE 0x100000ULL
#define MID_BYTES (0x7fe0000ULL - MID_BASE)
#define HIGH_BASE (4 * GiB)
#define HIGH_BYTES (1 * GiB)
#define TOTAL (LOW_BYTES + MID_BYTES + HIGH_BYTES)
#define MBI_BASE 0x7fd0000ULL
#define MBI_SIZE 0x2000ULL
/* Image at 2..4 MiB, module at 8..9 MiB: everything below 9 MiB plus headroom. */
#define NEEDED (LOW_BYTES + (9 * MiB - MID_BASE) + PARTITION_MIN_HEADROOM)
#define NR_CPUS 8

struct reports {
	int nr, nr_err;
	bool last_err;
	char last[256];
};

static void collect(void *ctx, bool is_error, const char *msg)
{
	struct reports *r = ctx;

	r->nr++;
	r->nr_err += is_error;
	r->last_err = is_error;
	snprintf(r->last, sizeof(r->last), "%s", msg);
}

static void add_reserved(struct boot_info *bi, uint64_t base, uint64_t size, const char *what)
{
	struct boot_reserved *r = &bi->reserved[bi->nr_reserved++];

	r->base = base;
	r->size = size;
	snprintf(r->what, sizeof(r->what), "%s", what);
	if (!strcmp(what, "multiboot2 info"))
		r->flags = BOOT_RESERVED_DISCARDABLE;
}

/* A fresh PC-like partition; heap allocated so ASan sees any overrun. */
static struct boot_info *pc_map(void)
{
	struct boot_info *bi = calloc(1, sizeof(*bi));

	if (!bi)
		abort();
	bi->nr_mem = 3;
	bi->mem[0] = (struct boot_range){ 0x1000, LOW_BYTES };
	bi->mem[1] = (struct boot_range){ MID_BASE, MID_BYTES };
	bi->mem[2] = (struct boot_range){ HIGH_BASE, HIGH_BYTES };
	add_reserved(bi, 2 * MiB, 2 * MiB, "kernel image");
	add_reserved(bi, 8 * MiB, 1 * MiB, "module");
	add_reserved(bi, MBI_BASE, MBI_SIZE, "multiboot2 info");
	bi->nr_cpus = NR_CPUS;
	for (uint32_t i = 0; i < NR_CPUS; i++)
		bi->cpus[i] = (struct boot_cpu){ .apic_id = 2 * i + 4, .acpi_id = i + 1 };
	bi->firmware_usable_bytes = TOTAL;
	bi->firmware_nr_cpus = NR_CPUS;
	return bi;
}

/* Run partition_restrict on a copy; returns the copy, *rc and reports set. */
static struct boot_info *restrict_pc(uint64_t mem, uint32_t cpus, int *rc, struct reports *rep)
{
	struct boot_info *bi = pc_map();

	memset(rep, 0, sizeof(*rep));
	*rc = partition_restrict(bi, mem, cpus, collect, rep);
	return bi;
}

static bool same_as_pc(const struct boot_info *bi)
{
	struct boot_info *ref = pc_map();
	bool same = !memcmp(bi, ref, sizeof(*bi));

	free(ref);
	return same;
}

static bool has_reserved(const struct boot_info *bi, const char *what)
{
	for (uint32_t i = 0; i < bi->nr_reserved; i++)
		if (!strcmp(bi->reserved[i].what, what))
			return true;
	return false;
}

TEST(partition_bytes_sums_ranges)
{
	struct boot_info *bi = pc_map();

	CHECK_EQ(partition_bytes(bi), TOTAL);
	bi->nr_mem = 0;
	CHECK_EQ(partition_bytes(bi), 0);
	free(bi);
}

TEST(partition_no_limits_change_nothing)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(0, 0, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK(same_as_pc(bi));
	free(bi);
}

TEST(partition_mem_cuts_mid_range)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(64 * MiB, 0, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK_EQ(bi->nr_mem, 2);
	CHECK_EQ(bi->mem[0].base, 0x1000);
	CHECK_EQ(bi->mem[0].size, LOW_BYTES);
	CHECK_EQ(bi->mem[1].base, MID_BASE);
	CHECK_EQ(bi->mem[1].size, 64 * MiB - LOW_BYTES);
	CHECK_EQ(partition_bytes(bi), 64 * MiB);
	/* The boot info reservation is now outside and goes; image and module stay. */
	CHECK_EQ(bi->nr_reserved, 2);
	CHECK(has_reserved(bi, "kernel image"));
	CHECK(has_reserved(bi, "module"));
	CHECK(!has_reserved(bi, "multiboot2 info"));
	CHECK_EQ(bi->reserved[0].base, 2 * MiB);
	CHECK_EQ(bi->reserved[0].size, 2 * MiB);
	CHECK_EQ(bi->nr_cpus, NR_CPUS);
	CHECK_EQ(bi->firmware_usable_bytes, TOTAL);
	free(bi);
}

TEST(partition_mem_at_range_boundary)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(LOW_BYTES + MID_BYTES, 0, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK_EQ(bi->nr_mem, 2);
	CHECK_EQ(bi->mem[1].base, MID_BASE);
	CHECK_EQ(bi->mem[1].size, MID_BYTES);
	CHECK_EQ(partition_bytes(bi), LOW_BYTES + MID_BYTES);
	CHECK_EQ(bi->nr_reserved, 3);
	CHECK(has_reserved(bi, "multiboot2 info"));
	free(bi);
}

TEST(partition_mem_at_mbi_edges)
{
	struct reports rep;
	int rc;
	uint64_t below_mbi = LOW_BYTES + (MBI_BASE - MID_BASE);
	struct boot_info *bi = restrict_pc(below_mbi, 0, &rc, &rep);

	/* Cut exactly where the boot info starts: it is wholly outside. */
	CHECK_EQ(rc, 0);
	CHECK_EQ(bi->mem[1].base + bi->mem[1].size, MBI_BASE);
	CHECK_EQ(bi->nr_reserved, 2);
	CHECK(!has_reserved(bi, "multiboot2 info"));
	free(bi);

	/* Cut exactly where it ends: it is wholly inside and stays. */
	bi = restrict_pc(below_mbi + MBI_SIZE, 0, &rc, &rep);
	CHECK_EQ(rc, 0);
	CHECK_EQ(bi->mem[1].base + bi->mem[1].size, MBI_BASE + MBI_SIZE);
	CHECK_EQ(bi->nr_reserved, 3);
	CHECK(has_reserved(bi, "multiboot2 info"));
	free(bi);
}

TEST(partition_mem_equal_total_is_silent)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(TOTAL, 0, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK(same_as_pc(bi));
	free(bi);
}

TEST(partition_mem_above_total_is_a_note)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(2 * GiB, 0, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 1);
	CHECK_EQ(rep.nr_err, 0);
	CHECK(!rep.last_err);
	CHECK(strstr(rep.last, "mem=2048 MiB"));
	CHECK(strstr(rep.last, "1151 MiB present"));
	CHECK(same_as_pc(bi));
	free(bi);
}

TEST(partition_mem_too_small_is_an_error)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(16 * MiB, 2, &rc, &rep);

	CHECK_EQ(rc, -EINVAL);
	CHECK_EQ(rep.nr, 1);
	CHECK_EQ(rep.nr_err, 1);
	CHECK(strstr(rep.last, "mem=16384K"));
	CHECK(strstr(rep.last, "too small"));
	CHECK(strstr(rep.last, "needs 16 MiB more"));
	/* Nothing changes on error, not even cpus=. */
	CHECK(same_as_pc(bi));
	free(bi);
	{
		/* The advice must be enough: the suggested size is accepted. */
		unsigned long advised = 0;
		const char *p = strstr(rep.last, "use at least mem=");

		CHECK(p && sscanf(p, "use at least mem=%luM", &advised) == 1);
		bi = restrict_pc(advised * MiB, 0, &rc, &rep);
		CHECK_EQ(rc, 0);
		free(bi);
	}

	/* No report callback: still refused, nothing changes. */
	bi = pc_map();
	CHECK_EQ(partition_restrict(bi, 1 * MiB, 0, NULL, NULL), -EINVAL);
	CHECK(same_as_pc(bi));
	free(bi);
}

TEST(partition_headroom_boundary)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(NEEDED, 0, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK_EQ(partition_bytes(bi), NEEDED);
	CHECK_EQ(bi->mem[1].size, NEEDED - LOW_BYTES);
	free(bi);

	bi = restrict_pc(NEEDED - 1, 0, &rc, &rep);
	CHECK_EQ(rc, -EINVAL);
	CHECK_EQ(rep.nr_err, 1);
	CHECK(same_as_pc(bi));
	free(bi);

	bi = restrict_pc(NEEDED - PAGE_SIZE, 0, &rc, &rep);
	CHECK_EQ(rc, -EINVAL);
	CHECK(same_as_pc(bi));
	free(bi);
}

TEST(partition_high_module_sets_the_floor)
{
	struct boot_info *bi = pc_map();
	struct reports rep = { 0 };

	/* Move the module to 96..97 MiB: mem=64M would cut it off. */
	bi->reserved[1].base = 96 * MiB;
	CHECK_EQ(partition_restrict(bi, 64 * MiB, 0, collect, &rep), -EINVAL);
	CHECK_EQ(rep.nr_err, 1);
	CHECK_EQ(bi->nr_mem, 3);
	CHECK_EQ(partition_restrict(bi, LOW_BYTES + 112 * MiB, 0, collect, &rep), 0);
	CHECK_EQ(partition_bytes(bi), LOW_BYTES + 112 * MiB);
	CHECK(has_reserved(bi, "module"));
	CHECK(has_reserved(bi, "kernel image"));
	free(bi);
}

TEST(partition_mem_unaligned_rounds_down)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(64 * MiB + PAGE_SIZE - 1, 0, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK_EQ(bi->nr_mem, 2);
	CHECK_EQ(bi->mem[1].size, 64 * MiB - LOW_BYTES);
	CHECK_EQ(partition_bytes(bi), 64 * MiB);
	free(bi);

	bi = restrict_pc(64 * MiB + 0x123, 0, &rc, &rep);
	CHECK_EQ(rc, 0);
	CHECK_EQ(partition_bytes(bi), 64 * MiB);
	free(bi);
}

TEST(partition_cpus_fewer)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(0, 3, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK_EQ(bi->nr_cpus, 3);
	CHECK_EQ(bi->cpus[0].apic_id, 4);
	CHECK_EQ(bi->cpus[0].acpi_id, 1);
	CHECK_EQ(bi->cpus[2].apic_id, 8);
	CHECK_EQ(bi->firmware_nr_cpus, NR_CPUS);
	CHECK_EQ(bi->nr_mem, 3);
	free(bi);

	bi = restrict_pc(0, 1, &rc, &rep);
	CHECK_EQ(rc, 0);
	CHECK_EQ(bi->nr_cpus, 1);
	CHECK_EQ(bi->cpus[0].apic_id, 4);
	free(bi);
}

TEST(partition_cpus_more_is_a_note)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(0, 16, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 1);
	CHECK(!rep.last_err);
	CHECK(strstr(rep.last, "cpus=16"));
	CHECK(strstr(rep.last, "8 CPUs present"));
	CHECK(same_as_pc(bi));
	free(bi);

	bi = restrict_pc(0, NR_CPUS, &rc, &rep);
	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK(same_as_pc(bi));
	free(bi);

	/* Notes without a callback are simply dropped. */
	bi = pc_map();
	CHECK_EQ(partition_restrict(bi, 2 * GiB, 16, NULL, NULL), 0);
	CHECK(same_as_pc(bi));
	free(bi);
}

TEST(partition_mem_and_cpus_together)
{
	struct reports rep;
	int rc;
	struct boot_info *bi = restrict_pc(32 * MiB, 2, &rc, &rep);

	CHECK_EQ(rc, 0);
	CHECK_EQ(rep.nr, 0);
	CHECK_EQ(partition_bytes(bi), 32 * MiB);
	CHECK_EQ(bi->nr_cpus, 2);
	CHECK_EQ(bi->nr_reserved, 2);
	free(bi);
}

TEST(partition_range_helpers)
{
	const struct boot_range r[2] = { { 0x1000, 0x9e000 }, { 0x100000, 0x1000000 } };

	CHECK(ranges_contain(r, 2, 0x1000, 0x1000));
	CHECK(ranges_contain(r, 2, 0x100000, 0x1000000));
	CHECK(!ranges_contain(r, 2, 0x9f000, 0x1000));		/* the hole */
	CHECK(!ranges_contain(r, 2, 0x9e000, 0x2000));		/* runs past the end */
	CHECK(!ranges_contain(r, 2, 0x80000, 0x100000));	/* spans the hole */
	CHECK(ranges_overlap(r, 2, 0x9f000, 0x62000));
	CHECK(!ranges_overlap(r, 2, 0x9f000, 0x61000));		/* ends where r[1] starts */
	CHECK(!ranges_overlap(r, 2, 0x1100000, 0x1000));
	CHECK(!ranges_contain(r, 0, 0x1000, 0x1000));
}

TEST(partition_range_whole_pages)
{
	CHECK(range_is_whole_pages(0x1000, 0x2000));
	CHECK(!range_is_whole_pages(0x1000, 0));
	CHECK(!range_is_whole_pages(0x1001, 0x1000));
	CHECK(!range_is_whole_pages(0x1000, 0x1800));
	CHECK(!range_is_whole_pages(~0xfffULL, 0x2000));	/* wraps */
}

TEST(partition_ranges_cut)
{
	struct boot_range r[3] = { { 0x100000, 0x400000 }, { 0x1000000, 0x100000 } };
	uint32_t n = 2;

	/* Middle: a split, the list stays sorted. */
	CHECK_EQ(ranges_cut(r, &n, 3, 0x200000, 0x100000), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(r[0].base, 0x100000);
	CHECK_EQ(r[0].size, 0x100000);
	CHECK_EQ(r[1].base, 0x300000);
	CHECK_EQ(r[1].size, 0x200000);
	CHECK_EQ(r[2].base, 0x1000000);
	/* No room for another split: nothing changes. */
	CHECK_EQ(ranges_cut(r, &n, 3, 0x380000, 0x1000), -ENOSPC);
	CHECK_EQ(n, 3);
	CHECK_EQ(r[1].size, 0x200000);
	/* Head and tail trims. */
	CHECK_EQ(ranges_cut(r, &n, 3, 0x300000, 0x80000), 0);
	CHECK_EQ(r[1].base, 0x380000);
	CHECK_EQ(r[1].size, 0x180000);
	CHECK_EQ(ranges_cut(r, &n, 3, 0x480000, 0x80000), 0);
	CHECK_EQ(r[1].size, 0x100000);
	/* A whole range goes; the rest closes up. */
	CHECK_EQ(ranges_cut(r, &n, 3, 0x100000, 0x100000), 0);
	CHECK_EQ(n, 2);
	CHECK_EQ(r[0].base, 0x380000);
	CHECK_EQ(r[1].base, 0x1000000);
	/* Not held by one range: refused. */
	CHECK_EQ(ranges_cut(r, &n, 3, 0x400000, 0x1000000), -EINVAL);
	CHECK_EQ(ranges_cut(r, &n, 3, 0x2000000, 0x1000), -EINVAL);
	CHECK_EQ(n, 2);
}
