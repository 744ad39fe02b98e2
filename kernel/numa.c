// SPDX-License-Identifier: GPL-2.0
/*
 * The partition's NUMA layout, kept from the boot description: the node of
 * each physical range and CPU, the distances. Written once by numa_init on
 * the boot CPU before any other CPU runs or any memory is handed out, read
 * only after that, so no lock.
 */
#include <cove/boot_info.h>
#include <cove/numa.h>
#include <cove/percpu.h>
#include <cove/string.h>

static struct numa_layout numa_layout;
static uint8_t numa_cpu_nodes_of[MAX_CPUS];

void numa_init(const struct boot_info *bi)
{
	if (bi->numa.nr_nodes)
		numa_layout = bi->numa;
	else
		numa_layout_single(&numa_layout);
	for (uint32_t i = 0; i < bi->nr_cpus && i < MAX_CPUS; i++) {
		uint32_t node = bi->cpus[i].node;

		numa_cpu_nodes_of[i] = node < numa_layout.nr_nodes ? (uint8_t)node : 0;
	}
}

uint32_t numa_nr_nodes(void)
{
	return numa_layout.nr_nodes ? numa_layout.nr_nodes : 1;
}

uint32_t numa_node_of(phys_addr_t pa)
{
	return numa_layout_node_of(&numa_layout, pa);
}

uint32_t numa_run(phys_addr_t pa, phys_addr_t end, phys_addr_t *run_end)
{
	return numa_layout_run(&numa_layout, pa, end, run_end);
}

uint32_t numa_distance(uint32_t from, uint32_t to)
{
	if (from >= numa_nr_nodes() || to >= numa_nr_nodes())
		return 0;
	return numa_layout.nr_nodes ? numa_layout.distance[from][to] : NUMA_LOCAL_DISTANCE;
}

uint32_t numa_cpu_node(uint32_t cpu)
{
	return cpu < MAX_CPUS ? numa_cpu_nodes_of[cpu] : 0;
}

uint64_t numa_cpu_nodes(void)
{
	uint64_t mask = 0;

	for (uint32_t i = 0; i < MAX_CPUS; i++) {
		if (percpu_of(i))
			mask |= 1ULL << numa_cpu_nodes_of[i];
	}
	return mask;
}

uint32_t numa_nodes_by_distance(uint32_t node, uint32_t *order)
{
	uint32_t n = numa_nr_nodes();

	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	/* Insertion sort, ties by node number: a handful of nodes at most. */
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = order[i], j = i;

		while (j > 0 && numa_distance(node, order[j - 1]) > numa_distance(node, v)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	return n;
}
