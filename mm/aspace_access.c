// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel reaching into a user address space: whether a range may be
 * touched, and copies and atomics through the pages' direct-map addresses
 * (so they work for an address space other than the running one). Only
 * partition pages are in the direct map: a host's page an XEMEM segment
 * maps is the user's own to touch, and EFAULT here.
 */
#include <cove/aspace.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/ranges.h>
#include <cove/string.h>

/* Every byte of [va, va+len) mapped with at least prot; under the lock. */
static bool aspace_allows(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot)
{
	uint64_t end = va + len;

	if (end < va || end > USER_VA_END)
		return false;
	while (va < end) {
		struct vm_region *r = aspace_find(as, va);

		if (!r || (r->prot & prot) != prot)
			return false;
		va = r->end;
	}
	return true;
}

/* The direct-map address of the byte at pa, or NULL if it is no page of the partition. */
static void *aspace_direct(phys_addr_t pa)
{
	const struct boot_info *bi = kernel_get_boot_info();

	if (!ranges_contain(bi->mem, bi->nr_mem, ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE))
		return NULL;
	return phys_to_virt(pa);
}

bool aspace_check(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	bool ok = aspace_allows(as, va, len, prot);

	spin_unlock_irqrestore(&as->lock, flags);
	return ok;
}

int aspace_cmpxchg_u32(struct aspace *as, uint64_t va, uint32_t *old, uint32_t new)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	struct vm_region *r = aspace_find(as, va);
	uint64_t size;
	phys_addr_t pa;
	int rc = -EFAULT;

	/* Under the lock: the page cannot be unmapped and freed meanwhile. */
	if (!(va & 3) && r && (r->prot & VM_WRITE) &&
	    !arch_aspace_translate(&as->arch, va, &pa, &size)) {
		uint32_t *word = aspace_direct(pa);

		if (word)
			rc = __atomic_compare_exchange_n(word, old, new, false, __ATOMIC_SEQ_CST,
							 __ATOMIC_SEQ_CST) ? 0 : -EAGAIN;
		if (!rc)
			arch_aspace_dirty(&as->arch, va, ASPACE_DIRTY_SET, NULL, NULL);
	}
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}

static int aspace_copy(struct aspace *as, uint64_t va, void *buf, size_t len, bool to_user)
{
	while (len) {
		phys_addr_t pa;
		uint64_t size, chunk;
		void *kva;

		/*
		 * A write is not through the job's tables, so the CPU would not
		 * mark the page written: the walk that finds it does.
		 */
		if (to_user ? arch_aspace_dirty(&as->arch, va, ASPACE_DIRTY_SET, &pa, &size) < 0 :
			      arch_aspace_translate(&as->arch, va, &pa, &size) != 0)
			return -EFAULT;
		kva = aspace_direct(pa);
		if (!kva)
			return -EFAULT;
		chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		if (to_user)
			memcpy(kva, buf, chunk);
		else
			memcpy(buf, kva, chunk);
		buf = (uint8_t *)buf + chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

int aspace_write(struct aspace *as, uint64_t va, const void *src, size_t len)
{
	return aspace_copy(as, va, (void *)src, len, true);
}

int aspace_read(struct aspace *as, uint64_t va, void *dst, size_t len)
{
	return aspace_copy(as, va, dst, len, false);
}

int aspace_access(struct aspace *as, uint64_t va, void *buf, size_t len, bool write)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	int rc = -EFAULT;

	if (aspace_allows(as, va, len, write ? VM_WRITE : VM_READ))
		rc = aspace_copy(as, va, buf, len, write);
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}

int aspace_debug_access(struct aspace *as, uint64_t va, void *buf, size_t len, bool write)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	int rc = -EFAULT;

	/* Any access will do: a breakpoint goes into read-only, executable text. */
	if (aspace_allows(as, va, len, VM_READ) || aspace_allows(as, va, len, VM_EXEC))
		rc = aspace_copy(as, va, buf, len, write);
	spin_unlock_irqrestore(&as->lock, flags);
	return rc;
}
