// SPDX-License-Identifier: GPL-2.0
/*
 * The protection layer, back-end neutral part: which back end, the layer's
 * own memory (taken from the partition, then hidden from the guest), the
 * nested tables' contents, and what happens on a violation.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/exit.h>
#include <cove/host.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/panic.h>
#include <cove/partition.h>
#include <cove/percpu.h>
#include <cove/pisces_abi.h>
#include <cove/pmem.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/vmm.h>
#include <cove/xcall.h>
#include <arch/lapic.h>
#include <arch/pgtable.h>

#define VMM_MAX_AREAS 2048
#define LAPIC_DEFAULT_PHYS 0xfee00000ULL

/* Set up by the boot CPU in vmm_init, read by every CPU afterwards. */
static bool vmm_on;
static bool vmm_is_vmx;
static const char *vmm_name = "none";
static struct {
	phys_addr_t pa;
	uint64_t size;
} vmm_areas[VMM_MAX_AREAS];
static uint32_t vmm_nr_areas;
static phys_addr_t vmm_lo = ~0ULL, vmm_hi;
/* The one report; written by the CPU that saw the violation. */
static struct vmm_report *vmm_report_area;
/* Co-kernel: the host page the fault report goes to; set by vmm_init. */
static struct cove_host_page *vmm_host_page;
static bool vmm_cokernel;
/* The layer's own view of the xAPIC registers (the guest's is read-only). */
static volatile uint32_t *vmm_lapic;

static int64_t vmm_hypercall(uint64_t nr, uint64_t a, uint64_t b);

/*
 * Taking access away from the guest (hiding pages, removing memory) must
 * reach every core's TLB, not just the one that changed the tables. Each
 * such change bumps vmm_nested_gen; a core flushes its guest translations
 * at its next exit when it has seen an older count. Written on the host
 * side only, under vmm_change_lock.
 */
static uint64_t vmm_nested_gen;
static struct {
	uint64_t seen_gen;
	bool entered;
} vmm_sync[MAX_CPUS];
/* A removal waits here until every core has flushed; then the host hears. */
static struct {
	uint64_t base, size, gen;
	bool pending;
} vmm_removing;
/* The enclave's APIC IDs (IPIs may go there only); boot cores, then added ones. */
static uint32_t vmm_apic_ids[BOOT_MAX_CPUS];
static uint32_t vmm_nr_apic_ids;
static bool vmm_enclave_is_machine;
/* Serialises partition changes made from different CPUs' exits. */
static spinlock_t vmm_change_lock = SPINLOCK_INIT;
static volatile uint32_t vmm_reporting;
/* Set before other cores are sent NMIs; read by the layer's NMI handlers. */
volatile uint32_t vmm_stopping;

static const char *const vmm_kind_names[] = {
	[VMM_FAULT_NESTED_PAGE] = "nested page fault",
	[VMM_FAULT_TRIPLE] = "triple fault (shutdown)",
	[VMM_FAULT_IO] = "platform I/O",
	[VMM_FAULT_MSR] = "protected MSR write",
	[VMM_FAULT_VIRT_INSN] = "virtualization instruction",
	[VMM_FAULT_INIT] = "INIT signal",
	[VMM_FAULT_IPI] = "IPI outside the enclave",
	[VMM_FAULT_INVALID] = "invalid guest state",
};

bool vmm_guarded(void)
{
	return vmm_on;
}

const char *vmm_backend(void)
{
	return vmm_name;
}

void vmm_area(phys_addr_t *base, uint64_t *size)
{
	*base = vmm_nr_areas ? vmm_lo : 0;
	*size = vmm_nr_areas ? vmm_hi - vmm_lo : 0;
}

/* [pa, pa+size) is the layer's from now on (zeroed); the caller checked there is room. */
static void *vmm_area_take(phys_addr_t pa, uint64_t size)
{
	vmm_areas[vmm_nr_areas].pa = pa;
	vmm_areas[vmm_nr_areas].size = size;
	vmm_nr_areas++;
	vmm_lo = MIN(vmm_lo, pa);
	vmm_hi = MAX(vmm_hi, pa + size);
	memset(phys_to_virt(pa), 0, size);
	return phys_to_virt(pa);
}

