/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault_inject= (test only): what only the CPU can do wrong, for
 * kernel/debug/fault_inject.c. Each says on the console what it tries and,
 * if it returns, what happened.
 */
#ifndef ARCH_FAULT_ARCH_H
#define ARCH_FAULT_ARCH_H

#include <cove/types.h>

/* Load an empty IDT and fault: a triple fault. */
void fault_arch_triple(void);
/* Reset the platform through port 0xcf9. */
void fault_arch_reset(void);
/* Move the local APIC (an APIC base MSR write), then put it back. */
void fault_arch_apic_base(void);
/* Run a virtualization instruction of this CPU's extension in the kernel. */
void fault_arch_virt_insn(void);
/* Send an NMI to apic_id. */
void fault_arch_nmi(uint32_t apic_id);
/* Turn the MTRRs off (IA32_MTRR_DEF_TYPE), then put them back. */
void fault_arch_msr_write(void);
/* Read the platform's PCI configuration: the host bridge's IDs. */
void fault_arch_pci_config(void);
/* Send an INIT to apic_id. */
void fault_arch_init(uint32_t apic_id);

#endif /* ARCH_FAULT_ARCH_H */
