// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's hypercall (guest side): VMCALL under the Intel VMX back
 * end, VMMCALL under the AMD SVM one. The only kernel file that knows
 * the two apart; the layer names the instruction at setup.
 */
#include <cove/vmm_hypercall.h>

static int64_t vmx_hypercall(uint64_t nr, uint64_t a, uint64_t b)
{
	int64_t ret;

	__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
	return ret;
}

static int64_t svm_hypercall(uint64_t nr, uint64_t a, uint64_t b)
{
	int64_t ret;

	__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
	return ret;
}

/* Set by the boot CPU in vmm_hypercall_init, before any core is guarded; read-only after. */
static int64_t (*vmm_call)(uint64_t nr, uint64_t a, uint64_t b) = svm_hypercall;

void vmm_hypercall_init(enum vmm_call_insn insn)
{
	vmm_call = insn == VMM_CALL_VMCALL ? vmx_hypercall : svm_hypercall;
}

int64_t vmm_hypercall(uint64_t nr, uint64_t a, uint64_t b)
{
	return vmm_call(nr, a, b);
}
