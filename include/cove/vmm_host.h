/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the protection layer: what vmm/ and its back ends share. Only
 * files linked into vmm_layer.o include this; everything declared here runs
 * on the host side (or during setup, before any core is guarded).
 */
#ifndef COVE_VMM_HOST_H
#define COVE_VMM_HOST_H

#include <cove/types.h>
#include <arch/memlayout.h>

struct boot_info;
struct pgtable;

/* What went wrong, for the fault report. */
enum vmm_fault_kind {
	VMM_FAULT_NESTED_PAGE,	/* access outside the partition or into the layer */
	VMM_FAULT_TRIPLE,	/* shutdown: the kernel could not handle a fault */
	VMM_FAULT_IO,		/* platform I/O: reset, keyboard controller, PCI config */
	VMM_FAULT_MSR,		/* a write to an MSR the kernel may not change */
	VMM_FAULT_VIRT_INSN,	/* VMRUN, VMLOAD, ... executed by the kernel */
	VMM_FAULT_INIT,		/* an INIT signal reached an enclave core */
	VMM_FAULT_IPI,		/* an IPI aimed outside the enclave */
	VMM_FAULT_DOORBELL,	/* the host's doorbell rung without end */
	VMM_FAULT_INVALID,	/* the guest state was refused by the CPU */
};

