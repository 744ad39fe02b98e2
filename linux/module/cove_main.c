// SPDX-License-Identifier: GPL-2.0
/*
 * Cove loader: runs the Cove lightweight kernel as a co-kernel beside Linux
 * (the Pisces model) on cores and memory taken away from Linux.
 * This file: /dev/cove and its ioctls, the front end of everything else
 * (the table of enclaves is cove_registry.c, who may do what cove_owner.c).
 */
#include <linux/fs.h>
#include <linux/memory.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cove.h"

/* Everyone may list enclaves; physical addresses and fault reports are root's. */
static int cove_status(struct cove_status *st, bool admin)
{
	struct cove_enclave *e = cove_get(st->id);
	struct cove_job *j;
	unsigned int i;
	int err = 0;

	if (!e) {
		return -ENOENT;	/* the CLI probes every id: not worth a log line */
	}
	memset(st, 0, sizeof(*st));
	st->id = e->id;
	mutex_lock(&e->lock);
	if (e->dead || !e->map) {
		err = -EINVAL;
		goto out;
	}
	st->state = READ_ONCE(e->state);
	for (i = 0; i < e->nr_cpus; i++)
		if (e->cpus[i] < COVE_CPUMASK_WORDS * 64)
			st->cpus[e->cpus[i] / 64] |= BIT_ULL(e->cpus[i] % 64);
	st->nr_mem = e->nr_mem;
	for (i = 0; i < e->nr_mem; i++) {
		st->mem[i].base = admin ? e->mem[i].base : 0;
		st->mem[i].size = e->mem[i].size;
	}
	st->guarded = READ_ONCE(e->host->guarded);
	st->console_bytes = READ_ONCE(e->ring->head);
	spin_lock(&e->lc_lock);
	list_for_each_entry(j, &e->jobs, node)
		st->jobs_running += !j->finished && !j->fork_root;	/* not forked processes */
	spin_unlock(&e->lc_lock);
	st->exit_status = e->exit_status;
	st->create_ns = e->create_ns;
	BUILD_BUG_ON(sizeof(st->report) != sizeof(e->report));
	if (e->report[0])
		st->flags |= COVE_STATUS_REPORT;
	if (admin) {
		memcpy(st->report, e->report, sizeof(st->report));
		st->report[sizeof(st->report) - 1] = '\0';
	} else {
		st->flags |= COVE_STATUS_REDACTED;
	}
	cove_owner_to_user(e, &st->owner);
out:
	mutex_unlock(&e->lock);
	cove_put(e);
	return err;
}

/* Everyone may list an enclave's jobs, as ps(1) lists processes. */
static int cove_jobs(struct cove_jobs *req)
{
	struct cove_enclave *e = cove_get(req->id);
	int err;

	if (!e)
		return -ENOENT;
	err = cove_jobs_list(e, req);
	cove_put(e);
	return err;
}

/* And what an ended job's ranks used, as ps(1) shows times. */
static int cove_usage(struct cove_job_usage *req)
{
	struct cove_enclave *e = cove_get(req->id);
	int err;

	if (!e)
		return -ENOENT;
	err = cove_job_usage(e, req);
	cove_put(e);
	return err;
}

static int cove_console(struct cove_enclave *e, struct cove_console_read *rd)
{
	u64 head, pos, len, off, first;
	void __user *buf = u64_to_user_ptr(rd->buf_ptr);
	int err = 0;

	mutex_lock(&e->lock);
	if (e->dead || !e->map) {
		err = -EINVAL;
		goto out;
	}
	head = READ_ONCE(e->ring->head);
	pos = min(rd->pos, head);
	rd->lost = 0;
	if (head - pos > COVE_RING_DATA) {
		rd->lost = head - COVE_RING_DATA - pos;
		pos = head - COVE_RING_DATA;
	}
	len = min(head - pos, rd->buf_size);
	off = pos % COVE_RING_DATA;
	first = min(len, COVE_RING_DATA - off);
	if (copy_to_user(buf, e->ring->data + off, first) ||
	    copy_to_user(buf + first, e->ring->data, len - first)) {
		err = -EFAULT;
		goto out;
	}
	rd->pos = pos + len;
	rd->len = len;
out:
	mutex_unlock(&e->lock);
	return err;
}

/* Anyone may open; each request checks its own right (cove_ioctls[]). */
static int cove_open(struct inode *inode, struct file *file)
{
	/* misc_open left its miscdevice here; ours is the job mirror, made on demand. */
	file->private_data = NULL;
	return 0;
}

