/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the protection layer: what vmm/ and its back ends share. Private
 * to vmm/ (the files linked into vmm_layer.o); everything declared here
 * runs on the host side (or during setup, before any core is guarded).
 */
#ifndef VMM_VMM_HOST_H
#define VMM_VMM_HOST_H

#include <cove/types.h>
#include <cove/vmm_hypercall.h>
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

/* What a core's exits are counted by, for the table printed at the end of a run. */
enum vmm_exit_kind {
	VMM_EXIT_NMI,
	VMM_EXIT_CPUID,
	VMM_EXIT_MSR,
	VMM_EXIT_APIC,
	VMM_EXIT_HYPERCALL,
	VMM_EXIT_OTHER,
	VMM_EXIT_KINDS
};

/*
 * A core as the back-end neutral code sees it: first in each back end's
 * per-core state, so the world switch finds the registers at offset 0.
 * In the layer's memory; once the core runs, only the core writes it.
 */
struct vmm_vcpu {
	/*
	 * rax rcx rdx rbx rsp rbp rsi rdi r8..r15, as the world switch saved
	 * them; RSP is not kept here (reports read it from the control block).
	 * SVM keeps RAX in the VMCB: its back end copies it in before a
	 * hypercall and back after.
	 */
	uint64_t gprs[16];
	uint32_t cpu;
	uint64_t exits;
	uint64_t exits_by[VMM_EXIT_KINDS];
};

struct vmm_report;

/*
 * One back end (vmm/vmx: Intel VMX with EPT, vmm/svm: AMD SVM with nested
 * paging), chosen once at setup from CPUID (vmm_setup). The back end owns
 * the control block (VMCS or VMCB) and the world switch: it decodes exits
 * and fills registers; what an exit means is decided by common code.
 */
struct vmm_backend {
	const char *name;		/* for the kernel's log */
	uint32_t host_page_code;	/* cove_host_page.guarded once cores enter */
	enum vmm_call_insn call_insn;	/* what the guest calls the layer with */
	/* The exit kinds it counts, in the order the exit table shows them. */
	const uint8_t *exit_kinds;
	uint32_t nr_exit_kinds;
	/* The nested tables (EPT or NPT) over the partition; built by init. */
	struct pgtable *nested;

	/* Whether this CPU has the extension at all (then it is the one used). */
	bool (*present)(void);
	/* Whether it can be used; *why says why not. Setup, boot CPU. */
	bool (*available)(const char **why);
	/* Per-core state, bitmaps, nested tables. Setup, boot CPU. */
	int (*init)(const struct boot_info *bi);
	/*
	 * Enter host mode on this core and launch the kernel as the guest at
	 * guest_rip on guest_rsp; returns (false) only without state for cpu.
	 */
	bool (*cpu_enter)(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip);
	/* A core the layer started (ap_start.c): on its own tables, into guest mode. */
	void (*cpu_run_started)(uint32_t cpu) __noreturn;
	/* Host side: leave virtualization on this core and halt, where INIT works. */
	void (*park)(void) __noreturn;
	/* Host side: a core's state, or NULL if the layer holds none for it. */
	struct vmm_vcpu *(*vcpu_of)(uint32_t cpu);
	/* VMM_HC_CPU_ADD: take the block at pa and lay a new core's state out in it. */
	int64_t (*cpu_add)(uint64_t cpu_apic, uint64_t pa);
	/* VMM_HC_CPU_START on asking: the started core's guest state, from asking's. */
	int64_t (*cpu_start)(struct vmm_vcpu *asking, uint64_t cpu_apic, uint64_t gpa);
	/* Drop the guest translations this core cached, before it next runs the guest. */
	void (*flush_guest_tlb)(struct vmm_vcpu *vcpu);
	/* The guest's state at this exit, for a fault report. */
	void (*fill_report)(struct vmm_vcpu *vcpu, struct vmm_report *r);
};

extern const struct vmm_backend vmm_vmx_backend, vmm_svm_backend;
/* The back end in use: set once by the boot CPU in vmm_setup, read-only after. */
extern const struct vmm_backend *vmm_be;

/*
 * A hypercall exit (vmm/hypercall.c), with the guest's registers in
 * vcpu->gprs: does the call and leaves its result in gprs[0]. False if
 * RAX names no call of the layer's (the back end treats the instruction
 * as the guest's own); true once done, and the back end then skips it.
 */
bool vmm_host_hypercall(struct vmm_vcpu *vcpu);

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

/* Host side of VMM_HC_EXIT_TABLE: one line per core into the guest's buffer. */
int64_t vmm_host_exit_table(uint64_t gpa, uint64_t size);
/* Host side of VMM_HC_MEM_ADD, MEM_REMOVE and SYNC, shared by the back ends. */
int64_t vmm_host_mem_add(struct pgtable *nested, uint64_t base, uint64_t size);
int64_t vmm_host_mem_remove(struct pgtable *nested, uint64_t base, uint64_t size);
int64_t vmm_host_sync(void);
/* Host side of VMM_HC_XEMEM_MAP and _UNMAP: a host segment in and out of the nested tables. */
int64_t vmm_host_xemem_map(struct pgtable *nested, uint64_t slot, uint64_t gen);
int64_t vmm_host_xemem_unmap(struct pgtable *nested, uint64_t slot);
/* Whether gpa lies in a host segment the nested tables map read-only (fault reports). */
bool vmm_xemem_read_only_at(uint64_t gpa);
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
/* The APIC ID per-core slot cpu was given (boot or VMM_HC_CPU_ADD), or ~0U. */
uint32_t vmm_slot_apic_id(uint32_t cpu);
/* Whether this APIC ID belongs to the enclave (boot cores and cores added). */
bool vmm_apic_in_enclave(uint32_t apic_id);
/*
 * The guest's ICR write (destination APIC ID in the high word), either APIC
 * mode: 0 once sent (or dropped, a doorbell ring with nothing new), -EPERM
 * for an IPI aimed outside the enclave, -EAGAIN for a doorbell storm; both
 * are violations.
 */
int vmm_icr_write(uint64_t icr);

/* vmm/msr_policy.c: MSR writes are denied by default. */
enum vmm_msr_action {
	VMM_MSR_DONE,		/* the layer made it for the guest (an IPI) */
	VMM_MSR_SET_EFER,	/* the back end sets it as the guest's EFER */
	VMM_MSR_REFUSE,		/* a violation */
	VMM_MSR_REFUSE_IPI,	/* a violation of the IPI policy (vmm_violation_apic) */
};
/* The MSRs the guest writes without an exit; the back ends clear their bits. */
uint32_t vmm_msr_direct_list(const uint32_t **list);
/* A trapped WRMSR of value to msr; efer: the guest's EFER now. */
enum vmm_msr_action vmm_msr_write(uint32_t msr, uint64_t value, uint64_t efer);
const char *vmm_msr_name(uint32_t msr);

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

#endif /* VMM_VMM_HOST_H */
