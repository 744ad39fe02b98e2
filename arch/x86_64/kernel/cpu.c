// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU processor state: each CPU gets its own GDT (the TSS descriptor
 * points at its own TSS), the shared IDT, and GS pointing at its percpu.
 */
#include <cove/arch.h>
#include <cove/percpu.h>
#include <cove/smp.h>
#include <cove/string.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static void cpu_setup_gdt(struct arch_percpu *a)
{
	uint64_t tss = (uint64_t)&a->tss;
	uint64_t limit = sizeof(a->tss) - 1;

	a->gdt[0] = 0;
	a->gdt[1] = 0x00AF9A000000FFFFULL;	/* kernel code, 64-bit */
	a->gdt[2] = 0x00CF92000000FFFFULL;	/* kernel data */
	a->gdt[3] = 0x00CFF2000000FFFFULL;	/* user data (for sysret order) */
	a->gdt[4] = 0x00AFFA000000FFFFULL;	/* user code, 64-bit */
	a->gdt[5] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((tss >> 24) & 0xff) << 56);
	a->gdt[6] = tss >> 32;

	memset(&a->tss, 0, sizeof(a->tss));
	for (int i = 0; i < 3; i++)
		a->tss.ist[i] = (uint64_t)a->ist_stacks[i] + IST_STACK_SIZE;
	a->tss.iomap_base = sizeof(a->tss);	/* no I/O bitmap */
}

static void cpu_load_gdt(struct arch_percpu *a)
{
	struct gdt_ptr p = { sizeof(a->gdt) - 1, (uint64_t)a->gdt };

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"ltr %w3"
		:
		: "m"(p), "i"(GDT_KERNEL_CS), "r"(GDT_KERNEL_DS), "r"(GDT_TSS)
		: "rax", "memory");
}

/* Everything a CPU needs before it may take an interrupt. */
void cpu_init_self(struct percpu *p)
{
	cpu_setup_gdt(&p->arch);
	cpu_load_gdt(&p->arch);
	idt_load();
	/* After the gs reload above, which zeroed the base. */
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	write_cr4(read_cr4() | X86_CR4_PGE);
}

extern char boot_stack_top[];

void arch_cpu_init_boot(struct percpu *p)
{
	p->kstack_top = (uint64_t)boot_stack_top;
	idt_init();
	cpu_init_self(p);
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