void *vmm_alloc_pages(uint32_t order, phys_addr_t *pa)
{
	if (vmm_nr_areas == VMM_MAX_AREAS || pmem_alloc(order, pa))
		return NULL;
	return vmm_area_take(*pa, PAGE_SIZE << order);
}

static void *vmm_nested_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

static int vmm_nested_alloc(void *ctx, uint64_t *pa)
{
	(void)ctx;
	return vmm_alloc_pages(0, pa) ? 0 : -ENOMEM;
}

int vmm_build_nested(const struct boot_info *bi, struct pgtable *pt, bool allow_1g)
{
	int rc;

	pt->phys_to_virt = vmm_nested_p2v;
	pt->alloc_table = vmm_nested_alloc;
	pt->allow_1g = allow_1g;
	rc = pgtable_init(pt);
	if (rc)
		return rc;
	/* Nested walks are user accesses: every entry needs PGT_USER. */
	for (uint32_t i = 0; i < bi->nr_mem && !rc; i++)
		rc = pgtable_map(pt, bi->mem[i].base, bi->mem[i].base, bi->mem[i].size,
				 PGT_USER | PGT_WRITE);
	/*
	 * The one device page the kernel needs beyond its ports: its local
	 * APIC, read-only, so no xAPIC IPI leaves without the layer's check.
	 */
	if (!rc)
		rc = pgtable_map(pt, LAPIC_DEFAULT_PHYS, LAPIC_DEFAULT_PHYS, PAGE_SIZE,
				 PGT_USER | PGT_UNCACHED);
	/* Co-kernel: the host's page of grants, readable but never writable. */
	if (!rc && bi->host_page)
		rc = pgtable_map(pt, bi->host_page, bi->host_page, PAGE_SIZE, PGT_USER);
	/*
	 * Hide the layer's own pages, tables included. Splitting a large page
	 * allocates tables, which are layer pages too: the list grows as we go.
	 */
	for (uint32_t i = 0; i < vmm_nr_areas && !rc; i++)
		rc = pgtable_unmap(pt, vmm_areas[i].pa, vmm_areas[i].size);
	return rc;
}

/*
 * What the host granted and what the partition holds now, as the layer
 * sees them: kept in its own memory so the guest cannot rewrite them.
 */
struct vmm_ranges {
	uint32_t nr;
	struct boot_range r[BOOT_MAX_MEM_RANGES];
};
static struct vmm_ranges *vmm_granted, *vmm_partition;

/*
 * Host side of "add memory": the range must be granted, new to the
 * partition and clear of the layer; then the nested tables map it. Tables
 * allocated for that are layer memory, hidden like the rest. Adding
 * mappings leaves nothing stale in any TLB, so no flush is needed.
 */
int64_t vmm_host_mem_add(struct pgtable *nested, uint64_t base, uint64_t size)
{
	uint32_t first_new = vmm_nr_areas;
	int rc;

	if (!range_is_whole_pages(base, size))
		return -EINVAL;
	/* Co-kernel: the host's page is the authority on grants, read now. */
	if (vmm_host_page)
		vmm_granted->nr = host_page_grants(vmm_host_page, vmm_granted->r,
						   ARRAY_SIZE(vmm_granted->r));
	if (!ranges_contain(vmm_granted->r, vmm_granted->nr, base, size) ||
	    ranges_overlap(vmm_partition->r, vmm_partition->nr, base, size) ||
	    (base < vmm_hi && vmm_lo < base + size) || vmm_partition->nr == BOOT_MAX_MEM_RANGES)
		return -EPERM;
	rc = pgtable_map(nested, base, base, size, PGT_USER | PGT_WRITE);
	for (uint32_t i = first_new; i < vmm_nr_areas && !rc; i++)
		rc = pgtable_unmap(nested, vmm_areas[i].pa, vmm_areas[i].size);
	if (rc)
		return rc;
	vmm_partition->r[vmm_partition->nr].base = base;
	vmm_partition->r[vmm_partition->nr].size = size;
	vmm_partition->nr++;
	return 0;
}

/* The layer's memory holds [base, base+size) in part. */
static bool vmm_overlaps_layer(uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < vmm_nr_areas; i++) {
		if (base < vmm_areas[i].pa + vmm_areas[i].size && vmm_areas[i].pa < base + size)
			return true;
	}
	return false;
}

