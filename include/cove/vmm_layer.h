/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The door between the kernel and the protection layer's own code.
 *
 * The layer (vmm/vmm.c, the back ends and private copies of the few library
 * routines it needs) is linked into one object, vmm_layer.o, whose code and
 * data sit in their own image sections: the nested tables leave them out,
 * so the guest can neither read nor change them. That object may reference
 * nothing of the kernel (the build fails if it does), because once a core
 * is guarded any kernel code or data is the guest's to rewrite. What the
 * layer needs from the kernel while it sets up (pages, a log line) is lent
 * through struct vmm_services and forgotten before any core is guarded.
 */
#ifndef COVE_VMM_LAYER_H
#define COVE_VMM_LAYER_H

#include <cove/types.h>
#include <cove/vmm_hypercall.h>

struct boot_info;

struct vmm_services {
	/* 2^order pages of partition memory, or NULL (the layer zeroes them). */
	void *(*alloc_pages)(uint32_t order, phys_addr_t *pa);
	/* Physical address of an image address (the image may sit anywhere). */
	phys_addr_t (*virt_to_phys)(const void *va);
	/* One line for the kernel's console. */
	void (*log)(bool is_error, const char *line);
};

struct vmm_layer_params {
	bool cokernel;		/* a host owns the machine; report through its page */
	bool poweroff_ports;	/* bare, under QEMU or Bochs: their exit ports end a run */
};

/* What the kernel may know of the layer once it is set up. */
struct vmm_layer_info {
	enum vmm_call_insn call_insn;	/* how the guest calls the layer */
	char backend[48];	/* the back end's name, for the log */
	char why[96];		/* -ENODEV: why this CPU cannot be guarded */
	/* Hull of the pages the layer took from the partition (tests aim there). */
	phys_addr_t area_lo, area_hi;
};

/*
 * Boot CPU, before any other CPU starts: 0 once the layer is ready to
 * guard cores, -ENODEV (info->why says why) if the CPU cannot, another
 * error if setting up failed.
 */
int vmm_layer_init(const struct boot_info *bi, const struct vmm_layer_params *params,
		   const struct vmm_services *services, struct vmm_layer_info *info);

/*
 * Enter host mode on this core and launch the kernel as its guest at
 * guest_rip on guest_rsp; returns (false) only if the layer holds no state
 * for the core. The kernel reaches it through vmm_cpu_launch
 * (arch/x86_64/kernel/vmm_guest_entry.asm).
 */
bool vmm_layer_cpu_enter(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip);

/*
 * Protection off only: let a core the host started leave the layer's entry
 * (vmm/ap_entry.asm) straight into the kernel. -EPERM while the layer is
 * on (then only VMM_HC_CPU_START releases cores), -ENODEV if the host did
 * not start it.
 */
int vmm_layer_cpu_release(uint32_t apic_id, const struct vmm_cpu_start *start);

/* Image bounds of the layer's sections (kernel.ld). */
extern char __vmm_start[], __vmm_data_start[], __vmm_end[];

#endif /* COVE_VMM_LAYER_H */
