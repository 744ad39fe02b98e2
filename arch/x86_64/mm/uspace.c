// SPDX-License-Identifier: GPL-2.0
/*
 * User page tables: the lower half is the process's own, the upper half
 * is shared with the kernel by copying the kernel's top-level entries.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/percpu.h>
#include <cove/pmem.h>
#include <cove/string.h>
#include <cove/xcall.h>
#include <arch/x86.h>

static void *uspace_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

/*
 * A table a large page replaced: kept until every CPU has flushed
 * (arch_aspace_reclaim), zeroed but for the link in its first entry, which
 * reads as not present to a stale walk.
 */
static void uspace_free_table(void *ctx, uint64_t pa)
{
	struct arch_aspace *a = ctx;
	uint64_t *link = phys_to_virt(pa);
	uint64_t head = __atomic_load_n(&a->deferred, __ATOMIC_RELAXED);

	do {
		*link = head;
	} while (!__atomic_compare_exchange_n(&a->deferred, &head, pa, false, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

static void uspace_free_chain(uint64_t pa)
{
	while (pa) {
		uint64_t next = *(uint64_t *)phys_to_virt(pa);

		pmem_free(pa, 0);
		pa = next;
	}
}

void arch_aspace_reclaim(struct arch_aspace *a)
{
	uint64_t pa = __atomic_exchange_n(&a->deferred, 0, __ATOMIC_ACQ_REL);

	if (!pa)
		return;
	arch_aspace_flush(a);
	uspace_free_chain(pa);
}

static int uspace_alloc_table(void *ctx, uint64_t *pa)
{
	(void)ctx;
	if (pmem_alloc(0, pa))
		return -ENOMEM;
	memset(phys_to_virt(*pa), 0, PAGE_SIZE);
	return 0;
}

bool arch_has_1g_pages(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	return d & (1U << 26);
}

int arch_aspace_init(struct arch_aspace *a)
{
	uint64_t *root, *kroot = phys_to_virt(kmap_root());
	int rc;

	memset(a, 0, sizeof(*a));
	a->pt.phys_to_virt = uspace_p2v;
	a->pt.alloc_table = uspace_alloc_table;
	a->pt.allow_1g = arch_has_1g_pages();
	a->pt.track_dirty = true;	/* madvise's discard zeroes only what was written */
	rc = pgtable_init(&a->pt);
	if (rc)
		return rc;
	/* A large page may replace tables an unmap emptied (MAP_HUGETLB at the same place). */
	a->pt.free_table = uspace_free_table;
	a->pt.ctx = a;
	root = phys_to_virt(a->pt.root);
	for (int i = 256; i < 512; i++)
		root[i] = kroot[i];
	return 0;
}

/* Free the lower-half tables (leaves were unmapped and freed already). */
static void uspace_free_tables(uint64_t table_pa, int level)
{
	uint64_t *t = phys_to_virt(table_pa);
	int n = level == 4 ? 256 : 512;

	if (level > 1) {
		for (int i = 0; i < n; i++) {
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				uspace_free_tables(t[i] & PTE_ADDR_MASK, level - 1);
		}
	}
	pmem_free(table_pa, 0);
}

void arch_aspace_destroy(struct arch_aspace *a)
{
	/* Never free tables that are live on this CPU. */
	if ((read_cr3() & PTE_ADDR_MASK) == a->pt.root)
		write_cr3(kmap_root());
	uspace_free_tables(a->pt.root, 4);
	uspace_free_chain(__atomic_exchange_n(&a->deferred, 0, __ATOMIC_ACQ_REL));
	a->pt.root = 0;
}

static unsigned int uspace_flags(uint32_t prot)
{
	unsigned int flags = PGT_USER;

	/*
	 * PROT_NONE keeps its memory (mprotect back must find the data) but
	 * leaves it to the kernel alone: any user access faults.
	 */
	if (!(prot & (VM_READ | VM_WRITE | VM_EXEC)))
		flags = 0;
	if (prot & VM_WRITE)
		flags |= PGT_WRITE;
	if (!(prot & VM_EXEC))
		flags |= PGT_NOEXEC;
	return flags;
}

int arch_aspace_map(struct arch_aspace *a, uint64_t va, phys_addr_t pa, uint64_t len,
		    uint32_t prot)
{
	return pgtable_map(&a->pt, va, pa, len, uspace_flags(prot));
}

int arch_aspace_map_zeroed(struct arch_aspace *a, uint64_t va, phys_addr_t pa, uint64_t len,
			   uint32_t prot)
{
	return pgtable_map(&a->pt, va, pa, len, uspace_flags(prot) | PGT_ZEROED);
}

int arch_aspace_dirty(struct arch_aspace *a, uint64_t va, enum aspace_dirty_op op,
		      phys_addr_t *pa, uint64_t *size)
{
	static const enum pgt_dirty_op ops[] = {
		[ASPACE_DIRTY_TEST] = PGT_DIRTY_TEST,
		[ASPACE_DIRTY_SET] = PGT_DIRTY_SET,
		[ASPACE_DIRTY_CLEAR] = PGT_DIRTY_CLEAR,
	};

	return pgtable_dirty(&a->pt, va, ops[op], pa, size);
}

int arch_aspace_find_dirty(struct arch_aspace *a, uint64_t va, uint64_t end, uint64_t *base,
			   uint64_t *size)
{
	return pgtable_find_dirty(&a->pt, va, end, base, size);
}

int arch_aspace_translate(struct arch_aspace *a, uint64_t va, phys_addr_t *pa,
			  uint64_t *page_size)
{
	return pgtable_translate(&a->pt, va, pa, page_size, NULL);
}

int arch_aspace_unmap(struct arch_aspace *a, uint64_t va, uint64_t len)
{
	return pgtable_unmap(&a->pt, va, len);
}

int arch_aspace_unmap_next(struct arch_aspace *a, uint64_t *va, uint64_t end, phys_addr_t *pa,
			   uint64_t *size)
{
	return pgtable_unmap_next(&a->pt, va, end, pa, size);
}

void arch_aspace_activate(struct arch_aspace *a)
{
	uint32_t cpu = this_cpu_id();

	__atomic_fetch_or(&a->loaded_on[cpu / 64], 1ULL << (cpu % 64), __ATOMIC_RELAXED);
	if ((read_cr3() & PTE_ADDR_MASK) != a->pt.root)
		write_cr3(a->pt.root);
}

static void uspace_flush_local(void *arg)
{
	struct arch_aspace *a = arg;

	if ((read_cr3() & PTE_ADDR_MASK) == a->pt.root)
		write_cr3(a->pt.root);
}

void arch_aspace_flush(struct arch_aspace *a)
{
	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++) {
		if ((a->loaded_on[cpu / 64] >> (cpu % 64)) & 1)
			xcall_run(cpu, uspace_flush_local, a);
	}
}