/* Hide layer pages allocated since first (new nested tables, core state). */
static int vmm_hide_new_areas(struct pgtable *nested, uint32_t first)
{
	int rc = 0;

	for (uint32_t i = first; i < vmm_nr_areas && !rc; i++)
		rc = pgtable_unmap(nested, vmm_areas[i].pa, vmm_areas[i].size);
	return rc;
}

void vmm_host_cpu_entered(uint32_t cpu)
{
	/* The first entry flushes the guest's translations anyway. */
	vmm_sync[cpu].seen_gen = __atomic_load_n(&vmm_nested_gen, __ATOMIC_ACQUIRE);
	__atomic_store_n(&vmm_sync[cpu].entered, true, __ATOMIC_RELEASE);
}

bool vmm_host_flush_due(uint32_t cpu)
{
	uint64_t gen = __atomic_load_n(&vmm_nested_gen, __ATOMIC_ACQUIRE);

	if (vmm_sync[cpu].seen_gen == gen)
		return false;
	__atomic_store_n(&vmm_sync[cpu].seen_gen, gen, __ATOMIC_RELEASE);
	return true;
}

/* Every core in guest mode has flushed since generation gen began. */
static bool vmm_all_flushed(uint64_t gen)
{
	for (uint32_t i = 0; i < MAX_CPUS; i++) {
		if (__atomic_load_n(&vmm_sync[i].entered, __ATOMIC_ACQUIRE) &&
		    __atomic_load_n(&vmm_sync[i].seen_gen, __ATOMIC_ACQUIRE) < gen)
			return false;
	}
	return true;
}

/*
 * Host side of "remove memory": the range must be partition memory and
 * none of the layer's. It leaves the nested tables at once; the host is
 * told only when every core has flushed (vmm_host_sync), so no stale
 * translation can reach memory the host has taken back.
 */
int64_t vmm_host_mem_remove(struct pgtable *nested, uint64_t base, uint64_t size)
{
	uint32_t first_new = vmm_nr_areas;
	int64_t rc;

	if (!range_is_whole_pages(base, size))
		return -EINVAL;
	spin_lock(&vmm_change_lock);
	if (vmm_removing.pending) {
		rc = -EBUSY;
	} else if (!ranges_contain(vmm_partition->r, vmm_partition->nr, base, size) ||
		   vmm_overlaps_layer(base, size)) {
		rc = -EPERM;
	} else {
		rc = ranges_cut(vmm_partition->r, &vmm_partition->nr, BOOT_MAX_MEM_RANGES, base,
				size);
		if (!rc)
			rc = pgtable_unmap(nested, base, size);
		if (!rc)
			rc = vmm_hide_new_areas(nested, first_new);
		if (!rc) {
			vmm_removing.base = base;
			vmm_removing.size = size;
			vmm_removing.gen = ++vmm_nested_gen;
			vmm_removing.pending = true;
		}
	}
	spin_unlock(&vmm_change_lock);
	return rc;
}

int64_t vmm_host_sync(void)
{
	struct cove_host_page *hp = vmm_host_page;
	int64_t waiting;

	spin_lock(&vmm_change_lock);
	if (vmm_removing.pending && vmm_all_flushed(vmm_removing.gen)) {
		vmm_removing.pending = false;
		if (hp) {
			hp->released.base = vmm_removing.base;
			hp->released.size = vmm_removing.size;
			__atomic_store_n(&hp->released_seq, hp->released_seq + 1, __ATOMIC_RELEASE);
		}
	}
	waiting = vmm_removing.pending;
	spin_unlock(&vmm_change_lock);
	return waiting;
}

/* Co-kernel: the host must have granted the core. Bare mode has no host to ask. */
static bool vmm_cpu_granted(uint32_t apic_id)
{
	const struct cove_host_page *hp = vmm_host_page;
	uint32_t n;

	if (!hp)
		return false;
	n = MIN(__atomic_load_n(&hp->nr_cpu_grants, __ATOMIC_ACQUIRE), COVE_MAX_ENCLAVE_CPUS);
	for (uint32_t i = 0; i < n; i++) {
		if (hp->cpu_grants[i] == apic_id)
			return true;
	}
	return false;
}

