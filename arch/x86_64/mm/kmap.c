// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own page tables, replacing the boot tables: the partition in
 * the direct map (largest pages that fit), the image with per-section
 * permissions, and device pages on request. Nothing outside the partition
 * is mapped unless a driver asks for it.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/kstack.h>
#include <cove/pmem.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/vmm_layer.h>
#include <cove/xcall.h>
#include <arch/pgtable.h>
#include <arch/x86.h>

extern char __text_start[], __text_end[], __rodata_start[], __data_start[], __kernel_end[];
extern char __kernel_phys_start[], boot_stack_guard[];

uint64_t kmap_image_offset;

/* The live kernel tables; changed only under kmap_lock after kmap_init. */
static struct pgtable kmap_pt;
static spinlock_t kmap_lock = SPINLOCK_INIT;
static bool kmap_ready;

phys_addr_t virt_to_phys(const void *v)
{
	uint64_t va = (uint64_t)v;

	if (va >= KERNEL_VMA_BASE)
		return va - KERNEL_VMA_BASE + kmap_image_offset;
	return va - DIRECT_MAP_BASE;
}

static void *kmap_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

static int kmap_alloc_table(void *ctx, uint64_t *pa)
{
	(void)ctx;
	if (pmem_alloc(0, pa))
		return -ENOMEM;
	memset(phys_to_virt(*pa), 0, PAGE_SIZE);
	return 0;
}

static int kmap_image(uint64_t start, uint64_t end, unsigned int flags)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end <= start)
		return 0;
	return pgtable_map(&kmap_pt, start, start - KERNEL_VMA_BASE + kmap_image_offset, end - start,
			   flags | PGT_GLOBAL);
}

int kmap_init(const struct boot_info *bi)
{
	uint32_t a, b, c, d;
	int rc;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	kmap_pt.phys_to_virt = kmap_p2v;
	kmap_pt.alloc_table = kmap_alloc_table;
	kmap_pt.allow_1g = d & (1U << 26);
	rc = pgtable_init(&kmap_pt);
	if (rc)
		return rc;

	for (uint32_t i = 0; i < bi->nr_mem; i++) {
		rc = pgtable_map(&kmap_pt, DIRECT_MAP_BASE + bi->mem[i].base, bi->mem[i].base,
				 bi->mem[i].size, PGT_WRITE | PGT_NOEXEC | PGT_GLOBAL);
		if (rc)
			return rc;
	}

	rc = kmap_image((uint64_t)__text_start, (uint64_t)__text_end, 0);
	/* The layer's sections: written during its setup, hidden after. */
	if (!rc)
		rc = kmap_image((uint64_t)__vmm_start, (uint64_t)__vmm_data_start, 0);
	if (!rc)
		rc = kmap_image((uint64_t)__vmm_data_start, (uint64_t)__vmm_end,
				PGT_WRITE | PGT_NOEXEC);
	if (!rc)
		rc = kmap_image((uint64_t)__rodata_start, (uint64_t)__data_start, PGT_NOEXEC);
	if (!rc)
		rc = kmap_image((uint64_t)__data_start, (uint64_t)__kernel_end,
				PGT_WRITE | PGT_NOEXEC);
	if (rc)
		return rc;

	/* The boot stack's guard page stays unmapped: overflows fault. */
	rc = pgtable_unmap(&kmap_pt, (uint64_t)boot_stack_guard, PAGE_SIZE);
	if (rc)
		return rc;
	kstack_register_guard((uint64_t)boot_stack_guard);

	write_cr3(kmap_pt.root);
	kmap_ready = true;
	return 0;
}

int kmap_restore_direct(phys_addr_t pa, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&kmap_lock);
	int rc = pgtable_map(&kmap_pt, DIRECT_MAP_BASE + pa, pa, ALIGN_UP(len, PAGE_SIZE),
			     PGT_WRITE | PGT_NOEXEC | PGT_GLOBAL);

	spin_unlock_irqrestore(&kmap_lock, flags);
	return rc;
}

/* Global entries too (the direct map is global): toggling PGE drops them all. */
static void kmap_flush_tlb_all(void *arg)
{
	uint64_t cr4 = read_cr4();

	(void)arg;
	write_cr4(cr4 & ~X86_CR4_PGE);
	write_cr4(cr4);
}

int kmap_remove_direct(phys_addr_t pa, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&kmap_lock);
	int rc = pgtable_unmap(&kmap_pt, DIRECT_MAP_BASE + pa, ALIGN_UP(len, PAGE_SIZE));

	spin_unlock_irqrestore(&kmap_lock, flags);
	if (!rc && xcall_run_all(kmap_flush_tlb_all, NULL))
		rc = -ETIMEDOUT;
	return rc;
}

int kmap_unmap(uint64_t va, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&kmap_lock);
	int rc = pgtable_unmap(&kmap_pt, ALIGN_DOWN(va, PAGE_SIZE), ALIGN_UP(len, PAGE_SIZE));

	spin_unlock_irqrestore(&kmap_lock, flags);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		invlpg(va + off);
	return rc;
}

void *kmap_mmio(phys_addr_t pa, size_t len)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t size = ALIGN_UP(pa + len, PAGE_SIZE) - base;
	unsigned long flags;
	int rc;

	if (!kmap_ready)
		return NULL;
	flags = spin_lock_irqsave(&kmap_lock);
	rc = pgtable_map(&kmap_pt, DIRECT_MAP_BASE + base, base, size,
			 PGT_WRITE | PGT_NOEXEC | PGT_UNCACHED | PGT_GLOBAL);
	spin_unlock_irqrestore(&kmap_lock, flags);
	if (rc) {
		pr_err("kmap: cannot map device memory %lx+%lx (%d)\n", pa, len, rc);
		return NULL;
	}
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		invlpg(DIRECT_MAP_BASE + base + off);
	return phys_to_virt(pa);
}

phys_addr_t kmap_root(void)
{
	return kmap_pt.root;
}

void kmap_get_stats(struct kmap_stats *st)
{
	st->pages_4k = kmap_pt.mapped[0];
	st->pages_2m = kmap_pt.mapped[1];
	st->pages_1g = kmap_pt.mapped[2];
	st->tables = kmap_pt.nr_tables;
}

int kmap_lookup(uint64_t va, phys_addr_t *pa, unsigned int *flags)
{
	uint64_t size;

	return pgtable_translate(&kmap_pt, va, pa, &size, flags);
}
