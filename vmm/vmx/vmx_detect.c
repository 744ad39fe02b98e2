// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX: only detection so far. The back end (VMXON, VMCS, EPT) is the
 * next step of the protection layer; until then Intel CPUs run unguarded
 * and protect=require refuses them with a message that says why.
 */
#include <cove/vmm.h>
#include <arch/x86.h>

bool vmx_present(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & (1U << 5);
}
