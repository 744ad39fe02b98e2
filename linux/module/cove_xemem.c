// SPDX-License-Identifier: GPL-2.0
/*
 * XEMEM: memory shared by key between host processes and an enclave's
 * processes, without copies (the XEMEM idea of Kitten and Hobbes).
 *
 * Exported segments (enclave -> host). An enclave process makes a segment
 * and Cove sends its physical ranges in a long call, which the module
 * serves itself (cove_xemem_lcall). The payload is the enclave's writing:
 * it is copied once and checked by cove_xemem_parse (every range inside the
 * partition, sizes bounded and consistent) before the module keeps its own
 * copy; nothing later is read from the enclave. A host process of the
 * exporting job's user (or root) attaches by key and gets a descriptor of
 * its own to mmap; its pages are filled on fault from the copy. When the
 * exporter removes the segment (or ends), Cove asks again
 * (COVE_LC_XEMEM_REMOVE): every host mapping is zapped before the answer,
 * so the pages are never reused while a host process maps them; later
 * faults get SIGBUS. Destroy zaps everything before the memory is Linux's.
 *
 * Offered segments (host -> enclave). A host process offers fresh pages
 * of Linux's; the module writes them into a slot of the host page, which
 * the enclave reads but cannot write, and the protection layer puts in the
 * nested tables only what a slot says, read-only unless offered writable.
 * One page past the segment is kept as a guard with a pattern: a write
 * there can only come from an enclave without the layer, and is logged.
 * Withdrawing (the offer's descriptor closed): the slot is cleared, Cove is
 * told (COVE_CTL_XEMEM_REVOKE), and the pages are freed only once the layer
 * says every core let go (xemem_live), or, unguarded, once Cove answered.
 * Pages Cove never let go of stay allocated until destroy has taken its
 * cores back.
 *
 * Locking: x->sem guards both lists and every attachment's seg pointer; it
 * nests inside e->lock (long calls are taken under it) and mmap_lock (the
 * fault handler), never around a control request.
 */
#include <linux/anon_inodes.h>
#include <linux/jiffies.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/io.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cove.h"
#include "cove_xemem_parse.h"

#define COVE_XEMEM_GUARD 0xa5a5a5a5a5a5a5a5ULL
#define COVE_XEMEM_REVOKE_MS 5000

/* An enclave segment as the host keeps it: its own checked copy. */
struct cove_xseg {
	struct list_head node;		/* x->segs */
	kuid_t uid;			/* the exporting job's user */
	u32 job;
	struct cove_xemem_desc d;
};

/* A host process's view of an exported segment: one descriptor. */
struct cove_xatt {
	struct list_head node;		/* x->atts */
	struct cove_enclave *e;		/* referenced */
	struct cove_xseg *seg;		/* NULL once revoked */
	u64 key;
	pid_t tgid;
	bool writable;
	struct address_space *mapping;	/* the descriptor's own inode: zapped alone */
};

/* Host pages offered to the enclave: one descriptor. */
struct cove_xoffer {
	struct list_head node;		/* x->offers, then x->zombies */
	struct cove_enclave *e;		/* referenced */
	u64 key, size;
	u32 flags, slot, gen;
	kuid_t uid;
	bool withdrawn;
	unsigned long nr;		/* pages, guard not counted */
	struct page **pages;		/* nr + 1: the last is the guard */
};

struct cove_xemem {
	struct rw_semaphore sem;
	struct list_head segs, atts, offers;
	struct list_head zombies;	/* offers Cove never let go of: freed at destroy */
	u32 next_gen;
	bool gone;			/* destroyed: nothing new */
};

int cove_xemem_init(struct cove_enclave *e)
{
	struct cove_xemem *x = kzalloc(sizeof(*x), GFP_KERNEL);

	BUILD_BUG_ON(sizeof(struct cove_host_page) > PAGE_SIZE);
	if (!x)
		return -ENOMEM;
	init_rwsem(&x->sem);
	INIT_LIST_HEAD(&x->segs);
	INIT_LIST_HEAD(&x->atts);
	INIT_LIST_HEAD(&x->offers);
	INIT_LIST_HEAD(&x->zombies);
	e->xemem = x;
	return 0;
}