/* Long calls of jobs launched through this file can no longer be served. */
static int cove_release(struct inode *inode, struct file *file)
{
	cove_mirror_release(file);
	cove_fork_release(file);
	cove_orphan_jobs(file);
	return 0;
}

/* What a request needs; 0 (a row that says nothing) is refused. */
enum cove_right {
	COVE_RIGHT_ADMIN = 1,	/* CAP_SYS_ADMIN */
	COVE_RIGHT_OWNER,	/* the enclave's owner or CAP_SYS_ADMIN; the handler gets e */
	COVE_RIGHT_ANY,		/* whoever opened /dev/cove; the handler hides root's data */
};

struct cove_ioctl_row {
	unsigned int cmd;
	enum cove_right right;
	bool names_enclave;	/* the argument starts with a __u32 enclave id */
	u32 min_size;		/* an older, shorter struct also accepted; 0: none */
	const char *name;	/* for the refusal line */
};

/*
 * Every request /dev/cove knows, with the right it needs: one row each.
 * A request without a row is refused (ENOTTY), so a new ioctl stays closed
 * until its row says who may use it. To add one: a row here, its struct in
 * union cove_ioctl_arg, a case in cove_dispatch(). An enclave's
 * owner-or-root request (the usual case) has its enclave id as the first
 * __u32 of its struct (a static_assert below), and its handler takes the
 * enclave the front end looked up and allowed, referenced until it returns:
 *	{ COVE_IOC_FOO, COVE_RIGHT_OWNER, true, 0, "foo" },
 *	case COVE_IOC_FOO: return cove_foo(e, &u->foo, file);
 * A struct that grows keeps its old size working: min_size is the old size,
 * the module reads the missing tail as zeroes and copies back only the old
 * size. Anything reaching an enclave outside an ioctl (an mmap) calls
 * cove_may_use() itself.
 */
static const struct cove_ioctl_row cove_ioctls[] = {
	{ COVE_IOC_CREATE,	COVE_RIGHT_ADMIN, false, COVE_CREATE_SIZE_V1, "create" },
	{ COVE_IOC_DESTROY,	COVE_RIGHT_ADMIN, true,	 0, "destroy" },
	{ COVE_IOC_RESTART,	COVE_RIGHT_ADMIN, true,	 0, "restart" },
	{ COVE_IOC_ADD,		COVE_RIGHT_ADMIN, true,	 0, "add" },
	{ COVE_IOC_REMOVE,	COVE_RIGHT_ADMIN, true,	 0, "remove" },
	{ COVE_IOC_CHOWN,	COVE_RIGHT_ADMIN, true,	 0, "chown" },
	{ COVE_IOC_LAUNCH,	COVE_RIGHT_OWNER, true,	 0, "launch" },
	{ COVE_IOC_LCALL_WAIT,	COVE_RIGHT_OWNER, true,	 0, "long-call wait" },
	{ COVE_IOC_LCALL_REPLY,	COVE_RIGHT_OWNER, true,	 0, "long-call reply" },
	{ COVE_IOC_KILL,	COVE_RIGHT_OWNER, true,	 0, "kill" },
	{ COVE_IOC_CONSOLE,	COVE_RIGHT_OWNER, true,	 0, "console" },
	{ COVE_IOC_MIRROR,	COVE_RIGHT_OWNER, true,	 0, "mirror" },
	{ COVE_IOC_SIGNAL,	COVE_RIGHT_OWNER, true,	 0, "signal" },
	{ COVE_IOC_FORK,	COVE_RIGHT_OWNER, true,	 0, "fork" },
	{ COVE_IOC_ADOPT,	COVE_RIGHT_OWNER, true,	 0, "adopt" },
	{ COVE_IOC_XEMEM_ATTACH, COVE_RIGHT_OWNER, true, 0, "xemem attach" },
	{ COVE_IOC_XEMEM_OFFER,	COVE_RIGHT_OWNER, true,	 0, "xemem offer" },
	{ COVE_IOC_XEMEM_LIST,	COVE_RIGHT_OWNER, true,	 0, "xemem list" },
	{ COVE_IOC_STATUS,	COVE_RIGHT_ANY,	  true,	 COVE_STATUS_SIZE_V1, "status" },
	{ COVE_IOC_JOBS,	COVE_RIGHT_ANY,	  true,	 0, "jobs" },
	{ COVE_IOC_JOB_USAGE,	COVE_RIGHT_ANY,	  true,	 COVE_JOB_USAGE_SIZE_V3, "job usage" },
};

