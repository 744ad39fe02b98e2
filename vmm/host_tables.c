// SPDX-License-Identifier: GPL-2.0
/*
 * The layer's own address space and descriptor tables. On the host side a
 * core must not walk the kernel's page tables or vector through the
 * kernel's IDT: both live in memory the guest writes. So the layer builds
 * its own: its image sections (code read-only, data not executable), the
 * partition's direct map (its areas, the guest buffers it is handed), the
 * local APIC and the host page, plus a GDT and an IDT in its own pages.
 *
 * Statics: written by the boot CPU during setup; the tables then change
 * only under vmm_change_lock (vmm.c), from exits that add or remove memory.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/string.h>
#include <cove/vmm_layer.h>
#include <arch/pgtable.h>
#include <arch/x86.h>
#include "vmm_host.h"

#define LAPIC_DEFAULT_PHYS 0xfee00000ULL

struct vmm_idt_gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __packed;

struct vmm_dt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

/* host_entry.asm */
extern char vmm_host_nmi[], vmm_host_fault[];

static struct pgtable vmm_host_pt;
static struct vmm_dt_ptr vmm_gdtr, vmm_idtr;
/* The kernel's code, data and task selectors when the GDT was copied. */
static uint16_t vmm_host_cs, vmm_host_ds, vmm_host_tr;
/* Never loaded with LTR: VMX wants a host TR base, and no gate uses an IST. */
static uint8_t vmm_host_tss[104] __aligned(16);

static void *vmm_host_pt_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return vmm_p2v(pa);
}

static int vmm_host_pt_alloc(void *ctx, uint64_t *pa)
{
	(void)ctx;
	return vmm_alloc_pages(0, pa) ? 0 : -ENOMEM;
}

/*
 * The kernel's descriptors at the same selectors, so the host's CS and SS
 * stay valid; the copy is the layer's, the kernel may rewrite its own.
 */
static int vmm_host_gdt_build(void)
{
	struct vmm_dt_ptr kernel;
	phys_addr_t pa;
	void *gdt = vmm_alloc_pages(0, &pa);

	if (!gdt)
		return -ENOMEM;
	__asm__ volatile("sgdt %0" : "=m"(kernel));
	__asm__ volatile("mov %%cs, %0; mov %%ss, %1; str %2"
			 : "=r"(vmm_host_cs), "=r"(vmm_host_ds), "=r"(vmm_host_tr));
	if (kernel.limit >= PAGE_SIZE)
		return -EINVAL;
	memcpy(gdt, (const void *)kernel.base, kernel.limit + 1U);
	vmm_gdtr.limit = kernel.limit;
	vmm_gdtr.base = (uint64_t)gdt;
	return 0;
}

/*
 * Interrupts are off on the host side, so only NMIs and the layer's own
 * bugs arrive here. No gate uses an IST: the kernel's TSS, which the host
 * TR still names, is never consulted.
 */
static int vmm_host_idt_build(void)
{
	phys_addr_t pa;
	struct vmm_idt_gate *idt = vmm_alloc_pages(0, &pa);
	uint16_t cs;

	if (!idt)
		return -ENOMEM;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (int v = 0; v < 256; v++) {
		uint64_t h = (uint64_t)(v == 2 ? vmm_host_nmi : vmm_host_fault);

		idt[v] = (struct vmm_idt_gate){
			.offset_lo = h & 0xffff, .selector = cs, .type_attr = 0x8e,
			.offset_mid = (h >> 16) & 0xffff, .offset_hi = (uint32_t)(h >> 32),
		};
	}
	vmm_idtr.limit = 256 * sizeof(*idt) - 1;
	vmm_idtr.base = (uint64_t)idt;
	return 0;
}

