/* SPDX-License-Identifier: GPL-2.0 */
#ifndef COVE_INIT_H
#define COVE_INIT_H

#include <cove/types.h>

struct boot_info;

/*
 * The one path from a boot description to a running kernel. Every entry
 * path calls it on the boot CPU once boot_info is filled in.
 */
void kernel_main(struct boot_info *bi) __noreturn;

/* The boot description kernel_main was given (after cmdline limits). */
const struct boot_info *kernel_get_boot_info(void);
/* Whether a host OS owns the rest of the machine (Pisces entry). */
bool kernel_is_cokernel(void);

/* Add a granted range to the partition at run time (init/partition_resize.c). */
int partition_grow(struct boot_info *bi, uint64_t base, uint64_t size);
/*
 * Give [base, base+size) back: it must be free partition memory. 0, or
 * -EBUSY (in use: nothing changed), -EINVAL / -EPERM (not ours to give).
 */
int partition_shrink(struct boot_info *bi, uint64_t base, uint64_t size);

/* The partition banner (init/report.c). */
void report_memory(const struct boot_info *bi);
void report_cpus(const struct boot_info *bi);

#endif /* COVE_INIT_H */
