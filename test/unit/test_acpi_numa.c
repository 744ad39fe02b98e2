// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the SRAT/SLIT parsers and the layout built from them.
 * Tables are written byte by byte at the offsets the ACPI spec gives (not
 * through the parser's helpers), into an allocation of exactly the table's
 * length so ASan sees any read past it.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/acpi_numa.h>
#include <cove/errno.h>
#include "unit.h"

struct tbl {
	uint8_t b[4096];
	uint32_t n;
};

static void put(struct tbl *t, uint64_t v, int size)
{
	for (int i = 0; i < size; i++)
		t->b[t->n++] = v >> (8 * i);
}

static void hdr(struct tbl *t, const char *sig, uint8_t rev)
{
	t->n = 0;
	memcpy(t->b, sig, 4);
	t->n = 8;
	put(t, rev, 1);
	while (t->n < 36)
		put(t, 0, 1);
}

static void srat_begin(struct tbl *t, uint8_t rev)
{
	hdr(t, "SRAT", rev);
	put(t, 1, 4);		/* reserved, 1 by the spec */
	put(t, 0, 8);
}

static void srat_cpu(struct tbl *t, uint32_t pxm, uint8_t apic, uint32_t flags)
{
	put(t, 0, 1);
	put(t, 16, 1);
	put(t, pxm & 0xff, 1);
	put(t, apic, 1);
	put(t, flags, 4);
	put(t, 0, 1);		/* local SAPIC EID */
	put(t, pxm >> 8, 3);
	put(t, 0, 4);		/* clock domain */
}

static void srat_x2apic(struct tbl *t, uint32_t pxm, uint32_t apic, uint32_t flags)
{
	put(t, 2, 1);
	put(t, 24, 1);
	put(t, 0, 2);
	put(t, pxm, 4);
	put(t, apic, 4);
	put(t, flags, 4);
	put(t, 0, 4);
	put(t, 0, 4);
}

static void srat_mem(struct tbl *t, uint32_t pxm, uint64_t base, uint64_t size, uint32_t flags)
{
	put(t, 1, 1);
	put(t, 40, 1);
	put(t, pxm, 4);
	put(t, 0, 2);
	put(t, base, 8);
	put(t, size, 8);
	put(t, 0, 4);
	put(t, flags, 4);
	put(t, 0, 8);
}

static void fix_len(struct tbl *t)
{
	put(t, 0, 0);
	t->b[4] = t->n;
	t->b[5] = t->n >> 8;
	t->b[6] = 0;
	t->b[7] = 0;
}

/* Parse from an exact-size heap copy. */
static int srat_parse(struct tbl *t, struct acpi_srat_info *out)
{
	uint8_t *copy = malloc(t->n);
	int rc;

	memcpy(copy, t->b, t->n);
	rc = acpi_srat_parse(copy, t->n, out);
	free(copy);
	return rc;
}

static int slit_parse(struct tbl *t, struct acpi_slit_info *out)
{
	uint8_t *copy = malloc(t->n);
	int rc;

	memcpy(copy, t->b, t->n);
	rc = acpi_slit_parse(copy, t->n, out);
	free(copy);
	return rc;
}

/* What QEMU builds for -numa node,cpus=0 -numa node,cpus=1 with 256 MiB each. */
static void qemu_two_nodes(struct tbl *t)
{
	srat_begin(t, 3);
	srat_cpu(t, 0, 0, 1);
	srat_cpu(t, 1, 1, 1);
	srat_mem(t, 0, 0, 0xa0000, 1);
	srat_mem(t, 0, 0x100000, 0xff00000, 1);
	srat_mem(t, 1, 0x10000000, 0x10000000, 1);
	srat_mem(t, 0, 0, 0, 0);		/* a disabled padding entry */
	fix_len(t);
}

static struct acpi_srat_info srat;
static struct acpi_slit_info slit;
static struct numa_layout layout;

TEST(srat_two_nodes)
{
	struct tbl t;
	bool used;

	qemu_two_nodes(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(srat.nr_cpus, 2);
	CHECK_EQ(srat.cpus[1].apic_id, 1);
	CHECK_EQ(srat.cpus[1].pxm, 1);
	CHECK_EQ(srat.nr_mem, 3);
	CHECK_EQ(srat.mem[2].base, 0x10000000);
	CHECK_EQ(acpi_numa_build(&srat, NULL, &layout, &used), 0);
	CHECK(!used);
	CHECK_EQ(layout.nr_nodes, 2);
	CHECK_EQ(layout.nr_ranges, 3);
	CHECK_EQ(layout.distance[0][1], 20);
	CHECK_EQ(layout.distance[1][1], 10);
	CHECK_EQ(numa_layout_node_of(&layout, 0x5000), 0);
	CHECK_EQ(numa_layout_node_of(&layout, 0x10000000), 1);
	CHECK_EQ(numa_layout_node_of(&layout, 0x1fffffff), 1);
	CHECK_EQ(numa_layout_node_of(&layout, 0x20000000), 0);	/* past every range */
	CHECK_EQ(acpi_numa_cpu_node(&srat, &layout, 1), 1);
	CHECK_EQ(acpi_numa_cpu_node(&srat, &layout, 7), 0);
}

TEST(srat_run_cuts_at_boundaries)
{
	struct tbl t;
	uint64_t end;
	bool used;

	qemu_two_nodes(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(acpi_numa_build(&srat, NULL, &layout, &used), 0);
	CHECK_EQ(numa_layout_run(&layout, 0x100000, 0x18000000, &end), 0);
	CHECK_EQ(end, 0x10000000);
	CHECK_EQ(numa_layout_run(&layout, end, 0x18000000, &end), 1);
	CHECK_EQ(end, 0x18000000);
	/* The hole at 640 KiB belongs to no range: node 0 up to the next one. */
	CHECK_EQ(numa_layout_run(&layout, 0xa0000, 0x200000, &end), 0);
	CHECK_EQ(end, 0x100000);
}

TEST(srat_nodes_in_order_of_mention)
{
	struct tbl t;
	bool used;

	srat_begin(&t, 3);
	srat_x2apic(&t, 7, 0x100, 1);
	srat_cpu(&t, 3, 2, 1);
	srat_cpu(&t, 9, 3, 0);			/* disabled: not a node */
	srat_mem(&t, 3, 0, 0x100000, 1);
	srat_mem(&t, 7, 0x100000, 0x100000, 3);	/* hotpluggable, still enabled */
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(srat.nr_cpus, 2);
	CHECK(srat.mem[1].hotplug);
	CHECK_EQ(acpi_numa_build(&srat, NULL, &layout, &used), 0);
	CHECK_EQ(layout.nr_nodes, 2);
	CHECK_EQ(layout.pxm[0], 7);
	CHECK_EQ(layout.pxm[1], 3);
	CHECK_EQ(acpi_numa_cpu_node(&srat, &layout, 0x100), 0);
	CHECK_EQ(numa_layout_node_of(&layout, 0), 1);
}

TEST(srat_revision1_reads_low_domain_byte)
{
	struct tbl t;

	srat_begin(&t, 1);
	srat_cpu(&t, 0x0201, 0, 1);
	srat_mem(&t, 0x0301, 0, 0x1000, 1);
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(srat.cpus[0].pxm, 1);
	CHECK_EQ(srat.mem[0].pxm, 1);
}

TEST(srat_rejects_bad_entries)
{
	struct tbl t;

	srat_begin(&t, 3);
	srat_cpu(&t, 0, 0, 1);
	t.b[t.n - 15] = 1;			/* entry length 1 */
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), -EINVAL);

	srat_begin(&t, 3);
	srat_mem(&t, 0, 0, 0x1000, 1);
	t.b[t.n - 39] = 24;			/* a memory entry too short for its fields */
	t.n -= 16;
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), -EINVAL);

	srat_begin(&t, 3);
	srat_mem(&t, 0, 0, 0x1000, 1);
	t.n -= 1;				/* last entry runs past the table */
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), -EINVAL);

	srat_begin(&t, 3);
	srat_mem(&t, 0, ~0ULL - 0xfff, 0x2000, 1);	/* wraps */
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), -EINVAL);

	hdr(&t, "SRAT", 3);			/* shorter than its fixed header */
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), -EINVAL);
}

