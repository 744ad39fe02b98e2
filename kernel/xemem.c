// SPDX-License-Identifier: GPL-2.0
/*
 * XEMEM: memory shared with host processes by key (cove/xemem_user.h for
 * the calls, cove/pisces_abi.h for the wire).
 *
 * Exports (enclave -> host): xemem_make allocates partition memory for
 * the segment, which owns it from then on, maps it into the caller as a
 * VM_XEMEM region and tells the host its physical ranges in one long call;
 * the module checks them against the partition before any host process
 * may map them. Pages go back to the allocator only after the host said
 * (COVE_LC_XEMEM_REMOVE) that no host process can reach them any more.
 *
 * Attachments (host -> enclave): the host offers pages of its own in a
 * slot of its page, which the kernel can read but not write. The kernel
 * asks the protection layer to put exactly that slot in the nested
 * tables (the layer reads the slot itself: the kernel cannot grant itself
 * host memory), then maps it into the caller. When the host withdraws an
 * offer (COVE_CTL_XEMEM_REVOKE) every process loses it, then the nested
 * tables do.
 *
 * One table of each, under xemem_lock; an entry being set up or torn down
 * is marked busy so no lock is held across a long call or a hypercall.
 */
#include <cove/aspace.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/host.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/pisces_abi.h>
#include <cove/pmem.h>
#include <cove/ranges.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <cove/vmm.h>
#include <cove/xemem.h>

#define XEMEM_MAX_SEGS 32
#define XEMEM_MAX_ATTACH 32

enum xemem_state { XS_FREE, XS_BUSY, XS_LIVE };

struct xemem_seg {
	enum xemem_state state;
	uint64_t key, size, va;
	uint32_t flags, pid, nr;
	struct aspace *as;		/* the exporter's, referenced */
	struct boot_range *r;		/* the pages, owned by the segment */
};

struct xemem_attach {
	enum xemem_state state;
	uint32_t slot, gen, pid;
	uint64_t key, va, size;
	struct aspace *as;		/* referenced */
};

static spinlock_t xemem_lock = SPINLOCK_INIT;
static struct xemem_seg xemem_segs[XEMEM_MAX_SEGS];		/* under xemem_lock */
static struct xemem_attach xemem_atts[XEMEM_MAX_ATTACH];	/* under xemem_lock */

static struct process *xemem_caller(void)
{
	return task_current()->proc;
}

/* Give the pages of r[0..nr) back, each range as the largest aligned blocks it holds. */
static void xemem_free_ranges(const struct boot_range *r, uint32_t nr)
{
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t pa = r[i].base, end = r[i].base + r[i].size;

		while (pa < end) {
			uint64_t size = PAGE_SIZE;

			while (size < PAGE_SIZE_1G && IS_ALIGNED(pa, size * 2) &&
			       pa + size * 2 <= end)
				size *= 2;
			pmem_free(pa, (unsigned int)pmem_order_for(size));
			pa += size;
		}
	}
}

/*
 * size bytes of zeroed partition memory as few ranges as the allocator
 * allows (2 MiB blocks where it has them): the count, or -ENOMEM.
 */
static int xemem_alloc(uint64_t size, struct boot_range *r, uint32_t max)
{
	uint32_t nr = 0;

	while (size) {
		uint64_t chunk = PAGE_SIZE_2M;
		phys_addr_t pa;

		while (chunk > size)
			chunk /= 2;
		while (pmem_alloc((unsigned int)pmem_order_for(chunk), &pa)) {
			if (chunk == PAGE_SIZE)
				goto nomem;
			chunk /= 2;
		}
		memset(phys_to_virt(pa), 0, chunk);
		if (nr && r[nr - 1].base + r[nr - 1].size == pa) {
			r[nr - 1].size += chunk;
		} else if (nr == max) {
			pmem_free(pa, (unsigned int)pmem_order_for(chunk));
			goto nomem;
		} else {
			r[nr].base = pa;
			r[nr++].size = chunk;
		}
		size -= chunk;
	}
	return (int)nr;
nomem:
	xemem_free_ranges(r, nr);
	return -ENOMEM;
}

