/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protection layer as the kernel uses it: a small hypervisor inside
 * the image (vmm/) that runs the kernel as its only guest, with nested page
 * tables mapping exactly the partition. The kernel side
 * (arch/x86_64/kernel/vmm_guest.c) sets it up through the door in
 * vmm_layer.h and then only makes the hypercalls of vmm_hypercall.h.
 */
#ifndef COVE_VMM_H
#define COVE_VMM_H

#include <cove/types.h>
#include <cove/vmm_hypercall.h>

struct boot_info;

enum vmm_mode {
	VMM_PROTECT_OFF,
	VMM_PROTECT_ON,		/* guard when the CPU can; say so when it cannot */
	VMM_PROTECT_REQUIRE,	/* refuse to run unguarded */
};

/* Boot CPU, after memory and before other CPUs start. */
int vmm_init(const struct boot_info *bi, enum vmm_mode mode);
/* Every CPU, early: enter host mode and come back as the guest. */
void vmm_cpu_enter(void);
/*
 * A core the layer started (co-kernel, vmm_cpu_start) is its guest from
 * its first instruction: record that on the core itself, first thing.
 */
void vmm_cpu_adopt(void);
bool vmm_guarded(void);
/*
 * Ask the layer to let the partition grow by [base, base+size): it checks
 * the range was granted and maps it in the nested tables. 0 or -EPERM.
 */
int vmm_partition_add(phys_addr_t base, uint64_t size);

/*
 * Ask the layer to take [base, base+size) out of the partition: it unmaps
 * the range from the nested tables and has every CPU flush its TLB before
 * it tells the host (co-kernel) the range is free. The kernel must have
 * stopped using it. 0, -EPERM (not ours, or the layer's), -EBUSY.
 */
int vmm_partition_remove(phys_addr_t base, uint64_t size);
/*
 * Before a core added at run time starts: give the layer memory for its
 * state on that core (taken from the partition, then hidden) and let the
 * core's APIC ID receive IPIs. 0, or an error and the core must not start.
 */
int vmm_cpu_add(uint32_t cpu, uint32_t apic_id);
/*
 * XEMEM: put the host segment of the host page's xemem[slot] in the
 * nested tables, as the layer reads it there (and only if its gen is
 * still gen): 0, -EPERM (refused), -EBUSY (an older offer is still
 * mapped). Unmap takes it out and has every CPU flush before the host
 * hears. Both are no-ops without the layer.
 */
int vmm_xemem_map(uint32_t slot, uint32_t gen);
int vmm_xemem_unmap(uint32_t slot);

/*
 * Co-kernel: release a core the host started into the layer's entry (the
 * kernel never runs on it before this). Protection on: it starts as the
 * layer's guest at start->rip, in the calling core's mode, on start->cr3.
 * Off: it jumps there directly. 0, -ENODEV (the host did not start it),
 * -EPERM or -EINVAL (the layer refused).
 */
int vmm_cpu_start(uint32_t cpu, uint32_t apic_id, const struct vmm_cpu_start *start);

/*
 * Co-kernel end of run: leave guest mode for good on this CPU (the layer
 * switches virtualization off and halts) so the host's INIT can take the
 * core back. Returns only when the layer is off.
 */
void vmm_park_cpu(void);
/*
 * xAPIC registers are MMIO, and the ICR shares its page with EOI and the
 * timer: the nested tables map that page read-only and a guarded CPU
 * writes its APIC through the layer, which checks every IPI's destination.
 * For the ICR, value is the destination APIC ID << 32 | the low word.
 */
void vmm_apic_write(uint32_t reg, uint64_t value);
/* Print each CPU's VM exits by reason (asks the layer; one exit itself). */
void vmm_print_exits(void);
const char *vmm_backend(void);
/* Physical range the layer holds (for tests that try to write into it). */
void vmm_area(phys_addr_t *base, uint64_t *size);

#endif /* COVE_VMM_H */
