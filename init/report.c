// SPDX-License-Identifier: GPL-2.0
/* The partition banner: what memory and which CPUs this kernel owns. */
#include <cove/boot_info.h>
#include <cove/init.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/numa.h>
#include <cove/partition.h>
#include <cove/percpu.h>
#include <cove/pmem.h>

void report_memory(const struct boot_info *bi)
{
	struct pmem_stats st;
	struct kmap_stats ks;
	uint64_t held;

	pmem_get_stats(&st);
	kmap_get_stats(&ks);
	kprintf("partition: %u memory ranges\n", bi->nr_mem);
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		kprintf("  [%#014lx-%#014lx] %8lu KiB\n", bi->mem[i].base,
			bi->mem[i].base + bi->mem[i].size - 1, bi->mem[i].size >> 10);
	for (uint32_t i = 0; i < bi->nr_reserved; i++)
		kprintf("  held at entry: %-16s [%#014lx-%#014lx] %6lu KiB\n",
			bi->reserved[i].what, bi->reserved[i].base,
			bi->reserved[i].base + bi->reserved[i].size - 1, bi->reserved[i].size >> 10);

	/* Everything not free is held by the kernel: image, boot data, tables, stacks. */
	held = st.partition_bytes - st.free_bytes;
	kprintf("mem: firmware map %lu KiB usable, partition %lu KiB\n",
		bi->firmware_usable_bytes >> 10, st.partition_bytes >> 10);
	kprintf("mem: partition %lu KiB = kernel holds %lu KiB + free %lu KiB\n",
		st.partition_bytes >> 10, held >> 10, st.free_bytes >> 10);
	kprintf("mem: free blocks: %lu of 2 MiB or larger, %lu of 1 GiB\n", st.free_blocks_2m,
		st.free_blocks_1g);
	kprintf("mem: direct map uses %lu x 1 GiB, %lu x 2 MiB, %lu x 4 KiB pages, %lu tables\n",
		ks.pages_1g, ks.pages_2m, ks.pages_4k, ks.tables);
}

/* Only with more than one node: one-node boots print what they always did. */
static void report_numa(const struct boot_info *bi)
{
	uint32_t nodes = numa_nr_nodes();

	if (nodes < 2)
		return;
	kprintf("numa: %u nodes\n", nodes);
	for (uint32_t n = 0; n < nodes; n++) {
		uint64_t managed, free;
		char cpus[64];
		size_t at = 0;

		cpus[0] = 0;
		for (uint32_t i = 0; i < bi->nr_cpus && i < MAX_CPUS; i++) {
			if (numa_cpu_node(i) == n && at < sizeof(cpus) - 8)
				at += ksnprintf(cpus + at, sizeof(cpus) - at, "%s%u", at ? "," : "", i);
		}
		pmem_node_stats(n, &managed, &free);
		kprintf("  node%u: cpus %s, %lu MiB, %lu MiB free, distances", n,
			at ? cpus : "none", managed >> 20, free >> 20);
		for (uint32_t m = 0; m < nodes; m++)
			kprintf(" %u", numa_distance(n, m));
		kprintf("\n");
	}
}

void report_cpus(const struct boot_info *bi)
{
	kprintf("partition: %u CPUs\n", bi->nr_cpus);
	for (uint32_t i = 0; i < bi->nr_cpus && i < MAX_CPUS; i++) {
		struct percpu *p = percpu_of(i);

		kprintf("  cpu%-3u APIC id %-4u %s%s\n", i, bi->cpus[i].apic_id,
			p && p->online ? "online" : "offline", i == 0 ? " (boot)" : "");
	}
	report_numa(bi);
}
