/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shrinking the partition to what the command line allows (mem=, cpus=).
 * Pure logic on struct boot_info, host-tested.
 */
#ifndef COVE_PARTITION_H
#define COVE_PARTITION_H

#include <cove/types.h>

struct boot_info;
struct boot_range;

/* Whether one of the n ranges holds all of [base, base+size). */
bool ranges_contain(const struct boot_range *r, uint32_t n, uint64_t base, uint64_t size);
/* Whether any of the n ranges shares a byte with [base, base+size). */
bool ranges_overlap(const struct boot_range *r, uint32_t n, uint64_t base, uint64_t size);
/* Whether [base, base+size) is a non-empty run of whole pages that does not wrap. */
bool range_is_whole_pages(uint64_t base, uint64_t size);
/*
 * Cut [base, base+size) out of the one of the *n sorted ranges that holds
 * it, splitting that range if need be (room for max). 0; -EINVAL if no
 * range holds it all; -ENOSPC if a split finds no room (nothing changed).
 */
int ranges_cut(struct boot_range *r, uint32_t *n, uint32_t max, uint64_t base, uint64_t size);

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
 * Record [base, base+size) as held at entry (image, modules, host
 * channels). Returns 0, or -ENOSPC when bi->reserved is full.
 */
int partition_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *what);

/* Sum of bi->mem sizes. */
uint64_t partition_bytes(const struct boot_info *bi);

#endif /* COVE_PARTITION_H */