/* Map chunks into the caller somewhere free: 0 with *va, or -ENOMEM. */
static int xemem_map_anywhere(struct aspace *as, const struct boot_range *chunks, uint32_t nr,
			      uint64_t size, uint32_t prot, uint64_t *va)
{
	uint64_t align = size >= PAGE_SIZE_2M ? PAGE_SIZE_2M : PAGE_SIZE;

	/* Another thread may take the gap between the search and the map: look again. */
	for (int tries = 0; tries < 8; tries++) {
		int rc;

		if (aspace_find_free(as, size, align, va))
			return -ENOMEM;
		rc = aspace_map_foreign(as, *va, chunks, nr, prot);
		if (rc != -EEXIST)
			return rc;
	}
	return -ENOMEM;
}

static int xemem_tell_host(uint32_t job, const struct xemem_seg *s)
{
	size_t len = sizeof(struct cove_xemem_export) + (size_t)s->nr * 16;
	struct cove_xemem_export *x;
	struct host_call c = { .op = COVE_LC_XEMEM_EXPORT, .job = job };
	int64_t rc;

	if (len > host_call_payload_max())
		return -ENOMEM;
	x = kzalloc(len);
	if (!x)
		return -ENOMEM;
	x->key = s->key;
	x->size = s->size;
	x->flags = s->flags;
	x->nr_ranges = s->nr;
	for (uint32_t i = 0; i < s->nr; i++) {
		x->ranges[i].base = s->r[i].base;
		x->ranges[i].size = s->r[i].size;
	}
	c.in = x;
	c.in_len = (uint32_t)len;
	rc = host_call(&c);
	kfree(x);
	return (int)rc;
}

int64_t sys_cove_xemem_make(SYSCALL_ARGS)
{
	uint64_t key = a0, size = a1, va = 0;
	uint32_t flags = (uint32_t)a2;
	struct process *p = xemem_caller();
	struct xemem_seg *s = NULL;
	unsigned long irq;
	int rc;

	if (!host_present() || !p->host_job)
		return -ENODEV;		/* nobody to share with */
	if (!key || a2 & ~(uint64_t)COVE_XEMEM_FLAGS || !size || !IS_ALIGNED(size, PAGE_SIZE) ||
	    size > COVE_XEMEM_SIZE_MAX)
		return -EINVAL;
	irq = spin_lock_irqsave(&xemem_lock);
	for (uint32_t i = 0; i < XEMEM_MAX_SEGS; i++) {
		if (xemem_segs[i].state != XS_FREE && xemem_segs[i].key == key) {
			spin_unlock_irqrestore(&xemem_lock, irq);
			return -EEXIST;
		}
		if (!s && xemem_segs[i].state == XS_FREE)
			s = &xemem_segs[i];
	}
	if (s) {
		memset(s, 0, sizeof(*s));
		s->state = XS_BUSY;
		s->key = key;
	}
	spin_unlock_irqrestore(&xemem_lock, irq);
	if (!s)
		return -ENOSPC;
	s->size = size;
	s->flags = flags;
	s->pid = p->pid;
	s->r = kmalloc(sizeof(*s->r) * COVE_XEMEM_MAX_RANGES);
	rc = s->r ? xemem_alloc(size, s->r, COVE_XEMEM_MAX_RANGES) : -ENOMEM;
	if (rc < 0)
		goto out_slot;
	s->nr = (uint32_t)rc;
	rc = xemem_map_anywhere(p->as, s->r, s->nr, size, VM_READ | VM_WRITE, &va);
	if (rc)
		goto out_pages;
	s->va = va;
	s->as = p->as;
	aspace_get(s->as);
	rc = xemem_tell_host(p->host_job, s);
	if (rc) {
		aspace_unmap_foreign(s->as, va, size);
		aspace_put(s->as);
		goto out_pages;
	}
	__atomic_store_n(&s->state, XS_LIVE, __ATOMIC_RELEASE);
	return (int64_t)va;
out_pages:
	xemem_free_ranges(s->r, s->nr);
out_slot:
	kfree(s->r);
	__atomic_store_n(&s->state, XS_FREE, __ATOMIC_RELEASE);
	return rc;
}

/*
 * The host first: its answer means no host process maps the pages any
 * more. Only then do they leave the exporter and go back to the pool; a
 * host that cannot say so gets them never (they stay the segment's).
 */
static void xemem_seg_drop(struct xemem_seg *s)
{
	struct host_call c = { .op = COVE_LC_XEMEM_REMOVE, .arg = { s->key } };
	int64_t rc = host_call(&c);

	aspace_unmap_foreign(s->as, s->va, s->size);
	aspace_put(s->as);
	if (rc == 0 || rc == -ENOENT) {
		xemem_free_ranges(s->r, s->nr);
	} else {
		pr_err("xemem: the host did not let go of segment %#lx (%ld); its %lu KiB stay "
		       "out of use\n", s->key, rc, s->size >> 10);
	}
	kfree(s->r);
	__atomic_store_n(&s->state, XS_FREE, __ATOMIC_RELEASE);
}

