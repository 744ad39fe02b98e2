// SPDX-License-Identifier: GPL-2.0
/*
 * /dev: the character devices programs expect (null, zero, full, random,
 * urandom, console), the stdio links into /proc/self/fd, and /dev/shm,
 * the enclave's tmpfs (vfs.c routes it to kernel/fs/shmfs.c; here it is
 * only listed).
 */
#include <cove/errno.h>
#include <cove/random.h>
#include <cove/file.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include "backends.h"
#include "synth.h"


enum devfs_kind { DEVFS_TOP, DEVFS_DEVICE, DEVFS_LINK, DEVFS_SHM };

struct devfs_dev {
	const char *name;
	uint32_t rdev;
	const struct vfs_file_ops *ops;
};

static int64_t devfs_read_eof(struct file *f, void *buf, size_t len, uint64_t pos)
{
	return 0;
}

static int64_t devfs_read_zero(struct file *f, void *buf, size_t len, uint64_t pos)
{
	memset(buf, 0, len);
	return (int64_t)len;
}

static int64_t devfs_read_random(struct file *f, void *buf, size_t len, uint64_t pos)
{
	random_bytes(buf, len);
	return (int64_t)len;
}

static int64_t devfs_write_sink(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	return (int64_t)len;
}

static int64_t devfs_write_full(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	return -ENOSPC;
}

static int devfs_dev_stat(struct file *f, struct vfs_stat *st)
{
	const struct devfs_dev *d = f->priv;

	memset(st, 0, sizeof(*st));
	st->dev = VFS_DEV_DEVFS;
	st->ino = d->rdev;
	st->mode = S_IFCHR | 0666;
	st->nlink = 1;
	st->rdev = d->rdev;
	st->mtime = time_boot_epoch();
	return 0;
}

static int64_t devfs_dev_path(struct file *f, char *buf, size_t len)
{
	const struct devfs_dev *d = f->priv;
	size_t n = MIN(len, strlen(d->name) + 5);
	char full[32] = "/dev/";

	memcpy(full + 5, d->name, strlen(d->name) + 1);
	memcpy(buf, full, n);
	return (int64_t)n;
}

/* The written bytes are taken (and dropped) for every device but full. */
#define DEVFS_OPS(id, rd, wr)						\
	static const struct vfs_file_ops devfs_##id##_ops = {		\
		.name = #id, .read = rd, .write = wr,			\
		.stat = devfs_dev_stat, .path = devfs_dev_path,		\
	}

DEVFS_OPS(null, devfs_read_eof, devfs_write_sink);
DEVFS_OPS(zero, devfs_read_zero, devfs_write_sink);
DEVFS_OPS(full, devfs_read_zero, devfs_write_full);
DEVFS_OPS(random, devfs_read_random, devfs_write_sink);

/* Linux's numbers: memory devices are major 1, the console (5, 1). */
static const struct devfs_dev devfs_devs[] = {
	{ "null", (1 << 8) | 3, &devfs_null_ops },
	{ "zero", (1 << 8) | 5, &devfs_zero_ops },
	{ "full", (1 << 8) | 7, &devfs_full_ops },
	{ "random", (1 << 8) | 8, &devfs_random_ops },
	{ "urandom", (1 << 8) | 9, &devfs_random_ops },
	{ "console", (5 << 8) | 1, NULL },
};

/* The stdio names are /proc/self/fd's, as udev makes them. */
static const struct synth_entry devfs_links[] = {
	{ "stdin", S_IFLNK | 0777, 0 },
	{ "stdout", S_IFLNK | 0777, 1 },
	{ "stderr", S_IFLNK | 0777, 2 },
	{ "fd", S_IFLNK | 0777, 3 },
	{ NULL, 0, 0 },
};

static int devfs_lookup(const char *rel, bool follow, struct synth_node *n)
{
	const struct synth_entry *e;
	char name[32];

	if (!synth_next(&rel, name, sizeof(name))) {
		synth_set(n, S_IFDIR | 0755, DEVFS_TOP);
		return 0;
	}
	if (!strcmp(name, "shm")) {
		/* Never reached: vfs.c sends /dev/shm to shmfs.c. */
		return -ENOENT;
	}
	for (size_t i = 0; i < ARRAY_SIZE(devfs_devs); i++) {
		if (strcmp(name, devfs_devs[i].name))
			continue;
		if (*rel)
			return -ENOTDIR;
		synth_set(n, S_IFCHR | (devfs_devs[i].ops ? 0666 : 0600), DEVFS_DEVICE);
		n->rdev = devfs_devs[i].rdev;
		n->index = (uint32_t)i;
		return 0;
	}
	e = synth_find(devfs_links, name);
	if (!e)
		return -ENOENT;
	synth_set(n, e->mode, DEVFS_LINK);
	n->index = e->kind;
	if (!follow && !*rel)
		return 0;
	/* Followed: the same place under /proc/self. */
	n->follow = SYNTH_REDIRECT;
	if (e->kind == 3)
		return synth_target(n, "/proc/self/fd%s", rel);
	if (*rel)
		return -ENOTDIR;
	return synth_target(n, "/proc/self/fd/%u", e->kind);
}

static int devfs_fill(const struct synth_node *n, struct sbuf *sb)
{
	if (n->kind == DEVFS_LINK) {
		if (n->index == 3)
			sbuf_puts(sb, "/proc/self/fd");
		else
			sbuf_printf(sb, "/proc/self/fd/%u", n->index);
		return 0;
	}
	if (n->kind != DEVFS_TOP)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(devfs_devs); i++)
		synth_dir_add(sb, devfs_devs[i].name, S_IFCHR);
	synth_list(devfs_links, sb);
	synth_dir_add(sb, "shm", S_IFDIR);
	return 0;
}

static int devfs_open(const struct synth_node *n, uint32_t flags, struct file **out)
{
	const struct devfs_dev *d = &devfs_devs[n->index];
	struct process *p = task_current()->proc;
	struct file *f;

	if (!d->ops) {
		/* The console: a host job's is its `cove run`'s stdout. */
		f = console_file_open(p->host_job, p->host_job ? 1 : 0);
	} else {
		f = file_alloc(d->ops, flags);
		if (f)
			f->priv = (void *)d;
	}
	if (!f)
		return -ENOMEM;
	*out = f;
	return 0;
}

const struct synth_tree devfs_tree = {
	.name = "dev",
	.dev = VFS_DEV_DEVFS,
	.lookup = devfs_lookup,
	.fill = devfs_fill,
	.open = devfs_open,
};
