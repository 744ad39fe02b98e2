// SPDX-License-Identifier: GPL-2.0
/* Files, descriptor tables and the one in-memory file system. */
#include <cove/cpio.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/hostfile.h>
#include <cove/hostfs.h>
#include <cove/kprintf.h>
#include <cove/ramfs.h>
#include <cove/string.h>
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

struct file *file_alloc(enum file_kind kind, uint32_t flags)
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
	if (f->kind == FILE_HOST)
		hostfile_close(f);
	if (f->node) {
		unsigned long flags = spin_lock_irqsave(&vfs_lock);

		ramfs_put(f->node);
		spin_unlock_irqrestore(&vfs_lock, flags);
	}
	kfree(f);
}

/* A console file; stream 1 or 2 of a host job, or the log (host_job 0). */
static struct file *file_alloc_console(uint32_t host_job, uint32_t stream)
{
	struct file *f = file_alloc(FILE_CONSOLE, O_RDWR);

	if (f && host_job) {
		f->host_stream = stream;
		f->host_job = host_job;
	}
	return f;
}

struct fdtable *fdtable_create_stdio(uint32_t host_job)
{
	struct fdtable *t = kzalloc(sizeof(*t));
	struct file *con[3] = {
		host_job ? hostfile_open_stdin(host_job) : file_alloc_console(0, 0),
	};

	/*
	 * A bare-mode job shares one console file; a host job's stdio are the
	 * three of its `cove run`, each its own file.
	 */
	for (uint32_t i = 1; i < 3; i++)
		con[i] = host_job ? file_alloc_console(host_job, i) : con[0];
	if (!t || !con[0] || !con[1] || !con[2]) {
		for (int i = 0; i < 3; i++)
			if (con[i] && (i == 0 || con[i] != con[0]))
				file_put(con[i]);
		kfree(t);
		return NULL;
	}
	if (!host_job)
		con[0]->refs = 3;
	t->refs = 1;
	for (int i = 0; i < 3; i++)
		t->fd[i] = con[i];
	return t;
}

/* mkdir -p for the parents of path; the last component is left to the caller. */
static int vfs_make_parents(const char *path)
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
		rc = ramfs_lookup_parent(vfs_root(), NULL, buf, &dir, name);
		if (!rc)
			rc = ramfs_mkdir(vfs_root(), dir, name, 0755, NULL);
		buf[i] = '/';
		if (rc && rc != -EEXIST)
			return rc;
	}
	return 0;
}

int vfs_install_file(const char *path, const void *data, size_t len, uint32_t mode)
{
	unsigned long irq = spin_lock_irqsave(&vfs_lock);
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_node *dir, *node;
	int rc = vfs_make_parents(path);

	if (!rc)
		rc = ramfs_lookup_parent(vfs_root(), NULL, path, &dir, name);
	if (!rc) {
		rc = ramfs_lookup(vfs_root(), NULL, path, true, &node);
		if (rc == -ENOENT)
			rc = ramfs_create(vfs_root(), dir, name, mode, &node);
	}
	if (!rc)
		rc = ramfs_truncate(node, 0);
	if (!rc && len && ramfs_write(node, 0, data, len) != (int64_t)len)
		rc = -ENOSPC;
	if (!rc)
		ramfs_chmod(node, mode);
	spin_unlock_irqrestore(&vfs_lock, irq);
	return rc;
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
	if (f->kind == FILE_HOST) {
		n = hostfile_read(f, buf, len, *pos);
	} else {
		flags = spin_lock_irqsave(&vfs_lock);
		n = ramfs_read(f->node, *pos, buf, len);
		spin_unlock_irqrestore(&vfs_lock, flags);
	}
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
	if (f->kind == FILE_CONSOLE && f->host_stream)
		return host_stream_write(f->host_job, f->host_stream, buf, len);
	if (f->kind == FILE_CONSOLE) {
		klog_write_raw(buf, len);
		return (int64_t)len;
	}
	if (f->kind == FILE_HOST) {
		/* The host's O_APPEND puts it at the end whatever offset we pass. */
		n = hostfile_write(f, buf, len, *pos);
	} else {
		flags = spin_lock_irqsave(&vfs_lock);
		if (f->flags & O_APPEND) {
			struct ramfs_stat st;

			ramfs_stat(f->node, &st);
			*pos = st.size;
		}
		n = ramfs_write(f->node, *pos, buf, len);
		spin_unlock_irqrestore(&vfs_lock, flags);
	}
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}

int file_stat(struct file *f, struct ramfs_stat *st)
{
	unsigned long flags;

	switch (f->kind) {
	case FILE_CONSOLE:
		memset(st, 0, sizeof(*st));
		st->mode = 0020620;	/* a character device, like /dev/ttyS0 */
		st->nlink = 1;
		st->ino = 1;
		return 0;
	case FILE_HOST:
		return hostfile_stat(f, st);
	default:
		flags = spin_lock_irqsave(&vfs_lock);
		ramfs_stat(f->node, st);
		spin_unlock_irqrestore(&vfs_lock, flags);
		return 0;
	}
}
