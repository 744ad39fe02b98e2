// SPDX-License-Identifier: GPL-2.0
/*
 * An enclave's life: create (cores and memory taken from Linux, image
 * loaded, cores started), grow (add), shrink (remove), destroy (everything
 * given back). All of these run under cove_lifecycle, one at a time --
 * except the wait for a new enclave to boot, which can take seconds: by
 * then the enclave is published and owns its resources, so other commands
 * go on, and a destroy of the booting enclave waits for its boot to end.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "cove.h"

#define COVE_DEFAULT_BOOT_MS 30000
#define COVE_ADD_TIMEOUT_MS 10000

static struct cove_enclave *cove_alloc(void)
{
	struct cove_enclave *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	kref_init(&e->ref);
	mutex_init(&e->lock);
	mutex_init(&e->ctl_lock);
	mutex_init(&e->lc_take);
	spin_lock_init(&e->lc_lock);
	spin_lock_init(&e->owner_lock);
	e->owner.uid = INVALID_UID;
	e->owner.gid = INVALID_GID;
	INIT_LIST_HEAD(&e->jobs);
	init_rwsem(&e->mirror_sem);
	INIT_LIST_HEAD(&e->mirrors);
	init_waitqueue_head(&e->state_wq);
	init_completion(&e->booted);
	if (cove_xemem_init(e)) {
		kfree(e);
		return NULL;
	}
	return e;
}

void cove_enclave_release(struct kref *ref)
{
	struct cove_enclave *e = container_of(ref, struct cove_enclave, ref);

	cove_jobs_free(e);
	cove_xemem_free(e);
	kvfree(e->img);
	kvfree(e->initrd);
	kfree(e);
}

/*
 * Give back whatever e holds: cores stopped (if they ever ran Cove) and
 * onlined, memory scrubbed and onlined, host page and tables freed.
 */
static void cove_release_resources(struct cove_enclave *e, bool started)
{
	unsigned int i;

	cove_mirror_revoke(e);	/* before a page of it is Linux's again */
	if (started)
		cove_init_cpus(e->apic_ids, e->nr_cpus);
	cove_xemem_destroy(e);	/* cores stopped, memory not yet Linux's */
	if (e->map) {
		memset(e->map, 0, e->mem[0].size);
		memunmap(e->map);
		e->map = NULL;
		e->bp = NULL;
		e->ring = NULL;
		e->ctl.hdr = NULL;
		e->lc.hdr = NULL;
	}
	for (i = 0; i < e->nr_mem; i++) {
		if (i)
			cove_mem_scrub(e->mem[i].base, e->mem[i].size);
		cove_mem_give_back(e->mem[i].base, e->mem[i].size);
	}
	e->nr_mem = 0;
	cove_cpus_online(e->cpus, e->nr_cpus);
	e->nr_cpus = 0;
	if (e->host_pg)
		__free_page(e->host_pg);
	e->host_pg = NULL;
	e->host = NULL;
	cove_tables_free(e);
}

static int cove_check_args(const struct cove_create *req)
{
	u64 bs = memory_block_size_bytes();

	if (req->protect > COVE_PROTECT_REQUIRE) {
		pr_err("cove: unknown protect mode %u\n", req->protect);
		return -EINVAL;
	}
	if (strnlen(req->cmdline, sizeof(req->cmdline)) == sizeof(req->cmdline)) {
		pr_err("cove: command line not terminated\n");
		return -EINVAL;
	}
	if (!req->mem_size || req->mem_size % bs) {
		pr_err("cove: memory size %#llx is not a non-zero multiple of the %llu MiB block\n",
		       req->mem_size, bs >> 20);
		return -EINVAL;
	}
	if (req->mem_base % bs) {
		pr_err("cove: memory base %#llx is not block-aligned\n", req->mem_base);
		return -EINVAL;
	}
	if (!req->image_ptr || !req->image_size || req->image_size > COVE_IMAGE_MAX) {
		pr_err("cove: image of %llu bytes (1..%lu)\n", req->image_size, COVE_IMAGE_MAX);
		return -EINVAL;
	}
	if (req->initrd_size > COVE_INITRD_MAX || !req->initrd_ptr != !req->initrd_size) {
		pr_err("cove: initrd of %llu bytes at %#llx\n", req->initrd_size, req->initrd_ptr);
		return -EINVAL;
	}
	return 0;
}