int64_t sys_cove_xemem_remove(SYSCALL_ARGS)
{
	struct process *p = xemem_caller();
	struct xemem_seg *s = NULL;
	unsigned long irq;
	int rc = -ENOENT;

	irq = spin_lock_irqsave(&xemem_lock);
	for (uint32_t i = 0; i < XEMEM_MAX_SEGS && !s; i++) {
		if (xemem_segs[i].state != XS_LIVE || xemem_segs[i].key != a0)
			continue;
		if (xemem_segs[i].pid != p->pid) {
			rc = -EPERM;	/* only its exporter removes it */
			break;
		}
		s = &xemem_segs[i];
		s->state = XS_BUSY;
	}
	spin_unlock_irqrestore(&xemem_lock, irq);
	if (!s)
		return rc;
	xemem_seg_drop(s);
	return 0;
}

/*
 * The host's offer under key, as its page says now: copied once, then
 * checked (the host is trusted to be right, never to be careful). The slot,
 * or -ENOENT.
 */
static int xemem_find_offer(uint64_t key, struct boot_range *out, uint32_t *flags,
			    uint32_t *gen)
{
	const struct cove_host_page *hp = host_page_view();
	const struct boot_info *bi = kernel_get_boot_info();

	if (!hp || !key)
		return -ENOENT;
	for (uint32_t i = 0; i < COVE_XEMEM_GRANTS; i++) {
		uint64_t k = __atomic_load_n(&hp->xemem[i].key, __ATOMIC_ACQUIRE);

		if (k != key || !hp->xemem[i].size)
			continue;
		out->base = hp->xemem[i].base;
		out->size = hp->xemem[i].size;
		*flags = hp->xemem[i].flags;
		*gen = hp->xemem[i].gen;
		if (!range_is_whole_pages(out->base, out->size) ||
		    ranges_overlap(bi->mem, bi->nr_mem, out->base, out->size))
			return -EINVAL;
		return (int)i;
	}
	return -ENOENT;
}

static void xemem_attach_drop(struct xemem_attach *at);

/* Whether the host page still offers key in slot, as gen. */
static bool xemem_offer_still(int slot, uint64_t key, uint32_t gen)
{
	const struct cove_host_page *hp = host_page_view();

	return __atomic_load_n(&hp->xemem[slot].key, __ATOMIC_SEQ_CST) == key &&
	       hp->xemem[slot].gen == gen && hp->xemem[slot].size;
}

int64_t sys_cove_xemem_attach(SYSCALL_ARGS)
{
	struct process *p = xemem_caller();
	struct xemem_attach *at = NULL;
	struct boot_range seg;
	uint32_t flags, gen, prot = VM_READ;
	unsigned long irq;
	uint64_t va;
	int slot, rc;

	if (!host_present())
		return -ENODEV;
	if (a1 & ~(uint64_t)COVE_XEMEM_FLAGS)
		return -EINVAL;
	slot = xemem_find_offer(a0, &seg, &flags, &gen);
	if (slot < 0)
		return slot;
	if (a1 & COVE_XEMEM_WRITE) {
		if (!(flags & COVE_XEMEM_WRITE))
			return -EACCES;		/* the host offered it read-only */
		prot |= VM_WRITE;
	}
	if (a2 && !user_range_ok(a2, sizeof(uint64_t), true))
		return -EFAULT;
	irq = spin_lock_irqsave(&xemem_lock);
	for (uint32_t i = 0; i < XEMEM_MAX_ATTACH; i++) {
		struct xemem_attach *x = &xemem_atts[i];

		if (x->state != XS_FREE && x->pid == p->pid && x->key == a0) {
			spin_unlock_irqrestore(&xemem_lock, irq);
			return -EBUSY;	/* once per process */
		}
		if (!at && x->state == XS_FREE)
			at = x;
	}
	if (at) {
		memset(at, 0, sizeof(*at));
		at->state = XS_BUSY;
		at->pid = p->pid;
		at->key = a0;
	}
	spin_unlock_irqrestore(&xemem_lock, irq);
	if (!at)
		return -ENOSPC;
	/* The layer reads the slot itself and maps what the host wrote there, no more. */
	rc = vmm_xemem_map((uint32_t)slot, gen);
	if (rc) {
		pr_err("xemem: the protection layer refused host segment %#lx (%d)\n", a0, rc);
		goto out;
	}
	rc = xemem_map_anywhere(p->as, &seg, 1, seg.size, prot, &va);
	if (rc)
		goto out;
	at->slot = (uint32_t)slot;
	at->gen = gen;
	at->va = va;
	at->size = seg.size;
	at->as = p->as;
	aspace_get(at->as);
	__atomic_store_n(&at->state, XS_LIVE, __ATOMIC_SEQ_CST);
	/*
	 * The host may have withdrawn it while we mapped: it clears the slot
	 * before it tells us, and a revoke drops only live attachments. So
	 * either the revoke saw this one live, or we see the slot cleared now.
	 */
	if (!xemem_offer_still(slot, a0, gen)) {
		irq = spin_lock_irqsave(&xemem_lock);
		rc = at->state == XS_LIVE;
		if (rc)
			at->state = XS_BUSY;
		spin_unlock_irqrestore(&xemem_lock, irq);
		if (rc)
			xemem_attach_drop(at);
		return -ENOENT;
	}
	if (a2)
		copy_to_user(a2, &seg.size, sizeof(seg.size));
	return (int64_t)va;
out:
	__atomic_store_n(&at->state, XS_FREE, __ATOMIC_RELEASE);
	return rc;
}

