// SPDX-License-Identifier: GPL-2.0
/*
 * The protection layer, back-end neutral part: setup, the layer's own
 * memory (taken from the partition, then hidden from the guest), the
 * nested tables' contents, and the host side of the kernel's requests.
 *
 * Everything here is linked into vmm_layer.o and lives in sections the
 * guest cannot reach. All of this file's statics are the layer's: written
 * by the boot CPU during setup, afterwards only on the host side.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/kvsnprintf.h>
#include <cove/pisces_abi.h>
#include <cove/ranges.h>
#include <cove/serial16550.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/vmm_hypercall.h>
#include <cove/vmm_layer.h>
#include <arch/lapic.h>
#include <arch/pgtable.h>
#include <arch/x86.h>
#include <generated/config.h>
#include "vmm_host.h"

#define VMM_MAX_AREAS 2048
#define LAPIC_DEFAULT_PHYS 0xfee00000ULL
/* Pages kept for tables the layer needs after setup (partition changes). */
#define VMM_POOL_ORDER 6

/* Lent by the kernel for setup only; NULL before any core is guarded. */
static const struct vmm_services *vmm_services;
static bool vmm_on;
/* The back end: chosen by the boot CPU in vmm_setup, read-only after (vmm_host.h). */
const struct vmm_backend *vmm_be;
static struct {
	phys_addr_t pa;
	uint64_t size;
} vmm_areas[VMM_MAX_AREAS];
static uint32_t vmm_nr_areas;
static phys_addr_t vmm_lo = ~0ULL, vmm_hi;
static phys_addr_t vmm_image_pa;
/* After setup, table pages come from here: the kernel's allocator is the guest's. */
static struct {
	phys_addr_t base;
	uint32_t used, nr;
} vmm_pool;
/* Co-kernel: the host page the fault report goes to; set by vmm_layer_init. */
static struct cove_host_page *vmm_host_page;
/* Co-kernel: Cove's state word in the boot block (partition memory), or NULL. */
static uint32_t *vmm_host_state;
static bool vmm_cokernel;
static bool vmm_exit_ports;
/* The layer's own view of the xAPIC registers (the guest's is read-only). */
static volatile uint32_t *vmm_lapic;

/*
 * Taking access away from the guest (hiding pages, removing memory) must
 * reach every core's TLB, not just the one that changed the tables. Each
 * such change bumps vmm_nested_gen; a core flushes its guest translations
 * at its next exit when it has seen an older count. Under vmm_change_lock.
 */
static uint64_t vmm_nested_gen;
static struct {
	uint64_t seen_gen;
	bool entered;
} vmm_sync[BOOT_MAX_CPUS];
/* A removal waits here until every core has flushed; then the host hears. */
static struct {
	uint64_t base, size, gen;
	bool pending;
} vmm_removing;
/*
 * Host segments (XEMEM) the nested tables map, one per slot of the host
 * page's xemem[]: what the layer read and mapped, in its own memory. A
 * slot unmapped waits (pending) until every core has flushed; only then
 * does the host page say so (xemem_live). Under vmm_change_lock.
 */
static struct {
	uint64_t base, size, flush_gen;
	uint32_t gen;
	bool mapped, writable, pending;
} vmm_xemem[COVE_XEMEM_GRANTS];
/*
 * Which core each of the layer's per-core slots belongs to, and whether it
 * runs yet: a core the layer starts (VMM_HC_CPU_START) must be the one the
 * slot was given to, and starts once. Under vmm_change_lock.
 */
static struct {
	uint32_t apic_id;
	bool bound, started;
} vmm_cores[BOOT_MAX_CPUS];
/* The enclave's APIC IDs (IPIs may go there only); boot cores, then added ones. */
static uint32_t vmm_apic_ids[BOOT_MAX_CPUS];
static uint32_t vmm_nr_apic_ids;
static bool vmm_enclave_is_machine;
/* Serialises partition changes made from different CPUs' exits. */
static spinlock_t vmm_change_lock = SPINLOCK_INIT;

/*
 * What the host granted and what the partition holds now, as the layer
 * sees them: kept in its own memory so the guest cannot rewrite them.
 */