/* Wait for Cove to say READY; the cores are running it already. */
static int cove_wait_ready(struct cove_enclave *e, unsigned long deadline)
{
	u32 st;

	for (;;) {
		st = READ_ONCE(e->bp->tail.state);
		if (st == COVE_STATE_READY)
			return 0;
		if (READ_ONCE(e->host->fault_seq))
			return -EIO;
		if (st >= COVE_STATE_STOPPED)
			return -EIO;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		if (fatal_signal_pending(current))
			return -EINTR;
		usleep_range(1000, 2000);
	}
}

/* Boot failed: keep the enclave (FAILED) so status and console show why. */
static void cove_boot_failed(struct cove_enclave *e, int err, unsigned int ms)
{
	u32 st = READ_ONCE(e->bp->tail.state);

	if (READ_ONCE(e->host->fault_seq)) {
		memcpy(e->report, e->host->fault_report, sizeof(e->report));
		e->report[sizeof(e->report) - 1] = '\0';
		e->fault_seen = READ_ONCE(e->host->fault_seq);
	} else if (err == -ETIMEDOUT) {
		snprintf(e->report, sizeof(e->report),
			 "boot timeout: Cove reached state %u of %u within %u ms", st,
			 COVE_STATE_READY, ms);
	} else if (st == COVE_STATE_PANIC) {
		e->exit_status = READ_ONCE(e->bp->tail.exit_status);
		snprintf(e->report, sizeof(e->report), "Cove panicked while booting");
	} else {
		snprintf(e->report, sizeof(e->report), "boot failed (%d, state %u)", err, st);
	}
	pr_err("cove %u: %s; the end of its console:\n", e->id, e->report);
	cove_console_tail(e, 2048);
	cove_fail(e, NULL);
}

/*
 * Under cove_lifecycle, which it drops once the enclave is published (or
 * on failure). Takes img and initrd (kvmalloc'ed copies): the enclave keeps
 * them for a restart. want_id: the id to take again (restart), or 0.
 * owner: who may use it besides root, from the first moment it is visible.
 */
