// SPDX-License-Identifier: GPL-2.0
/*
 * The enclave's tree: the ramfs every job sees, loaded from the initramfs.
 * Its files point at the cpio archive's bytes until first changed, so the
 * archive stays where the boot loader put it. Also the kernel's own uses
 * of the tree: reading a program or a job file, installing a staged one.
 */
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kprintf.h>
#include <cove/string.h>
#include <cove/timer.h>
#include <cove/vfs.h>
#include "rootfs.h"

/*
 * The tree and its lock, owned here: rootfs_ops.c works on the tree under
 * the lock, and the boot report reads its size through vfs_root().
 */
static struct ramfs rootfs;
spinlock_t rootfs_lock = SPINLOCK_INIT;

static void *rootfs_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return kmalloc(n);
}

static void rootfs_free(void *ctx, void *p)
{
	(void)ctx;
	kfree(p);
}

static uint64_t rootfs_now(void *ctx)
{
	(void)ctx;
	return time_boot_epoch() + time_now_ns() / NSEC_PER_SEC;
}

struct ramfs *vfs_root(void)
{
	return &rootfs;
}

/*
 * The tops of /proc, /sys and /dev exist in the tree too, empty, so that
 * "/" lists them and a job can stand in them; what is below is the
 * synthetic trees' (vfs.c routes there first). So is /dev/shm, where a
 * process may stand too, but whose files are shmfs.c's.
 */
static void rootfs_make_mount_points(void)
{
	static const struct {
		const char *name;
		uint32_t mode;
	} dirs[] = { { "proc", 0555 }, { "sys", 0555 }, { "dev", 0755 } };
	struct ramfs_node *dev = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		ramfs_mkdir(&rootfs, NULL, dirs[i].name, dirs[i].mode, NULL);
	if (!ramfs_lookup(&rootfs, NULL, "/dev", true, &dev))
		ramfs_mkdir(&rootfs, dev, "shm", 01777, NULL);
}

int vfs_init(const void *cpio, size_t len)
{
	struct ramfs_ops ops = {
		.alloc = rootfs_alloc, .free = rootfs_free, .now = rootfs_now,
	};
	size_t bad = 0;
	int rc = ramfs_init(&rootfs, &ops);

	if (rc)
		return rc;
	if (cpio && len) {
		rc = ramfs_load_cpio(&rootfs, cpio, len, &bad);
		if (rc)
			pr_err("initramfs: corrupt archive entry at offset %zu (%d); later files are missing\n",
			       bad, rc);
	}
	rootfs_make_mount_points();
	return rc;
}

bool vfs_has_file(const char *path)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	struct ramfs_node *node;
	int rc = ramfs_lookup(&rootfs, NULL, path, true, &node);

	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc == 0;
}

int vfs_read_file(const char *path, uint64_t max, char **data, size_t *len)
{
	struct ramfs_node *node;
	struct ramfs_stat st;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int64_t n;
	int rc = ramfs_lookup(&rootfs, NULL, path, true, &node);

	if (!rc) {
		/* Held across the read: the node cannot go away under us. */
		ramfs_stat(node, &st);
		*len = st.size;
		if (!S_ISREG(st.mode))
			rc = -EACCES;
		else if (st.size > max)
			rc = -E2BIG;
		else if (!(*data = kmalloc(st.size + 1)))
			rc = -ENOMEM;
	}
	if (!rc) {
		n = ramfs_read(node, 0, *data, st.size);
		if (n != (int64_t)st.size) {
			kfree(*data);
			rc = -EIO;
		} else {
			(*data)[st.size] = 0;
		}
	}
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

/* mkdir -p for the parents of path; the last component is left to the caller. */
static int rootfs_make_parents(const char *path)
{
	char buf[256];
	size_t n = strnlen(path, sizeof(buf));

	if (n == sizeof(buf) || path[0] != '/')
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i < n; i++) {
		struct ramfs_node *dir;
		char name[RAMFS_NAME_MAX + 1];
		int rc;

		if (buf[i] != '/')
			continue;
		buf[i] = 0;
		rc = ramfs_lookup_parent(&rootfs, NULL, buf, &dir, name);
		if (!rc)
			rc = ramfs_mkdir(&rootfs, dir, name, 0755, NULL);
		buf[i] = '/';
		if (rc && rc != -EEXIST)
			return rc;
	}
	return 0;
}

int vfs_install_file(const char *path, const void *data, size_t len, uint32_t mode)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_node *dir, *node;
	int rc = rootfs_make_parents(path);

	if (!rc)
		rc = ramfs_lookup_parent(&rootfs, NULL, path, &dir, name);
	if (!rc) {
		rc = ramfs_lookup(&rootfs, NULL, path, true, &node);
		if (rc == -ENOENT)
			rc = ramfs_create(&rootfs, dir, name, mode, &node);
	}
	if (!rc)
		rc = ramfs_truncate(node, 0);
	if (!rc && len && ramfs_write(node, 0, data, len) != (int64_t)len)
		rc = -ENOSPC;
	if (!rc)
		ramfs_chmod(node, mode);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