struct vmm_ranges {
	uint32_t nr;
	struct boot_range r[BOOT_MAX_MEM_RANGES];
};
static struct vmm_ranges *vmm_granted, *vmm_partition;

/* Straight to the serial port: bare mode only, the host owns it otherwise. */
static void vmm_serial_write(const char *s)
{
	serial16550_out(CONFIG_SERIAL_PORT, s, strlen(s));
}

void vmm_log(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (vmm_services)
		vmm_services->log(false, line);
	else if (!vmm_cokernel) {
		vmm_serial_write(line);
		vmm_serial_write("\n");
	}
}

uint32_t vmm_order_for(uint64_t size)
{
	uint32_t order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* [pa, pa+size) is the layer's from now on (zeroed); the caller checked there is room. */
static void *vmm_area_take(phys_addr_t pa, uint64_t size)
{
	vmm_areas[vmm_nr_areas].pa = pa;
	vmm_areas[vmm_nr_areas].size = size;
	vmm_nr_areas++;
	vmm_lo = MIN(vmm_lo, pa);
	vmm_hi = MAX(vmm_hi, pa + size);
	memset(vmm_p2v(pa), 0, size);
	return vmm_p2v(pa);
}

void *vmm_alloc_pages(uint32_t order, phys_addr_t *pa)
{
	if (!vmm_services) {
		/* After setup: single table pages from the pool, hidden already. */
		if (order || vmm_pool.used == vmm_pool.nr)
			return NULL;
		*pa = vmm_pool.base + (uint64_t)vmm_pool.used++ * PAGE_SIZE;
		memset(vmm_p2v(*pa), 0, PAGE_SIZE);
		return vmm_p2v(*pa);
	}
	if (vmm_nr_areas == VMM_MAX_AREAS || !vmm_services->alloc_pages(order, pa))
		return NULL;
	return vmm_area_take(*pa, PAGE_SIZE << order);
}

bool vmm_overlaps_layer(uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < vmm_nr_areas; i++) {
		if (base < vmm_areas[i].pa + vmm_areas[i].size && vmm_areas[i].pa < base + size)
			return true;
	}
	return false;
}

static void *vmm_nested_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return vmm_p2v(pa);
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
	 * Hide the layer's own pages, tables and image sections included.
	 * Splitting a large page allocates tables, which are layer pages too:
	 * the list grows as we go.
	 */
	for (uint32_t i = 0; i < vmm_nr_areas && !rc; i++)
		rc = pgtable_unmap(pt, vmm_areas[i].pa, vmm_areas[i].size);
	return rc;
}

/* Hide layer pages taken since first (new nested tables, core state). */
static int vmm_hide_new_areas(struct pgtable *nested, uint32_t first)
{
	int rc = 0;

	for (uint32_t i = first; i < vmm_nr_areas && !rc; i++)
		rc = pgtable_unmap(nested, vmm_areas[i].pa, vmm_areas[i].size);
	return rc;
}

/*
 * Host side of "add memory": the range must be granted, new to the
 * partition and clear of the layer; then the nested tables map it. Adding
 * mappings leaves nothing stale in any TLB, so no flush is needed.
 */
int64_t vmm_host_mem_add(struct pgtable *nested, uint64_t base, uint64_t size)
{
	int64_t rc;

	if (!range_is_whole_pages(base, size))
		return -EINVAL;
	spin_lock(&vmm_change_lock);
	/* Co-kernel: the host's page is the authority on grants, read now. */
	if (vmm_host_page)
		vmm_granted->nr = host_page_grants(vmm_host_page, vmm_granted->r,
						   ARRAY_SIZE(vmm_granted->r));
	if (!ranges_contain(vmm_granted->r, vmm_granted->nr, base, size) ||
	    ranges_overlap(vmm_partition->r, vmm_partition->nr, base, size) ||
	    vmm_overlaps_layer(base, size) || vmm_partition->nr == BOOT_MAX_MEM_RANGES) {
		rc = -EPERM;
	} else {
		rc = vmm_host_tables_map(base, size);
		if (!rc)
			rc = pgtable_map(nested, base, base, size, PGT_USER | PGT_WRITE);
		if (!rc) {
			vmm_partition->r[vmm_partition->nr].base = base;
			vmm_partition->r[vmm_partition->nr].size = size;
			vmm_partition->nr++;
		}
	}
	spin_unlock(&vmm_change_lock);
	return rc;
}

