// SPDX-License-Identifier: GPL-2.0
/*
 * Starting a secondary CPU: INIT-SIPI-SIPI into the real-mode trampoline,
 * which reaches 64-bit mode on a small set of page tables that identity-map
 * the trampoline and share the kernel's upper half.
 */
#include <cove/arch.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/percpu.h>
#include <cove/pmem.h>
#include <cove/smp.h>
#include <cove/string.h>
#include <cove/vmm.h>
#include <arch/lapic.h>
#include <arch/pgtable.h>
#include <arch/platform.h>
#include <arch/x86.h>

#define TRAMPOLINE_PARAMS_OFFSET 8
#define CPU_START_TIMEOUT_MS 5000

struct trampoline_params {
	uint64_t cr3;
	uint64_t entry;
	uint64_t stack;
	uint64_t arg;
};

extern const uint8_t trampoline_blob[], trampoline_blob_end[];

/* Set up once by the boot CPU on first use; CPUs start one at a time. */
static phys_addr_t tramp_page;
static phys_addr_t tramp_cr3;

static int tramp_alloc_zeroed(phys_addr_t limit, phys_addr_t *pa)
{
	int rc = pmem_alloc_below(0, limit, pa);

	if (!rc)
		memset(phys_to_virt(*pa), 0, PAGE_SIZE);
	return rc;
}

/*
 * SIPI can only name a page below 1 MiB. The free blocks there are small,
 * and the allocator hands out its smallest blocks first: without taking
 * the page at once, the kernel's own early pages can use them all up (an
 * image a few KiB larger once did, on a 2-node machine).
 */
void arch_smp_reserve(void)
{
	if (!tramp_page && pmem_alloc_below(0, 0x100000, &tramp_page))
		tramp_page = 0;
}

static int tramp_setup(void)
{
	phys_addr_t cr3, pdpt, pd;
	uint64_t *pml4, *kernel_pml4 = phys_to_virt(kmap_root());
	size_t len = (uintptr_t)trampoline_blob_end - (uintptr_t)trampoline_blob;

	/* The top of the page is the trampoline's stack for its far return. */
	if (len > PAGE_SIZE - 64) {
		pr_err("smp: trampoline is %zu bytes, too big for its page\n", len);
		return -EINVAL;
	}
	if (!tramp_page) {
		pr_err("smp: no free page below 1 MiB for the trampoline\n");
		return -ENOMEM;
	}
	memset(phys_to_virt(tramp_page), 0, PAGE_SIZE);
	/* CR3 is loaded in 32-bit mode: the tables lie below 4 GiB. */
	if (tramp_alloc_zeroed(4 * GiB, &cr3) || tramp_alloc_zeroed(4 * GiB, &pdpt) ||
	    tramp_alloc_zeroed(4 * GiB, &pd)) {
		pr_err("smp: no memory below 4 GiB for trampoline page tables\n");
		return -ENOMEM;
	}
	pml4 = phys_to_virt(cr3);
	for (int i = 256; i < 512; i++)
		pml4[i] = kernel_pml4[i];
	pml4[0] = pdpt | PTE_P | PTE_RW;
	((uint64_t *)phys_to_virt(pdpt))[0] = pd | PTE_P | PTE_RW;
	/* One 2 MiB identity page holds the trampoline (it is below 1 MiB). */
	((uint64_t *)phys_to_virt(pd))[0] = PTE_P | PTE_RW | PTE_PS;

	memcpy(phys_to_virt(tramp_page), trampoline_blob, len);
	tramp_cr3 = cr3;	/* set up: the next CPU finds it ready */
	return 0;
}

/* Test only (fault_inject=): set by the boot CPU before other CPUs start, then read-only. */
static void (*smp_first_step)(void);

void arch_smp_set_first_step(void (*step)(void))
{
	smp_first_step = step;
}

/*
 * A core the kernel woke with INIT/SIPI enters the layer here; one the host
 * started was released by the layer and is its guest from its first
 * instruction (or unguarded, with protection off).
 */
static void __noreturn smp_ap_entry(struct percpu *p)
{
	cpu_init_self(p);
	write_cr3(kmap_root());
	if (p->host_started)
		vmm_cpu_adopt();
	if (smp_first_step)
		smp_first_step();
	lapic_init_cpu();
	if (!p->host_started)
		vmm_cpu_enter();
	smp_secondary_main(p);
}

static bool cpu_wait_online(struct percpu *p, uint64_t ms)
{
	uint64_t end = arch_cycles() + ms * arch_cycles_per_ms();

	while (arch_cycles() < end) {
		if (__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
			return true;
		arch_cpu_relax();
	}
	return false;
}

extern char boot_pml4[];

/*
 * Co-kernel: the host started the CPU into the protection layer's entry,
 * where it waits; only the layer lets it go, to smp_ap_entry on the boot
 * tables. Those identity-map low memory and hold the kernel's upper half:
 * with protection off the core switches to them inside the layer's entry.
 */
static int cpu_release_host_started(struct percpu *p)
{
	struct vmm_cpu_start start = {
		.rip = (uint64_t)smp_ap_entry,
		.rsp = p->kstack_top,
		.rdi = (uint64_t)p,
		/* .boot is linked at its low physical address, not in the upper half. */
		.cr3 = (uint64_t)boot_pml4 + kmap_image_offset,
	};
	int rc = vmm_cpu_start(p->cpu, p->apic_id, &start);

	if (rc == -ENODEV) {
		pr_err("smp: the host did not start the CPU with APIC id %u\n", p->apic_id);
		return rc;
	}
	if (rc) {
		pr_err("smp: the protection layer refused to start the CPU with APIC id %u (%d)\n",
		       p->apic_id, rc);
		return rc;
	}
	if (vmm_guarded())
		kprintf("smp: the protection layer started cpu%u (APIC id %u) as its guest\n",
			p->cpu, p->apic_id);
	return cpu_wait_online(p, CPU_START_TIMEOUT_MS) ? 0 : -ETIMEDOUT;
}

int arch_cpu_start(struct percpu *p)
{
	struct trampoline_params *tp;

	if (p->host_started)
		return cpu_release_host_started(p);
	if (!tramp_cr3 && tramp_setup())
		return -ENOMEM;

	tp = (void *)((uint8_t *)phys_to_virt(tramp_page) + TRAMPOLINE_PARAMS_OFFSET);
	tp->cr3 = tramp_cr3;
	tp->entry = (uint64_t)smp_ap_entry;
	tp->stack = p->kstack_top;
	tp->arg = (uint64_t)p;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_ipi(p->apic_id, APIC_ICR_INIT | APIC_ICR_LEVEL_ASSERT);
	arch_delay_us(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_ipi(p->apic_id, APIC_ICR_STARTUP | (uint32_t)(tramp_page >> 12));
		if (cpu_wait_online(p, i == 0 ? 10 : CPU_START_TIMEOUT_MS))
			return 0;
	}
	return -ETIMEDOUT;
}
