// SPDX-License-Identifier: GPL-2.0
/*
 * The job's memory in its host proxy (syscall offload, cove/offload.h in
 * the kernel tree): `cove run` maps /dev/cove over the window every job
 * address lies in, and each page it touches there is found by walking the
 * job's own page tables -- enclave memory, so every table and every page
 * is checked to be the enclave's before it is read or mapped. Nothing
 * outside the partition can ever appear in the proxy.
 *
 * The tables are Cove's to change: when Cove unmaps something the proxy
 * hears of it (a new map_gen) and drops what it mirrored. The one bit
 * the module writes there is a leaf's dirty bit, when the proxy first
 * writes a page (Cove's discard trusts it to know the page is no longer
 * zeros), and only with cmpxchg on the entry it just read. When the
 * enclave's memory goes back to Linux (destroy, remove), every mirror is
 * zapped first and faults after that get SIGBUS.
 */
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cove.h"
#include "cove_ptwalk.h"

#define PTE_ADDR 0x000ffffffffff000ULL
#define PTE_DIRTY (1ULL << 6)

struct cove_mirror {
	struct cove_enclave *e;		/* a reference, dropped on release */
	u32 job;
	u64 root;			/* page-table root the proxy last gave */
	u64 gen;
	struct address_space *mapping;	/* the file's: zapped as one */
	struct list_head node;		/* e->mirrors, under e->mirror_sem */
};

/* Whether [pa, pa + len) lies in one of e's memory ranges. */

/* One page-table entry: cove_ptwalk has checked the table is the enclave's. */
static int cove_mirror_read64(void *ctx, u64 pa, u64 *out)
{
	u64 *p;

	/* Offline blocks keep Linux's direct map (cove_mem.c): no new mapping is made. */
	p = memremap(pa, sizeof(*p), MEMREMAP_WB);
	if (!p)
		return -EFAULT;
	*out = READ_ONCE(*p);
	memunmap(p);
	return 0;
}

static int cove_mirror_translate(struct cove_enclave *e, u64 root, u64 va, u64 *pa,
				 struct cove_ptwalk_leaf *leaf)
{
	const struct cove_ptwalk_mem mem = {
		.ctx = e, .owns = cove_mem_owns_cb, .read64 = cove_mirror_read64,
	};

	return cove_ptwalk(&mem, root, va, pa, leaf);
}

/*
 * The page behind va, for a write: only one the job itself may write (a
 * host read() into its code or a read-only page fails with EFAULT, as on
 * Linux). Cove must know it no longer holds only zeros (madvise's discard
 * zeroes only dirty pages), so the leaf gets its dirty bit, set as the
 * CPU would: only if the entry is still what the walk read, in a table the
 * walk found to be the enclave's. 0, -EAGAIN when Cove changed the entry
 * meanwhile, or -EFAULT.
 */
static int cove_mirror_translate_write(struct cove_enclave *e, u64 root, u64 va, u64 *pa)
{
	struct cove_ptwalk_leaf leaf;
	u64 *entry, seen;

	if (cove_mirror_translate(e, root, va, pa, &leaf) || !leaf.writable)
		return -EFAULT;
	if (leaf.entry & PTE_DIRTY)
		return 0;
	entry = memremap(leaf.entry_pa, sizeof(*entry), MEMREMAP_WB);
	if (!entry)
		return -EFAULT;
	seen = cmpxchg64(entry, leaf.entry, leaf.entry | PTE_DIRTY);
	memunmap(entry);
	return seen == leaf.entry ? 0 : -EAGAIN;
}

static vm_fault_t cove_mirror_errno(int err)
{
	return err == -EAGAIN ? VM_FAULT_NOPAGE : VM_FAULT_SIGBUS;	/* NOPAGE: fault again */
}

/*
 * The page behind the faulting address, found under e->mirror_sem (held
 * by the caller until the page is mapped: a revoke waits for it), Cove's
 * dirty bit set first for a write. 0 with *pa, or the fault's answer.
 */
static vm_fault_t cove_mirror_page(struct cove_mirror *m, struct vm_fault *vmf, bool write,
				   u64 *pa)
{
	u64 root = READ_ONCE(m->root);
	int err;

	if (m->e->mirror_off || !root)
		return VM_FAULT_SIGBUS;
	if (write)
		err = cove_mirror_translate_write(m->e, root, vmf->address, pa);
	else
		err = cove_mirror_translate(m->e, root, vmf->address, pa, NULL);
	return err ? cove_mirror_errno(err) : 0;
}

/*
 * A page comes in read-only (vm_page_prot, see cove_mirror_mmap) unless
 * the fault is a write; a write to a read-only one comes to
 * cove_mirror_mkwrite. Either way Cove's dirty bit is set before the
 * proxy can write.
 */
