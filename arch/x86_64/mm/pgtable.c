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

static uint64_t pgt_flags_to_pte(unsigned int flags)
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

	attrs = pgt_flags_to_pte(flags);
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

int pgtable_translate(const struct pgtable *pt, uint64_t va, uint64_t *pa, uint64_t *page_size,
		      unsigned int *flags)
{
	const uint64_t *tbl = pgt_table(pt, pt->root);
	int lvl;

	if (!pgt_canonical(va))
		return -ENOENT;
	for (lvl = PGT_TOP_LEVEL; ; lvl--) {
		uint64_t e = tbl[pgt_index(va, lvl)];

		if (!(e & PTE_P))
			return -ENOENT;
		if (pgt_is_leaf(e, lvl)) {
			if (pa)
				*pa = pgt_leaf_pa(e, lvl) + (va & (pgt_size(lvl) - 1));
			if (page_size)
				*page_size = pgt_size(lvl);
			if (flags)
				*flags = pgt_pte_to_flags(e);
			return 0;
		}
		tbl = pgt_table(pt, e);
	}
}

/* Replace the large leaf *e at @lvl by a full table of next-smaller leaves. */
static int pgt_split(struct pgtable *pt, uint64_t *e, int lvl)
{
	uint64_t base = pgt_leaf_pa(*e, lvl);
	uint64_t attrs = *e & PTE_LEAF_ATTRS;
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

/* Unmap what lies at va, at most len bytes; *done gets how far to move on. */
static int pgt_unmap_one(struct pgtable *pt, uint64_t va, uint64_t len, uint64_t *done)
{
	uint64_t *tbl = pgt_table(pt, pt->root);
	int lvl, ret;

	for (lvl = PGT_TOP_LEVEL; ; lvl--) {
		uint64_t *e = &tbl[pgt_index(va, lvl)];
		uint64_t off = va & (pgt_size(lvl) - 1);

		if (!(*e & PTE_P)) {
			*done = MIN(pgt_size(lvl) - off, len);
			return 0;
		}
		if (pgt_is_leaf(*e, lvl)) {
			if (!off && len >= pgt_size(lvl)) {
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

int pgtable_unmap(struct pgtable *pt, uint64_t va, uint64_t len)
{
	uint64_t done;
	int ret;

	ret = pgt_check_va(va, len);
	if (ret)
		return ret;
	while (len) {
		ret = pgt_unmap_one(pt, va, len, &done);
		if (ret)
			return ret;
		va += done;
		len -= done;
	}
	return 0;
}