void vmm_host_cpu_entered(uint32_t cpu)
{
	vmm_cores[cpu].started = true;
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
	for (uint32_t i = 0; i < BOOT_MAX_CPUS; i++) {
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
		if (!rc) {
			vmm_host_tables_unmap(base, size);
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
	for (uint32_t i = 0; i < COVE_XEMEM_GRANTS; i++) {
		if (vmm_xemem[i].pending && vmm_all_flushed(vmm_xemem[i].flush_gen)) {
			vmm_xemem[i].pending = false;
			if (hp)
				__atomic_store_n(&hp->xemem_live[i], 0, __ATOMIC_RELEASE);
		}
		waiting |= vmm_xemem[i].pending;
	}
	spin_unlock(&vmm_change_lock);
	return waiting;
}

/* Whether [base, base+size) meets a host segment the nested tables map (under the lock). */
static int vmm_xemem_mapped_at(uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < COVE_XEMEM_GRANTS; i++) {
		if (vmm_xemem[i].mapped && base < vmm_xemem[i].base + vmm_xemem[i].size &&
		    vmm_xemem[i].base < base + size)
			return (int)i;
	}
	return -1;
}

/*
 * Host side of VMM_HC_XEMEM_MAP: the layer reads the host's slot itself
 * (its page is read-only to the guest), so the kernel cannot grant itself
 * anything: what the host offered in that slot, with that gen, is mapped,
 * read-only unless the host said writable, and nothing that is the
 * partition's, the host page or another segment's.
 */
int64_t vmm_host_xemem_map(struct pgtable *nested, uint64_t slot, uint64_t gen)
{
	const struct cove_host_page *hp = vmm_host_page;
	uint64_t key, base, size;
	uint32_t flags, sgen;
	int64_t rc;

	if (!hp || slot >= COVE_XEMEM_GRANTS)
		return -EINVAL;
	spin_lock(&vmm_change_lock);
	key = __atomic_load_n(&hp->xemem[slot].key, __ATOMIC_ACQUIRE);
	base = hp->xemem[slot].base;
	size = hp->xemem[slot].size;
	flags = hp->xemem[slot].flags;
	sgen = hp->xemem[slot].gen;
	if (vmm_xemem[slot].mapped || vmm_xemem[slot].pending) {
		/* Attached before: the same offer is mapped already; an old one must go first. */
		rc = vmm_xemem[slot].mapped && vmm_xemem[slot].gen == gen && sgen == gen && key ?
		     0 : -EBUSY;
	} else if (!key || sgen != gen || !size || !range_is_whole_pages(base, size) ||
		   ranges_overlap(vmm_partition->r, vmm_partition->nr, base, size) ||
		   vmm_overlaps_layer(base, size) || vmm_xemem_mapped_at(base, size) >= 0 ||
		   (vmm_v2p(hp) < base + size && base < vmm_v2p(hp) + PAGE_SIZE) ||
		   (LAPIC_DEFAULT_PHYS < base + size && base < LAPIC_DEFAULT_PHYS + PAGE_SIZE)) {
		rc = -EPERM;
	} else {
		vmm_xemem[slot].writable = flags & COVE_XEMEM_WRITE;
		rc = pgtable_map(nested, base, base, size,
				 PGT_USER | (vmm_xemem[slot].writable ? PGT_WRITE : 0));
		if (!rc) {
			vmm_xemem[slot].base = base;
			vmm_xemem[slot].size = size;
			vmm_xemem[slot].gen = sgen;
			vmm_xemem[slot].mapped = true;
			__atomic_store_n(&vmm_host_page->xemem_live[slot], sgen, __ATOMIC_RELEASE);
		} else {
			pgtable_unmap(nested, base, size);
		}
	}
	spin_unlock(&vmm_change_lock);
	return rc;
}

/* Host side of VMM_HC_XEMEM_UNMAP: out of the tables now, the host hears once flushed. */
int64_t vmm_host_xemem_unmap(struct pgtable *nested, uint64_t slot)
{
	int64_t rc = 0;

	if (slot >= COVE_XEMEM_GRANTS)
		return -EINVAL;
	spin_lock(&vmm_change_lock);
	if (vmm_xemem[slot].mapped) {
		rc = pgtable_unmap(nested, vmm_xemem[slot].base, vmm_xemem[slot].size);
		if (!rc) {
			vmm_xemem[slot].mapped = false;
			vmm_xemem[slot].pending = true;
			vmm_xemem[slot].flush_gen = ++vmm_nested_gen;
		}
	}
	spin_unlock(&vmm_change_lock);
	return rc;
}

bool vmm_xemem_read_only_at(uint64_t gpa)
{
	int i = vmm_xemem_mapped_at(gpa, 1);

	return i >= 0 && !vmm_xemem[i].writable;
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
	uint32_t cpu = (uint32_t)cpu_apic, apic_id = (uint32_t)(cpu_apic >> 32);
	uint32_t first_new = vmm_nr_areas;
	uint64_t size = PAGE_SIZE << VMM_CPU_STATE_ORDER;
	int64_t rc;

	if (pa & (size - 1) || pa + size < pa)
		return -EINVAL;
	spin_lock(&vmm_change_lock);
	if (cpu >= BOOT_MAX_CPUS || vmm_cores[cpu].bound ||
	    !vmm_cpu_granted(apic_id) || vmm_apic_in_enclave(apic_id) ||
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
			vmm_cores[cpu].apic_id = apic_id;
			vmm_cores[cpu].bound = true;
		}
	}
	spin_unlock(&vmm_change_lock);
	return rc;
}