static long cove_create_locked(struct cove_create *req, void *img, void *initrd, u32 want_id,
			       const struct cove_owner_ids *owner)
{
	unsigned int timeout = req->boot_timeout_ms ? req->boot_timeout_ms : COVE_DEFAULT_BOOT_MS;
	struct cove_layout lay = {};
	struct cove_enclave *e;
	unsigned long deadline;
	unsigned int i;
	u64 base;
	int err;

	req->id = 0;
	e = cove_alloc();
	if (!e) {
		err = -ENOMEM;
		goto out_unlock;
	}
	e->img = img;
	e->initrd = initrd;
	img = initrd = NULL;
	e->req = *req;
	e->owner = *owner;	/* not yet published: no reader */
	err = cove_cpus_from_mask(req->cpus, e->cpus, &e->nr_cpus);
	if (err)
		goto out_unlock;
	if (!e->nr_cpus) {
		pr_err("cove: no cores given\n");
		err = -EINVAL;
		goto out_unlock;
	}
	if (req->mem_base) {
		err = cove_mem_check(req->mem_base, req->mem_size);
		if (err)
			goto out_unlock;
	}
	err = cove_image_check(e->img, req->image_size, &lay);
	if (err)
		goto out_unlock;
	err = cove_layout(&lay, req->mem_size, req->initrd_size);
	if (err)
		goto out_unlock;
	if (req->mem_base % lay.align) {
		pr_err("cove: memory base %#llx is not aligned to the image's %#llx\n",
		       req->mem_base, lay.align);
		err = -EINVAL;
		goto out_unlock;
	}
	err = cove_reserve_id(e, want_id);
	if (err)
		goto out_unlock;
	e->lay = lay;
	for (i = 0; i < e->nr_cpus; i++)
		e->apic_ids[i] = cove_apic_id(e->cpus[i]);

	/* From here on, things change hands. */
	e->create_start_ns = ktime_get_ns();
	err = cove_cpus_offline(e->id, e->cpus, e->nr_cpus);
	if (err) {
		e->nr_cpus = 0;
		goto out_release;
	}
	base = req->mem_base;
	err = cove_mem_take(e->id, &base, req->mem_size, lay.align);
	if (err)
		goto out_release;
	e->mem[0].base = base;
	e->mem[0].size = req->mem_size;
	e->nr_mem = 1;
	e->map = memremap(base, req->mem_size, MEMREMAP_WB);
	if (!e->map) {
		pr_err("cove: could not map the partition %#llx+%#llx\n", base, req->mem_size);
		err = -ENOMEM;
		goto out_release;
	}
	cove_image_load(e, e->img, req->image_size);
	if (req->initrd_size)
		memcpy(e->map + lay.initrd_off, e->initrd, req->initrd_size);
	e->host_pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!e->host_pg) {
		err = -ENOMEM;
		goto out_release;
	}
	e->host = page_address(e->host_pg);
	err = cove_tables_build(e);
	if (err)
		goto out_release;
	err = cove_block_fill(e, req);
	if (err)
		goto out_release;
	cove_host_page_sync(e);
	e->state = COVE_ENCLAVE_BOOTING;
	err = cove_poll_start(e);
	if (err)
		goto out_release;
	err = cove_publish(e);
	if (err) {
		cove_poll_stop(e);
		goto out_release;
	}
	pr_info("cove %u: %u cores from CPU %u, %llu MiB at %#llx, booting\n", e->id,
		e->nr_cpus, e->cpus[0], e->mem[0].size >> 20, base);

	/* Published: from here a failure keeps the enclave for inspection. */
	req->id = e->id;
	mutex_unlock(&cove_lifecycle);
	deadline = jiffies + msecs_to_jiffies(timeout);
	err = cove_start_cpus(e, 0, e->nr_cpus, timeout);
	if (!err)
		err = cove_wait_ready(e, deadline);
	if (err) {
		cove_boot_failed(e, err, timeout);
		if (err != -EINTR)
			err = err == -ETIMEDOUT ? -ETIMEDOUT : -EIO;
	} else {
		e->create_ns = ktime_get_ns() - e->create_start_ns;
		WRITE_ONCE(e->state, COVE_ENCLAVE_READY);
		pr_info("cove %u: ready in %llu ms\n", e->id, e->create_ns / NSEC_PER_MSEC);
	}
	complete_all(&e->booted);
	cove_put(e);		/* the table holds it now */
	return err;

out_release:
	cove_release_resources(e, false);
	cove_unreserve_id(e);
out_unlock:
	mutex_unlock(&cove_lifecycle);
	kvfree(img);
	kvfree(initrd);
	if (e)
		cove_put(e);
	return err;
}

/* A user-space copy in a kvmalloc'ed buffer, or an ERR_PTR. */
static void *cove_copy_in(u64 uptr, u64 size)
{
	void *buf = kvmalloc(size, GFP_KERNEL);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, u64_to_user_ptr(uptr), size)) {
		kvfree(buf);
		return ERR_PTR(-EFAULT);
	}
	return buf;
}

long cove_create(struct cove_create *req)
{
	struct cove_owner_ids owner;
	void *img, *initrd = NULL;
	int err;

	req->id = 0;
	err = cove_check_args(req);
	if (err)
		return err;
	err = cove_owner_from_user(&req->owner, &owner);
	if (err)
		return err;
	img = cove_copy_in(req->image_ptr, req->image_size);
	if (IS_ERR(img))
		return PTR_ERR(img);
	if (req->initrd_size) {
		initrd = cove_copy_in(req->initrd_ptr, req->initrd_size);
		if (IS_ERR(initrd)) {
			kvfree(img);
			return PTR_ERR(initrd);
		}
	}
	mutex_lock(&cove_lifecycle);
	return cove_create_locked(req, img, initrd, 0, &owner);
}

