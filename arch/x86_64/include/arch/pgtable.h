/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 4-level x86-64 page-table builder. Table pages come from a callback and are
 * reached through phys_to_virt, so the same code builds the kernel's tables at
 * boot and runs in host unit tests against a fake physical pool.
 *
 * Nothing here touches CR3 or the TLB: after changing live tables the caller
 * must flush. Unmapping leaves empty tables behind for later reuse; with a
 * free_table callback, mapping a large page where only empty tables hang
 * gives them back and installs the large leaf (without one the range would
 * stay 4 KiB pages for good).
 */
#ifndef ARCH_X86_64_PGTABLE_H
#define ARCH_X86_64_PGTABLE_H

#include <cove/types.h>

/* Hardware PTE bits (Intel SDM vol. 3, 4-level paging). */
#define PTE_P		(1ULL << 0)	/* present */
#define PTE_RW		(1ULL << 1)	/* writable */
#define PTE_US		(1ULL << 2)	/* user accessible */
#define PTE_PWT		(1ULL << 3)	/* write-through */
#define PTE_PCD		(1ULL << 4)	/* cache disable */
#define PTE_A		(1ULL << 5)	/* accessed, set by the CPU */
#define PTE_D		(1ULL << 6)	/* dirty, set by the CPU (leaves only) */
#define PTE_PS		(1ULL << 7)	/* large page in a PDPTE/PDE; PAT in a 4K PTE */
#define PTE_G		(1ULL << 8)	/* global, survives CR3 reloads */
#define PTE_NX		(1ULL << 63)	/* no execute, needs EFER.NXE */
#define PTE_ADDR_MASK	0x000FFFFFFFFFF000ULL

struct pgtable {
	uint64_t root;					/* physical address of the PML4 */
	void *(*phys_to_virt)(void *ctx, uint64_t pa);
	int (*alloc_table)(void *ctx, uint64_t *pa);	/* one zeroed 4 KiB page, 0 or -ENOMEM */
	/*
	 * Optional, NULL after pgtable_init: takes back an empty table. The
	 * caller flushes before any CPU may walk the range again.
	 */
	void (*free_table)(void *ctx, uint64_t pa);
	void *ctx;
	bool allow_1g;					/* CPU has 1 GiB pages (CPUID pdpe1gb) */
	/*
	 * A job's tables, whose dirty bits say what was written: leaves
	 * start dirty unless PGT_ZEROED, and a split leaves dirty pieces
	 * (pgtable_dirty). Other tables keep bit 6 clear: in EPT it is not
	 * a dirty bit at all.
	 */
	bool track_dirty;
	uint64_t nr_tables;				/* tables allocated so far, incl. root */
	uint64_t mapped[3];				/* count of 4K, 2M, 1G leaf entries */
};

/* Portable flags, translated to PTE bits inside. */
#define PGT_WRITE	(1u << 0)
#define PGT_USER	(1u << 1)
#define PGT_NOEXEC	(1u << 2)
#define PGT_UNCACHED	(1u << 3)	/* PCD|PWT, for MMIO */
#define PGT_GLOBAL	(1u << 4)
/*
 * With track_dirty: the page holds only zeros, so its leaf starts clean (D
 * clear) and a later discard can tell it was never written. Every other
 * leaf is made dirty, since nothing says what its page holds.
 */
#define PGT_ZEROED	(1u << 5)
#define PGT_FLAG_MASK	(PGT_WRITE | PGT_USER | PGT_NOEXEC | PGT_UNCACHED | PGT_GLOBAL | \
			 PGT_ZEROED)

/*
 * Fill in phys_to_virt, alloc_table, ctx and allow_1g first. Resets the
 * counters and allocates the root; 0 or the allocator's error.
 */
int pgtable_init(struct pgtable *pt);

/*
 * Map [va, va+len) -> [pa, pa+len) with the largest pages that the alignment
 * of both va and pa and the remaining length allow (1G only with allow_1g).
 * va, pa and len must be 4 KiB aligned, len > 0, va canonical, neither range
 * may wrap or leave its space (va crossing the canonical hole, pa >= 2^52),
 * and flags must be within PGT_FLAG_MASK: else -EINVAL, nothing changed.
 *
 * Remapping a page with the same target and flags is a no-op; any other
 * overlap with an existing mapping is -EEXIST. Allocator errors are passed on.
 * On either failure the part of the range before the failing page stays
 * mapped (and tables allocated on the way stay linked in): nothing is rolled
 * back, the caller unmaps if it cares.
 */
int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t len, unsigned int flags);

/*
 * Walk to the leaf for va: 0 and *pa (including va's offset in the page),
 * *page_size and *flags (PGT_*) filled in, -ENOENT if unmapped or non-canonical.
 * Any output pointer may be NULL.
 */
int pgtable_translate(const struct pgtable *pt, uint64_t va, uint64_t *pa, uint64_t *page_size,
		      unsigned int *flags);

/*
 * Unmap [va, va+len), same va/len rules as pgtable_map; holes inside the range
 * are skipped. A large page only partly covered is first split into smaller
 * pages of the same target and flags, which needs a table: the allocator's
 * error is passed on, with the range before that page already unmapped and
 * the large page itself left intact.
 */
int pgtable_unmap(struct pgtable *pt, uint64_t va, uint64_t len);

/*
 * The first mapped page at or after *va and below end, unmapped in the same
 * walk: 1 with *va at it and its target and size in *pa and *page_size
 * (either may be NULL); 0 when none is left (*va at or past end); or the
 * error of splitting a large page end cuts through, *va at it. *va and end
 * page-aligned.
 */
int pgtable_unmap_next(struct pgtable *pt, uint64_t *va, uint64_t end, uint64_t *pa,
		       uint64_t *page_size);

enum pgt_dirty_op {
	PGT_DIRTY_TEST,		/* read D */
	PGT_DIRTY_SET,		/* the page was written through another mapping */
	PGT_DIRTY_CLEAR,	/* the page is zeros again; the caller flushes */
};
/*
 * The dirty bit of the leaf mapping va, changed atomically against the
 * CPU's own updates of it: 1 if it was set, 0 if not, -ENOENT if va is
 * unmapped. *pa and *page_size (either may be NULL) get what
 * pgtable_translate would, from the same walk.
 */
int pgtable_dirty(struct pgtable *pt, uint64_t va, enum pgt_dirty_op op, uint64_t *pa,
		  uint64_t *page_size);
/*
 * The first dirty leaf mapping part of [va, end): 1 with *page_base and
 * *page_size set (the base may lie below va), 0 if there is none. Clean
 * and unmapped stretches cost a read per entry, not a walk per page.
 */
int pgtable_find_dirty(const struct pgtable *pt, uint64_t va, uint64_t end, uint64_t *page_base,
		       uint64_t *page_size);

#endif /* ARCH_X86_64_PGTABLE_H */