/* The report, kept in the layer's own memory (the guest cannot reach it). */
struct vmm_report {
	uint32_t magic;			/* VMM_REPORT_MAGIC once written */
	uint32_t kind;
	uint32_t cpu;
	uint32_t pad;
	uint64_t exit_code, info1, info2;
	uint64_t rip, rsp, rflags, cr0, cr3, cr4;
	uint64_t gpr[16];		/* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
	char what[128];
};

#define VMM_REPORT_MAGIC 0x434f5645	/* "COVE" */

/*
 * The layer reaches physical memory through the direct map of its own page
 * tables (vmm/host_tables.c), at the same addresses the kernel uses.
 */
static inline void *vmm_p2v(uint64_t pa)
{
	return (void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
}

static inline uint64_t vmm_v2p(const void *va)
{
	return (uint64_t)(uintptr_t)va - DIRECT_MAP_BASE;
}

static inline void __noreturn vmm_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Back ends. */
bool vmx_present(void);
bool vmx_available(const char **why);
int vmx_init(const struct boot_info *bi);
bool vmx_cpu_enter(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip);
void vmx_park(void) __noreturn;
bool svm_available(const char **why);
int svm_init(const struct boot_info *bi);
bool svm_cpu_enter(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip);
void svm_park(void) __noreturn;
/* A core the layer started (ap_start.c): on its own tables, into guest mode. */
void svm_cpu_run_started(uint32_t cpu) __noreturn;
void vmx_cpu_run_started(uint32_t cpu) __noreturn;

/* Setup only: memory for the layer, taken from the partition and hidden. */
void *vmm_alloc_pages(uint32_t order, phys_addr_t *pa);
/* The smallest order of pages that holds size bytes. */
uint32_t vmm_order_for(uint64_t size);
/* How many per-core slots the back ends keep: cores at boot plus room to add. */
uint32_t vmm_cpu_slots(const struct boot_info *bi);
/* Co-kernel: every I/O port is the host's; INIT means the host takes a core back. */
bool vmm_all_ports_trapped(void);
bool vmm_init_is_reclaim(void);
/* The nested tables' view: map the partition, then remove the layer's pages. */
int vmm_build_nested(const struct boot_info *bi, struct pgtable *pt, bool allow_1g);

/* Lines for the kernel's console during setup, the serial port after (bare mode). */
void vmm_log(const char *fmt, ...) __printf(1, 2);

/*
 * The layer's own address space (host_tables.c): its code and data, the
 * partition's direct map, the local APIC and the host page; its own GDT
 * and IDT. Built during setup; vmm_host_tables_load switches this core to
 * them (the back ends do it before the first guest entry).
 */
int vmm_host_tables_build(const struct boot_info *bi, phys_addr_t image_pa);
void vmm_host_tables_load(void);
/*
 * A core the layer started arrives on the loader's GDT, which the host
 * takes back: load the layer's tables and reload every segment from them.
 */
void vmm_host_tables_adopt(void);
/* The kernel's selectors at setup, which the layer's GDT copy keeps. */
uint16_t vmm_host_tr_sel(void);
/* A TSS of the layer's for a started core's host TR (VMX needs one). */
uint64_t vmm_host_tss_base(void);
uint64_t vmm_host_cr3(void);
uint64_t vmm_host_gdt_base(void);
uint64_t vmm_host_idt_base(void);
/* The layer's IDT sends its own faults here (host_entry.asm). */
void vmm_host_crashed(uint64_t frame_word) __noreturn;
/* Host side, on the layer's stack, before a core's first guest entry. */
void vmm_host_first_entry(uint32_t cpu);
/* Partition memory added or removed at run time, in the direct map. */
int vmm_host_tables_map(uint64_t base, uint64_t size);
void vmm_host_tables_unmap(uint64_t base, uint64_t size);

/* Violations: write the report, stop the enclave, end the run (violation.c). */
bool vmm_is_stopping(void);
void vmm_violation(enum vmm_fault_kind kind, struct vmm_report *r) __noreturn;
/* The violations both back ends see, described the same way. */
void vmm_violation_nested(struct vmm_report *r, const char *access, uint64_t gpa) __noreturn;
void vmm_violation_triple(struct vmm_report *r) __noreturn;
void vmm_violation_io(struct vmm_report *r, bool read, uint64_t port) __noreturn;
void vmm_violation_msr(struct vmm_report *r, bool write, uint64_t msr, uint64_t value) __noreturn;
void vmm_violation_apic(struct vmm_report *r, uint64_t reg, uint64_t value) __noreturn;
/* Whether [base, base+size) touches the layer's own memory (areas or image). */
bool vmm_overlaps_layer(uint64_t base, uint64_t size);
/* Send one IPI from this core (xAPIC or x2APIC, whichever it is in). */
void vmm_send_ipi(uint32_t dest_apic, uint32_t icr_lo);
/* Co-kernel: ring the host's doorbell, if its page names one. */
void vmm_ring_host(void);
/* This core's APIC ID, as the hardware says. */
uint32_t vmm_self_apic_id(void);
/* The enclave's APIC IDs, for stopping every other core. */
uint32_t vmm_enclave_apic_ids(const uint32_t **ids);
/* Co-kernel: the host's page (the report goes there), or NULL. */
struct cove_host_page *vmm_host_page_of(void);
/* Co-kernel: Cove's state word and exit status for the host (boot block), or NULL. */
uint32_t *vmm_host_state_word(void);
/* Bare mode: the run ends through the emulator's exit ports (else halt). */
bool vmm_poweroff_ports(void);
bool vmm_layer_is_on(void);
bool vmm_layer_is_vmx(void);

/*
 * Co-kernel cores the layer starts (ap_start.c, ap_entry.asm): the common
 * checks of VMM_HC_CPU_START around the back end's prepare, and the
 * release of the waiting core onto the layer's tables and host_rsp.
 */
struct vmm_cpu_start;
int64_t vmm_host_cpu_start(uint64_t cpu_apic, uint64_t gpa, uint64_t host_rsp,
			   void (*prepare)(uint32_t cpu, const struct vmm_cpu_start *req, void *ctx),
			   void *ctx);
int64_t vmm_host_ap_release(uint32_t cpu, uint32_t apic_id, uint64_t host_rsp);
/* The layer's entry code, identity-mapped in its tables (the switch to them runs there). */
extern char vmm_ap_entry[], vmm_ap_entry_end[];

/*
 * Host side of VMM_HC_EXIT_TABLE: appends one line per core to the
 * guest's buffer; the back ends call vmm_exit_row for each of their cores.
 */
int64_t vmm_host_exit_table(uint64_t gpa, uint64_t size,
			    int (*rows)(char *buf, uint64_t size));
int vmm_exit_row(char *buf, uint64_t size, uint32_t cpu, uint64_t total,
		 const char *const *names, const uint64_t *counts, int n);
/* Host side of VMM_HC_MEM_ADD, MEM_REMOVE and SYNC, shared by the back ends. */
int64_t vmm_host_mem_add(struct pgtable *nested, uint64_t base, uint64_t size);
int64_t vmm_host_mem_remove(struct pgtable *nested, uint64_t base, uint64_t size);
int64_t vmm_host_sync(void);
/* Host side of VMM_HC_APIC_WRITE: 0 once written, -EPERM if refused (a violation). */
int64_t vmm_host_apic_write(uint64_t reg, uint64_t value);
/*
 * Host side of VMM_HC_CPU_ADD: checks the request and hides the block;
 * 0 with *state the block's address for the back end to lay out.
 */
int64_t vmm_host_cpu_add(struct pgtable *nested, uint64_t cpu_apic, uint64_t pa, void **state);
/* Bookkeeping of nested-TLB flushes: the back ends call these on each CPU. */
void vmm_host_cpu_entered(uint32_t cpu);
bool vmm_host_flush_due(uint32_t cpu);
/* Whether this APIC ID belongs to the enclave (boot cores and cores added). */
bool vmm_apic_in_enclave(uint32_t apic_id);
/* Whether an IPI (ICR low word, destination APIC ID) stays inside the enclave. */
bool vmm_icr_allowed(uint32_t icr_lo, uint32_t dest);
/*
 * The guest's ICR write (destination APIC ID in the high word), either APIC
 * mode: 0 once sent (or dropped, a doorbell ring with nothing new), -EPERM
 * for an IPI aimed outside the enclave, -EAGAIN for a doorbell storm; both
 * are violations.
 */
int vmm_icr_write(uint64_t icr);

/* vmm/doorbell.c: the host's long-call doorbell, rate-limited by news. */
enum vmm_doorbell_verdict {
	VMM_DOORBELL_SEND,
	VMM_DOORBELL_DROP,	/* nothing new since the last ring: counted, not sent */
	VMM_DOORBELL_STORM,	/* a long run of those: a violation */
};
void vmm_doorbell_setup(const struct boot_info *bi, const uint32_t *state_word);
enum vmm_doorbell_verdict vmm_doorbell_admit(void);
/* Whether an ICR write is a ring of the host's doorbell (refused only as a storm). */
bool vmm_icr_is_doorbell(uint32_t icr_lo, uint32_t dest);

#endif /* COVE_VMM_HOST_H */