int64_t vmm_host_cpu_add(struct pgtable *nested, uint64_t cpu_apic, uint64_t pa, void **state)
{
	uint32_t apic_id = (uint32_t)(cpu_apic >> 32), first_new = vmm_nr_areas;
	uint64_t size = PAGE_SIZE << VMM_CPU_STATE_ORDER;
	int64_t rc;

	if (pa & (size - 1) || pa + size < pa)
		return -EINVAL;
	spin_lock(&vmm_change_lock);
	if (!vmm_cpu_granted(apic_id) || vmm_apic_in_enclave(apic_id) ||
	    vmm_nr_apic_ids == BOOT_MAX_CPUS || vmm_nr_areas == VMM_MAX_AREAS ||
	    !ranges_contain(vmm_partition->r, vmm_partition->nr, pa, size) ||
	    vmm_overlaps_layer(pa, size)) {
		rc = -EPERM;
	} else {
		rc = pgtable_unmap(nested, pa, size);
		if (!rc) {
			*state = vmm_area_take(pa, size);
			rc = vmm_hide_new_areas(nested, first_new);
		}
		if (!rc) {
			vmm_nested_gen++;
			vmm_apic_ids[vmm_nr_apic_ids++] = apic_id;
		}
	}
	spin_unlock(&vmm_change_lock);
	return rc;
}

bool vmm_apic_in_enclave(uint32_t apic_id)
{
	for (uint32_t i = 0; i < vmm_nr_apic_ids; i++) {
		if (vmm_apic_ids[i] == apic_id)
			return true;
	}
	return false;
}

bool vmm_icr_allowed(uint32_t icr_lo, uint32_t dest)
{
	uint32_t shorthand = (icr_lo >> 18) & 3;

	if (shorthand == 1)		/* self */
		return true;
	if (shorthand == 2 || shorthand == 3)	/* broadcasts reach every CPU of the machine */
		return vmm_enclave_is_machine;
	if (icr_lo & (1U << 11))	/* logical destination: Cove never uses it */
		return false;
	return vmm_apic_in_enclave(dest);
}

/* Registers the kernel programs: the timer, EOI, masks. Never ID, LDR or DFR. */
static bool vmm_apic_reg_writable(uint64_t reg)
{
	switch (reg) {
	case APIC_REG_TPR: case APIC_REG_EOI: case APIC_REG_SVR: case APIC_REG_ESR:
	case APIC_REG_LVT_TIMER: case APIC_REG_LVT_LINT0: case APIC_REG_LVT_LINT1:
	case APIC_REG_LVT_ERROR: case APIC_REG_TIMER_INIT: case APIC_REG_TIMER_DIV:
		return true;
	default:
		return false;
	}
}

int64_t vmm_host_apic_write(uint64_t reg, uint64_t value)
{
	if (reg == APIC_REG_ICR_LOW) {
		if (!vmm_icr_allowed((uint32_t)value, (uint32_t)(value >> 32)))
			return -EPERM;
		while (vmm_lapic[APIC_REG_ICR_LOW / 4] & APIC_ICR_PENDING)
			__builtin_ia32_pause();
		vmm_lapic[APIC_REG_ICR_HIGH / 4] = (uint32_t)(value >> 32) << 24;
		vmm_lapic[APIC_REG_ICR_LOW / 4] = (uint32_t)value;
		return 0;
	}
	if (!vmm_apic_reg_writable(reg))
		return -EPERM;
	vmm_lapic[reg / 4] = (uint32_t)value;
	return 0;
}

void vmm_violation_apic(struct vmm_report *r, uint64_t reg, uint64_t value)
{
	if (reg == APIC_REG_ICR_LOW) {
		ksnprintf(r->what, sizeof(r->what), "IPI (ICR %#lx) aimed at APIC id %lu, "
			  "outside the enclave", (uint64_t)(uint32_t)value, value >> 32);
		vmm_violation(VMM_FAULT_IPI, r);
	}
	ksnprintf(r->what, sizeof(r->what), "write of %#lx to local APIC register %#lx, which "
		  "the kernel may not change", value, reg);
	vmm_violation(VMM_FAULT_MSR, r);
}

void vmm_apic_write(uint32_t reg, uint64_t value)
{
	vmm_hypercall(VMM_HC_APIC_WRITE, reg, value);
}

uint32_t vmm_cpu_slots(const struct boot_info *bi)
{
	uint32_t n = bi->nr_cpus ? bi->nr_cpus : 1;

	/* Only a host can grant cores later. */
	return vmm_cokernel ? MAX(n, (uint32_t)COVE_MAX_ENCLAVE_CPUS) : n;
}