static struct cove_xseg *cove_xseg_find(struct cove_xemem *x, u64 key)
{
	struct cove_xseg *s;

	list_for_each_entry(s, &x->segs, node)
		if (s->d.key == key)
			return s;
	return NULL;
}

/* Under x->sem (write): no host process keeps or gets a page of s. */
static void cove_xseg_revoke(struct cove_xemem *x, struct cove_xseg *s)
{
	struct cove_xatt *a;

	list_for_each_entry(a, &x->atts, node) {
		if (a->seg != s)
			continue;
		a->seg = NULL;
		if (a->mapping)
			unmap_mapping_range(a->mapping, 0, 0, 1);
	}
	list_del(&s->node);
}

static int cove_xemem_export(struct cove_enclave *e, const struct cove_msg *m, const void *payload)
{
	struct cove_xemem *x = e->xemem;
	struct cove_xseg *s;
	const char *why = "";
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	err = cove_xemem_parse(payload, m->len, cove_mem_owns_cb, e, &s->d, &why);
	if (err) {
		pr_err_ratelimited("cove %u: refused an XEMEM export: %s\n", e->id, why);
		kfree(s);
		return err;
	}
	if (!cove_job_uid(e, m->job, &s->uid)) {
		kfree(s);
		return -ESRCH;		/* no job of a host user to own it */
	}
	s->job = m->job;
	down_write(&x->sem);
	if (x->gone) {
		err = -EIO;
	} else if (cove_xseg_find(x, s->d.key)) {
		err = -EEXIST;
	} else {
		list_add_tail(&s->node, &x->segs);
		s = NULL;
	}
	up_write(&x->sem);
	kfree(s);
	return err;
}

static int cove_xemem_remove(struct cove_enclave *e, u64 key)
{
	struct cove_xemem *x = e->xemem;
	struct cove_xseg *s;

	down_write(&x->sem);
	s = cove_xseg_find(x, key);
	if (s)
		cove_xseg_revoke(x, s);
	up_write(&x->sem);
	kfree(s);
	return s ? 0 : -ENOENT;
}

/*
 * A long call the module serves itself: true if op is XEMEM's (answered
 * here), false for the job's proxy. Under e->lc_take (and maybe e->lock).
 */
bool cove_xemem_lcall(struct cove_enclave *e, u64 seq, const struct cove_msg *m)
{
	void *payload;
	int err;

	if (m->op != COVE_LC_XEMEM_EXPORT && m->op != COVE_LC_XEMEM_REMOVE)
		return false;
	if (m->op == COVE_LC_XEMEM_REMOVE) {
		err = cove_xemem_remove(e, m->arg[0]);
	} else {
		payload = kmalloc(m->len ? m->len : 1, GFP_KERNEL);
		err = payload ? cove_lc_payload(e, seq, payload, m->len) : -ENOMEM;
		if (!err)
			err = cove_xemem_export(e, m, payload);
		kfree(payload);
	}
	cove_lc_answer(e, seq, err, NULL, 0);
	return true;
}

/* ---- a host process's attachment of an exported segment ---- */

static vm_fault_t cove_xatt_fault(struct vm_fault *vmf)
{
	struct cove_xatt *a = vmf->vma->vm_file->private_data;
	struct cove_xemem *x = a->e->xemem;
	u64 off = (u64)vmf->pgoff << PAGE_SHIFT;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned int i;

	down_read(&x->sem);
	if (a->seg && off < a->seg->d.size) {
		for (i = 0; i < a->seg->d.nr; i++) {
			if (off < a->seg->d.r[i].size) {
				ret = vmf_insert_pfn(vmf->vma, vmf->address & PAGE_MASK,
						     PHYS_PFN(a->seg->d.r[i].base + off));
				break;
			}
			off -= a->seg->d.r[i].size;
		}
	}
	up_read(&x->sem);
	return ret;
}

