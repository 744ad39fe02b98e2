/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NUMA layout of the partition: which node each physical range and each
 * CPU belongs to, and the distances between nodes. Built once at entry
 * (bare: from the ACPI SRAT and SLIT, drivers/acpi_numa.c; co-kernel: one
 * node until the host passes its node ids) and read-only afterwards. A
 * machine without tables is one node, node 0, at distance 10 from itself.
 */
#ifndef COVE_NUMA_H
#define COVE_NUMA_H

#include <cove/types.h>

#define NUMA_MAX_NODES 16		/* a nodemask is one u64; this keeps tables small */
#define NUMA_MAX_RANGES 64
#define NUMA_LOCAL_DISTANCE 10
#define NUMA_REMOTE_DISTANCE 20		/* what Linux assumes without a SLIT */

struct numa_range {
	uint64_t base;
	uint64_t size;
	uint32_t node;
};

struct numa_layout {
	uint32_t nr_nodes;		/* 0 in a zeroed layout: read as one node */
	/* Physical memory of each node, sorted by base, never overlapping. */
	uint32_t nr_ranges;
	struct numa_range ranges[NUMA_MAX_RANGES];
	uint32_t pxm[NUMA_MAX_NODES];	/* firmware proximity domain of each node */
	uint8_t distance[NUMA_MAX_NODES][NUMA_MAX_NODES];
};

/* One node holding everything, distance 10: the layout without tables. */
void numa_layout_single(struct numa_layout *l);
/*
 * Add [base, base + size) of node, keeping the ranges sorted: 0, or -EINVAL
 * when it overlaps another node's range (or part of one of its own) or the
 * table is full. A repeat of (part of) a range of the same node is fine.
 */
int numa_layout_add_range(struct numa_layout *l, uint64_t base, uint64_t size, uint32_t node);
/* Node of physical address pa: the range holding it, else node 0. */
uint32_t numa_layout_node_of(const struct numa_layout *l, uint64_t pa);
/*
 * The node of pa and where the run of that node's memory starting at pa
 * ends (at most end): lets a caller cut [pa, end) at node boundaries.
 */
uint32_t numa_layout_run(const struct numa_layout *l, uint64_t pa, uint64_t end,
			 uint64_t *run_end);

struct boot_info;

/* Kernel side (kernel/numa.c): the layout and CPU nodes kernel_main was handed. */
void numa_init(const struct boot_info *bi);
uint32_t numa_nr_nodes(void);
uint32_t numa_node_of(phys_addr_t pa);
/* numa_layout_run on the partition's layout. */
uint32_t numa_run(phys_addr_t pa, phys_addr_t end, phys_addr_t *run_end);
uint32_t numa_distance(uint32_t from, uint32_t to);
/* Node of a kernel CPU index (boot_info.cpus order); 0 when unknown. */
uint32_t numa_cpu_node(uint32_t cpu);
/* Nodes by distance from node, nearest first (node itself first): n entries written. */
uint32_t numa_nodes_by_distance(uint32_t node, uint32_t *order);
/* Bit n set: node n has a CPU of the partition. */
uint64_t numa_cpu_nodes(void);

#endif /* COVE_NUMA_H */
