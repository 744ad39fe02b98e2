// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's calls to the layer (include/cove/vmm_hypercall.h), host
 * side, for both back ends: the one place the call numbers are decoded.
 * A back end hands over the guest's registers at a VMCALL or VMMCALL exit
 * and skips the instruction afterwards; what the call does is decided
 * here. Runs on the calling core, on the layer's stack.
 */
#include <cove/vmm_hypercall.h>
#include "vmm_host.h"

/* The kernel's xAPIC writes: the common case, kept apart from the rest. */
static void vmm_hc_apic_write(struct vmm_vcpu *vcpu, uint64_t reg, uint64_t value)
{
	struct vmm_report r;

	if (vmm_host_apic_write(reg, value)) {
		vmm_be->fill_report(vcpu, &r);
		vmm_violation_apic(&r, reg, value);
	}
	vcpu->exits_by[VMM_EXIT_APIC]++;
}

static int64_t vmm_hc_sync(struct vmm_vcpu *vcpu)
{
	if (vmm_host_flush_due(vcpu->cpu))
		vmm_be->flush_guest_tlb(vcpu);
	return vmm_host_sync();
}

bool vmm_host_hypercall(struct vmm_vcpu *vcpu)
{
	uint64_t nr = vcpu->gprs[0], a = vcpu->gprs[3], b = vcpu->gprs[1];
	int64_t ret;

	if (nr == VMM_HC_APIC_WRITE) {
		vmm_hc_apic_write(vcpu, a, b);
		return true;
	}
	/* Counted first, so the exit table includes the call that prints it. */
	vcpu->exits_by[VMM_EXIT_HYPERCALL]++;
	switch (nr) {
	case VMM_HC_PARK:
		vmm_be->park();
	case VMM_HC_EXIT_TABLE:
		ret = vmm_host_exit_table(a, b);
		break;
	case VMM_HC_MEM_ADD:
		ret = vmm_host_mem_add(vmm_be->nested, a, b);
		break;
	case VMM_HC_MEM_REMOVE:
		ret = vmm_host_mem_remove(vmm_be->nested, a, b);
		break;
	case VMM_HC_SYNC:
		ret = vmm_hc_sync(vcpu);
		break;
	case VMM_HC_CPU_ADD:
		ret = vmm_be->cpu_add(a, b);
		break;
	case VMM_HC_XEMEM_MAP:
		ret = vmm_host_xemem_map(vmm_be->nested, a, b);
		break;
	case VMM_HC_XEMEM_UNMAP:
		ret = vmm_host_xemem_unmap(vmm_be->nested, a);
		break;
	case VMM_HC_CPU_START:
		ret = vmm_be->cpu_start(vcpu, a, b);
		break;
	default:
		vcpu->exits_by[VMM_EXIT_HYPERCALL]--;
		return false;
	}
	vcpu->gprs[0] = (uint64_t)ret;
	return true;
}