/* Under cove_lifecycle. */
static void cove_destroy_locked(struct cove_enclave *e)
{
	int err;

	wait_for_completion(&e->booted);	/* its creator is done with it */
	if (READ_ONCE(e->state) == COVE_ENCLAVE_READY) {
		err = cove_ctl_send(e, COVE_CTL_SHUTDOWN, NULL, 0, NULL, 0,
				    COVE_SHUTDOWN_TIMEOUT_MS);
		if (err)
			pr_info("cove %u: no clean shutdown (%d); stopping its cores\n", e->id, err);
	}
	cove_poll_stop(e);
	cove_unpublish(e);
	/* Senders waiting for an answer see FAILED and leave ctl_lock first. */
	cove_fail(e, NULL);
	mutex_lock(&e->ctl_lock);
	mutex_lock(&e->lock);
	e->dead = true;
	cove_release_resources(e, true);
	mutex_unlock(&e->lock);
	mutex_unlock(&e->ctl_lock);
	pr_info("cove %u: destroyed; cores and memory are Linux's again\n", e->id);
}

int cove_destroy(u32 id)
{
	struct cove_enclave *e;

	mutex_lock(&cove_lifecycle);
	e = cove_get_asked(id);
	if (!e) {
		mutex_unlock(&cove_lifecycle);
		return -ENOENT;
	}
	cove_destroy_locked(e);
	mutex_unlock(&cove_lifecycle);
	cove_put(e);
	return 0;
}

/*
 * Destroy and create again, as one step no other create can come between:
 * the same cores (added ones included), the boot memory range at the same
 * address, the same image, initrd and options, the same id and owner.
 * Memory added later is given back, not taken again. Works on a failed or
 * hung enclave.
 */
int cove_restart(u32 id)
{
	struct cove_owner_ids owner;
	struct cove_create req;
	struct cove_enclave *e;
	void *img, *initrd;
	unsigned int i;

	mutex_lock(&cove_lifecycle);
	e = cove_get_asked(id);
	if (!e) {
		mutex_unlock(&cove_lifecycle);
		return -ENOENT;
	}
	wait_for_completion(&e->booted);
	req = e->req;
	req.mem_base = e->mem[0].base;
	memset(req.cpus, 0, sizeof(req.cpus));
	for (i = 0; i < e->nr_cpus; i++)
		req.cpus[e->cpus[i] / 64] |= BIT_ULL(e->cpus[i] % 64);
	img = e->img;
	initrd = e->initrd;
	e->img = e->initrd = NULL;
	cove_owner_get(e, &owner);	/* as chown left it, not as created */
	cove_destroy_locked(e);
	cove_put(e);
	pr_info("cove %u: restarting on the same cores and memory\n", id);
	return cove_create_locked(&req, img, initrd, id, &owner);
}