int vmm_init(const struct boot_info *bi, enum vmm_mode mode)
{
	const char *why = "";
	phys_addr_t pa;
	int rc;

	vmm_cokernel = bi->flags & BOOT_FLAG_COKERNEL;
	if (vmm_cokernel && bi->host_page) {
		/* Outside the partition: the layer alone writes it, never the guest. */
		vmm_host_page = kmap_mmio(bi->host_page, PAGE_SIZE);
		if (!vmm_host_page)
			return -ENOMEM;
	}
	if (mode == VMM_PROTECT_OFF) {
		kprintf("vmm: protection off (protect=off): the kernel runs unguarded\n");
		return 0;
	}
	vmm_is_vmx = vmx_present();
	if (vmm_is_vmx ? !vmx_available(&why) : !svm_available(&why)) {
		if (mode == VMM_PROTECT_REQUIRE) {
			pr_err("vmm: protect=require, but %s; refusing to run unguarded\n", why);
			return -ENODEV;
		}
		kprintf("vmm: no protection: %s (protect=require would refuse to boot)\n", why);
		return 0;
	}
	vmm_lapic = kmap_mmio(LAPIC_DEFAULT_PHYS, PAGE_SIZE);
	vmm_report_area = vmm_alloc_pages(0, &pa);
	vmm_granted = vmm_alloc_pages((uint32_t)pmem_order_for(sizeof(*vmm_granted)), &pa);
	vmm_partition = vmm_alloc_pages((uint32_t)pmem_order_for(sizeof(*vmm_partition)), &pa);
	if (!vmm_lapic || !vmm_report_area || !vmm_granted || !vmm_partition)
		return -ENOMEM;
	vmm_granted->nr = bi->nr_granted;
	for (uint32_t i = 0; i < bi->nr_granted; i++)
		vmm_granted->r[i] = bi->granted[i];
	vmm_partition->nr = bi->nr_mem;
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		vmm_partition->r[i] = bi->mem[i];
	vmm_nr_apic_ids = bi->nr_cpus;
	for (uint32_t i = 0; i < bi->nr_cpus; i++)
		vmm_apic_ids[i] = bi->cpus[i].apic_id;
	vmm_enclave_is_machine = bi->nr_cpus == bi->firmware_nr_cpus;
	rc = vmm_is_vmx ? vmx_init(bi) : svm_init(bi);
	if (rc) {
		pr_err("vmm: cannot set up %s (%d)%s\n", vmm_is_vmx ? "Intel VMX" : "AMD SVM", rc,
		       mode == VMM_PROTECT_REQUIRE ? "; refusing to run unguarded" : "");
		return mode == VMM_PROTECT_REQUIRE ? rc : 0;
	}
	vmm_name = vmm_is_vmx ? "Intel VMX with EPT" : "AMD SVM with nested paging";
	vmm_on = true;
	if (vmm_host_page)
		vmm_host_page->guarded = vmm_is_vmx ? 2 : 1;
	return 0;
}

bool vmm_init_is_reclaim(void)
{
	return vmm_cokernel;
}

bool vmm_all_ports_trapped(void)
{
	return vmm_cokernel;
}

/* Host side: this CPU is done; leave it where INIT can take it back. */
static void __noreturn vmm_host_park(void)
{
	if (vmm_is_vmx)
		vmx_park();
	svm_park();
}

void vmm_park_cpu(void)
{
	/* The reporting CPU of a violation is already on the host side. */
	if (vmm_on && vmm_reporting)
		vmm_host_park();
	if (vmm_on)
		vmm_hypercall(VMM_HC_PARK, 0, 0);
}

/* The report as text in the host page: the host shows it as is. */
static void vmm_host_report(const struct vmm_report *r, const char *name)
{
	struct cove_host_page *hp = vmm_host_page;

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
}

bool vmm_is_stopping(void)
{
	return vmm_reporting != 0;
}

