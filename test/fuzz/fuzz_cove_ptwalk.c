// SPDX-License-Identifier: GPL-2.0
/*
 * The module's walk of a job's page tables (linux/module/cove_ptwalk.c),
 * whose every byte the enclave wrote. Input: up to four memory ranges the
 * enclave owns, a root and a virtual address, then the bytes of a 64 KiB
 * stretch of "physical memory" at 1 MiB. The walk may read an entry only
 * in a range the enclave owns (and inside the stretch), and may hand out
 * only a page of such a range -- whatever the tables say -- and the leaf
 * entry it names (where the module may set the dirty bit) is one it read.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "fuzz.h"

typedef unsigned long long u64;
#define COVE_PTWALK_USER
#include "../../linux/module/cove_ptwalk.c"

#define PHYS_BASE 0x100000ULL
#define PHYS_SIZE 0x10000ULL

struct fuzz_mem {
	u64 base[4], size[4];
	unsigned int nr;
	const uint8_t *phys;	/* PHYS_SIZE bytes at PHYS_BASE */
};

static bool fuzz_owns(void *ctx, u64 pa, u64 len)
{
	struct fuzz_mem *m = ctx;

	for (unsigned int i = 0; i < m->nr; i++) {
		if (pa >= m->base[i] && len <= m->size[i] && pa - m->base[i] <= m->size[i] - len)
			return true;
	}
	return false;
}

static int fuzz_read64(void *ctx, u64 pa, u64 *val)
{
	struct fuzz_mem *m = ctx;

	/* The walker must have checked: only the enclave's memory is ever read. */
	FUZZ_ASSERT(fuzz_owns(m, pa, 8));
	if (pa < PHYS_BASE || pa + 8 > PHYS_BASE + PHYS_SIZE)
		return -EFAULT;	/* owned, but not in this stretch: unreadable here */
	memcpy(val, m->phys + (pa - PHYS_BASE), 8);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t phys[PHYS_SIZE];
	struct fuzz_mem m = { .phys = phys };
	const struct cove_ptwalk_mem mem = { &m, fuzz_owns, fuzz_read64 };
	struct cove_ptwalk_leaf leaf;
	u64 hdr[10], root, va, pa = 0;
	size_t rest;

	if (size < sizeof(hdr))
		return 0;
	memcpy(hdr, data, sizeof(hdr));
	m.nr = (unsigned int)(hdr[0] % 5);
	for (unsigned int i = 0; i < m.nr && i < 4; i++) {
		/* Ranges near the stretch, so the walk gets somewhere. */
		m.base[i] = PHYS_BASE + (hdr[1 + i] % (2 * PHYS_SIZE)) - PHYS_SIZE / 2;
		m.size[i] = hdr[5 + i] % (2 * PHYS_SIZE);
	}
	root = PHYS_BASE + (hdr[9] & 0xffff) - 0x1000;
	va = hdr[9] >> 16;
	rest = size - sizeof(hdr);
	memset(phys, 0, sizeof(phys));
	memcpy(phys, data + sizeof(hdr), rest < sizeof(phys) ? rest : sizeof(phys));
	if (cove_ptwalk(&mem, root, va, &pa, &leaf) == 0) {
		FUZZ_ASSERT(fuzz_owns(&m, pa, 4096));
		FUZZ_ASSERT((pa & 4095) == 0);
		/* The entry the module may set a bit in: the enclave's, and what was read. */
		FUZZ_ASSERT(fuzz_owns(&m, leaf.entry_pa, 8) && (leaf.entry_pa & 7) == 0);
		FUZZ_ASSERT(leaf.entry_pa >= PHYS_BASE && leaf.entry_pa + 8 <= PHYS_BASE + PHYS_SIZE);
		FUZZ_ASSERT(!memcmp(&leaf.entry, phys + (leaf.entry_pa - PHYS_BASE), 8));
		/* Writable for the proxy only if the leaf (and every table above) says so. */
		FUZZ_ASSERT(!leaf.writable || (leaf.entry & 2));
	}
	return 0;
}
