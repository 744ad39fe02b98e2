// SPDX-License-Identifier: GPL-2.0
/*
 * Containment: one CPU writes the report, stops every other core of the
 * enclave and ends the run, all without the kernel. Bare mode prints the
 * report on the serial port and powers the emulator off (or halts the
 * node); co-kernel mode writes it into the host's page and parks, so the
 * host's INIT takes the cores back.
 */
#include <cove/exit.h>
#include <cove/kvsnprintf.h>
#include <cove/pisces_abi.h>
#include <arch/lapic.h>
#include <arch/platform.h>
#include <arch/x86.h>
#include "vmm_host.h"

/* The one report; written by the CPU that saw the violation. */
static struct vmm_report vmm_report_saved;
/* Which CPU reports; the others stop. Set before the stop NMIs go out. */
static volatile uint32_t vmm_reporting;
/* Read by the layer's NMI handler (host_entry.asm): 1 once cores must stop. */
volatile uint32_t vmm_stopping;

static const char *const vmm_kind_names[] = {
	[VMM_FAULT_NESTED_PAGE] = "nested page fault",
	[VMM_FAULT_TRIPLE] = "triple fault (shutdown)",
	[VMM_FAULT_IO] = "platform I/O",
	[VMM_FAULT_MSR] = "protected MSR write",
	[VMM_FAULT_VIRT_INSN] = "virtualization instruction",
	[VMM_FAULT_INIT] = "INIT signal",
	[VMM_FAULT_IPI] = "IPI outside the enclave",
	[VMM_FAULT_DOORBELL] = "doorbell storm",
	[VMM_FAULT_INVALID] = "invalid guest state",
};

bool vmm_is_stopping(void)
{
	return vmm_reporting != 0;
}

/* Host side: this CPU is done; leave it where INIT can take it back. */
static void __noreturn vmm_host_park(void)
{
	vmm_be->park();
}

/* The report as text in the host page: the host shows it as is. */
static void vmm_host_report(const struct vmm_report *r, const char *name)
{
	struct cove_host_page *hp = vmm_host_page_of();
	uint32_t *state = vmm_host_state_word();

	if (!hp)
		return;
	ksnprintf(hp->fault_report, sizeof(hp->fault_report),
		  "COVE PROTECTION FAULT on cpu %u: %s\n  %s\n"
		  "  guest RIP %016lx RSP %016lx RFLAGS %016lx\n"
		  "  exit code %#lx, info1 %#lx, info2 %#lx\n"
		  "  CR0 %016lx CR3 %016lx CR4 %016lx\n",
		  r->cpu, name, r->what, r->rip, r->rsp, r->rflags, r->exit_code, r->info1,
		  r->info2, r->cr0, r->cr3, r->cr4);
	__atomic_store_n(&hp->fault_seq, hp->fault_seq + 1, __ATOMIC_RELEASE);
	/*
	 * Then what the kernel's own exit would have said, had it been let
	 * run. After the report: a host that reads the state first and then
	 * the report's count sees the report.
	 */
	if (state) {
		state[1] = EXIT_CONTAINED;
		__atomic_store_n(&state[0], COVE_STATE_PANIC, __ATOMIC_RELEASE);
	}
	vmm_ring_host();	/* rather than wait for the host's next tick */
}

/* NMI every other enclave core: its exit handler parks it (the layer's own list). */
static void vmm_stop_others(void)
{
	uint32_t self = vmm_self_apic_id();
	const uint32_t *ids;
	uint32_t n = vmm_enclave_apic_ids(&ids);

	for (uint32_t i = 0; i < n; i++) {
		if (ids[i] != self)
			vmm_send_ipi(ids[i], APIC_ICR_NMI | APIC_ICR_LEVEL_ASSERT);
	}
}

/* Bare mode: the report goes out on the serial port, line by line. */
static void vmm_print_report(const struct vmm_report *r, const char *name)
{
	vmm_log("\nCOVE PROTECTION FAULT on cpu %u: %s", r->cpu, name);
	vmm_log("  %s", r->what);
	vmm_log("  guest RIP %016lx RSP %016lx RFLAGS %016lx", r->rip, r->rsp, r->rflags);
	vmm_log("  exit code %#lx, info1 %#lx, info2 %#lx", r->exit_code, r->info1, r->info2);
	vmm_log("  RAX %016lx RBX %016lx RCX %016lx RDX %016lx", r->gpr[0], r->gpr[3], r->gpr[1],
		r->gpr[2]);
	vmm_log("  RSI %016lx RDI %016lx RBP %016lx", r->gpr[6], r->gpr[7], r->gpr[5]);
	vmm_log("  CR0 %016lx CR3 %016lx CR4 %016lx", r->cr0, r->cr3, r->cr4);
	vmm_log("vmm: the enclave is stopped; nothing outside the partition was touched");
}