/* The argument of any request: big enough for each. */
union cove_ioctl_arg {
	struct cove_create create;
	struct cove_status status;
	struct cove_console_read console;
	struct cove_launch launch;
	struct cove_lcall lcall;
	struct cove_change change;
	struct cove_chown chown;
	struct cove_mirror_set mirror;
	struct cove_signal signal;
	struct cove_fork fork;
	struct cove_jobs jobs;
	struct cove_job_usage usage;
	struct cove_xemem_attach xattach;
	struct cove_xemem_offer xoffer;
	struct cove_xemem_list xlist;
	__u32 id;
};

/* The enclave id leads every struct a row with names_enclave reads it from. */
static_assert(offsetof(struct cove_status, id) == 0);
static_assert(offsetof(struct cove_console_read, id) == 0);
static_assert(offsetof(struct cove_launch, id) == 0);
static_assert(offsetof(struct cove_lcall, id) == 0);
static_assert(offsetof(struct cove_change, id) == 0);
static_assert(offsetof(struct cove_chown, id) == 0);
static_assert(offsetof(struct cove_mirror_set, id) == 0);
static_assert(offsetof(struct cove_signal, id) == 0);
static_assert(offsetof(struct cove_fork, id) == 0);
static_assert(offsetof(struct cove_jobs, id) == 0);
static_assert(offsetof(struct cove_job_usage, id) == 0);
static_assert(offsetof(struct cove_xemem_attach, id) == 0);
static_assert(offsetof(struct cove_xemem_offer, id) == 0);
static_assert(offsetof(struct cove_xemem_list, id) == 0);
static_assert(offsetof(struct cove_create, owner) == COVE_CREATE_SIZE_V1);
static_assert(offsetof(struct cove_status, owner) == COVE_STATUS_SIZE_V1);
static_assert(offsetof(struct cove_job_usage, counts_ptr) == COVE_JOB_USAGE_SIZE_V3);

/* The row of cmd: the same request, with its size or an older one it accepts. */
static const struct cove_ioctl_row *cove_ioctl_row(unsigned int cmd)
{
	const struct cove_ioctl_row *r;
	unsigned int size = _IOC_SIZE(cmd);

	for (r = cove_ioctls; r < cove_ioctls + ARRAY_SIZE(cove_ioctls); r++) {
		if (cmd == r->cmd)
			return r;
		if (r->min_size && _IOC_TYPE(cmd) == _IOC_TYPE(r->cmd) &&
		    _IOC_NR(cmd) == _IOC_NR(r->cmd) && _IOC_DIR(cmd) == _IOC_DIR(r->cmd) &&
		    size >= r->min_size && size < _IOC_SIZE(r->cmd))
			return r;
	}
	return NULL;
}

/*
 * The one check every request passes, from its row. For an owner's
 * request, *ep is the enclave it names, referenced: the handler acts on
 * exactly the enclave that was allowed, even if the id is reused meanwhile.
 */
static int cove_allowed(const struct cove_ioctl_row *row, const union cove_ioctl_arg *u,
			struct cove_enclave **ep)
{
	u32 id = row->names_enclave ? u->id : 0;
	struct cove_enclave *e;
	int err;

	switch (row->right) {
	case COVE_RIGHT_ANY:
		return 0;
	case COVE_RIGHT_ADMIN:
		return cove_require_admin(row->name, id);
	case COVE_RIGHT_OWNER:
		if (!row->names_enclave)
			break;
		e = cove_get_asked(id);
		if (!e)
			return -ENOENT;
		err = cove_may_use(e, row->name);
		if (err) {
			cove_put(e);
			return err;
		}
		*ep = e;
		return 0;
	}
	pr_err_ratelimited("cove: %s: no right given in the ioctl table; refused\n", row->name);
	return -EPERM;
}

