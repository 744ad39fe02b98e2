// SPDX-License-Identifier: GPL-2.0
/*
 * fault_inject= (test only): the x86 misbehaviour kernel/debug/fault_inject.c
 * asks for, the kind a buggy kernel could show and the protection layer
 * must contain.
 */
#include <cove/arch.h>
#include <cove/kprintf.h>
#include <arch/fault_arch.h>
#include <arch/lapic.h>
#include <arch/x86.h>

void fault_arch_triple(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed empty = { 0, 0 };

	kprintf("fault_inject: loading an empty IDT and faulting: a triple fault\n");
	__asm__ volatile("cli; lidt %0; int3" : : "m"(empty));
}

void fault_arch_reset(void)
{
	kprintf("fault_inject: resetting the platform through port 0xcf9\n");
	outb(0xcf9, 0x06);
	arch_delay_us(100000);
	kprintf("fault_inject: the reset did not happen\n");
}

void fault_arch_apic_base(void)
{
	uint64_t old = rdmsr(MSR_APIC_BASE);

	kprintf("fault_inject: moving the local APIC to 0xfed00000\n");
	wrmsr(MSR_APIC_BASE, (old & 0xfff) | 0xfed00000);
	kprintf("fault_inject: the APIC base is now %#lx (was %#lx)\n", rdmsr(MSR_APIC_BASE), old);
	wrmsr(MSR_APIC_BASE, old);
}

void fault_arch_virt_insn(void)
{
	uint64_t zero = 0;
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	/* Intel (CPUID.1:ECX bit 5): the layer uses that extension, else AMD's. */
	if (c & (1U << 5)) {
		kprintf("fault_inject: executing VMCLEAR in the kernel\n");
		__asm__ volatile("vmclear %0" : : "m"(zero) : "cc", "memory");
	} else {
		kprintf("fault_inject: executing VMRUN in the kernel\n");
		__asm__ volatile("xorl %%eax, %%eax; vmrun" : : : "rax", "memory");
	}
	kprintf("fault_inject: the virtualization instruction returned\n");
}

void fault_arch_nmi(uint32_t apic_id)
{
	lapic_send_ipi(apic_id, APIC_ICR_NMI | APIC_ICR_LEVEL_ASSERT);
}

void fault_arch_init(uint32_t apic_id)
{
	lapic_send_ipi(apic_id, APIC_ICR_INIT | APIC_ICR_LEVEL_ASSERT);
}

/*
 * Memory types are the platform's: every core must agree on them, and one
 * that turns its MTRRs off makes all of memory uncacheable under itself.
 */
void fault_arch_msr_write(void)
{
	uint64_t old = rdmsr(0x2ff);

	kprintf("fault_inject: turning the MTRRs off through MSR 0x2ff (IA32_MTRR_DEF_TYPE)\n");
	wrmsr(0x2ff, old & ~(1ULL << 11));
	if (rdmsr(0x2ff) & (1ULL << 11))
		kprintf("fault_inject: the MTRRs stayed on\n");
	else
		kprintf("fault_inject: the MTRRs are off (IA32_MTRR_DEF_TYPE %#lx, was %#lx)\n",
			rdmsr(0x2ff), old);
	wrmsr(0x2ff, old);
}

/*
 * PCI configuration space is the platform's: in co-kernel mode every
 * device in it is Linux's. Reading the host bridge's IDs is the least a
 * kernel could do there; a write could move a device under Linux.
 */
void fault_arch_pci_config(void)
{
	uint32_t id;

	kprintf("fault_inject: reading PCI configuration through ports 0xcf8/0xcfc\n");
	outl(0xcf8, 0x80000000U);	/* bus 0, device 0, function 0, register 0 */
	id = inl(0xcfc);
	kprintf("fault_inject: the platform's PCI configuration answered: device 00:00.0 is "
		"%04x:%04x\n", id & 0xffff, id >> 16);
}
