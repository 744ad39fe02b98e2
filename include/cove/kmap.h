/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's address space: the image in the top 2 GiB, every partition
 * page in the direct map, and the device pages drivers ask for.
 */
#ifndef COVE_KMAP_H
#define COVE_KMAP_H

#include <cove/types.h>
#include <arch/memlayout.h>

struct boot_info;

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
}

/*
 * Where the image sits physically minus where it is linked: 0 under
 * multiboot2, the partition base when a co-kernel loader placed it. Set
 * once by the entry path before any C runs; read-only afterwards.
 */
extern uint64_t kmap_image_offset;

/* Works for direct-map and kernel-image addresses. */
phys_addr_t virt_to_phys(const void *v);

/* Build the kernel's own tables over the partition and switch to them. */
int kmap_init(const struct boot_info *bi);
/* Map device memory uncached; returns its virtual address or NULL. */
void *kmap_mmio(phys_addr_t pa, size_t len);
/* Root of the kernel tables (what each CPU loads). */
phys_addr_t kmap_root(void);

/* Map partition memory [pa, pa+len) back into the direct map. */
int kmap_restore_direct(phys_addr_t pa, size_t len);
/*
 * Take partition memory [pa, pa+len) out of the direct map, flushing every
 * CPU's TLB: the partition is shrinking and nothing may reach it after.
 */
int kmap_remove_direct(phys_addr_t pa, size_t len);
/* Remove pages from the kernel tables (this CPU's TLB is flushed). */
int kmap_unmap(uint64_t va, size_t len);

/* Translate through the kernel tables: 0 with pa and PGT_* flags, or -ENOENT. */
int kmap_lookup(uint64_t va, phys_addr_t *pa, unsigned int *flags);

struct kmap_stats {
	uint64_t pages_4k, pages_2m, pages_1g, tables;
};
void kmap_get_stats(struct kmap_stats *st);

#endif /* COVE_KMAP_H */
