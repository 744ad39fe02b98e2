// SPDX-License-Identifier: GPL-2.0
/*
 * The SRAT and SLIT parsers and the layout built from them: firmware
 * bytes, never trusted. The input is split at its first byte into an SRAT
 * and a SLIT (signatures forced, so the parsers get past the first check).
 */
#include <cove/acpi_numa.h>
#include <cove/errno.h>
#include "fuzz.h"

static struct acpi_srat_info srat;
static struct acpi_slit_info slit;
static struct numa_layout layout;

static uint8_t *fuzz_table(const uint8_t *data, size_t size, const char *sig)
{
	uint8_t *t = malloc(size ? size : 1);

	if (!t)
		abort();
	memcpy(t, data, size);
	if (size >= 4)
		memcpy(t, sig, 4);
	return t;
}

/* The layout's promises: sorted, disjoint ranges of known nodes; sane distances. */
static void fuzz_check_layout(const struct numa_layout *l)
{
	FUZZ_ASSERT(l->nr_nodes >= 1 && l->nr_nodes <= NUMA_MAX_NODES);
	FUZZ_ASSERT(l->nr_ranges <= NUMA_MAX_RANGES);
	for (uint32_t i = 0; i < l->nr_ranges; i++) {
		FUZZ_ASSERT(l->ranges[i].node < l->nr_nodes && l->ranges[i].size);
		FUZZ_ASSERT(l->ranges[i].base + l->ranges[i].size > l->ranges[i].base);
		FUZZ_ASSERT(i == 0 || l->ranges[i - 1].base + l->ranges[i - 1].size <=
				      l->ranges[i].base);
		FUZZ_ASSERT(numa_layout_node_of(l, l->ranges[i].base) == l->ranges[i].node);
	}
	for (uint32_t i = 0; i < l->nr_nodes; i++) {
		for (uint32_t j = 0; j < l->nr_nodes; j++)
			FUZZ_ASSERT(i == j ? l->distance[i][j] == NUMA_LOCAL_DISTANCE :
					     l->distance[i][j] > NUMA_LOCAL_DISTANCE);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut = 0;
	uint8_t *a, *b;
	bool used;
	int rs, rl;

	if (size) {
		cut = data[0] * (size - 1) / 256;
		data++;
		size--;
	}
	a = fuzz_table(data, cut, "SRAT");
	b = fuzz_table(data + cut, size - cut, "SLIT");
	rs = acpi_srat_parse(a, (uint32_t)cut, &srat);
	rl = acpi_slit_parse(b, (uint32_t)(size - cut), &slit);
	FUZZ_ASSERT(rs == 0 || rs == -EINVAL);
	FUZZ_ASSERT(rl == 0 || rl == -EINVAL);
	FUZZ_ASSERT(srat.nr_cpus <= BOOT_MAX_CPUS && srat.nr_mem <= ACPI_SRAT_MAX_MEM);
	FUZZ_ASSERT(slit.n <= ACPI_SLIT_MAX);
	if (rs == 0) {
		int rb = acpi_numa_build(&srat, rl ? NULL : &slit, &layout, &used);

		FUZZ_ASSERT(rb == 0 || rb == -EINVAL);
		FUZZ_ASSERT(rb == 0 || !used);
		fuzz_check_layout(&layout);
		for (uint32_t i = 0; i < srat.nr_cpus; i++)
			FUZZ_ASSERT(acpi_numa_cpu_node(&srat, &layout, srat.cpus[i].apic_id) <
				    layout.nr_nodes);
	}
	free(a);
	free(b);
	return 0;
}
