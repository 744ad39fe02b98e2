// SPDX-License-Identifier: GPL-2.0
/*
 * 4-level x86-64 page-table builder, see arch/pgtable.h. Levels are numbered
 * by what a leaf there maps: 0 = PT (4K), 1 = PD (2M), 2 = PDPT (1G), 3 = PML4.
 *
 * Intermediate entries are always P|RW, plus US once a user leaf sits below,
 * and never NX: the CPU ANDs permissions down the walk, so keeping the upper
 * levels permissive lets each leaf alone decide.
 */
#include <arch/pgtable.h>
#include <cove/errno.h>

#define PGT_TOP_LEVEL	3
#define PGT_ENTRIES	512
#define PGT_PHYS_LIMIT	(1ULL << 52)

/* What a leaf carries besides its address; PS/PAT are derived from the level. */
#define PTE_LEAF_ATTRS	(PTE_P | PTE_RW | PTE_US | PTE_PWT | PTE_PCD | PTE_A | PTE_D | PTE_G | \
			 PTE_NX)
/* A and D are the CPU's business, so they must not make a remap look different. */
#define PTE_LEAF_CMP	(PTE_LEAF_ATTRS & ~(PTE_A | PTE_D))
#define PTE_TABLE	(PTE_P | PTE_RW)

static inline unsigned int pgt_shift(int lvl)
{
	return PAGE_SHIFT + 9 * lvl;
}

static inline uint64_t pgt_size(int lvl)
{
	return 1ULL << pgt_shift(lvl);
}

static inline unsigned int pgt_index(uint64_t va, int lvl)
{
	return (va >> pgt_shift(lvl)) & (PGT_ENTRIES - 1);
}

static inline uint64_t *pgt_table(const struct pgtable *pt, uint64_t entry)
{
	return pt->phys_to_virt(pt->ctx, entry & PTE_ADDR_MASK);
}

/* PS in a PML4E is reserved, and in a PTE it means PAT, not size. */
static inline bool pgt_is_leaf(uint64_t e, int lvl)
{
	return lvl == 0 || (lvl < PGT_TOP_LEVEL && (e & PTE_PS));
}

/* Masking by the page size also drops a large page's PAT bit (bit 12). */
static inline uint64_t pgt_leaf_pa(uint64_t e, int lvl)
{
	return e & PTE_ADDR_MASK & ~(pgt_size(lvl) - 1);
}

static inline uint64_t pgt_mkleaf(uint64_t pa, uint64_t attrs, int lvl)
{
	return pa | attrs | (lvl ? PTE_PS : 0);
}