/* Bare mode: the same last line the kernel prints, so runners read the status. */
static void __noreturn vmm_power_off(void)
{
	vmm_log("cove: powering off (status %d: protection fault contained)", EXIT_CONTAINED);
	if (vmm_poweroff_ports())
		platform_emulator_exit(EXIT_CONTAINED);
	/* A real node stays halted with the report on its console. */
	vmm_halt();
}

void vmm_violation(enum vmm_fault_kind kind, struct vmm_report *r)
{
	uint32_t expect = 0;
	const char *name = kind < ARRAY_SIZE(vmm_kind_names) ? vmm_kind_names[kind] : "violation";

	/* One CPU reports; the others, stopped by it, never get here. */
	if (!__atomic_compare_exchange_n(&vmm_reporting, &expect, 1, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		vmm_host_park();
	vmm_stopping = 1;
	r->magic = VMM_REPORT_MAGIC;
	r->kind = kind;
	vmm_report_saved = *r;
	vmm_host_report(r, name);
	vmm_stop_others();
	if (vmm_host_page_of())
		vmm_host_park();
	vmm_print_report(r, name);
	vmm_power_off();
}

void vmm_violation_nested(struct vmm_report *r, const char *access, uint64_t gpa)
{
	bool apic = ALIGN_DOWN(gpa, PAGE_SIZE) == 0xfee00000ULL;

	ksnprintf(r->what, sizeof(r->what), "%s at guest physical %#lx: %s", access, gpa,
		  vmm_overlaps_layer(gpa, 1) ? "inside the protection layer's memory" :
		  apic ? "the local APIC page, which the kernel writes through the layer" :
		  vmm_xemem_read_only_at(gpa) ? "a host segment the host granted read-only" :
		  "outside the partition");
	vmm_violation(VMM_FAULT_NESTED_PAGE, r);
}

void vmm_violation_triple(struct vmm_report *r)
{
	ksnprintf(r->what, sizeof(r->what), "the kernel triple-faulted; the machine would reset");
	vmm_violation(VMM_FAULT_TRIPLE, r);
}

void vmm_violation_io(struct vmm_report *r, bool read, uint64_t port)
{
	ksnprintf(r->what, sizeof(r->what), "%s of I/O port %#lx (reset, keyboard controller "
		  "or PCI configuration)", read ? "read" : "write", port);
	vmm_violation(VMM_FAULT_IO, r);
}

void vmm_violation_msr(struct vmm_report *r, bool write, uint64_t msr, uint64_t value)
{
	ksnprintf(r->what, sizeof(r->what), "%s of MSR %#lx (value %#lx) by the kernel (%s)",
		  write ? "write" : "read", msr, value, vmm_msr_name((uint32_t)msr));
	vmm_violation(VMM_FAULT_MSR, r);
}

void vmm_violation_apic(struct vmm_report *r, uint64_t reg, uint64_t value)
{
	if (reg == APIC_REG_ICR_LOW && vmm_icr_is_doorbell((uint32_t)value, value >> 32)) {
		ksnprintf(r->what, sizeof(r->what), "doorbell storm: the kernel kept ringing the "
			  "host's doorbell (vector %#lx) with nothing new for the host",
			  value & 0xff);
		vmm_violation(VMM_FAULT_DOORBELL, r);
	}
	if (reg == APIC_REG_ICR_LOW) {
		ksnprintf(r->what, sizeof(r->what), "IPI (ICR %#lx) aimed at APIC id %lu, "
			  "outside the enclave", (uint64_t)(uint32_t)value, value >> 32);
		vmm_violation(VMM_FAULT_IPI, r);
	}
	ksnprintf(r->what, sizeof(r->what), "write of %#lx to local APIC register %#lx, which "
		  "the kernel may not change", value, reg);
	vmm_violation(VMM_FAULT_MSR, r);
}
