// SPDX-License-Identifier: GPL-2.0
/*
 * Lookups in a struct numa_layout (<cove/numa.h>): pure functions, shared
 * by the kernel and the host tests.
 */
#include <cove/errno.h>
#include <cove/numa.h>
#include <cove/string.h>

void numa_layout_single(struct numa_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->nr_nodes = 1;
	l->distance[0][0] = NUMA_LOCAL_DISTANCE;
}

uint32_t numa_layout_run(const struct numa_layout *l, uint64_t pa, uint64_t end,
			 uint64_t *run_end)
{
	/* Ranges are sorted: the first one ending past pa holds pa or lies beyond it. */
	for (uint32_t i = 0; i < l->nr_ranges; i++) {
		const struct numa_range *r = &l->ranges[i];

		if (r->base + r->size <= pa)
			continue;
		if (r->base <= pa) {
			*run_end = MIN(end, r->base + r->size);
			return r->node;
		}
		/* A hole the tables do not describe: node 0, up to the next range. */
		*run_end = MIN(end, r->base);
		return 0;
	}
	*run_end = end;
	return 0;
}

uint32_t numa_layout_node_of(const struct numa_layout *l, uint64_t pa)
{
	uint64_t end;

	return numa_layout_run(l, pa, pa + 1, &end);
}

int numa_layout_add_range(struct numa_layout *l, uint64_t base, uint64_t size, uint32_t node)
{
	uint32_t i = l->nr_ranges;

	if (!size || base + size < base || node >= NUMA_MAX_NODES)
		return -EINVAL;
	for (uint32_t k = 0; k < l->nr_ranges; k++) {
		const struct numa_range *r = &l->ranges[k];

		if (base < r->base + r->size && r->base < base + size) {
			/* Firmware may repeat a range; two nodes claiming one byte is a lie. */
			if (r->node != node)
				return -EINVAL;
			if (base >= r->base && base + size <= r->base + r->size)
				return 0;
			return -EINVAL;
		}
	}
	if (i == NUMA_MAX_RANGES)
		return -EINVAL;
	while (i > 0 && l->ranges[i - 1].base > base) {
		l->ranges[i] = l->ranges[i - 1];
		i--;
	}
	l->ranges[i].base = base;
	l->ranges[i].size = size;
	l->ranges[i].node = node;
	l->nr_ranges++;
	return 0;
}