static const struct vm_operations_struct cove_xatt_vm_ops = {
	.fault = cove_xatt_fault,
};

static int cove_xatt_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct cove_xatt *a = file->private_data;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!a->writable) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	/* The descriptor's own inode: what a revoke zaps. */
	down_write(&a->e->xemem->sem);
	a->mapping = file->f_mapping;
	up_write(&a->e->xemem->sem);
	vma->vm_flags |= VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY;
	vma->vm_ops = &cove_xatt_vm_ops;
	return 0;
}

static void cove_xatt_drop(struct cove_xatt *a)
{
	struct cove_enclave *e = a->e;

	down_write(&e->xemem->sem);
	list_del(&a->node);
	up_write(&e->xemem->sem);
	kfree(a);
	cove_put(e);
}

static int cove_xatt_release(struct inode *inode, struct file *file)
{
	cove_xatt_drop(file->private_data);
	return 0;
}

static const struct file_operations cove_xatt_fops = {
	.owner = THIS_MODULE,
	.mmap = cove_xatt_mmap,
	.release = cove_xatt_release,
	.llseek = noop_llseek,
};

int cove_xemem_attach(struct cove_enclave *e, struct cove_xemem_attach *req)
{
	struct cove_xemem *x = e->xemem;
	struct cove_xatt *a, *it;
	struct cove_xseg *s;
	int fd, err = 0;

	if (req->flags & ~COVE_XEMEM_WRITE) {
		pr_err_ratelimited("cove %u: xemem attach: unknown flags %#x\n", e->id, req->flags);
		return -EINVAL;
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	down_write(&x->sem);
	s = x->gone ? NULL : cove_xseg_find(x, req->key);
	if (!s) {
		pr_err_ratelimited("cove %u: xemem: no segment %#llx exported\n", e->id, req->key);
		err = -ENOENT;
	} else if (!uid_eq(current_fsuid(), s->uid) && !cove_is_admin()) {
		pr_err_ratelimited("cove %u: xemem: segment %#llx belongs to uid %u, not to you\n",
				   e->id, req->key, from_kuid_munged(current_user_ns(), s->uid));
		err = -EACCES;
	} else if ((req->flags & COVE_XEMEM_WRITE) && !(s->d.flags & COVE_XEMEM_WRITE)) {
		pr_err_ratelimited("cove %u: xemem: segment %#llx is exported read-only\n", e->id,
				   req->key);
		err = -EACCES;
	} else {
		list_for_each_entry(it, &x->atts, node) {
			if (it->seg != s || it->tgid != current->tgid)
				continue;
			pr_err_ratelimited("cove %u: xemem: segment %#llx is attached by this "
					   "process already\n", e->id, req->key);
			err = -EBUSY;
		}
	}
	if (!err) {
		kref_get(&e->ref);	/* dropped when the descriptor closes */
		a->e = e;
		a->seg = s;
		a->key = s->d.key;
		a->tgid = current->tgid;
		a->writable = req->flags & COVE_XEMEM_WRITE;
		list_add_tail(&a->node, &x->atts);
		req->size = s->d.size;
		req->seg_flags = s->d.flags;
	}
	up_write(&x->sem);
	if (err) {
		kfree(a);
		return err;
	}
	/* A new inode each, so a revoke zaps this descriptor's mappings and no others. */
	fd = anon_inode_getfd_secure("[cove-xemem]", &cove_xatt_fops, a, O_RDWR | O_CLOEXEC,
				     NULL);
	if (fd < 0) {
		cove_xatt_drop(a);
		return fd;
	}
	req->fd = fd;
	return 0;
}

/* ---- host pages offered to the enclave ---- */

static void cove_xoffer_free_pages(struct cove_xoffer *o)
{
	const u64 *guard;
	unsigned long i;
	bool hit = false;

	if (!o->pages)
		return;
	guard = page_address(o->pages[o->nr]);
	for (i = 0; i < PAGE_SIZE / sizeof(*guard); i++)
		hit |= guard[i] != COVE_XEMEM_GUARD;
	if (hit)
		pr_err("cove %u: xemem: the page past host segment %#llx was written; only an "
		       "enclave without protection can do that\n", o->e->id, o->key);
	/* A host process may still map some: its references keep those. */
	for (i = 0; i <= o->nr; i++)
		__free_page(o->pages[i]);
	kfree(o->pages);
	o->pages = NULL;
}

/* Out of the host page: no new attach can find it; Cove still may map it. */
static void cove_xoffer_clear_slot(struct cove_enclave *e, struct cove_xoffer *o)
{
	struct cove_host_page *h = e->host;

	if (!h)
		return;
	WRITE_ONCE(h->xemem[o->slot].key, 0);
	wmb();
	WRITE_ONCE(h->xemem[o->slot].size, 0);
	h->xemem[o->slot].base = 0;
	wmb();
}

/* Whether the layer still maps o's slot; the host page goes with destroy (x->gone). */
static bool cove_xoffer_live(struct cove_xoffer *o)
{
	struct cove_xemem *x = o->e->xemem;
	bool live;

	down_read(&x->sem);
	live = !x->gone && READ_ONCE(o->e->host->xemem_live[o->slot]);
	up_read(&x->sem);
	return live;
}

/*
 * Take the offer away from Cove and free its pages, if that can be known
 * to be safe: guarded, once the layer says no core maps the slot;
 * unguarded, once Cove answered that it unmapped it. Else keep them (zombie)
 * for destroy, which frees them after it took every core back.
 */
static void cove_xoffer_withdraw(struct cove_xoffer *o)
{
	struct cove_enclave *e = o->e;
	struct cove_xemem *x = e->xemem;
	u64 args[2] = { o->slot, o->key };
	unsigned long deadline;
	bool guarded, safe = false;
	int ret;

	down_write(&x->sem);
	if (o->withdrawn || x->gone) {
		/* Destroy withdrew it: its cores are back, the pages went with it. */
		list_del(&o->node);
		up_write(&x->sem);
		cove_put(e);
		kfree(o);
		return;
	}
	o->withdrawn = true;
	cove_xoffer_clear_slot(e, o);
	guarded = READ_ONCE(e->host->guarded);
	up_write(&x->sem);

	/* Not under x->sem: destroy takes ctl_lock and then the sem. */
	ret = cove_ctl_send(e, COVE_CTL_XEMEM_REVOKE, args, 2, NULL, 0, COVE_LAUNCH_TIMEOUT_MS);
	if (guarded) {
		deadline = jiffies + msecs_to_jiffies(COVE_XEMEM_REVOKE_MS);
		while (cove_xoffer_live(o) && time_before(jiffies, deadline) &&
		       READ_ONCE(e->state) == COVE_ENCLAVE_READY)
			usleep_range(500, 2000);
		/* A failed guarded enclave's cores are stopped by the layer: nothing runs. */
		safe = !cove_xoffer_live(o) || READ_ONCE(e->state) == COVE_ENCLAVE_FAILED;
	} else {
		safe = ret == 0;
	}

	down_write(&x->sem);
	if (x->gone) {
		list_del(&o->node);	/* destroy freed the pages meanwhile */
	} else if (safe) {
		list_del(&o->node);
		cove_xoffer_free_pages(o);
	} else {
		pr_err("cove %u: xemem: the enclave did not let go of host segment %#llx (%d); "
		       "its pages stay allocated until the enclave is destroyed\n", e->id, o->key,
		       ret);
		list_move_tail(&o->node, &x->zombies);
		o = NULL;	/* destroy frees it whole */
	}
	up_write(&x->sem);
	if (o) {
		cove_put(e);
		kfree(o);
	}
}

static int cove_xoffer_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct cove_xoffer *o = file->private_data;
	unsigned long i, n = vma_pages(vma);
	int err = 0;

	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff > o->nr || n > o->nr - vma->vm_pgoff)
		return -EINVAL;
	down_read(&o->e->xemem->sem);
	if (!o->pages || o->withdrawn)
		err = -ENXIO;
	for (i = 0; !err && i < n; i++)
		err = vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE,
				     o->pages[vma->vm_pgoff + i]);
	up_read(&o->e->xemem->sem);
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTCOPY;
	return err;
}

