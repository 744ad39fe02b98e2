/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The calls the kernel makes to the protection layer once a core is its
 * guest: the one interface between the two after setup. RAX holds the
 * number, RBX and RCX the arguments, RAX the result. The layer decodes
 * them in vmm/hypercall.c; the kernel issues them through vmm_hypercall
 * (arch/x86_64/kernel/vmm_hypercall.c), with the instruction the layer
 * named at setup.
 */
#ifndef COVE_VMM_HYPERCALL_H
#define COVE_VMM_HYPERCALL_H

#include <cove/types.h>

#define VMM_HC_EXIT_TABLE 0x434f5645ULL	/* RBX buffer (guest physical), RCX its size */
#define VMM_HC_MEM_ADD 0x434f5601ULL
#define VMM_HC_PARK 0x434f5602ULL
#define VMM_HC_MEM_REMOVE 0x434f5603ULL
#define VMM_HC_SYNC 0x434f5604ULL	/* flush if due; 0 once nothing waits on a flush */
#define VMM_HC_CPU_ADD 0x434f5605ULL	/* RBX cpu | apic_id << 32, RCX state block */
#define VMM_HC_APIC_WRITE 0x434f5606ULL	/* RBX register, RCX value (ICR: dest << 32 | low) */
#define VMM_HC_CPU_START 0x434f5607ULL	/* RBX cpu | apic_id << 32, RCX struct vmm_cpu_start */
/* XEMEM: RBX a slot of the host page's xemem[], RCX the gen the kernel read there. */
#define VMM_HC_XEMEM_MAP 0x434f5608ULL
#define VMM_HC_XEMEM_UNMAP 0x434f5609ULL	/* RBX the slot; then SYNC until the host may reuse it */

/* A block of layer state for one core (VMM_HC_CPU_ADD): control block, save areas, stack. */
#define VMM_CPU_STATE_ORDER 3

/* Where a core the host started begins once the layer lets it go (VMM_HC_CPU_START). */
struct vmm_cpu_start {
	uint64_t rip, rsp, rdi, cr3;
};

/*
 * The instruction that leaves the guest for the layer: the CPU's
 * virtualization extension decides, and the layer says which at setup.
 */
enum vmm_call_insn {
	VMM_CALL_VMCALL,
	VMM_CALL_VMMCALL,
};

/* Guest side: use insn from now on (boot CPU, before any core is guarded). */
void vmm_hypercall_init(enum vmm_call_insn insn);
/* Guest side: one call; the layer's result. */
int64_t vmm_hypercall(uint64_t nr, uint64_t a, uint64_t b);

#endif /* COVE_VMM_HYPERCALL_H */
