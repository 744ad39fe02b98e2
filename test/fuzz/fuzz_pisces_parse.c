// SPDX-License-Identifier: GPL-2.0
/*
 * The Pisces boot block (arch/x86_64/boot/pisces_parse.c), as any loader
 * might write it: the input is the block's first page (the Pisces fields and
 * Cove's extension) and the host page. Whatever it says, the parser reads
 * only through its phys callback inside those two, and what it accepts
 * lies in the partition it names. The job spec of a LAUNCH_JOB is fuzzed
 * from the same bytes.
 */
#include <arch/pisces_parse.h>
#include <cove/errno.h>
#include <cove/pisces_abi.h>
#include <cove/pisces_job.h>
#include "fuzz.h"

#define BASE 0x40000000ULL
#define HOST_PAGE 0x9000ULL

static uint8_t *fuzz_block, *fuzz_host;

static const void *fuzz_phys(uint64_t pa, uint64_t len)
{
	if (pa >= BASE && pa - BASE < 4096 && len <= 4096 - (pa - BASE))
		return fuzz_block + (pa - BASE);
	if (pa >= HOST_PAGE && pa - HOST_PAGE < 4096 && len <= 4096 - (pa - HOST_PAGE))
		return fuzz_host + (pa - HOST_PAGE);
	return NULL;
}

static bool inside(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	return base >= bi->mem[0].base && base - bi->mem[0].base <= bi->mem[0].size &&
	       size <= bi->mem[0].size - (base - bi->mem[0].base);
}

/* Whatever the host said of its nodes: a layout the allocator can trust. */
static void fuzz_check_numa(const struct boot_info *bi)
{
	const struct numa_layout *l = &bi->numa;

	/* Zeroed (a Pisces loader: no extension) reads as one node. */
	FUZZ_ASSERT(l->nr_nodes <= COVE_NUMA_MAX_NODES);
	FUZZ_ASSERT(l->nr_ranges <= COVE_NUMA_MAX_NODES && (l->nr_nodes || !l->nr_ranges));
	for (uint32_t i = 0; i < l->nr_ranges; i++) {
		FUZZ_ASSERT(l->ranges[i].node < l->nr_nodes && l->ranges[i].size);
		FUZZ_ASSERT(l->ranges[i].base + l->ranges[i].size > l->ranges[i].base);
		FUZZ_ASSERT(!i || l->ranges[i - 1].base + l->ranges[i - 1].size <= l->ranges[i].base);
	}
	for (uint32_t i = 0; i < l->nr_nodes; i++) {
		for (uint32_t j = 0; j < l->nr_nodes; j++)
			FUZZ_ASSERT(i == j ? l->distance[i][j] == 10 : l->distance[i][j] > 10);
	}
	for (uint32_t i = 0; i < bi->nr_cpus; i++)
		FUZZ_ASSERT(bi->cpus[i].node < (l->nr_nodes ? l->nr_nodes : 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pisces_image img = {
		.offset = BASE, .phys = BASE + 0x200000, .size = 0xb4000,
	};
	struct boot_info *bi = calloc(1, sizeof(*bi));
	struct pisces_parsed pp;
	char line[1024], err[128];

	fuzz_block = calloc(1, 4096);
	fuzz_host = calloc(1, 4096);
	if (!bi || !fuzz_block || !fuzz_host)
		abort();
	memcpy(fuzz_block, data, size < 4096 ? size : 4096);
	if (size > 4096)
		memcpy(fuzz_host, data + 4096, size - 4096 < 4096 ? size - 4096 : 4096);
	if (!pisces_parse(fuzz_block, BASE, &img, fuzz_phys, bi, &pp)) {
		FUZZ_ASSERT(bi->nr_mem == 1 && bi->mem[0].base == BASE);
		FUZZ_ASSERT(inside(bi, bi->console_ring.base, bi->console_ring.size));
		FUZZ_ASSERT(inside(bi, bi->control_chan.base, bi->control_chan.size));
		FUZZ_ASSERT(!bi->initrd.size || inside(bi, bi->initrd.base, bi->initrd.size));
		FUZZ_ASSERT(bi->nr_cpus >= 1 && bi->nr_cpus <= COVE_MAX_ENCLAVE_CPUS);
		FUZZ_ASSERT(bi->nr_granted <= COVE_MAX_GRANTS);
		FUZZ_ASSERT(memchr(bi->cmdline, 0, sizeof(bi->cmdline)));
		FUZZ_ASSERT(pp.channels == COVE_CHANNELS_PISCES ||
			    pp.channels == COVE_CHANNELS_COVE);
		fuzz_check_numa(bi);
	} else {
		FUZZ_ASSERT(pp.error);
	}
	if (size >= sizeof(struct pisces_job_spec) &&
	    !pisces_job_line((const void *)data, line, sizeof(line), err, sizeof(err)))
		FUZZ_ASSERT(strlen(line) < sizeof(line) && !strncmp(line, "ranks=", 6));
	free(fuzz_block);
	free(fuzz_host);
	free(bi);
	return 0;
}