/*
 * Host side of VMM_HC_CPU_START: the slot must belong to that core and not
 * run yet, the request must lie in the partition. The back end's prepare
 * writes the core's guest state into the layer's memory (from the calling
 * core's, which it can read); then the core leaves ap_entry.asm for the
 * layer's tables and stack, and enters guest mode at the request's entry.
 */
int64_t vmm_host_cpu_start(uint64_t cpu_apic, uint64_t gpa, uint64_t host_rsp,
			   void (*prepare)(uint32_t cpu, const struct vmm_cpu_start *req, void *ctx),
			   void *ctx)
{
	uint32_t cpu = (uint32_t)cpu_apic, apic_id = (uint32_t)(cpu_apic >> 32);
	struct vmm_cpu_start req;
	int64_t rc;

	if (!vmm_cokernel || cpu >= BOOT_MAX_CPUS || gpa + sizeof(req) < gpa ||
	    !ranges_contain(vmm_partition->r, vmm_partition->nr, gpa, sizeof(req)) ||
	    vmm_overlaps_layer(gpa, sizeof(req)))
		return -EINVAL;
	memcpy(&req, vmm_p2v(gpa), sizeof(req));
	spin_lock(&vmm_change_lock);
	if (!vmm_cores[cpu].bound || vmm_cores[cpu].apic_id != apic_id) {
		rc = -EPERM;
	} else if (vmm_cores[cpu].started) {
		rc = -EBUSY;
	} else {
		prepare(cpu, &req, ctx);
		rc = vmm_host_ap_release(cpu, apic_id, host_rsp);
		if (!rc)
			vmm_cores[cpu].started = true;
	}
	spin_unlock(&vmm_change_lock);
	return rc;
}

/* Without vmm_change_lock: for a core entering on its own, its slot was bound at setup. */
uint32_t vmm_slot_apic_id(uint32_t cpu)
{
	return cpu < BOOT_MAX_CPUS && vmm_cores[cpu].bound ? vmm_cores[cpu].apic_id : ~0U;
}

bool vmm_apic_in_enclave(uint32_t apic_id)
{
	for (uint32_t i = 0; i < vmm_nr_apic_ids; i++) {
		if (vmm_apic_ids[i] == apic_id)
			return true;
	}
	return false;
}

uint32_t vmm_enclave_apic_ids(const uint32_t **ids)
{
	*ids = vmm_apic_ids;
	return vmm_nr_apic_ids;
}