static int cove_xoffer_release(struct inode *inode, struct file *file)
{
	struct cove_xoffer *o = file->private_data;

	if (o)
		cove_xoffer_withdraw(o);
	return 0;
}

static const struct file_operations cove_xoffer_fops = {
	.owner = THIS_MODULE,
	.mmap = cove_xoffer_mmap,
	.release = cove_xoffer_release,
	.llseek = noop_llseek,
};

/* A free slot of the host page: no offer of ours in it, none the layer still maps. */
static int cove_xoffer_slot(struct cove_enclave *e)
{
	struct cove_xemem *x = e->xemem;
	struct cove_xoffer *o;
	unsigned long used = 0;
	int i;

	list_for_each_entry(o, &x->offers, node)
		used |= BIT(o->slot);
	list_for_each_entry(o, &x->zombies, node)
		used |= BIT(o->slot);
	for (i = 0; i < COVE_XEMEM_GRANTS; i++)
		if (!(used & BIT(i)) && !READ_ONCE(e->host->xemem_live[i]))
			return i;
	return -ENOSPC;
}

static int cove_xoffer_alloc(struct cove_xoffer *o)
{
	unsigned int order = get_order((o->nr + 1) << PAGE_SHIFT);
	struct page *p;
	unsigned long i;
	u64 *guard;

	o->pages = kcalloc(o->nr + 1, sizeof(*o->pages), GFP_KERNEL);
	if (!o->pages)
		return -ENOMEM;
	/* One contiguous block: a slot of the host page names one range. */
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	if (!p) {
		kfree(o->pages);
		o->pages = NULL;
		return -ENOMEM;
	}
	split_page(p, order);
	for (i = 0; i < (1UL << order); i++) {
		if (i <= o->nr)
			o->pages[i] = p + i;
		else
			__free_page(p + i);
	}
	guard = page_address(o->pages[o->nr]);
	for (i = 0; i < PAGE_SIZE / sizeof(*guard); i++)
		guard[i] = COVE_XEMEM_GUARD;
	return 0;
}