TEST(srat_unknown_types_skipped)
{
	struct tbl t;

	srat_begin(&t, 3);
	put(&t, 3, 1);				/* a GICC entry: not ours */
	put(&t, 18, 1);
	for (int i = 0; i < 16; i++)
		put(&t, 0xff, 1);
	srat_mem(&t, 0, 0, 0x1000, 1);
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(srat.nr_mem, 1);
}

TEST(numa_build_refuses_contradictions)
{
	struct tbl t;
	bool used;

	/* Two nodes claim the same bytes. */
	srat_begin(&t, 3);
	srat_mem(&t, 0, 0, 0x200000, 1);
	srat_mem(&t, 1, 0x100000, 0x200000, 1);
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(acpi_numa_build(&srat, NULL, &layout, &used), -EINVAL);
	CHECK_EQ(layout.nr_nodes, 1);
	CHECK_EQ(layout.nr_ranges, 0);
	CHECK_EQ(numa_layout_node_of(&layout, 0x100000), 0);

	/* CPUs but no memory. */
	srat_begin(&t, 3);
	srat_cpu(&t, 0, 0, 1);
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(acpi_numa_build(&srat, NULL, &layout, &used), -EINVAL);

	/* More domains than nodes. */
	srat_begin(&t, 3);
	for (uint32_t i = 0; i <= NUMA_MAX_NODES; i++)
		srat_mem(&t, i, (uint64_t)i << 20, 1 << 20, 1);
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(acpi_numa_build(&srat, NULL, &layout, &used), -EINVAL);

	/* The same range twice for one node is only repetition. */
	srat_begin(&t, 3);
	srat_mem(&t, 0, 0, 0x200000, 1);
	srat_mem(&t, 0, 0x100000, 0x1000, 1);
	fix_len(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(acpi_numa_build(&srat, NULL, &layout, &used), 0);
	CHECK_EQ(layout.nr_ranges, 1);
}

static void slit_make(struct tbl *t, uint64_t n, const uint8_t *d)
{
	hdr(t, "SLIT", 1);
	put(t, n, 8);
	for (uint64_t i = 0; i < n * n; i++)
		put(t, d[i], 1);
	fix_len(t);
}

TEST(slit_distances)
{
	static const uint8_t d[] = { 10, 31, 31, 10 };
	struct tbl t, s;
	bool used;

	slit_make(&s, 2, d);
	CHECK_EQ(slit_parse(&s, &slit), 0);
	CHECK_EQ(slit.n, 2);
	qemu_two_nodes(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(acpi_numa_build(&srat, &slit, &layout, &used), 0);
	CHECK(used);
	CHECK_EQ(layout.distance[0][1], 31);
	CHECK_EQ(layout.distance[1][0], 31);
	CHECK_EQ(layout.distance[0][0], 10);
}

TEST(slit_rejected_or_unused)
{
	static const uint8_t self_not_10[] = { 10, 20, 20, 11 };
	static const uint8_t remote_10[] = { 10, 10, 20, 10 };
	static const uint8_t one[] = { 10 };
	struct tbl t, s;
	bool used;

	slit_make(&s, 2, self_not_10);
	CHECK_EQ(slit_parse(&s, &slit), -EINVAL);
	slit_make(&s, 2, remote_10);
	CHECK_EQ(slit_parse(&s, &slit), -EINVAL);
	slit_make(&s, 2, self_not_10);
	s.n -= 1;				/* the matrix cut short */
	fix_len(&s);
	CHECK_EQ(slit_parse(&s, &slit), -EINVAL);
	hdr(&s, "SLIT", 1);
	put(&s, 1ULL << 40, 8);			/* a count whose square overflows 32 bits */
	fix_len(&s);
	CHECK_EQ(slit_parse(&s, &slit), -EINVAL);

	/* A valid SLIT that names fewer domains than the SRAT: defaults. */
	slit_make(&s, 1, one);
	CHECK_EQ(slit_parse(&s, &slit), 0);
	qemu_two_nodes(&t);
	CHECK_EQ(srat_parse(&t, &srat), 0);
	CHECK_EQ(acpi_numa_build(&srat, &slit, &layout, &used), 0);
	CHECK(!used);
	CHECK_EQ(layout.distance[1][0], 20);
}
