// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a process's pages between NUMA nodes (<cove/aspace_numa.h>).
 *
 * Pages are moved in batches: unmapped under as->lock (the range marked
 * as moving), every CPU's TLB flushed with the lock dropped so no write
 * can reach the old copy, copied, then mapped again under the lock. The
 * flush cannot run under the lock: a CPU spinning for it with interrupts
 * off would never take the flush. A thread that touches a moving page
 * faults, sees aspace_moving and tries again; one that unmaps it meanwhile
 * leaves both copies to us, and we free them.
 */
#include "aspace_internal.h"
#include <cove/aspace_numa.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/numa.h>
#include <cove/pmem.h>
#include <cove/string.h>

#define MOVE_BATCH 32

struct aspace_move {
	uint64_t va;
	uint64_t size;
	phys_addr_t old;
	phys_addr_t new;
};

/* Pages a region owns alone, which a move may change under it. */
static bool aspace_movable(const struct vm_region *r)
{
	return r && !r->shm && !r->reserved &&
	       (r->kind == VM_IMAGE || r->kind == VM_HEAP || r->kind == VM_STACK ||
		r->kind == VM_ANON || r->kind == VM_FILE);
}

static unsigned int aspace_order(uint64_t size)
{
	return (unsigned int)pmem_order_for(size);
}

/* Under as->lock (*flags its state); returns with it held again. */
static void aspace_move_batch(struct aspace *as, struct aspace_move *m, uint32_t n,
			      unsigned long *flags)
{
	uint32_t live = 0;

	as->moving_start = m[0].va;
	as->moving_end = m[n - 1].va + m[n - 1].size;
	as->unmap_gen++;	/* the host's mirror must forget the old pages */
	for (uint32_t i = 0; i < n; i++) {
		/* Unmapping part of a large page splits it, which needs a table. */
		if (arch_aspace_unmap(&as->arch, m[i].va, m[i].size)) {
			pmem_free(m[i].new, aspace_order(m[i].size));
			m[i].size = 0;
			continue;
		}
		live++;
	}
	spin_unlock_irqrestore(&as->lock, *flags);
	if (live)
		arch_aspace_flush(&as->arch);
	for (uint32_t i = 0; i < n; i++) {
		if (m[i].size)
			memcpy(phys_to_virt(m[i].new), phys_to_virt(m[i].old), m[i].size);
	}
	*flags = spin_lock_irqsave(&as->lock);
	for (uint32_t i = 0; i < n; i++) {
		struct vm_region *r = aspace_find(as, m[i].va);
		unsigned int order = aspace_order(m[i].size);
		phys_addr_t pa;
		uint64_t size;

		if (!m[i].size)
			continue;
		/* Still ours and still a hole: the copy goes in. */
		if (aspace_movable(r) && m[i].va + m[i].size <= r->end &&
		    arch_aspace_translate(&as->arch, m[i].va, &pa, &size)) {
			if (!arch_aspace_map(&as->arch, m[i].va, m[i].new, m[i].size, r->prot)) {
				pmem_free(m[i].old, order);
				continue;
			}
			/* No table for the copy: put the original back where it was. */
			if (!arch_aspace_map(&as->arch, m[i].va, m[i].old, m[i].size, r->prot)) {
				pmem_free(m[i].new, order);
				continue;
			}
			as->mapped_bytes -= m[i].size;
		}
		/* Unmapped while we copied: neither copy has an owner but us. */
		pmem_free(m[i].new, order);
		pmem_free(m[i].old, order);
	}
	as->moving_start = as->moving_end = 0;
}

/*
 * The page at va below stop, if mapped: *pa and *size (a large page partly
 * outside [va, stop) counts 4 KiB at a time, as unmap counts it).
 */
static bool aspace_page_at(struct aspace *as, uint64_t va, uint64_t stop, phys_addr_t *pa,
			   uint64_t *size)
{
	if (arch_aspace_translate(&as->arch, va, pa, size))
		return false;
	if (!IS_ALIGNED(va, *size) || va + *size > stop)
		*size = PAGE_SIZE;
	*pa = ALIGN_DOWN(*pa, *size);
	return true;
}

/*
 * Where a page goes: where a policy puts it (mbind), or from each node to
 * another (migrate_pages; remap[n] < 0 leaves node n's pages alone).
 */
struct aspace_move_rule {
	const struct mempolicy *pol;
	const int *remap;
};

/* 0: the page stays; 1: *new is its new block; -1: it should move but cannot. */
static int aspace_move_target(const struct aspace_move_rule *rule, uint64_t va,
			      unsigned int order, uint32_t node, phys_addr_t *new)
{
	if (rule->pol) {
		if (mempolicy_placed(rule->pol, va, order, node))
			return 0;
		return mempolicy_alloc_placed(rule->pol, va, order, new) ? -1 : 1;
	}
	if (rule->remap[node] < 0 || (uint32_t)rule->remap[node] == node)
		return 0;
	return pmem_alloc_node((uint32_t)rule->remap[node], order, new) ? -1 : 1;
}

/* Start of the first region at or after va (end if none): holes are skipped whole. */
static uint64_t aspace_next_start(struct aspace *as, uint64_t va, uint64_t end)
{
	for (struct vm_region *r = as->regions; r; r = r->next) {
		if (r->end > va)
			return MIN(MAX(r->start, va), end);
	}
	return end;
}

