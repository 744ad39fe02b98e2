// SPDX-License-Identifier: GPL-2.0
/*
 * fault_inject=KIND (test only): the kernel misbehaves on purpose, as a
 * buggy kernel could, so tests can check that the protection layer
 * contains it, and, with protect=off, that the same bug really does harm.
 * What only the CPU can do wrong (triple fault, reset port, MSRs,
 * virtualization instructions, NMIs) is arch/x86_64/debug/fault_arch.c.
 */
#include <cove/boot_info.h>
#include <cove/fault_host.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/options.h>
#include <cove/percpu.h>
#include <cove/smp.h>
#include <cove/vmm.h>
#include <cove/vmm_layer.h>
#include <arch/fault_arch.h>

#define FAULT_PATTERN 0xbadc0ffee0ddf00dULL

/*
 * RAM just past the partition (with mem= below the machine's size, not
 * ours), or fault_addr= (a co-kernel test names a page of its host's).
 */
static uint64_t fault_addr;	/* set by fault_inject_run just before use */

static phys_addr_t fault_outside_partition(void)
{
	const struct boot_info *bi = kernel_get_boot_info();
	const struct boot_range *last = &bi->mem[bi->nr_mem - 1];

	if (fault_addr)
		return ALIGN_DOWN(fault_addr, sizeof(uint64_t));
	return ALIGN_UP(last->base + last->size, PAGE_SIZE_2M) + MiB;
}

static void fault_wild_write(void)
{
	phys_addr_t pa = fault_outside_partition();
	volatile uint64_t *p = kmap_mmio(pa, sizeof(uint64_t));

	if (!p) {
		pr_err("fault_inject: cannot map %#lx\n", pa);
		return;
	}
	kprintf("fault_inject: writing %#llx to physical %#lx, outside the partition\n",
		FAULT_PATTERN, pa);
	*p = FAULT_PATTERN;
	kprintf("fault_inject: the write landed: physical %#lx now holds %#lx "
		"(memory outside the partition changed)\n", pa, (uint64_t)*p);
}

static void fault_layer_write(void)
{
	phys_addr_t base;
	uint64_t size;

	vmm_area(&base, &size);
	if (!size) {
		kprintf("fault_inject: no protection layer is running, so it has no memory to hit\n");
		return;
	}
	kprintf("fault_inject: writing into the protection layer at physical %#lx\n", base);
	*(volatile uint64_t *)phys_to_virt(base) = FAULT_PATTERN;
	kprintf("fault_inject: the layer's memory was overwritten\n");
}

/*
 * The layer's entry code, through the direct map (the image window maps
 * it read-only): a kernel gone wrong could aim there to take the layer over.
 */
static void fault_layer_code(void)
{
	phys_addr_t pa = virt_to_phys(vmm_layer_cpu_enter);
	volatile uint64_t *p = phys_to_virt(pa);

	kprintf("fault_inject: writing into the protection layer's code at physical %#lx\n", pa);
	*p = FAULT_PATTERN;
	kprintf("fault_inject: the layer's code was overwritten: it now holds %#lx\n",
		(uint64_t)*p);
}

/*
 * INIT then SIPI to a core not ours: fault_addr's APIC id if given (a
 * co-kernel test names a host core), else the first past the partition's.
 * The INIT goes out first on its own, as a kernel that lost track of its
 * cores would send it, whether or not it could start one.
 */
static void fault_ipi_foreign(void)
{
	const struct boot_info *bi = kernel_get_boot_info();
	uint32_t target = (uint32_t)fault_addr;

	for (uint32_t i = 0; !fault_addr && i < bi->nr_cpus; i++)
		target = MAX(target, bi->cpus[i].apic_id + 1);
	kprintf("fault_inject: sending INIT and SIPI to APIC id %u, outside the partition\n",
		target);
	fault_arch_init(target);
	if (smp_start_foreign_cpu(target) == 0)
		kprintf("fault_inject: the core with APIC id %u, not ours, now runs Cove\n", target);
	else
		kprintf("fault_inject: the core with APIC id %u did not answer\n", target);
}