static int cove_add_cpus(struct cove_enclave *e, const __u64 *mask)
{
	unsigned int cpus[COVE_MAX_ENCLAVE_CPUS], nr, first = e->nr_cpus, i;
	struct cove_boot_tail *t = &e->bp->tail;
	u64 apic;
	int err;

	err = cove_cpus_from_mask(mask, cpus, &nr);
	if (err || !nr)
		return err;
	if (first + nr > COVE_MAX_ENCLAVE_CPUS) {
		pr_err("cove %u: more than %d cores\n", e->id, COVE_MAX_ENCLAVE_CPUS);
		return -EINVAL;
	}
	err = cove_cpus_offline(e->id, cpus, nr);
	if (err)
		return err;
	mutex_lock(&e->lock);
	for (i = 0; i < nr; i++) {
		e->cpus[first + i] = cpus[i];
		e->apic_ids[first + i] = cove_apic_id(cpus[i]);
		memset(&t->cpus[first + i], 0, sizeof(t->cpus[0]));
		t->cpus[first + i].apic_id = e->apic_ids[first + i];
		t->cpus[first + i].host_cpu = cpus[i];
	}
	wmb();
	e->nr_cpus = first + nr;
	WRITE_ONCE(t->nr_cpus, e->nr_cpus);
	cove_host_page_sync(e);
	mutex_unlock(&e->lock);

	err = cove_start_cpus(e, first, nr, COVE_ADD_TIMEOUT_MS);
	for (i = 0; !err && i < nr; i++) {
		apic = e->apic_ids[first + i];
		err = cove_ctl_send(e, COVE_CTL_ADD_CPU, &apic, 1, NULL, 0, COVE_ADD_TIMEOUT_MS);
		if (err)
			pr_err("cove %u: Cove refused CPU %u (%d)\n", e->id, cpus[i], err);
	}
	if (!err)
		return 0;

	/* Take back the cores Cove did not accept (i - 1 and on). */
	first += i ? i - 1 : 0;
	mutex_lock(&e->lock);
	nr = e->nr_cpus - first;
	e->nr_cpus = first;
	WRITE_ONCE(t->nr_cpus, first);
	cove_host_page_sync(e);
	mutex_unlock(&e->lock);
	for (i = 0; i < nr; i++)
		cpus[i] = e->cpus[first + i];
	cove_init_cpus(&e->apic_ids[first], nr);
	cove_cpus_online(cpus, nr);
	return err;
}

/* Drop e->mem[k] from the grants the layer reads, or add a range to them. */
static void cove_grant_drop(struct cove_enclave *e, unsigned int k, struct cove_range *kept)
{
	unsigned int i;

	mutex_lock(&e->lock);
	/* Proxies' mirrors read e->mem: they wait, and drop what they saw of the range. */
	down_write(&e->mirror_sem);
	*kept = e->mem[k];
	for (i = k; i + 1 < e->nr_mem; i++)
		e->mem[i] = e->mem[i + 1];
	e->nr_mem--;
	cove_mirror_forget_all(e);
	up_write(&e->mirror_sem);
	cove_host_page_sync(e);
	mutex_unlock(&e->lock);
}

static void cove_grant_add(struct cove_enclave *e, const struct cove_range *r)
{
	mutex_lock(&e->lock);
	down_write(&e->mirror_sem);
	e->mem[e->nr_mem++] = *r;
	up_write(&e->mirror_sem);
	cove_host_page_sync(e);
	mutex_unlock(&e->lock);
}

static int cove_add_mem(struct cove_enclave *e, u64 base, u64 size)
{
	struct cove_range r;
	u64 args[2];
	int err;

	if (size % memory_block_size_bytes()) {
		pr_err("cove: memory size %#llx is not a multiple of the block\n", size);
		return -EINVAL;
	}
	if (e->nr_mem == COVE_MAX_RANGES) {
		pr_err("cove %u: already %d memory ranges\n", e->id, COVE_MAX_RANGES);
		return -EINVAL;
	}
	err = cove_mem_take(e->id, &base, size, e->lay.align);
	if (err)
		return err;
	/* Granted before Cove hears of it: the layer checks against the grants. */
	r.base = base;
	r.size = size;
	cove_grant_add(e, &r);
	args[0] = base;
	args[1] = size;
	err = cove_ctl_send(e, COVE_CTL_ADD_MEM, args, 2, NULL, 0, COVE_ADD_TIMEOUT_MS);
	if (!err) {
		pr_info("cove %u: added %llu MiB at %#llx\n", e->id, size >> 20, base);
		return 0;
	}
	pr_err("cove %u: Cove did not take memory %#llx+%#llx (%d)\n", e->id, base, size, err);
	if (err == -ETIMEDOUT || err == -EIO)
		return err;	/* it may still use it: stays granted until destroy */
	cove_grant_drop(e, e->nr_mem - 1, &r);
	cove_mem_give_back(base, size);
	return err;
}

static struct cove_enclave *cove_get_running(u32 id)
{
	struct cove_enclave *e = cove_get_asked(id);

	if (!e)
		return ERR_PTR(-ENOENT);
	if (READ_ONCE(e->state) != COVE_ENCLAVE_READY) {
		pr_err("cove %u: enclave is %s, not ready\n", id, cove_state_name(e->state));
		cove_put(e);
		return ERR_PTR(-EIO);
	}
	return e;
}