static void xemem_attach_drop(struct xemem_attach *at)
{
	aspace_unmap_foreign(at->as, at->va, at->size);
	aspace_put(at->as);
	__atomic_store_n(&at->state, XS_FREE, __ATOMIC_RELEASE);
}

int64_t sys_cove_xemem_detach(SYSCALL_ARGS)
{
	struct process *p = xemem_caller();
	struct xemem_attach *at = NULL;
	unsigned long irq = spin_lock_irqsave(&xemem_lock);

	for (uint32_t i = 0; i < XEMEM_MAX_ATTACH && !at; i++) {
		if (xemem_atts[i].state == XS_LIVE && xemem_atts[i].pid == p->pid &&
		    xemem_atts[i].va == a0) {
			at = &xemem_atts[i];
			at->state = XS_BUSY;
		}
	}
	spin_unlock_irqrestore(&xemem_lock, irq);
	if (!at)
		return -EINVAL;		/* nothing attached there */
	xemem_attach_drop(at);
	return 0;
}

/* Take every live entry of pid (or of slot, for a revoke) out of the tables, one at a time. */
static struct xemem_seg *xemem_next_seg_of(uint32_t pid)
{
	unsigned long irq = spin_lock_irqsave(&xemem_lock);
	struct xemem_seg *s = NULL;

	for (uint32_t i = 0; i < XEMEM_MAX_SEGS && !s; i++) {
		if (xemem_segs[i].state == XS_LIVE && xemem_segs[i].pid == pid) {
			s = &xemem_segs[i];
			s->state = XS_BUSY;
		}
	}
	spin_unlock_irqrestore(&xemem_lock, irq);
	return s;
}

static struct xemem_attach *xemem_next_attach(bool by_pid, uint32_t pid, uint32_t slot)
{
	unsigned long irq = spin_lock_irqsave(&xemem_lock);
	struct xemem_attach *at = NULL;

	for (uint32_t i = 0; i < XEMEM_MAX_ATTACH && !at; i++) {
		struct xemem_attach *x = &xemem_atts[i];

		if (x->state == XS_LIVE && (by_pid ? x->pid == pid : x->slot == slot)) {
			at = x;
			at->state = XS_BUSY;
		}
	}
	spin_unlock_irqrestore(&xemem_lock, irq);
	return at;
}

void xemem_process_exit(struct process *p)
{
	struct xemem_attach *at;
	struct xemem_seg *s;

	while ((s = xemem_next_seg_of(p->pid)))
		xemem_seg_drop(s);
	while ((at = xemem_next_attach(true, p->pid, 0)))
		xemem_attach_drop(at);
}

int xemem_host_revoke(uint32_t slot, uint64_t key)
{
	struct xemem_attach *at;

	if (slot >= COVE_XEMEM_GRANTS)
		return -EINVAL;
	/* Later accesses are the processes' own faults (SIGSEGV), as after munmap. */
	while ((at = xemem_next_attach(false, 0, slot))) {
		pr_info("xemem: host segment %#lx withdrawn from pid %u\n", key, at->pid);
		xemem_attach_drop(at);
	}
	return vmm_xemem_unmap(slot);
}