/*
 * An NMI to the lowest APIC id that is not ours (or fault_addr's): in
 * co-kernel mode a host core, which logs an NMI it cannot explain.
 */
static bool fault_apic_is_ours(uint32_t apic_id)
{
	const struct boot_info *bi = kernel_get_boot_info();

	for (uint32_t i = 0; i < bi->nr_cpus; i++) {
		if (bi->cpus[i].apic_id == apic_id)
			return true;
	}
	return false;
}

static void fault_nmi_foreign(void)
{
	uint32_t target = (uint32_t)fault_addr;

	while (!fault_addr && fault_apic_is_ours(target))
		target++;
	kprintf("fault_inject: sending an NMI to APIC id %u, outside the enclave\n", target);
	fault_arch_nmi(target);
	kprintf("fault_inject: the NMI went to APIC id %u\n", target);
}

/* Ask the layer for memory nobody granted, skipping the kernel's own check. */
static void fault_grow_ungranted(void)
{
	phys_addr_t pa = fault_outside_partition() + 64 * GiB;
	int rc = vmm_partition_add(pa, 16 * MiB);

	if (!vmm_guarded())
		kprintf("fault_inject: no layer checks partition growth: [%#lx+16M] would be taken\n",
			pa);
	else if (rc)
		kprintf("fault_inject: the protection layer refused ungranted memory at %#lx (%d)\n",
			pa, rc);
	else
		kprintf("fault_inject: the protection layer mapped ungranted memory at %#lx\n", pa);
}

/*
 * Where a core used to run kernel code before it entered the layer: with
 * the layer starting host-started cores as guests, this write is contained.
 */
static void fault_ap_early_write(void)
{
	kprintf("fault_inject: cpu%u writes outside the partition before anything else%s\n",
		this_cpu_id(), this_cpu()->guarded ? " (as the layer's guest)" : "");
	fault_addr = kernel_options.fault_addr;
	fault_wild_write();
}

void fault_inject_init(void)
{
	if (kernel_options.fault_inject == FAULT_INJECT_AP_EARLY_WRITE)
		arch_smp_set_first_step(fault_ap_early_write);
}

void fault_inject_run(int kind, uint64_t addr)
{
	fault_addr = addr;
	switch (kind) {
	case FAULT_INJECT_WILD_WRITE:
		fault_wild_write();
		break;
	case FAULT_INJECT_LAYER_WRITE:
		fault_layer_write();
		break;
	case FAULT_INJECT_TRIPLE:
		fault_arch_triple();
		break;
	case FAULT_INJECT_RESET:
		fault_arch_reset();
		break;
	case FAULT_INJECT_APIC_BASE:
		fault_arch_apic_base();
		break;
	case FAULT_INJECT_VMRUN:
		fault_arch_virt_insn();
		break;
	case FAULT_INJECT_IPI_FOREIGN:
		fault_ipi_foreign();
		break;
	case FAULT_INJECT_GROW_UNGRANTED:
		fault_grow_ungranted();
		break;
	case FAULT_INJECT_NMI_FOREIGN:
		fault_nmi_foreign();
		break;
	case FAULT_INJECT_LAYER_CODE:
		fault_layer_code();
		break;
	case FAULT_INJECT_CHAN_SCRIBBLE:
		fault_chan_scribble();
		break;
	case FAULT_INJECT_LC_FLOOD:
		fault_lc_flood();
		break;
	case FAULT_INJECT_DOORBELL_STORM:
		fault_doorbell_storm();
		break;
	case FAULT_INJECT_HANG:
		fault_hang();
	case FAULT_INJECT_PANIC:
		fault_panic();
	case FAULT_INJECT_MSR_WRITE:
		fault_arch_msr_write();
		break;
	case FAULT_INJECT_PCI_CONFIG:
		fault_arch_pci_config();
		break;
	default:
		break;
	}
}
