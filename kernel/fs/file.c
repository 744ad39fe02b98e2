// SPDX-License-Identifier: GPL-2.0
/* Files, descriptor tables and the one in-memory file system. */
#include <cove/cpio.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/kprintf.h>
#include <cove/ramfs.h>
#include <cove/timer.h>

/* The job file system; every ramfs call is made under vfs_lock. */
static struct ramfs vfs_fs;
spinlock_t vfs_lock = SPINLOCK_INIT;

static void *vfs_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return kmalloc(n);
}

static void vfs_free(void *ctx, void *p)
{
	(void)ctx;
	kfree(p);
}

static uint64_t vfs_now(void *ctx)
{
	(void)ctx;
	return time_boot_epoch() + time_now_ns() / NSEC_PER_SEC;
}

struct ramfs *vfs_root(void)
{
	return &vfs_fs;
}

int vfs_init(const void *cpio, size_t len)
{
	struct ramfs_ops ops = {
		.alloc = vfs_alloc, .free = vfs_free, .now = vfs_now,
	};
	size_t bad = 0;
	int rc = ramfs_init(&vfs_fs, &ops);

	if (rc)
		return rc;
	if (!cpio || !len)
		return 0;
	rc = ramfs_load_cpio(&vfs_fs, cpio, len, &bad);
	if (rc)
		pr_err("initramfs: corrupt archive entry at offset %zu (%d); later files are missing\n",
		       bad, rc);
	return rc;
}

int vfs_read_file(const char *path, uint64_t max, char **data, size_t *len)
{
	struct ramfs_node *node;
	struct ramfs_stat st;
	unsigned long irq = spin_lock_irqsave(&vfs_lock);
	int64_t n;
	int rc = ramfs_lookup(vfs_root(), NULL, path, true, &node);

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
	spin_unlock_irqrestore(&vfs_lock, irq);
	return rc;
}

static struct file *file_alloc(enum file_kind kind, uint32_t flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (f) {
		f->kind = kind;
		f->flags = flags;
		f->refs = 1;
	}
	return f;
}

struct file *file_open_node(struct ramfs_node *node, uint32_t flags)
{
	struct file *f = file_alloc(FILE_NODE, flags);

	if (f) {
		f->node = node;
		ramfs_get(node);
	}
	return f;
}

void file_put(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (f->node) {
		unsigned long flags = spin_lock_irqsave(&vfs_lock);

		ramfs_put(f->node);
		spin_unlock_irqrestore(&vfs_lock, flags);
	}
	kfree(f);
}

struct fdtable *fdtable_create_stdio(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));
	struct file *con = file_alloc(FILE_CONSOLE, O_RDWR);

	if (!t || !con) {
		kfree(t);
		kfree(con);
		return NULL;
	}
	t->refs = 1;
	con->refs = 3;
	for (int i = 0; i < 3; i++)
		t->fd[i] = con;
	return t;
}

void fdtable_get(struct fdtable *t)
{
	__atomic_fetch_add(&t->refs, 1, __ATOMIC_RELAXED);
}

void fdtable_put(struct fdtable *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (int i = 0; i < FD_MAX; i++)
		file_put(t->fd[i]);
	kfree(t);
}

int fd_install(struct fdtable *t, struct file *f, int min, bool cloexec)
{
	unsigned long flags = spin_lock_irqsave(&t->lock);

	for (int i = min < 0 ? 0 : min; i < FD_MAX; i++) {
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			spin_unlock_irqrestore(&t->lock, flags);
			return i;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return -EMFILE;
}

struct file *fd_get(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	unsigned long flags;

	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	if (f)
		__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&t->lock, flags);
	return f;
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f;
	unsigned long flags;

	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	t->fd[fd] = NULL;
	spin_unlock_irqrestore(&t->lock, flags);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int64_t file_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	unsigned long flags;
	int64_t n;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (f->kind == FILE_CONSOLE)
		return 0;	/* no console input: end of file */
	flags = spin_lock_irqsave(&vfs_lock);
	n = ramfs_read(f->node, *pos, buf, len);
	spin_unlock_irqrestore(&vfs_lock, flags);
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}

int64_t file_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	unsigned long flags;
	int64_t n;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (f->kind == FILE_CONSOLE) {
		klog_write_raw(buf, len);
		return (int64_t)len;
	}
	flags = spin_lock_irqsave(&vfs_lock);
	if (f->flags & O_APPEND) {
		struct ramfs_stat st;

		ramfs_stat(f->node, &st);
		*pos = st.size;
	}
	n = ramfs_write(f->node, *pos, buf, len);
	spin_unlock_irqrestore(&vfs_lock, flags);
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}
