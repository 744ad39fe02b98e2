// SPDX-License-Identifier: GPL-2.0
/*
 * The boot description once the kernel runs: kept for whoever needs the
 * partition as booted (self-tests, fault injection), and the helpers every
 * entry path and later partition change use on it. Pure logic, host-tested
 * with init/partition.c.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/string.h>

/* Set once by kernel_main on the boot CPU before anything reads it. */
static const struct boot_info *kernel_boot_info;

void kernel_set_boot_info(const struct boot_info *bi)
{
	kernel_boot_info = bi;
}

const struct boot_info *kernel_get_boot_info(void)
{
	return kernel_boot_info;
}

bool kernel_is_cokernel(void)
{
	return kernel_boot_info && (kernel_boot_info->flags & BOOT_FLAG_COKERNEL);
}

int partition_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *what)
{
	struct boot_reserved *r;

	if (bi->nr_reserved == BOOT_MAX_RESERVED)
		return -ENOSPC;
	r = &bi->reserved[bi->nr_reserved++];
	memset(r, 0, sizeof(*r));
	r->base = base;
	r->size = size;
	memcpy(r->what, what, strnlen(what, sizeof(r->what) - 1));
	return 0;
}

uint64_t partition_bytes(const struct boot_info *bi)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < bi->nr_mem; i++)
		sum += bi->mem[i].size;
	return sum;
}
