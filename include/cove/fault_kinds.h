/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kinds of fault_inject=, in ABI order: the kernel's option takes the
 * names, and the test-only system call COVE_SYS_FAULT_INJECT takes the
 * index. Plain macros, so user/kfault builds against the same list.
 */
#ifndef COVE_FAULT_KINDS_H
#define COVE_FAULT_KINDS_H

#define COVE_SYS_FAULT_INJECT 1000	/* COVE_SYSCALL_BASE + 0 */
/*
 * Test-only too: the calling thread's entries into the kernel so far
 * (system calls, this one included, faults and interrupts), so a test can
 * show that the vDSO's calls make none. ENOSYS on Linux.
 */
#define COVE_SYS_KENTRIES 1004		/* COVE_SYSCALL_BASE + 4 */

#define COVE_FAULT_KINDS(X)						\
	X(none) X(wild_write) X(layer_write) X(triple_fault) X(reset)	\
	X(apic_base) X(vmrun) X(ipi_foreign) X(grow_ungranted)		\
	X(nmi_foreign) X(layer_code) X(chan_scribble) X(lc_flood)	\
	X(doorbell_storm) X(hang) X(panic) X(msr_write) X(pci_config)	\
	X(ap_early_write) X(on_request)

#endif /* COVE_FAULT_KINDS_H */