/*
 * The one IPI that may leave a co-kernel enclave: the host's long-call
 * doorbell, exactly as the host page names it (fixed, edge, physical).
 */
bool vmm_icr_is_doorbell(uint32_t icr_lo, uint32_t dest)
{
	const struct cove_host_page *hp = vmm_host_page;
	uint32_t vector;

	if (!hp)
		return false;
	vector = __atomic_load_n(&hp->lc_doorbell_vector, __ATOMIC_ACQUIRE);
	return vector >= 0x20 && vector <= 0xff && (icr_lo & 0xff) == vector &&
	       (icr_lo & 0x8f00) == 0 &&	/* fixed delivery, physical, edge */
	       dest == __atomic_load_n(&hp->lc_doorbell_apic_id, __ATOMIC_RELAXED);
}

void vmm_ring_host(void)
{
	const struct cove_host_page *hp = vmm_host_page;
	uint32_t vector = hp ? __atomic_load_n(&hp->lc_doorbell_vector, __ATOMIC_ACQUIRE) : 0;

	if (vector >= 0x20 && vector <= 0xff)
		vmm_send_ipi(hp->lc_doorbell_apic_id, APIC_ICR_FIXED | APIC_ICR_LEVEL_ASSERT | vector);
}

/* Whether an IPI (ICR low word, destination APIC ID) stays inside the enclave. */
static bool vmm_icr_allowed(uint32_t icr_lo, uint32_t dest)
{
	uint32_t shorthand = (icr_lo >> 18) & 3, mode = (icr_lo >> 8) & 7;

	/* Co-kernel: the host starts and stops cores; INIT or SIPI is never Cove's. */
	if (vmm_cokernel && (mode == 5 || mode == 6))
		return false;
	if (shorthand == 1)		/* self */
		return true;
	if (shorthand == 2 || shorthand == 3)	/* broadcasts reach every CPU of the machine */
		return vmm_enclave_is_machine;
	if (icr_lo & (1U << 11))	/* logical destination: Cove never uses it */
		return false;
	return vmm_apic_in_enclave(dest);
}

int vmm_icr_write(uint64_t icr)
{
	uint32_t icr_lo = (uint32_t)icr, dest = (uint32_t)(icr >> 32);

	if (vmm_icr_is_doorbell(icr_lo, dest)) {
		switch (vmm_doorbell_admit()) {
		case VMM_DOORBELL_SEND:
			break;
		case VMM_DOORBELL_DROP:
			return 0;
		default:
			return -EAGAIN;
		}
	} else if (!vmm_icr_allowed(icr_lo, dest)) {
		return -EPERM;
	}
	vmm_send_ipi(dest, icr_lo);
	return 0;
}

static bool vmm_x2apic_on(void)
{
	return rdmsr(MSR_APIC_BASE) & (1ULL << 10);
}

uint32_t vmm_self_apic_id(void)
{
	if (vmm_x2apic_on())
		return (uint32_t)rdmsr(0x802);
	return vmm_lapic[APIC_REG_ID / 4] >> 24;
}

void vmm_send_ipi(uint32_t dest_apic, uint32_t icr_lo)
{
	if (vmm_x2apic_on()) {
		wrmsr(0x830, (uint64_t)dest_apic << 32 | icr_lo);
		return;
	}
	while (vmm_lapic[APIC_REG_ICR_LOW / 4] & APIC_ICR_PENDING)
		__builtin_ia32_pause();
	vmm_lapic[APIC_REG_ICR_HIGH / 4] = dest_apic << 24;
	vmm_lapic[APIC_REG_ICR_LOW / 4] = icr_lo;
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
	if (reg == APIC_REG_ICR_LOW)
		return vmm_icr_write(value);
	if (!vmm_apic_reg_writable(reg))
		return -EPERM;
	vmm_lapic[reg / 4] = (uint32_t)value;
	return 0;
}

