/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual memory layout. Kept free of C so head.asm can share the numbers
 * through scripts (the NASM side repeats them; see boot/head.asm).
 */
#ifndef ARCH_MEMLAYOUT_H
#define ARCH_MEMLAYOUT_H

/* User space is the lower canonical half: every user address is below this. */
#define USER_ADDR_END 0x0000800000000000ULL
/*
 * A job's own layout stays below 16 TiB (COVE_JOB_VA_END in pisces_abi.h):
 * its host proxy mirrors that window at the same addresses and keeps its
 * own code, stack and libraries above it, where Linux puts them.
 */
#define USER_PIE_BASE 0x0000055555554000ULL
#define USER_MMAP_TOP 0x00000f0000000000ULL
#define USER_STACK_TOP 0x00000ffffff00000ULL
/* The image is linked here; -mcmodel=kernel needs the top 2 GiB. */
#define KERNEL_VMA_BASE 0xFFFFFFFF80000000ULL
/* Physical address the image is linked for when a loader honours it. */
#define KERNEL_LINK_PHYS 0x200000ULL
/* Every partition page is also visible here, at DIRECT_MAP_BASE + phys. */
#define DIRECT_MAP_BASE 0xFFFF888000000000ULL
/* The boot page tables map this much of the direct map (and identity). */
#define BOOT_MAPPED_LIMIT 0x100000000ULL
/* pisces_head.asm maps this much with 1 GiB pages (else BOOT_MAPPED_LIMIT). */
#define PISCES_MAPPED_LIMIT_1G (512ULL << 30)

#define KSTACK_SIZE (16 * 1024)

#endif /* ARCH_MEMLAYOUT_H */