/* The handler of an allowed request; e: as cove_allowed() found it (owner rows). */
static long cove_dispatch(struct file *file, unsigned int cmd, union cove_ioctl_arg *u,
			  struct cove_enclave *e)
{
	switch (cmd) {
	case COVE_IOC_CREATE:
		return cove_create(&u->create);
	case COVE_IOC_DESTROY:
		return cove_destroy(u->id);
	case COVE_IOC_RESTART:
		return cove_restart(u->id);
	case COVE_IOC_ADD:
		return cove_add(&u->change);
	case COVE_IOC_REMOVE:
		return cove_remove(&u->change);
	case COVE_IOC_CHOWN:
		return cove_chown(&u->chown);
	case COVE_IOC_STATUS:
		return cove_status(&u->status, cove_is_admin());
	case COVE_IOC_JOBS:
		return cove_jobs(&u->jobs);
	case COVE_IOC_JOB_USAGE:
		return cove_usage(&u->usage);
	case COVE_IOC_CONSOLE:
		return cove_console(e, &u->console);
	case COVE_IOC_LAUNCH:
		return cove_launch(e, &u->launch, file);
	case COVE_IOC_KILL:
		return cove_kill(e, &u->launch);
	case COVE_IOC_LCALL_WAIT:
		return cove_lcall_wait(e, &u->lcall, file);
	case COVE_IOC_LCALL_REPLY:
		return cove_lcall_reply(e, &u->lcall, file);
	case COVE_IOC_MIRROR:
		return cove_mirror_set(e, file, &u->mirror);
	case COVE_IOC_SIGNAL:
		return cove_signal(e, &u->signal, file);
	case COVE_IOC_FORK:
		return cove_fork(e, &u->fork, file);
	case COVE_IOC_ADOPT:
		return cove_adopt(e, &u->fork, file);
	case COVE_IOC_XEMEM_ATTACH:
		return cove_xemem_attach(e, &u->xattach);
	case COVE_IOC_XEMEM_OFFER:
		return cove_xemem_offer(e, &u->xoffer);
	case COVE_IOC_XEMEM_LIST:
		return cove_xemem_list(e, &u->xlist);
	}
	pr_err_ratelimited("cove: ioctl %#x has a row but no handler\n", cmd);
	return -ENOTTY;
}

static long cove_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct cove_ioctl_row *row = cove_ioctl_row(cmd);
	void __user *uarg = (void __user *)arg;
	struct cove_enclave *e = NULL;
	union cove_ioctl_arg *u;
	size_t size = _IOC_SIZE(cmd);
	bool out = _IOC_DIR(cmd) & _IOC_READ;
	long err;

	if (!row) {
		/* Anyone may open /dev/cove: no log line of theirs floods dmesg. */
		pr_err_ratelimited("cove: unknown ioctl %#x\n", cmd);
		return -ENOTTY;
	}
	/* The tail an older, shorter struct lacks reads as zeroes. */
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	if (copy_from_user(u, uarg, size)) {
		kfree(u);
		return -EFAULT;
	}
	err = cove_allowed(row, u, &e);
	if (!err) {
		err = cove_dispatch(file, row->cmd, u, e);
		/* A boot that failed keeps its enclave: say which one. */
		if (row->cmd == COVE_IOC_CREATE)
			out = !err || u->create.id;
		else
			out = out && !err;
	} else {
		out = false;
	}
	if (e)
		cove_put(e);
	if (out && copy_to_user(uarg, u, size))
		err = -EFAULT;
	kfree(u);
	return err;
}

static const struct file_operations cove_fops = {
	.owner = THIS_MODULE,
	.open = cove_open,
	.release = cove_release,
	.unlocked_ioctl = cove_ioctl,
	.mmap = cove_mirror_mmap,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice cove_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "cove",
	.fops = &cove_fops,
	.mode = 0666,		/* everyone; each request checks its right (cove_ioctls) */
};

static int __init cove_init(void)
{
	int err;

	err = cove_sysfs_init();
	if (err)
		return err;
	err = cove_fence_init();
	if (err) {
		cove_sysfs_exit();
		return err;
	}
	cove_doorbell_init();
	err = misc_register(&cove_dev);
	if (err) {
		cove_doorbell_exit();
		cove_fence_exit();
		cove_sysfs_exit();
		return err;
	}
	pr_info("cove: loader ready (/dev/cove, ABI %d, memory block %lu MiB)\n",
		COVE_UAPI_VERSION, memory_block_size_bytes() >> 20);
	return 0;
}

static void __exit cove_exit(void)
{
	misc_deregister(&cove_dev);
	cove_destroy_all();
	cove_doorbell_exit();
	cove_fence_exit();
	cove_sysfs_exit();
}

module_init(cove_init);
module_exit(cove_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Cove co-kernel loader (Pisces model)");
