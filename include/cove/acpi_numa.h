/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI SRAT (which proximity domain each CPU and memory range is in)
 * and SLIT (distances between domains), read as pure functions of the
 * table bytes so host tests and the fuzzer run the same code, then turned
 * into a struct numa_layout. Firmware is not trusted: every length is
 * checked, and a table that contradicts itself is refused whole (-EINVAL)
 * so the caller can fall back to one node.
 */
#ifndef COVE_ACPI_NUMA_H
#define COVE_ACPI_NUMA_H

#include <cove/acpi.h>
#include <cove/numa.h>
#include <cove/types.h>

#define ACPI_SRAT_MAX_MEM 64
#define ACPI_SLIT_MAX 64		/* localities; more are refused */

/* Entry types of the SRAT */
#define ACPI_SRAT_CPU 0
#define ACPI_SRAT_MEM 1
#define ACPI_SRAT_X2APIC 2

#define ACPI_SRAT_ENABLED (1U << 0)
#define ACPI_SRAT_MEM_HOTPLUG (1U << 1)

struct acpi_srat_cpu {
	uint32_t apic_id;
	uint32_t pxm;
};

struct acpi_srat_mem {
	uint64_t base;
	uint64_t size;
	uint32_t pxm;
	bool hotplug;
};

/* Enabled entries only, in table order. */
struct acpi_srat_info {
	uint32_t nr_cpus;
	struct acpi_srat_cpu cpus[BOOT_MAX_CPUS];
	uint32_t nr_mem;
	struct acpi_srat_mem mem[ACPI_SRAT_MAX_MEM];
	uint32_t nr_dropped;		/* enabled entries past the arrays */
};

struct acpi_slit_info {
	uint32_t n;			/* localities; 0: no (usable) SLIT */
	uint8_t dist[ACPI_SLIT_MAX * ACPI_SLIT_MAX];	/* row-major, by proximity domain */
};

/* Parse SRAT bytes t[0..len) (header included): 0, or -EINVAL. *out zeroed first. */
int acpi_srat_parse(const void *t, uint32_t len, struct acpi_srat_info *out);
/* Parse SLIT bytes: 0, or -EINVAL (wrong size, a self distance not 10, ...). */
int acpi_slit_parse(const void *t, uint32_t len, struct acpi_slit_info *out);
/* Find and parse them: -ENOENT when absent. */
int acpi_parse_srat(const struct acpi_ctx *a, struct acpi_srat_info *out);
int acpi_parse_slit(const struct acpi_ctx *a, struct acpi_slit_info *out);

/*
 * Nodes are numbered as Linux numbers them: in order of first mention,
 * CPUs before memory. slit may be NULL or empty (distances 10/20); a SLIT
 * that does not cover every domain is not used (*slit_used false).
 * -EINVAL (out is then one node) for no enabled memory, ranges of two
 * nodes overlapping, or more domains than NUMA_MAX_NODES.
 */
int acpi_numa_build(const struct acpi_srat_info *srat, const struct acpi_slit_info *slit,
		    struct numa_layout *out, bool *slit_used);
/* Node of the CPU with this APIC ID (0 when the SRAT does not name it). */
uint32_t acpi_numa_cpu_node(const struct acpi_srat_info *srat, const struct numa_layout *l,
			    uint32_t apic_id);

#endif /* COVE_ACPI_NUMA_H */