void vmm_violation_nested(struct vmm_report *r, const char *access, uint64_t gpa)
{
	bool in_layer = gpa >= vmm_lo && gpa < vmm_hi;
	bool apic = ALIGN_DOWN(gpa, PAGE_SIZE) == LAPIC_DEFAULT_PHYS;

	ksnprintf(r->what, sizeof(r->what), "%s at guest physical %#lx: %s", access, gpa,
		  in_layer ? "inside the protection layer's memory" :
		  apic ? "the local APIC page, which the kernel writes through the layer" :
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
	ksnprintf(r->what, sizeof(r->what), "%s of MSR %#lx (value %#lx) by the kernel",
		  write ? "write" : "read", msr, value);
	vmm_violation(VMM_FAULT_MSR, r);
}

void vmm_print_exit_row(uint32_t cpu, uint64_t total, const char *const *names,
			const uint64_t *counts, int n)
{
	char line[160];
	int len = 0;

	for (int b = 0; b < n; b++)
		len += ksnprintf(line + len, sizeof(line) - len, " %s %lu", names[b], counts[b]);
	kprintf("vmm: cpu%u VM exits: %lu (%s )\n", cpu, total, line);
}

/* Guest side: a call into the layer, whichever back end it is. */
static int64_t vmm_hypercall(uint64_t nr, uint64_t a, uint64_t b)
{
	return vmm_is_vmx ? vmx_hypercall(nr, a, b) : svm_hypercall(nr, a, b);
}

int vmm_partition_add(phys_addr_t base, uint64_t size)
{
	return vmm_on ? (int)vmm_hypercall(VMM_HC_MEM_ADD, base, size) : 0;
}

static void vmm_sync_this_cpu(void *arg)
{
	(void)arg;
	vmm_hypercall(VMM_HC_SYNC, 0, 0);
}

/* Have every CPU exit once (and so flush); 0 once the layer waits on none. */
static int vmm_sync_all(void)
{
	if (xcall_run_all(vmm_sync_this_cpu, NULL))
		return -ETIMEDOUT;
	return vmm_hypercall(VMM_HC_SYNC, 0, 0) ? -EBUSY : 0;
}

int vmm_partition_remove(phys_addr_t base, uint64_t size)
{
	int rc;

	if (!vmm_on)
		return 0;
	rc = (int)vmm_hypercall(VMM_HC_MEM_REMOVE, base, size);
	return rc ? rc : vmm_sync_all();
}

int vmm_cpu_add(uint32_t cpu, uint32_t apic_id)
{
	phys_addr_t pa;
	int rc;

	if (!vmm_on)
		return 0;
	if (pmem_alloc(VMM_CPU_STATE_ORDER, &pa))
		return -ENOMEM;
	rc = (int)vmm_hypercall(VMM_HC_CPU_ADD, cpu | (uint64_t)apic_id << 32, pa);
	if (rc) {
		pmem_free(pa, VMM_CPU_STATE_ORDER);
		return rc;
	}
	/* The block is the layer's now; no core may keep a translation to it. */
	return vmm_sync_all();
}

void vmm_print_exits(void)
{
	if (vmm_on)
		vmm_hypercall(VMM_HC_EXIT_TABLE, 0, 0);
}

void vmm_cpu_enter(void)
{
	if (vmm_on)
		this_cpu()->guarded = vmm_is_vmx ? vmx_cpu_enter() : svm_cpu_enter();
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
	/* Host side for good now: this CPU's APIC writes (the stop NMIs) go direct. */
	this_cpu()->guarded = false;
	r->magic = VMM_REPORT_MAGIC;
	r->kind = kind;
	if (vmm_report_area)
		*vmm_report_area = *r;
	vmm_host_report(r, name);
	arch_stop_other_cpus();
	klog_bust_locks();
	pr_emerg("\nCOVE PROTECTION FAULT on cpu %u: %s\n", r->cpu, name);
	pr_emerg("  %s\n", r->what);
	pr_emerg("  guest RIP %016lx RSP %016lx RFLAGS %016lx\n", r->rip, r->rsp, r->rflags);
	pr_emerg("  exit code %#lx, info1 %#lx, info2 %#lx\n", r->exit_code, r->info1, r->info2);
	pr_emerg("  RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", r->gpr[0], r->gpr[3], r->gpr[1],
		 r->gpr[2]);
	pr_emerg("  RSI %016lx RDI %016lx RBP %016lx\n", r->gpr[6], r->gpr[7], r->gpr[5]);
	pr_emerg("  CR0 %016lx CR3 %016lx CR4 %016lx\n", r->cr0, r->cr3, r->cr4);
	pr_emerg("vmm: the enclave is stopped; nothing outside the partition was touched\n");
	kernel_exit(EXIT_CONTAINED);
}
