// SPDX-License-Identifier: GPL-2.0
/*
 * Co-kernel cores other than the boot core. The host starts each one in the
 * layer's entry (ap_entry.asm, the image header's cpu_entry), where it
 * claims a slot below and waits. Only the layer writes a slot's release, so
 * only the layer decides where the core goes: with protection on, into
 * guest mode at the kernel's entry (VMM_HC_CPU_START), so the kernel never
 * runs unguarded on it; with protection off, straight into the kernel.
 */
#include <cove/errno.h>
#include <cove/pisces_abi.h>
#include <cove/vmm_hypercall.h>
#include <cove/vmm_layer.h>
#include <arch/x86.h>
#include "vmm_host.h"

#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_BASE_ENABLE (1ULL << 11)

struct vmm_ap_slot {
	uint32_t apic_plus1;	/* claimed by the arriving core; 0 is free */
	uint32_t go;		/* set last by the layer, cleared by the core as it leaves */
	uint64_t cr3, rip, rsp, arg;
	uint64_t pad;
};

/* ap_entry.asm reads these by number. */
_Static_assert(sizeof(struct vmm_ap_slot) == 48, "SLOT_SIZE");
_Static_assert(offsetof(struct vmm_ap_slot, go) == 4, "SLOT_GO");
_Static_assert(offsetof(struct vmm_ap_slot, cr3) == 8, "SLOT_CR3");
_Static_assert(offsetof(struct vmm_ap_slot, rip) == 16, "SLOT_RIP");
_Static_assert(offsetof(struct vmm_ap_slot, rsp) == 24, "SLOT_RSP");
_Static_assert(offsetof(struct vmm_ap_slot, arg) == 32, "SLOT_ARG");
_Static_assert(COVE_MAX_ENCLAVE_CPUS == 64, "NR_SLOTS");
_Static_assert(offsetof(struct cove_boot_block, tail) == 2048, "BP_TAIL");
_Static_assert(offsetof(struct cove_boot_tail, nr_cpus) == 64, "TAIL_NR_CPUS");
_Static_assert(offsetof(struct cove_boot_tail, cpus) == 72, "TAIL_CPUS");
_Static_assert(sizeof(struct cove_boot_cpu) == 16, "BOOT_CPU_SIZE");
_Static_assert(offsetof(struct cove_boot_cpu, arrived) == 8, "BOOT_CPU_ARRIVED");

/*
 * Claimed by arriving cores (ap_entry.asm, at its physical address, with
 * an atomic exchange); released by the layer: by the boot CPU while
 * protection is off, else from VMM_HC_CPU_START under vmm_change_lock.
 * Global only so ap_entry.asm can name it; layer data like the rest.
 */
struct vmm_ap_slot vmm_ap_slots[COVE_MAX_ENCLAVE_CPUS] __aligned(64);

/*
 * The APIC mode (enable, x2APIC) of the core that asked for a start: the
 * kernel's, chosen once at boot. Written under vmm_change_lock before the
 * release, read by the started core after it.
 */
static uint64_t vmm_ap_apic_mode;

static struct vmm_ap_slot *vmm_ap_slot_of(uint32_t apic_id)
{
	for (uint32_t i = 0; i < COVE_MAX_ENCLAVE_CPUS; i++) {
		if (__atomic_load_n(&vmm_ap_slots[i].apic_plus1, __ATOMIC_ACQUIRE) == apic_id + 1)
			return &vmm_ap_slots[i];
	}
	return NULL;
}

static int vmm_ap_release(uint32_t apic_id, uint64_t cr3, uint64_t rip, uint64_t rsp,
			  uint64_t arg)
{
	struct vmm_ap_slot *s = vmm_ap_slot_of(apic_id);

	if (!s)
		return -ENODEV;
	if (__atomic_load_n(&s->go, __ATOMIC_ACQUIRE))
		return -EBUSY;
	s->cr3 = cr3;
	s->rip = rip;
	s->rsp = rsp;
	s->arg = arg;
	__atomic_store_n(&s->go, 1, __ATOMIC_RELEASE);
	return 0;
}

int vmm_layer_cpu_release(uint32_t apic_id, const struct vmm_cpu_start *start)
{
	if (vmm_layer_is_on())
		return -EPERM;
	return vmm_ap_release(apic_id, start->cr3, start->rip, start->rsp, start->rdi);
}

/*
 * The kernel switches a core's APIC to its mode itself, but on a core the
 * layer starts it is a guest from its first instruction and the layer
 * refuses every APIC base write. So the layer sets the mode here, as the
 * kernel set it on the asking core; the host may have left this one in
 * xAPIC mode, or disabled (which must pass through xAPIC mode first).
 */
static void vmm_ap_apic_like_kernel(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE), mode = vmm_ap_apic_mode;

	if ((base & mode) == mode)
		return;
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, base);
	}
	wrmsr(MSR_APIC_BASE, base | mode);
}

/* The core's first steps as the layer's: its tables and APIC, then the back end's launch. */
static void __noreturn vmm_ap_host_start(uint32_t cpu)
{
	vmm_host_tables_adopt();
	vmm_ap_apic_like_kernel();
	vmm_be->cpu_run_started(cpu);
}

int64_t vmm_host_ap_release(uint32_t cpu, uint32_t apic_id, uint64_t host_rsp)
{
	vmm_ap_apic_mode = rdmsr(MSR_APIC_BASE) & (APIC_BASE_ENABLE | APIC_BASE_X2APIC);
	/* Tables, code and stack are all the layer's: the guest supplies none of them. */
	return vmm_ap_release(apic_id, vmm_host_cr3(), (uint64_t)vmm_ap_host_start,
			      host_rsp - 8, cpu);
}