int vmm_host_tables_build(const struct boot_info *bi, phys_addr_t image_pa)
{
	uint64_t text = (uint64_t)__vmm_start, data = (uint64_t)__vmm_data_start;
	uint64_t end = (uint64_t)__vmm_end;
	uint32_t a, b, c, d;
	int rc;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	vmm_host_pt.phys_to_virt = vmm_host_pt_p2v;
	vmm_host_pt.alloc_table = vmm_host_pt_alloc;
	vmm_host_pt.allow_1g = d & (1U << 26);
	rc = pgtable_init(&vmm_host_pt);
	if (!rc)
		rc = pgtable_map(&vmm_host_pt, text, image_pa, data - text, 0);
	if (!rc)
		rc = pgtable_map(&vmm_host_pt, data, image_pa + (data - text), end - data,
				 PGT_WRITE | PGT_NOEXEC);
	/* ap_entry.asm switches to these tables while running at its physical address. */
	if (!rc) {
		uint64_t lo = ALIGN_DOWN((uint64_t)vmm_ap_entry, PAGE_SIZE);
		uint64_t hi = ALIGN_UP((uint64_t)vmm_ap_entry_end, PAGE_SIZE);

		rc = pgtable_map(&vmm_host_pt, image_pa + (lo - text), image_pa + (lo - text),
				 hi - lo, 0);
	}
	for (uint32_t i = 0; i < bi->nr_mem && !rc; i++)
		rc = vmm_host_tables_map(bi->mem[i].base, bi->mem[i].size);
	if (!rc)
		rc = pgtable_map(&vmm_host_pt, (uint64_t)vmm_p2v(LAPIC_DEFAULT_PHYS),
				 LAPIC_DEFAULT_PHYS, PAGE_SIZE,
				 PGT_WRITE | PGT_NOEXEC | PGT_UNCACHED);
	if (!rc && bi->host_page)
		rc = pgtable_map(&vmm_host_pt, (uint64_t)vmm_p2v(bi->host_page), bi->host_page,
				 PAGE_SIZE, PGT_WRITE | PGT_NOEXEC);
	if (!rc)
		rc = vmm_host_gdt_build();
	if (!rc)
		rc = vmm_host_idt_build();
	return rc;
}

void vmm_host_tables_load(void)
{
	write_cr3(vmm_host_pt.root);
	__asm__ volatile("lgdt %0; lidt %1" : : "m"(vmm_gdtr), "m"(vmm_idtr) : "memory");
}

void vmm_host_tables_adopt(void)
{
	uint64_t cr0;

	vmm_host_tables_load();
	__asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss\n\t"
			 "mov %2, %%fs; mov %2, %%gs\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:"
			 : : "r"((uint64_t)vmm_host_ds), "r"((uint64_t)vmm_host_cs), "r"(0UL)
			 : "rax", "memory");
	/* The loader left write protection off; the layer's text is read-only. */
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | X86_CR0_WP));
}

uint16_t vmm_host_tr_sel(void)
{
	return vmm_host_tr;
}

uint64_t vmm_host_tss_base(void)
{
	return (uint64_t)vmm_host_tss;
}

uint64_t vmm_host_cr3(void)
{
	return vmm_host_pt.root;
}

uint64_t vmm_host_gdt_base(void)
{
	return vmm_gdtr.base;
}

uint64_t vmm_host_idt_base(void)
{
	return vmm_idtr.base;
}

int vmm_host_tables_map(uint64_t base, uint64_t size)
{
	return pgtable_map(&vmm_host_pt, (uint64_t)vmm_p2v(base), base, size,
			   PGT_WRITE | PGT_NOEXEC);
}

/*
 * Only this core's TLB is flushed: the layer never touches removed memory,
 * so another core's stale entry for it is never used.
 */
void vmm_host_tables_unmap(uint64_t base, uint64_t size)
{
	pgtable_unmap(&vmm_host_pt, (uint64_t)vmm_p2v(base), size);
	write_cr3(read_cr3());
}

/* A fault inside the layer itself (host_entry.asm): say so, then stop this core. */
void vmm_host_crashed(uint64_t frame_word)
{
	vmm_log("vmm: the protection layer itself faulted on this core (cr2 %#lx, "
		"frame word %#lx); the core halts", read_cr2(), frame_word);
	vmm_halt();
}
