// SPDX-License-Identifier: GPL-2.0
/*
 * Growing the partition at run time: a granted range becomes partition
 * memory. The protection layer (if any) checks the grant and maps it in its
 * nested tables first; then the kernel maps it and hands it to the
 * allocator. Requests come from the host in co-kernel mode; in bare mode
 * from the command line (partition_add=), which is how tests drive it.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/init.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/partition.h>
#include <cove/pmem.h>
#include <cove/vmm.h>

int partition_grow(struct boot_info *bi, uint64_t base, uint64_t size)
{
	int rc;

	if (!size || (base | size) & (PAGE_SIZE - 1) || base + size < base) {
		pr_err("partition: cannot add %#lx+%#lx: not whole pages\n", base, size);
		return -EINVAL;
	}
	host_refresh_grants(bi);
	if (!ranges_contain(bi->granted, bi->nr_granted, base, size) ||
	    ranges_overlap(bi->mem, bi->nr_mem, base, size) ||
	    bi->nr_mem == BOOT_MAX_MEM_RANGES) {
		pr_err("partition: cannot add [%#lx-%#lx]: not granted, or already ours\n", base,
		       base + size - 1);
		return -EPERM;
	}
	/* The layer checks again, with its own copy of the grant: it trusts no one. */
	rc = vmm_partition_add(base, size);
	if (rc) {
		pr_err("partition: the protection layer refused [%#lx-%#lx] (%d)\n", base,
		       base + size - 1, rc);
		return rc;
	}
	rc = kmap_restore_direct(base, size);
	if (!rc)
		rc = pmem_add_memory(base, size);
	if (rc) {
		pr_err("partition: cannot take [%#lx-%#lx] into use (%d)\n", base, base + size - 1,
		       rc);
		return rc;
	}
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].size = size;
	bi->nr_mem++;
	kprintf("partition: added [%#014lx-%#014lx] %lu KiB; now %lu MiB\n", base,
		base + size - 1, size >> 10, partition_bytes(bi) >> 20);
	return 0;
}
