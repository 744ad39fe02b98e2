/* SPDX-License-Identifier: GPL-2.0 */
/* What the memory calls (sys_mm.c, sys_mm_hugetlb.c) share: Linux's flags. */
#ifndef KERNEL_SYSCALLS_SYS_MM_H
#define KERNEL_SYSCALLS_SYS_MM_H

#include <cove/types.h>

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_HUGETLB 0x40000
#define MAP_HUGE_SHIFT 26
#define MAP_HUGE_MASK 0x3f
#define MAP_FIXED_NOREPLACE 0x100000

struct aspace;

/*
 * mmap(MAP_ANONYMOUS | MAP_HUGETLB) of len bytes (not yet rounded) with
 * rights prot (VM_*): the address, or -errno as Linux gives it.
 */
int64_t mm_map_hugetlb(struct aspace *as, uint64_t addr, uint64_t len, uint64_t flags,
		       uint32_t prot);

#endif /* KERNEL_SYSCALLS_SYS_MM_H */