static const char *const vmm_exit_kind_names[VMM_EXIT_KINDS] = {
	[VMM_EXIT_NMI] = "nmi", [VMM_EXIT_CPUID] = "cpuid", [VMM_EXIT_MSR] = "msr",
	[VMM_EXIT_APIC] = "apic", [VMM_EXIT_HYPERCALL] = "hypercall", [VMM_EXIT_OTHER] = "other",
};

/* One core's line: its exits, by the kinds its back end counts. */
static int vmm_exit_row(char *buf, uint64_t size, const struct vmm_vcpu *vcpu)
{
	char line[160];
	int len = 0;

	for (uint32_t i = 0; i < vmm_be->nr_exit_kinds; i++) {
		uint8_t kind = vmm_be->exit_kinds[i];

		len += ksnprintf(line + len, sizeof(line) - len, " %s %lu",
				 vmm_exit_kind_names[kind], vcpu->exits_by[kind]);
	}
	return ksnprintf(buf, size, "vmm: cpu%u VM exits: %lu (%s )\n", vcpu->cpu, vcpu->exits,
			 line);
}

/*
 * The guest asks for the table into its own memory: the buffer must lie
 * in the partition and clear of the layer, like any address it hands in.
 */
int64_t vmm_host_exit_table(uint64_t gpa, uint64_t size)
{
	char *buf = vmm_p2v(gpa);
	uint64_t len = 0;

	if (!size || gpa + size < gpa || !ranges_contain(vmm_partition->r, vmm_partition->nr,
							  gpa, size) ||
	    vmm_overlaps_layer(gpa, size))
		return -EINVAL;
	for (uint32_t i = 0; i < BOOT_MAX_CPUS && len < size; i++) {
		const struct vmm_vcpu *vcpu = vmm_be->vcpu_of(i);

		if (vcpu)
			len += vmm_exit_row(buf + len, size - len, vcpu);
	}
	return MIN(len, size - 1);
}

uint32_t vmm_cpu_slots(const struct boot_info *bi)
{
	uint32_t n = bi->nr_cpus ? bi->nr_cpus : 1;

	/* Only a host can grant cores later. */
	return vmm_cokernel ? MAX(n, (uint32_t)COVE_MAX_ENCLAVE_CPUS) : n;
}

bool vmm_init_is_reclaim(void)
{
	return vmm_cokernel;
}

bool vmm_all_ports_trapped(void)
{
	return vmm_cokernel;
}

struct cove_host_page *vmm_host_page_of(void)
{
	return vmm_host_page;
}

uint32_t *vmm_host_state_word(void)
{
	return vmm_host_state;
}

bool vmm_poweroff_ports(void)
{
	return vmm_exit_ports;
}

bool vmm_layer_is_on(void)
{
	return vmm_on;
}