/* Bits 63..47 all equal: the 48-bit address space of 4-level paging. */
static inline bool pgt_canonical(uint64_t va)
{
	uint64_t top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

static uint64_t pgt_flags_to_pte(const struct pgtable *pt, unsigned int flags)
{
	uint64_t attrs = PTE_P;

	if (flags & PGT_WRITE)
		attrs |= PTE_RW;
	if (flags & PGT_USER)
		attrs |= PTE_US;
	if (flags & PGT_NOEXEC)
		attrs |= PTE_NX;
	if (flags & PGT_UNCACHED)
		attrs |= PTE_PCD | PTE_PWT;
	if (flags & PGT_GLOBAL)
		attrs |= PTE_G;
	if (pt->track_dirty && !(flags & PGT_ZEROED))
		attrs |= PTE_D;
	return attrs;
}

static unsigned int pgt_pte_to_flags(uint64_t e)
{
	unsigned int flags = 0;

	if (e & PTE_RW)
		flags |= PGT_WRITE;
	if (e & PTE_US)
		flags |= PGT_USER;
	if (e & PTE_NX)
		flags |= PGT_NOEXEC;
	if (e & PTE_PCD)
		flags |= PGT_UNCACHED;
	if (e & PTE_G)
		flags |= PGT_GLOBAL;
	return flags;
}

static int pgt_alloc(struct pgtable *pt, uint64_t *pa)
{
	int ret = pt->alloc_table(pt->ctx, pa);

	if (ret)
		return ret;
	pt->nr_tables++;
	return 0;
}

/* va must be 4K aligned, non-empty, and stay inside one canonical half. */
static int pgt_check_va(uint64_t va, uint64_t len)
{
	uint64_t last = va + len - 1;

	if (!len || !IS_ALIGNED(va | len, PAGE_SIZE) || last < va)
		return -EINVAL;
	if (!pgt_canonical(va) || !pgt_canonical(last) || ((va ^ last) >> 47))
		return -EINVAL;
	return 0;
}

int pgtable_init(struct pgtable *pt)
{
	unsigned int i;

	pt->root = 0;
	pt->nr_tables = 0;
	pt->free_table = NULL;
	for (i = 0; i < ARRAY_SIZE(pt->mapped); i++)
		pt->mapped[i] = 0;
	return pgt_alloc(pt, &pt->root);
}

/* Largest leaf level usable at va/pa for the remaining len. */
static int pgt_pick_level(const struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t len)
{
	uint64_t both = va | pa;

	if (pt->allow_1g && IS_ALIGNED(both, PAGE_SIZE_1G) && len >= PAGE_SIZE_1G)
		return 2;
	if (IS_ALIGNED(both, PAGE_SIZE_2M) && len >= PAGE_SIZE_2M)
		return 1;
	return 0;
}

/* Whether the table tpa at @lvl maps nothing, through any tables below it. */
static bool pgt_table_empty(const struct pgtable *pt, uint64_t tpa, int lvl)
{
	const uint64_t *tbl = pgt_table(pt, tpa);

	for (int i = 0; i < PGT_ENTRIES; i++) {
		if (!(tbl[i] & PTE_P))
			continue;
		if (pgt_is_leaf(tbl[i], lvl) || !pgt_table_empty(pt, tbl[i] & PTE_ADDR_MASK, lvl - 1))
			return false;
	}
	return true;
}

/* Give back the empty table tpa at @lvl and the tables below it. */
static void pgt_table_free(struct pgtable *pt, uint64_t tpa, int lvl)
{
	const uint64_t *tbl = pgt_table(pt, tpa);

	for (int i = 0; lvl > 0 && i < PGT_ENTRIES; i++) {
		if (tbl[i] & PTE_P)
			pgt_table_free(pt, tbl[i] & PTE_ADDR_MASK, lvl - 1);
	}
	pt->free_table(pt->ctx, tpa);
	pt->nr_tables--;
}

/*
 * Install one leaf for va at level @want. If a table already hangs where that
 * leaf would go, descend and use smaller pages instead, so existing mappings
 * below are checked one by one rather than replaced. *done gets the number of
 * bytes now covered at va.
 */
static int pgt_map_one(struct pgtable *pt, uint64_t va, uint64_t pa, int want, uint64_t attrs,
		       uint64_t *done)
{
	uint64_t *path[PGT_TOP_LEVEL + 1];
	uint64_t *tbl = pgt_table(pt, pt->root);
	uint64_t tpa;
	int lvl, i, ret;

	for (lvl = PGT_TOP_LEVEL; ; lvl--) {
		uint64_t *e = &tbl[pgt_index(va, lvl)];

		/* Tables left empty by an unmap make way for a large leaf. */
		if ((*e & PTE_P) && lvl <= want && lvl > 0 && !pgt_is_leaf(*e, lvl) &&
		    pt->free_table && pgt_table_empty(pt, *e & PTE_ADDR_MASK, lvl - 1)) {
			pgt_table_free(pt, *e & PTE_ADDR_MASK, lvl - 1);
			*e = 0;
		}
		if (!(*e & PTE_P) && lvl <= want) {
			*e = pgt_mkleaf(pa, attrs, lvl);
			pt->mapped[lvl]++;
			*done = pgt_size(lvl);
			break;
		}
		if (!(*e & PTE_P)) {
			ret = pgt_alloc(pt, &tpa);
			if (ret)
				return ret;
			*e = tpa | PTE_TABLE;
		} else if (pgt_is_leaf(*e, lvl)) {
			/* May be a larger page than wanted; va is aligned to @want either way. */
			uint64_t off = va & (pgt_size(lvl) - 1);

			if (pgt_leaf_pa(*e, lvl) + off != pa ||
			    (*e & PTE_LEAF_CMP) != (attrs & PTE_LEAF_CMP))
				return -EEXIST;
			*done = pgt_size(MIN(lvl, want));
			return 0;
		}
		path[lvl] = e;
		tbl = pgt_table(pt, *e);
	}

	/* Only now that a user leaf exists do the tables above it need US. */
	if (attrs & PTE_US)
		for (i = lvl + 1; i <= PGT_TOP_LEVEL; i++)
			*path[i] |= PTE_US;
	return 0;
}

int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t len, unsigned int flags)
{
	uint64_t attrs, done;
	int ret;

	ret = pgt_check_va(va, len);
	if (ret)
		return ret;
	if (!IS_ALIGNED(pa, PAGE_SIZE) || pa + len - 1 < pa || pa + len - 1 >= PGT_PHYS_LIMIT ||
	    (flags & ~PGT_FLAG_MASK))
		return -EINVAL;

	attrs = pgt_flags_to_pte(pt, flags);
	while (len) {
		ret = pgt_map_one(pt, va, pa, pgt_pick_level(pt, va, pa, len), attrs, &done);
		if (ret)
			return ret;
		va += done;
		pa += done;
		len -= done;
	}
	return 0;
}