static vm_fault_t cove_mirror_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct cove_mirror *m = vma->vm_file->private_data;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	vm_fault_t ret;
	u64 pa;

	if (!m || !m->e)
		return VM_FAULT_SIGBUS;
	down_read(&m->e->mirror_sem);
	ret = cove_mirror_page(m, vmf, write, &pa);
	if (!ret && write)
		ret = vmf_insert_pfn_prot(vma, vmf->address & PAGE_MASK, PHYS_PFN(pa),
					  vm_get_page_prot(vma->vm_flags));
	else if (!ret)
		ret = vmf_insert_pfn(vma, vmf->address & PAGE_MASK, PHYS_PFN(pa));
	up_read(&m->e->mirror_sem);
	return ret;
}

static vm_fault_t cove_mirror_mkwrite(struct vm_fault *vmf)
{
	struct cove_mirror *m = vmf->vma->vm_file->private_data;
	vm_fault_t ret;
	u64 pa;

	if (!m || !m->e)
		return VM_FAULT_SIGBUS;
	down_read(&m->e->mirror_sem);
	ret = cove_mirror_page(m, vmf, true, &pa);
	up_read(&m->e->mirror_sem);
	return ret;
}

static const struct vm_operations_struct cove_mirror_vm_ops = {
	.fault = cove_mirror_fault,
	.pfn_mkwrite = cove_mirror_mkwrite,
};

int cove_mirror_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct cove_mirror *m = file->private_data;

	if (!m)
		return -ENXIO;	/* COVE_IOC_MIRROR first: which enclave */
	if (cove_may_use(m->e, "mirror"))
		return -EPERM;
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_start < COVE_JOB_VA_START ||
	    vma->vm_end > COVE_JOB_VA_END)
		return -EINVAL;
	vma->vm_flags |= VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY;
	/* Read-only until written: the first write of a page reaches cove_mirror_mkwrite. */
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags & ~VM_SHARED);
	vma->vm_ops = &cove_mirror_vm_ops;
	return 0;
}

/* Drop every page the proxy of m mirrored (the tables changed under it). */
static void cove_mirror_forget(struct cove_mirror *m)
{
	unmap_mapping_range(m->mapping, 0, 0, 1);
}

/* e: the enclave req->id names, allowed to the caller by the ioctl front end. */
long cove_mirror_set(struct cove_enclave *e, struct file *file, struct cove_mirror_set *req)
{
	struct cove_mirror *m = file->private_data;

	if (!m) {
		if (!cove_job_launched_by(e, req->job, file))
			return -EPERM;	/* only the job's own launcher serves it */
		m = kzalloc(sizeof(*m), GFP_KERNEL);
		if (!m)
			return -ENOMEM;
		kref_get(&e->ref);	/* dropped with the mirror, when the file closes */
		m->e = e;
		m->job = req->job;
		m->mapping = file->f_mapping;
		down_write(&e->mirror_sem);
		list_add(&m->node, &e->mirrors);
		up_write(&e->mirror_sem);
		file->private_data = m;
	} else if (m->e != e || m->job != req->job) {
		return -EINVAL;	/* one job per open file */
	}
	/* 0: no tables yet (the proxy maps its window before the first call). */
	if (req->pt_root && (!cove_mem_owns(m->e, req->pt_root & PTE_ADDR, PAGE_SIZE) ||
			     (req->pt_root & ~PTE_ADDR))) {
		pr_err_ratelimited("cove %u: job %u gave a page-table root %#llx outside its "
				   "memory\n", m->e->id, m->job, req->pt_root);
		return -EINVAL;
	}
	if (m->root != req->pt_root || m->gen != req->map_gen) {
		WRITE_ONCE(m->root, req->pt_root);
		m->gen = req->map_gen;
		cove_mirror_forget(m);
	}
	return 0;
}

void cove_mirror_release(struct file *file)
{
	struct cove_mirror *m = file->private_data;

	if (!m)
		return;
	down_write(&m->e->mirror_sem);
	list_del(&m->node);
	up_write(&m->e->mirror_sem);
	cove_put(m->e);
	kfree(m);
	file->private_data = NULL;
}

/* Under e->mirror_sem (write): every proxy drops what it mirrored of e. */
void cove_mirror_forget_all(struct cove_enclave *e)
{
	struct cove_mirror *m;

	list_for_each_entry(m, &e->mirrors, node)
		cove_mirror_forget(m);
}

/* Before e's memory goes back to Linux: no proxy keeps or gets a page of it. */
void cove_mirror_revoke(struct cove_enclave *e)
{
	down_write(&e->mirror_sem);
	e->mirror_off = true;
	cove_mirror_forget_all(e);
	up_write(&e->mirror_sem);
}
