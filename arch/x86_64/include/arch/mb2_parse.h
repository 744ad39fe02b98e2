/* SPDX-License-Identifier: GPL-2.0 */
/* Turning the multiboot2 information structure into a struct boot_info. */
#ifndef ARCH_MB2_PARSE_H
#define ARCH_MB2_PARSE_H

#include <cove/boot_info.h>
#include <cove/multiboot2.h>

/* What multiboot2 tells us that struct boot_info has no field for. */
struct mb2_extra {
	uint8_t rsdp[ACPI_RSDP_V2_LEN];	/* copy of the RSDP from tag 15, else tag 14 */
	uint32_t rsdp_len;		/* 36, 20, or 0 when neither tag is present */
	uint32_t nr_mmap_entries;	/* as the loader reported them */
	uint32_t nr_dropped_ranges;	/* usable ranges beyond BOOT_MAX_MEM_RANGES */
};

/*
 * Fills bi (and extra, if not NULL) from the multiboot2 structure at mbi,
 * whose physical address is mbi_phys. bi should start zeroed: flags are
 * or-ed, reserved[] is appended to, and nr_cpus and kernel_phys/size are
 * left for the caller.
 *
 *  - mem[]: available (type 1) memory, each entry shrunk to whole pages,
 *    minus any page a non-available entry touches, minus page 0; sorted and
 *    merged. If more than BOOT_MAX_MEM_RANGES remain, the largest are kept.
 *    firmware_usable_bytes is the sum of what is kept.
 *  - reserved[]: the structure itself ("multiboot2 info") and every module
 *    ("module"), widened to whole pages. The first module is the initrd.
 *  - acpi_rsdp: the physical address of the RSDP copy inside the structure,
 *    which stays valid because the structure is reserved.
 *
 * Returns 0; -EINVAL for a malformed structure: total_size < 8 or > 1 MiB,
 * mbi_phys not 8-aligned, a tag header or body past total_size, a tag smaller
 * than its fixed fields (8 bytes; 16 for modules and mmap; 8 + 20 or 8 + 36
 * for the RSDP tags), a module ending before it starts, mmap entry_size < 24,
 * or no mmap tag; -ENOSPC if reserved[] cannot take every module. On error
 * bi and extra are untouched.
 */
int mb2_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *bi, struct mb2_extra *extra);

#endif /* ARCH_MB2_PARSE_H */
