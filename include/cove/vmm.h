/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protection layer: a small hypervisor inside the image that runs the
 * kernel as its only guest, with nested page tables mapping exactly the
 * partition. Common policy lives in vmm/; the back ends in vmm/svm and
 * vmm/vmx are chosen at run time from CPUID.
 */
#ifndef COVE_VMM_H
#define COVE_VMM_H

#include <cove/types.h>

struct boot_info;
struct pgtable;

enum vmm_mode {
	VMM_PROTECT_OFF,
	VMM_PROTECT_ON,		/* guard when the CPU can; say so when it cannot */
	VMM_PROTECT_REQUIRE,	/* refuse to run unguarded */
};

/* What went wrong, for the fault report. */
enum vmm_fault_kind {
	VMM_FAULT_NESTED_PAGE,	/* access outside the partition or into the layer */
	VMM_FAULT_TRIPLE,	/* shutdown: the kernel could not handle a fault */
	VMM_FAULT_IO,		/* platform I/O: reset, keyboard controller, PCI config */
	VMM_FAULT_MSR,		/* a write to an MSR the kernel may not change */
	VMM_FAULT_VIRT_INSN,	/* VMRUN, VMLOAD, ... executed by the kernel */
	VMM_FAULT_INIT,		/* an INIT signal reached an enclave core */
	VMM_FAULT_IPI,		/* an IPI aimed outside the enclave */
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

/* Boot CPU, after memory and before other CPUs start. */
int vmm_init(const struct boot_info *bi, enum vmm_mode mode);
/* Every CPU, early: enter host mode and come back as the guest. */
void vmm_cpu_enter(void);
bool vmm_guarded(void);
/*
 * Ask the layer to let the partition grow by [base, base+size): it checks
 * the range was granted and maps it in the nested tables. 0 or -EPERM.
 */
int vmm_partition_add(phys_addr_t base, uint64_t size);

/*
 * Ask the layer to take [base, base+size) out of the partition: it unmaps
 * the range from the nested tables and has every CPU flush its TLB before
 * it tells the host (co-kernel) the range is free. The kernel must have
 * stopped using it. 0, -EPERM (not ours, or the layer's), -EBUSY.
 */
int vmm_partition_remove(phys_addr_t base, uint64_t size);
/*
 * Before a core added at run time starts: give the layer memory for its
 * state on that core (taken from the partition, then hidden) and let the
 * core's APIC ID receive IPIs. 0, or an error and the core must not start.
 */
int vmm_cpu_add(uint32_t cpu, uint32_t apic_id);

/* Hypercalls: RAX holds the number, RBX and RCX the arguments. */
#define VMM_HC_EXIT_TABLE 0x434f5645ULL
#define VMM_HC_MEM_ADD 0x434f5601ULL
#define VMM_HC_PARK 0x434f5602ULL
#define VMM_HC_MEM_REMOVE 0x434f5603ULL
#define VMM_HC_SYNC 0x434f5604ULL	/* flush if due; 0 once nothing waits on a flush */
#define VMM_HC_CPU_ADD 0x434f5605ULL	/* RBX cpu | apic_id << 32, RCX state block */
#define VMM_HC_APIC_WRITE 0x434f5606ULL	/* RBX register, RCX value (ICR: dest << 32 | low) */
/* A block of layer state for one core: control block, save areas, stack. */
#define VMM_CPU_STATE_ORDER 3
/*
 * Co-kernel end of run: leave guest mode for good on this CPU (the layer
 * switches virtualization off and halts) so the host's INIT can take the
 * core back. Returns only when the layer is off.
 */
void vmm_park_cpu(void);
/*
 * xAPIC registers are MMIO, and the ICR shares its page with EOI and the
 * timer: the nested tables map that page read-only and a guarded CPU
 * writes its APIC through the layer, which checks every IPI's destination.
 * For the ICR, value is the destination APIC ID << 32 | the low word.
 */
void vmm_apic_write(uint32_t reg, uint64_t value);
/* Whether INIT means "the host takes this core back" (co-kernel) rather than an attack. */
bool vmm_init_is_reclaim(void);
/* Back ends: virtualization off on this CPU, then halt for good (host side). */
void svm_park(void) __noreturn;
void vmx_park(void) __noreturn;
/* Co-kernel: every I/O port is the host's. */
bool vmm_all_ports_trapped(void);
/* Print each CPU's VM exits by reason (asks the layer; one exit itself). */
void vmm_print_exits(void);
const char *vmm_backend(void);
/* Physical range the layer holds (for tests that try to write into it). */
void vmm_area(phys_addr_t *base, uint64_t *size);

/* Back ends. */
bool vmx_present(void);
bool vmx_available(const char **why);
int vmx_init(const struct boot_info *bi);
bool vmx_cpu_enter(void);
bool svm_available(const char **why);
int svm_init(const struct boot_info *bi);
bool svm_cpu_enter(void);

/* True once a violation is being reported: other CPUs must stop. */
bool vmm_is_stopping(void);
/* Common: record a violation, stop the enclave, end the run. */
void vmm_violation(enum vmm_fault_kind kind, struct vmm_report *r) __noreturn;
/* Memory for the layer, taken from the partition and hidden from the guest. */
void *vmm_alloc_pages(uint32_t order, phys_addr_t *pa);
/*
 * The violations both back ends see, described the same way. r holds the
 * guest state already; these add the words and end the run.
 */
void vmm_violation_nested(struct vmm_report *r, const char *access, uint64_t gpa) __noreturn;
void vmm_violation_triple(struct vmm_report *r) __noreturn;
void vmm_violation_io(struct vmm_report *r, bool read, uint64_t port) __noreturn;
void vmm_violation_msr(struct vmm_report *r, bool write, uint64_t msr, uint64_t value) __noreturn;

/* One line of the exit table: per-reason counts of one CPU. */
void vmm_print_exit_row(uint32_t cpu, uint64_t total, const char *const *names,
			const uint64_t *counts, int n);
/* Host side of VMM_HC_MEM_ADD, shared by the back ends. */
int64_t vmm_host_mem_add(struct pgtable *nested, uint64_t base, uint64_t size);
/* Host side of VMM_HC_APIC_WRITE: 0 once written, -EPERM if refused (a violation). */
int64_t vmm_host_apic_write(uint64_t reg, uint64_t value);
void vmm_violation_apic(struct vmm_report *r, uint64_t reg, uint64_t value) __noreturn;
/* Host side of VMM_HC_MEM_REMOVE and VMM_HC_SYNC. */
int64_t vmm_host_mem_remove(struct pgtable *nested, uint64_t base, uint64_t size);
int64_t vmm_host_sync(void);
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
/* How many per-core slots the back ends keep: cores at boot plus room to add. */
uint32_t vmm_cpu_slots(const struct boot_info *bi);
int64_t svm_hypercall(uint64_t nr, uint64_t a, uint64_t b);
int64_t vmx_hypercall(uint64_t nr, uint64_t a, uint64_t b);
/* The nested tables' view: map the partition, then remove the layer's pages. */
struct pgtable;
int vmm_build_nested(const struct boot_info *bi, struct pgtable *pt, bool allow_1g);

#endif /* COVE_VMM_H */