/*
 * The entry va's walk ends at: a leaf, or one not present (the whole
 * pgt_size(*lvl) around va is unmapped then). va must be canonical.
 */
static inline uint64_t *pgt_walk(const struct pgtable *pt, uint64_t va, int *lvl)
{
	uint64_t *tbl = pgt_table(pt, pt->root);

	for (int l = PGT_TOP_LEVEL; ; l--) {
		uint64_t *e = &tbl[pgt_index(va, l)];

		if (!(*e & PTE_P) || pgt_is_leaf(*e, l)) {
			*lvl = l;
			return e;
		}
		tbl = pgt_table(pt, *e);
	}
}

/* What translate and dirty report of leaf e at lvl for va. */
static void pgt_leaf_report(uint64_t e, int lvl, uint64_t va, uint64_t *pa, uint64_t *page_size)
{
	if (pa)
		*pa = pgt_leaf_pa(e, lvl) + (va & (pgt_size(lvl) - 1));
	if (page_size)
		*page_size = pgt_size(lvl);
}

int pgtable_translate(const struct pgtable *pt, uint64_t va, uint64_t *pa, uint64_t *page_size,
		      unsigned int *flags)
{
	uint64_t e;
	int lvl;

	if (!pgt_canonical(va))
		return -ENOENT;
	e = *pgt_walk(pt, va, &lvl);
	if (!(e & PTE_P))
		return -ENOENT;
	pgt_leaf_report(e, lvl, va, pa, page_size);
	if (flags)
		*flags = pgt_pte_to_flags(e);
	return 0;
}

int pgtable_dirty(struct pgtable *pt, uint64_t va, enum pgt_dirty_op op, uint64_t *pa,
		  uint64_t *page_size)
{
	uint64_t *e, old;
	int lvl;

	if (!pgt_canonical(va))
		return -ENOENT;
	e = pgt_walk(pt, va, &lvl);
	if (!(*e & PTE_P))
		return -ENOENT;
	if (op == PGT_DIRTY_SET)
		old = __atomic_fetch_or(e, PTE_D, __ATOMIC_SEQ_CST);
	else if (op == PGT_DIRTY_CLEAR)
		old = __atomic_fetch_and(e, ~PTE_D, __ATOMIC_SEQ_CST);
	else
		old = __atomic_load_n(e, __ATOMIC_RELAXED);
	pgt_leaf_report(old, lvl, va, pa, page_size);
	return !!(old & PTE_D);
}

int pgtable_find_dirty(const struct pgtable *pt, uint64_t va, uint64_t end, uint64_t *page_base,
		       uint64_t *page_size)
{
	const uint64_t dirty = PTE_P | PTE_D;

	while (va < end && pgt_canonical(va)) {
		int lvl;
		const uint64_t *at = pgt_walk(pt, va, &lvl);
		uint64_t e = *at, next;

		if (lvl == 0) {
			/* 4 KiB leaves: on through their table, not from the root each time. */
			const uint64_t *tbl = at - pgt_index(va, 0);

			for (unsigned int i = pgt_index(va, 0); ; ) {
				if ((tbl[i] & dirty) == dirty) {
					*page_base = va & ~(PAGE_SIZE - 1);
					*page_size = PAGE_SIZE;
					return 1;
				}
				va = (va & ~(PAGE_SIZE - 1)) + PAGE_SIZE;
				if (!va || va >= end || ++i == PGT_ENTRIES)
					break;
			}
			if (!va)
				break;	/* past the top */
			continue;
		}
		if ((e & dirty) == dirty) {
			*page_base = va & ~(pgt_size(lvl) - 1);
			*page_size = pgt_size(lvl);
			return 1;
		}
		next = (va & ~(pgt_size(lvl) - 1)) + pgt_size(lvl);
		if (next <= va)
			break;
		va = next;
	}
	return 0;
}