/* The layer's image sections are its own too: record them, never zero them. */
static int vmm_take_image(const struct vmm_services *s)
{
	uint64_t size = (uint64_t)(__vmm_end - __vmm_start);

	vmm_image_pa = s->virt_to_phys(__vmm_start);
	if (vmm_nr_areas == VMM_MAX_AREAS || !size || (vmm_image_pa | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	vmm_areas[vmm_nr_areas].pa = vmm_image_pa;
	vmm_areas[vmm_nr_areas].size = size;
	vmm_nr_areas++;
	return 0;
}

/*
 * One image for both vendors: the first back end whose extension the CPU
 * has, else the last, whose available() then says what is missing.
 */
static const struct vmm_backend *vmm_backend_choose(void)
{
	static const struct vmm_backend *const all[] = { &vmm_vmx_backend, &vmm_svm_backend };
	uint32_t i = 0;

	while (i < ARRAY_SIZE(all) - 1 && !all[i]->present())
		i++;
	return all[i];
}

/*
 * Setup's last step: not one page the layer took may be left in the
 * guest's nested view, wherever in setup it was taken.
 */
static int vmm_check_hidden(const struct pgtable *nested)
{
	uint64_t pages = 0;

	for (uint32_t i = 0; i < vmm_nr_areas; i++) {
		for (uint64_t off = 0; off < vmm_areas[i].size; off += PAGE_SIZE, pages++) {
			if (!pgtable_translate(nested, vmm_areas[i].pa + off, NULL, NULL, NULL)) {
				vmm_log("vmm: the layer's page %#lx is in the guest's view",
					vmm_areas[i].pa + off);
				return -EFAULT;
			}
		}
	}
	vmm_log("vmm: the layer holds %lu pages, none of them in the guest's view", pages);
	return 0;
}

static int vmm_setup(const struct boot_info *bi, const char **why)
{
	uint32_t first_after_nested;
	phys_addr_t pa;
	int rc;

	vmm_be = vmm_backend_choose();
	if (!vmm_be->available(why))
		return -ENODEV;
	vmm_lapic = vmm_p2v(LAPIC_DEFAULT_PHYS);
	if (bi->host_page)
		vmm_host_page = vmm_p2v(bi->host_page);
	if (bi->host_state && ranges_contain(bi->mem, bi->nr_mem, bi->host_state, 8))
		vmm_host_state = vmm_p2v(bi->host_state);
	if (bi->host_page)
		vmm_doorbell_setup(bi, vmm_host_state);
	vmm_granted = vmm_alloc_pages(vmm_order_for(sizeof(*vmm_granted)), &pa);
	vmm_partition = vmm_alloc_pages(vmm_order_for(sizeof(*vmm_partition)), &pa);
	if (!vmm_granted || !vmm_partition || !vmm_alloc_pages(VMM_POOL_ORDER, &vmm_pool.base))
		return -ENOMEM;
	vmm_pool.nr = 1U << VMM_POOL_ORDER;
	rc = vmm_take_image(vmm_services);
	if (rc)
		return rc;
	vmm_granted->nr = bi->nr_granted;
	for (uint32_t i = 0; i < bi->nr_granted; i++)
		vmm_granted->r[i] = bi->granted[i];
	vmm_partition->nr = bi->nr_mem;
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		vmm_partition->r[i] = bi->mem[i];
	vmm_nr_apic_ids = bi->nr_cpus;
	for (uint32_t i = 0; i < bi->nr_cpus; i++) {
		vmm_apic_ids[i] = bi->cpus[i].apic_id;
		vmm_cores[i].apic_id = bi->cpus[i].apic_id;
		vmm_cores[i].bound = true;
	}
	vmm_enclave_is_machine = bi->nr_cpus == bi->firmware_nr_cpus;
	rc = vmm_be->init(bi);
	first_after_nested = vmm_nr_areas;
	if (!rc)
		rc = vmm_host_tables_build(bi, vmm_image_pa);
	/* The layer's own page tables, GDT and IDT came after the nested tables. */
	if (!rc)
		rc = vmm_hide_new_areas(vmm_be->nested, first_after_nested);
	if (!rc)
		rc = vmm_check_hidden(vmm_be->nested);
	return rc;
}

int vmm_layer_init(const struct boot_info *bi, const struct vmm_layer_params *params,
		   const struct vmm_services *services, struct vmm_layer_info *info)
{
	const char *why = "";
	int rc;

	vmm_services = services;
	vmm_cokernel = params->cokernel;
	vmm_exit_ports = params->poweroff_ports;
	rc = vmm_setup(bi, &why);
	info->call_insn = vmm_be->call_insn;
	ksnprintf(info->backend, sizeof(info->backend), "%s", vmm_be->name);
	ksnprintf(info->why, sizeof(info->why), "%s", why);
	info->area_lo = vmm_nr_areas ? vmm_lo : 0;
	info->area_hi = vmm_nr_areas ? vmm_hi : 0;
	/* From here on the layer owes the kernel nothing and asks it nothing. */
	vmm_services = NULL;
	if (rc)
		return rc;
	vmm_on = true;
	return 0;
}

void vmm_host_first_entry(uint32_t cpu)
{
	vmm_host_tables_load();
	vmm_host_cpu_entered(cpu);
	/* The host page is mapped in the layer's tables only: tell the host now. */
	if (vmm_host_page)
		vmm_host_page->guarded = vmm_be->host_page_code;
}

bool vmm_layer_cpu_enter(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip)
{
	if (!vmm_on || cpu >= BOOT_MAX_CPUS)
		return false;
	return vmm_be->cpu_enter(cpu, guest_rsp, guest_rip);
}
