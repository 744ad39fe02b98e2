// SPDX-License-Identifier: GPL-2.0
/*
 * Cove loader: runs the Cove lightweight kernel as a co-kernel beside Linux
 * (the Pisces model) on cores and memory taken away from Linux.
 * This file: /dev/cove and its ioctls, the front end of everything else
 * (the table of enclaves is cove_registry.c).
 */
#include <linux/fs.h>
#include <linux/memory.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cove.h"

static int cove_status(struct cove_status *st)
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
		st->mem[i].base = e->mem[i].base;
		st->mem[i].size = e->mem[i].size;
	}
	st->guarded = READ_ONCE(e->host->guarded);
	st->console_bytes = READ_ONCE(e->ring->head);
	spin_lock(&e->lc_lock);
	list_for_each_entry(j, &e->jobs, node)
		st->jobs_running += !j->finished;
	spin_unlock(&e->lc_lock);
	st->exit_status = e->exit_status;
	st->create_ns = e->create_ns;
	BUILD_BUG_ON(sizeof(st->report) != sizeof(e->report));
	memcpy(st->report, e->report, sizeof(st->report));
	st->report[sizeof(st->report) - 1] = '\0';
out:
	mutex_unlock(&e->lock);
	cove_put(e);
	return err;
}

static int cove_console(struct cove_console_read *rd)
{
	struct cove_enclave *e = cove_get_asked(rd->id);
	u64 head, pos, len, off, first;
	void __user *buf = u64_to_user_ptr(rd->buf_ptr);
	int err = 0;

	if (!e)
		return -ENOENT;
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
	cove_put(e);
	return err;
}

static int cove_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* misc_open left its miscdevice here; ours is the job mirror, made on demand. */
	file->private_data = NULL;
	return 0;
}

/* Long calls of jobs launched through this file can no longer be served. */
static int cove_release(struct inode *inode, struct file *file)
{
	cove_mirror_release(file);
	cove_orphan_jobs(file);
	return 0;
}

static long cove_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	union {
		struct cove_create create;
		struct cove_status status;
		struct cove_console_read console;
		struct cove_launch launch;
		struct cove_lcall lcall;
		struct cove_change change;
		struct cove_mirror_set mirror;
		struct cove_signal signal;
		__u32 id;
	} *u;
	size_t size = _IOC_SIZE(cmd);
	bool out = _IOC_DIR(cmd) & _IOC_READ;
	long err;

	switch (cmd) {
	case COVE_IOC_CREATE:
	case COVE_IOC_DESTROY:
	case COVE_IOC_STATUS:
	case COVE_IOC_CONSOLE:
	case COVE_IOC_LAUNCH:
	case COVE_IOC_LCALL_WAIT:
	case COVE_IOC_LCALL_REPLY:
	case COVE_IOC_ADD:
	case COVE_IOC_REMOVE:
	case COVE_IOC_KILL:
	case COVE_IOC_RESTART:
	case COVE_IOC_MIRROR:
	case COVE_IOC_SIGNAL:
		break;
	default:
		pr_err("cove: unknown ioctl %#x\n", cmd);
		return -ENOTTY;
	}
	u = kmalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	if (copy_from_user(u, uarg, size)) {
		kfree(u);
		return -EFAULT;
	}
	switch (cmd) {
	case COVE_IOC_CREATE:
		err = cove_create(&u->create);
		/* A boot that failed keeps its enclave: say which one. */
		out = !err || u->create.id;
		break;
	case COVE_IOC_DESTROY:
		err = cove_destroy(u->id);
		break;
	case COVE_IOC_RESTART:
		err = cove_restart(u->id);
		break;
	case COVE_IOC_STATUS:
		err = cove_status(&u->status);
		break;
	case COVE_IOC_CONSOLE:
		err = cove_console(&u->console);
		break;
	case COVE_IOC_LAUNCH:
		err = cove_launch(&u->launch, file);
		break;
	case COVE_IOC_KILL:
		err = cove_kill(&u->launch);
		break;
	case COVE_IOC_LCALL_WAIT:
		err = cove_lcall_wait(&u->lcall);
		break;
	case COVE_IOC_LCALL_REPLY:
		err = cove_lcall_reply(&u->lcall);
		break;
	case COVE_IOC_ADD:
		err = cove_add(&u->change);
		break;
	case COVE_IOC_MIRROR:
		err = cove_mirror_set(file, &u->mirror);
		break;
	case COVE_IOC_SIGNAL:
		err = cove_signal(&u->signal, file);
		break;
	default:
		err = cove_remove(&u->change);
		break;
	}
	if (out && (!err || cmd == COVE_IOC_CREATE) && copy_to_user(uarg, u, size))
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
	.mode = 0600,
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