int cove_add(struct cove_change *req)
{
	struct cove_enclave *e;
	int err = 0;

	mutex_lock(&cove_lifecycle);
	e = cove_get_running(req->id);
	if (IS_ERR(e)) {
		mutex_unlock(&cove_lifecycle);
		return PTR_ERR(e);
	}
	if (req->mem_size)
		err = cove_add_mem(e, req->mem_base, req->mem_size);
	if (!err)
		err = cove_add_cpus(e, req->cpus);
	mutex_unlock(&cove_lifecycle);
	cove_put(e);
	return err;
}

/*
 * The grant goes first, so Cove cannot add the range back while it is
 * being given up. A guarded enclave's word is not enough: the layer must
 * also say it unmapped the range and flushed every core, or the memory
 * stays with the enclave (until destroy) rather than return to Linux.
 */
static int cove_remove_mem(struct cove_enclave *e, unsigned int k)
{
	struct cove_host_page *h = e->host;
	u32 seq = READ_ONCE(h->released_seq);
	struct cove_range r;
	u64 args[2];
	int err;

	cove_grant_drop(e, k, &r);
	args[0] = r.base;
	args[1] = r.size;
	err = cove_ctl_send(e, COVE_CTL_REMOVE_MEM, args, 2, NULL, 0, COVE_ADD_TIMEOUT_MS);
	if (err) {
		pr_err("cove %u: Cove keeps memory %#llx+%#llx (%d)\n", e->id, r.base, r.size, err);
		cove_grant_add(e, &r);
		return err;
	}
	if (READ_ONCE(h->guarded)) {
		smp_rmb();
		if (READ_ONCE(h->released_seq) == seq || READ_ONCE(h->released.base) != r.base ||
		    READ_ONCE(h->released.size) != r.size) {
			pr_err("cove %u: the protection layer did not confirm releasing %#llx+%#llx; "
			       "it stays with the enclave until destroy\n", e->id, r.base, r.size);
			cove_grant_add(e, &r);
			return -EIO;
		}
	}
	cove_mem_scrub(r.base, r.size);
	cove_mem_give_back(r.base, r.size);
	pr_info("cove %u: gave %llu MiB at %#llx back to Linux\n", e->id, r.size >> 20, r.base);
	return 0;
}

int cove_remove(struct cove_change *req)
{
	struct cove_enclave *e;
	unsigned int i, k;
	int err;

	for (i = 0; i < COVE_CPUMASK_WORDS; i++) {
		if (req->cpus[i]) {
			pr_err("cove: cores cannot be taken from a running enclave\n");
			return -EINVAL;
		}
	}
	mutex_lock(&cove_lifecycle);
	e = cove_get_running(req->id);
	if (IS_ERR(e)) {
		mutex_unlock(&cove_lifecycle);
		return PTR_ERR(e);
	}
	k = e->nr_mem - 1;
	if (req->mem_base) {
		for (k = 1; k < e->nr_mem; k++)
			if (e->mem[k].base == req->mem_base)
				break;
	}
	if (!k || k >= e->nr_mem || (req->mem_size && req->mem_size != e->mem[k].size)) {
		pr_err("cove %u: no added memory range %#llx+%#llx to remove (the boot range stays)\n",
		       e->id, req->mem_base, req->mem_size);
		err = -EINVAL;
		goto out;
	}
	err = cove_remove_mem(e, k);
out:
	mutex_unlock(&cove_lifecycle);
	cove_put(e);
	return err;
}

/* Module unload: every enclave goes. */
void cove_destroy_all(void)
{
	struct cove_enclave *e;
	u32 id;

	mutex_lock(&cove_lifecycle);
	for (id = 1; id <= COVE_MAX_ENCLAVES; id++) {
		e = cove_get(id);
		if (!e)
			continue;
		cove_destroy_locked(e);
		cove_put(e);
	}
	mutex_unlock(&cove_lifecycle);
}