int cove_xemem_offer(struct cove_enclave *e, struct cove_xemem_offer *req)
{
	struct cove_xemem *x = e->xemem;
	struct cove_host_page *h;
	struct cove_xoffer *o, *it;
	struct file *f;
	int fd, slot, err = 0;

	if (!req->key || req->flags & ~COVE_XEMEM_WRITE || !req->size ||
	    req->size % PAGE_SIZE || req->size > COVE_XEMEM_OFFER_MAX) {
		pr_err_ratelimited("cove %u: xemem offer: key %#llx, %llu bytes, flags %#x: need a "
				   "key, whole pages up to %lu bytes, known flags\n", e->id,
				   req->key, req->size, req->flags, COVE_XEMEM_OFFER_MAX);
		return -EINVAL;
	}
	if (READ_ONCE(e->state) != COVE_ENCLAVE_READY)
		return -EIO;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->key = req->key;
	o->size = req->size;
	o->flags = req->flags;
	o->nr = req->size >> PAGE_SHIFT;
	o->uid = current_fsuid();
	err = cove_xoffer_alloc(o);
	if (err) {
		kfree(o);
		return err;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto out_pages;
	}
	f = anon_inode_getfile("[cove-xemem-offer]", &cove_xoffer_fops, NULL, O_RDWR);
	if (IS_ERR(f)) {
		err = PTR_ERR(f);
		goto out_fd;
	}
	down_write(&x->sem);
	slot = x->gone ? -EIO : cove_xoffer_slot(e);
	list_for_each_entry(it, &x->offers, node)
		if (it->key == req->key)
			slot = -EEXIST;
	if (slot < 0) {
		up_write(&x->sem);
		err = slot;
		pr_err_ratelimited("cove %u: xemem offer %#llx: %s\n", e->id, req->key,
				   err == -EEXIST ? "the key is offered already" :
				   err == -ENOSPC ? "every slot is taken" : "the enclave is going");
		fput(f);
		goto out_fd;
	}
	kref_get(&e->ref);	/* dropped once withdrawn */
	o->e = e;
	o->slot = slot;
	o->gen = ++x->next_gen ? x->next_gen : ++x->next_gen;
	h = e->host;
	h->xemem[slot].base = page_to_phys(o->pages[0]);
	h->xemem[slot].size = o->size;
	h->xemem[slot].flags = o->flags;
	h->xemem[slot].gen = o->gen;
	wmb();
	WRITE_ONCE(h->xemem[slot].key, o->key);	/* last: the slot is whole when found */
	list_add_tail(&o->node, &x->offers);
	f->private_data = o;
	up_write(&x->sem);
	req->phys = cove_is_admin() ? page_to_phys(o->pages[0]) : 0;
	req->fd = fd;
	fd_install(fd, f);
	return 0;
out_fd:
	put_unused_fd(fd);
out_pages:
	cove_xoffer_free_pages(o);
	kfree(o);
	return err;
}

