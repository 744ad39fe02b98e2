// SPDX-License-Identifier: GPL-2.0
/*
 * Which MSR writes the kernel may make: deny by default. Both back ends
 * trap every MSR write their bitmaps can name (and the CPU traps the rest),
 * except the short list below that the guest writes directly: state of its
 * own core that no other core and nothing outside the enclave sees, which
 * Cove writes on its hot paths (context switch, timer, EOI). A trapped
 * write is either one the layer makes for the kernel after checking it --
 * an IPI through the x2APIC ICR, an EFER change that only touches SYSCALL
 * or NX -- or a violation: APIC base, MTRRs, microcode, power limits,
 * MISC_ENABLE and every other MSR that reaches past the enclave's own cores
 * or steers the layer.
 */
#include <arch/x86.h>
#include "vmm_host.h"

#define EFER_SCE (1ULL << 0)
#define EFER_NXE (1ULL << 11)
#define MSR_X2APIC_ICR 0x830

static const uint32_t vmm_msr_direct[] = {
	0xc0000100, 0xc0000101, 0xc0000102,	/* FS, GS and kernel GS base */
	0xc0000103,				/* TSC_AUX (RDTSCP, getcpu) */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,	/* STAR, LSTAR, CSTAR, SFMASK */
	0x277,					/* PAT: the guest's own (VMCS / gPAT) */
	0x6e0,					/* TSC deadline of this core's timer */
	0x808, 0x80b, 0x80f, 0x828,		/* x2APIC TPR, EOI, SVR, ESR */
	0x832, 0x835, 0x836, 0x837,		/* LVT timer, LINT0, LINT1, error */
	0x838, 0x83e, 0x83f,			/* timer count and divide, self IPI */
};

uint32_t vmm_msr_direct_list(const uint32_t **list)
{
	*list = vmm_msr_direct;
	return ARRAY_SIZE(vmm_msr_direct);
}

enum vmm_msr_action vmm_msr_write(uint32_t msr, uint64_t value, uint64_t efer)
{
	if (msr == MSR_X2APIC_ICR)
		return vmm_icr_write(value) ? VMM_MSR_REFUSE_IPI : VMM_MSR_DONE;
	if (msr == MSR_EFER && !((value ^ efer) & ~(EFER_SCE | EFER_NXE)))
		return VMM_MSR_SET_EFER;
	return VMM_MSR_REFUSE;
}

/* What the report calls a refused MSR, for the ones a kernel is likeliest to hit. */
const char *vmm_msr_name(uint32_t msr)
{
	if (msr >= 0x200 && msr <= 0x26f)
		return "an MTRR: memory types";
	switch (msr) {
	case 0x1b:
		return "IA32_APIC_BASE";
	case 0x3a:
		return "IA32_FEATURE_CONTROL";
	case 0x79:
		return "IA32_BIOS_UPDT_TRIG: microcode update";
	case 0x1a0:
		return "IA32_MISC_ENABLE: package-wide features";
	case 0x2ff:
		return "IA32_MTRR_DEF_TYPE: memory types";
	case 0x610:
		return "MSR_PKG_POWER_LIMIT: package power";
	case MSR_EFER:
		return "EFER: only SCE and NXE may change";
	case 0xc0010114:
		return "VM_CR";
	case 0xc0010117:
		return "VM_HSAVE_PA: the layer's save area";
	default:
		return "not one the kernel may write";
	}
}
