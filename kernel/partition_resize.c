// SPDX-License-Identifier: GPL-2.0
/*
 * Resizing the partition at run time. Growing: a granted range becomes
 * partition memory; the protection layer (if any) checks the grant and maps
 * it in its nested tables first, then the kernel maps it and hands it to
 * the allocator. Shrinking goes the other way round: the allocator lets go
 * of the range (only if all of it is free), the kernel unmaps it, then the
 * layer unmaps it and has every CPU flush. Requests come from the host in
 * co-kernel mode; in bare mode from the command line (partition_add=,
 * partition_remove=), which is how tests drive it.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/partition.h>
#include <cove/pmem.h>
#include <cove/vmm.h>

int partition_grow(struct boot_info *bi, uint64_t base, uint64_t size)
{
	int rc;

	if (!range_is_whole_pages(base, size)) {
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

int partition_shrink(struct boot_info *bi, uint64_t base, uint64_t size)
{
	int rc;

	if (!range_is_whole_pages(base, size)) {
		pr_err("partition: cannot remove %#lx+%#lx: not whole pages\n", base, size);
		return -EINVAL;
	}
	if (!ranges_contain(bi->mem, bi->nr_mem, base, size)) {
		pr_err("partition: cannot remove [%#lx-%#lx]: not partition memory\n", base,
		       base + size - 1);
		return -EINVAL;
	}
	/* A split needs a free slot; check before the allocator lets go. */
	if (bi->nr_mem == BOOT_MAX_MEM_RANGES) {
		pr_err("partition: cannot remove [%#lx-%#lx]: too many ranges\n", base,
		       base + size - 1);
		return -ENOSPC;
	}
	rc = pmem_remove_memory(base, size);
	if (rc) {
		pr_err("partition: cannot remove [%#lx-%#lx]: %s\n", base, base + size - 1,
		       rc == -EBUSY ? "some of it is in use" : "the kernel holds part of it");
		return rc == -EBUSY ? rc : -EPERM;
	}
	rc = kmap_remove_direct(base, size);
	if (!rc)
		rc = vmm_partition_remove(base, size);
	if (rc) {
		/* Unmapped or not, the range is not used again; the host keeps it with us. */
		pr_err("partition: [%#lx-%#lx] is out of use but not released (%d)\n", base,
		       base + size - 1, rc);
		return rc;
	}
	ranges_cut(bi->mem, &bi->nr_mem, BOOT_MAX_MEM_RANGES, base, size);
	kprintf("partition: removed [%#014lx-%#014lx] %lu KiB; now %lu MiB\n", base,
		base + size - 1, size >> 10, partition_bytes(bi) >> 20);
	return 0;
}