int cove_xemem_list(struct cove_enclave *e, struct cove_xemem_list *req)
{
	struct cove_xemem *x = e->xemem;
	struct cove_xemem_info *out;
	struct cove_xoffer *o;
	struct cove_xseg *s;
	u32 n = 0, room = min_t(u32, req->nr, 2 * 64);
	int err = 0;

	out = kcalloc(room ? room : 1, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	down_read(&x->sem);
	list_for_each_entry(s, &x->segs, node) {
		if (n < room) {
			out[n].key = s->d.key;
			out[n].size = s->d.size;
			out[n].flags = s->d.flags;
			out[n].uid = from_kuid_munged(current_user_ns(), s->uid);
			out[n].job = s->job;
			out[n].dir = COVE_XEMEM_EXPORTED;
		}
		n++;
	}
	list_for_each_entry(o, &x->offers, node) {
		if (n < room) {
			out[n].key = o->key;
			out[n].size = o->size;
			out[n].flags = o->flags;
			out[n].uid = from_kuid_munged(current_user_ns(), o->uid);
			out[n].dir = COVE_XEMEM_OFFERED;
		}
		n++;
	}
	up_read(&x->sem);
	if (copy_to_user(u64_to_user_ptr(req->buf_ptr), out, sizeof(*out) * min(n, room)))
		err = -EFAULT;
	req->nr = n;
	kfree(out);
	return err;
}

/*
 * Destroy, once every core of e is stopped and before its memory is
 * Linux's: no host process keeps a page of the partition, and host pages
 * Cove held are freed (host processes keep what they still map).
 */
void cove_xemem_destroy(struct cove_enclave *e)
{
	struct cove_xemem *x = e->xemem;
	struct cove_xoffer *o, *on;
	struct cove_xseg *s, *sn;
	LIST_HEAD(dead);

	if (!x)
		return;
	down_write(&x->sem);
	x->gone = true;
	list_for_each_entry_safe(s, sn, &x->segs, node) {
		cove_xseg_revoke(x, s);
		kfree(s);
	}
	/* Live offers stay listed until their descriptors close (withdraw frees them). */
	list_for_each_entry(o, &x->offers, node) {
		o->withdrawn = true;
		cove_xoffer_clear_slot(e, o);
		cove_xoffer_free_pages(o);
	}
	list_splice_init(&x->zombies, &dead);
	list_for_each_entry(o, &dead, node)
		cove_xoffer_free_pages(o);
	up_write(&x->sem);
	/* Each held e: our caller's reference keeps it alive through these. */
	list_for_each_entry_safe(o, on, &dead, node) {
		list_del(&o->node);
		cove_put(o->e);
		kfree(o);
	}
}

void cove_xemem_free(struct cove_enclave *e)
{
	kfree(e->xemem);
	e->xemem = NULL;
}
