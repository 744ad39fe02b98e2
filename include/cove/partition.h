/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shrinking the partition to what the command line allows (mem=, cpus=).
 * Pure logic on struct boot_info, host-tested.
 */
#ifndef COVE_PARTITION_H
#define COVE_PARTITION_H

#include <cove/ranges.h>
#include <cove/types.h>

struct boot_info;
struct boot_range;

/* Room the kernel needs beyond its image and modules to get going. */
#define PARTITION_MIN_HEADROOM (16 * MiB)

typedef void (*partition_report_fn)(void *ctx, bool is_error, const char *msg);

/*
 * Keep the lowest mem_limit bytes of partition memory (0 = no limit) and the
 * first cpu_limit CPUs (0 = no limit; the boot CPU always stays). A limit
 * larger than what exists is a note, not an error. A memory limit that would
 * cut off the kernel image or a module, or leave less than
 * PARTITION_MIN_HEADROOM beyond them, is an error and changes nothing.
 * Reserved ranges left outside the partition are dropped.
 * Returns 0, or -EINVAL after reporting the error.
 */
int partition_restrict(struct boot_info *bi, uint64_t mem_limit, uint32_t cpu_limit,
		       partition_report_fn report, void *ctx);

/*
 * At run time (kernel/partition_resize.c): add a granted range to the
 * partition; the protection layer checks the grant again. 0 or -errno.
 */
int partition_grow(struct boot_info *bi, uint64_t base, uint64_t size);
/*
 * Give [base, base+size) back: it must be free partition memory. 0, or
 * -EBUSY (in use: nothing changed), -EINVAL / -EPERM (not ours to give).
 */
int partition_shrink(struct boot_info *bi, uint64_t base, uint64_t size);

#endif /* COVE_PARTITION_H */