/*
 * Move the private pages of [va, end) that rule wants elsewhere. *unplaced
 * counts pages that stay where they are for want of room. Under as->lock,
 * dropped between batches.
 */
static void aspace_move_range(struct aspace *as, uint64_t va, uint64_t end,
			      const struct aspace_move_rule *rule, unsigned long *flags,
			      uint64_t *unplaced)
{
	struct aspace_move batch[MOVE_BATCH];
	uint32_t n = 0;

	while (va < end) {
		struct vm_region *r = aspace_find(as, va);
		uint64_t stop, size;
		phys_addr_t pa, new;
		int to;

		if (n == MOVE_BATCH) {
			/* Drops the lock: the regions are looked up afresh after it. */
			aspace_move_batch(as, batch, n, flags);
			n = 0;
			continue;
		}
		if (!r) {
			va = MAX(aspace_next_start(as, va, end), va + PAGE_SIZE);
			continue;
		}
		stop = MIN(r->end, end);
		if (!aspace_movable(r)) {
			va = stop;
			continue;
		}
		if (!aspace_page_at(as, va, stop, &pa, &size)) {
			va += PAGE_SIZE;
			continue;
		}
		to = aspace_move_target(rule, va, aspace_order(size), numa_node_of(pa), &new);
		if (to < 0) {
			(*unplaced)++;
		} else if (to > 0) {
			batch[n].va = va;
			batch[n].size = size;
			batch[n].old = pa;
			batch[n].new = new;
			n++;
		}
		va += size;
	}
	if (n)
		aspace_move_batch(as, batch, n, flags);
}

int aspace_mbind(struct aspace *as, uint64_t va, uint64_t len, const struct mempolicy *pol,
		 uint32_t mf_flags)
{
	uint64_t end = va + ALIGN_UP(len, PAGE_SIZE), unplaced = 0;
	unsigned long flags;
	int rc = 0;

	flags = spin_lock_irqsave(&as->lock);
	/* Linux: every page of the range must be mapped. */
	if (!aspace_range_mapped(as, va, end)) {
		rc = -EFAULT;
		goto out;
	}
	rc = aspace_split_edges(as, va, end);
	if (rc) {
		aspace_merge(as);
		goto out;
	}
	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		if (r->start >= va)
			r->policy = *pol;
	}
	aspace_merge(as);
	if (pol->mode != MPOL_DEFAULT && pol->mode != MPOL_LOCAL) {
		struct aspace_move_rule rule = { .pol = pol };

		aspace_move_range(as, va, end, &rule, &flags, &unplaced);
	}
	if (unplaced && (mf_flags & MPOL_MF_STRICT))
		rc = -EIO;
	else if (unplaced && pol->mode == MPOL_BIND)
		rc = -ENOMEM;
out:
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}

int aspace_policy_at(struct aspace *as, uint64_t va, struct mempolicy *out)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	struct vm_region *r = aspace_find(as, va);

	if (r)
		*out = r->policy;
	spin_unlock_irqrestore(&as->lock, flags);
	return r ? 0 : -EFAULT;
}

int aspace_page_node(struct aspace *as, uint64_t va, uint32_t *node)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	struct vm_region *r = aspace_find(as, va);
	phys_addr_t pa;
	uint64_t size;
	int rc = -EFAULT;

	if (r) {
		rc = arch_aspace_translate(&as->arch, va, &pa, &size) ? -ENOENT : 0;
		if (!rc)
			*node = numa_node_of(pa);
	}
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}

int aspace_move_page(struct aspace *as, uint64_t va, uint32_t node)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	struct vm_region *r = aspace_find(as, va);
	struct aspace_move m;
	uint64_t size;
	int rc = 0;

	va = ALIGN_DOWN(va, PAGE_SIZE);
	if (!r)
		rc = -EFAULT;
	else if (!aspace_page_at(as, va, va + PAGE_SIZE, &m.old, &size))
		rc = -ENOENT;
	else if (!aspace_movable(r))
		rc = -EACCES;
	else if (numa_node_of(m.old) != node && pmem_alloc_node(node, 0, &m.new))
		rc = -ENOMEM;
	else if (numa_node_of(m.old) != node) {
		/* Only the page asked for: part of a large page is split off. */
		m.va = va;
		m.size = PAGE_SIZE;
		aspace_move_batch(as, &m, 1, &flags);
	}
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}

int64_t aspace_migrate_nodes(struct aspace *as, const int *remap)
{
	struct aspace_move_rule rule = { .remap = remap };
	unsigned long flags = spin_lock_irqsave(&as->lock);
	uint64_t unplaced = 0;

	aspace_move_range(as, USER_VA_START, USER_VA_END, &rule, &flags, &unplaced);
	spin_unlock_irqrestore(&as->lock, flags);
	return (int64_t)unplaced;
}

bool aspace_moving(struct aspace *as, uint64_t va)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	phys_addr_t pa;
	uint64_t size;
	/*
	 * Mapped again already: the fault came while the page was away and
	 * the move ended before we got the lock.
	 */
	bool moving = (va >= as->moving_start && va < as->moving_end) ||
		      !arch_aspace_translate(&as->arch, va, &pa, &size);

	spin_unlock_irqrestore(&as->lock, flags);
	return moving;
}
