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

/* The partition banner (init/report.c). */
void report_memory(const struct boot_info *bi);
void report_cpus(const struct boot_info *bi);

#endif /* COVE_INIT_H */