/* Replace the large leaf *e at @lvl by a full table of next-smaller leaves. */
static int pgt_split(struct pgtable *pt, uint64_t *e, int lvl)
{
	uint64_t base = pgt_leaf_pa(*e, lvl);
	/*
	 * Tracked, the smaller leaves are dirty whatever the large one was:
	 * a CPU may set its D between this read and the table replacing it.
	 */
	uint64_t attrs = (*e & PTE_LEAF_ATTRS) | (pt->track_dirty ? PTE_D : 0);
	uint64_t tpa, *child;
	int i, ret;

	ret = pgt_alloc(pt, &tpa);
	if (ret)
		return ret;
	child = pgt_table(pt, tpa);
	for (i = 0; i < PGT_ENTRIES; i++)
		child[i] = pgt_mkleaf(base + i * pgt_size(lvl - 1), attrs, lvl - 1);
	*e = tpa | PTE_TABLE | (attrs & PTE_US);
	pt->mapped[lvl]--;
	pt->mapped[lvl - 1] += PGT_ENTRIES;
	return 0;
}

/*
 * Unmap what lies at va, at most len bytes; *done gets how far to move on,
 * *leaf the entry unmapped (0: a hole was skipped) and *leaf_lvl its level.
 * Inline in both callers: called once a page when an address space goes
 * (3% of fork + exit + wait as a call).
 */
static inline __attribute__((always_inline)) int
pgt_unmap_one(struct pgtable *pt, uint64_t va, uint64_t len, uint64_t *done, uint64_t *leaf,
	      int *leaf_lvl)
{
	uint64_t *tbl = pgt_table(pt, pt->root);
	int lvl, ret;

	*leaf = 0;
	for (lvl = PGT_TOP_LEVEL; ; lvl--) {
		uint64_t *e = &tbl[pgt_index(va, lvl)];
		uint64_t off = va & (pgt_size(lvl) - 1);

		if (!(*e & PTE_P)) {
			*done = MIN(pgt_size(lvl) - off, len);
			return 0;
		}
		if (pgt_is_leaf(*e, lvl)) {
			if (!off && len >= pgt_size(lvl)) {
				*leaf = *e;
				*leaf_lvl = lvl;
				*e = 0;
				pt->mapped[lvl]--;
				*done = pgt_size(lvl);
				return 0;
			}
			/* Never at level 0: a 4K leaf is always wholly covered. */
			ret = pgt_split(pt, e, lvl);
			if (ret)
				return ret;
		}
		tbl = pgt_table(pt, *e);
	}
}

int pgtable_unmap_next(struct pgtable *pt, uint64_t *va, uint64_t end, uint64_t *pa,
		       uint64_t *page_size)
{
	if (*va >= end)
		return 0;
	if (!IS_ALIGNED(*va, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE))
		return -EINVAL;
	while (*va < end && pgt_canonical(*va)) {
		uint64_t done = 0, leaf;
		int lvl = 0, ret = pgt_unmap_one(pt, *va, end - *va, &done, &leaf, &lvl);

		if (ret)
			return ret;
		if (leaf) {
			pgt_leaf_report(leaf, lvl, *va, pa, page_size);
			return 1;
		}
		*va += done;	/* a hole, skipped as far as its entry covers: never past end */
	}
	return 0;
}

int pgtable_unmap(struct pgtable *pt, uint64_t va, uint64_t len)
{
	uint64_t done;
	int ret;

	ret = pgt_check_va(va, len);
	if (ret)
		return ret;
	while (len) {
		uint64_t leaf;
		int lvl;

		ret = pgt_unmap_one(pt, va, len, &done, &leaf, &lvl);
		if (ret)
			return ret;
		va += done;
		len -= done;
	}
	return 0;
}
