// SPDX-License-Identifier: GPL-2.0
/*
 * The enclave's tree as a VFS back end: names resolved from the cwd or a
 * directory descriptor, and open files that are ramfs nodes. Each call
 * takes rootfs_lock for just the ramfs work; user memory is never touched
 * under it.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include "backends.h"
#include "rootfs.h"

#define FIONREAD 0x541b

static void rootfs_fill_stat(const struct ramfs_node *node, struct vfs_stat *st)
{
	struct ramfs_stat rs;

	ramfs_stat(node, &rs);
	memset(st, 0, sizeof(*st));
	st->dev = VFS_DEV_ENCLAVE;
	st->ino = rs.ino;
	st->size = rs.size;
	st->blocks = rs.blocks;
	st->mtime = rs.mtime;
	st->mode = rs.mode;
	st->nlink = rs.nlink;
	st->uid = rs.uid;
	st->gid = rs.gid;
}

static bool rootfs_is_dir(const struct ramfs_node *node)
{
	struct ramfs_stat st;

	ramfs_stat(node, &st);
	return S_ISDIR(st.mode);
}

/* Where vp's path starts: its directory file's node, or the cwd. Under the lock. */
static int rootfs_base(const struct vfs_path *vp, struct ramfs_node **base)
{
	if (!vp->dir) {
		*base = vp->proc->cwd;
		return 0;
	}
	if (vp->dir->ops != &rootfs_file_ops || !rootfs_is_dir(vp->dir->node))
		return -ENOTDIR;
	*base = vp->dir->node;
	return 0;
}

static int rootfs_resolve(const struct vfs_path *vp, bool follow, struct ramfs_node **node)
{
	struct ramfs_node *base;
	int rc = rootfs_base(vp, &base);

	return rc ? rc : ramfs_lookup(vfs_root(), base, vp->path, follow, node);
}

/* Splits vp into its directory and last name, for calls that make or remove one. */
static int rootfs_parent(const struct vfs_path *vp, struct ramfs_node **dir,
			 char name[RAMFS_NAME_MAX + 1])
{
	struct ramfs_node *base;
	int rc = rootfs_base(vp, &base);

	return rc ? rc : ramfs_lookup_parent(vfs_root(), base, vp->path, dir, name);
}

/* What open(2) refuses of an existing node, and O_TRUNC. Under the lock. */
static int rootfs_open_check(struct ramfs_node *node, uint32_t flags)
{
	struct ramfs_stat st;

	ramfs_stat(node, &st);
	if ((flags & O_DIRECTORY) && !S_ISDIR(st.mode))
		return -ENOTDIR;
	if (S_ISDIR(st.mode) && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if (S_ISLNK(st.mode))
		return -ELOOP;
	if ((flags & O_TRUNC) && S_ISREG(st.mode) && (flags & O_ACCMODE) != O_RDONLY)
		return ramfs_truncate(node, 0);
	return 0;
}

static int rootfs_open(const struct vfs_path *vp, uint32_t flags, uint32_t mode,
		       struct file **out)
{
	struct ramfs_node *node = NULL, *dir;
	char name[RAMFS_NAME_MAX + 1];
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_resolve(vp, !(flags & O_NOFOLLOW), &node);
	struct file *f;

	/* A later file system may have the name: only the last one creates it. */
	if (rc == -ENOENT && (flags & O_CREAT) && vp->last) {
		rc = rootfs_parent(vp, &dir, name);
		if (!rc)
			rc = ramfs_create(vfs_root(), dir, name, S_IFREG | (mode & ~0022), &node);
		if (!rc)
			ramfs_set_mtime(node, 0);
	} else if (!rc && (flags & O_CREAT) && (flags & O_EXCL)) {
		rc = -EEXIST;
	}
	if (!rc)
		rc = rootfs_open_check(node, flags);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	if (rc)
		return rc;
	f = file_alloc(&rootfs_file_ops, flags);
	if (!f)
		return -ENOMEM;
	irq = spin_lock_irqsave(&rootfs_lock);
	f->node = node;
	ramfs_get(node);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	*out = f;
	return 0;
}

static int rootfs_stat(const struct vfs_path *vp, bool follow, struct vfs_stat *st)
{
	struct ramfs_node *node;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_resolve(vp, follow, &node);

	if (!rc)
		rootfs_fill_stat(node, st);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

/* Under the lock. */
static int rootfs_set_cwd(struct process *p, struct ramfs_node *node)
{
	if (!rootfs_is_dir(node))
		return -ENOTDIR;
	p->cwd = node;
	p->cwd_on_host = false;	/* relative paths are the enclave's now */
	return 0;
}

static int rootfs_chdir(const struct vfs_path *vp)
{
	struct ramfs_node *node;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_resolve(vp, true, &node);

	if (!rc)
		rc = rootfs_set_cwd(vp->proc, node);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

/* The name node has in parent, other than "." and "..", or NULL. Under the lock. */
static const char *rootfs_name_in(struct ramfs_node *parent, struct ramfs_node *node)
{
	uint64_t pos = 0;
	const char *name;
	struct ramfs_node *child;

	while (ramfs_readdir(parent, &pos, &name, &child) == 0) {
		if (child == node && strcmp(name, ".") && strcmp(name, ".."))
			return name;
	}
	return NULL;
}

/* The cwd's path, found by walking up through ".." and matching names. */
static int64_t rootfs_getcwd(struct process *p, char *buf, size_t len)
{
	struct ramfs_node *node = p->cwd, *parent;
	size_t at = len - 1;
	unsigned long irq;
	int64_t rc = 0;

	buf[at] = 0;
	irq = spin_lock_irqsave(&rootfs_lock);
	while (node && node != vfs_root()->root && !rc) {
		const char *name = NULL;
		size_t n;

		rc = ramfs_lookup(vfs_root(), node, "..", true, &parent);
		if (!rc)
			name = rootfs_name_in(parent, node);
		if (!name) {
			rc = -ENOENT;
			break;
		}
		n = strlen(name);
		if (n + 1 > at) {
			rc = -ERANGE;
			break;
		}
		at -= n;
		memcpy(buf + at, name, n);
		buf[--at] = '/';
		node = parent;
	}
	spin_unlock_irqrestore(&rootfs_lock, irq);
	if (rc)
		return rc;
	if (at == len - 1)
		buf[--at] = '/';
	memmove(buf, buf + at, len - at);
	return (int64_t)(len - at);
}

static int64_t rootfs_readlink(const struct vfs_path *vp, char *buf, size_t len)
{
	struct ramfs_node *node;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int64_t rc = rootfs_resolve(vp, false, &node);

	if (!rc)
		rc = ramfs_readlink(node, buf, len);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

enum rootfs_name_op { ROOTFS_MKDIR, ROOTFS_UNLINK, ROOTFS_RMDIR };

static int rootfs_name_op(const struct vfs_path *vp, enum rootfs_name_op op, uint32_t mode)
{
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_node *dir;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_parent(vp, &dir, name);

	if (!rc && op == ROOTFS_MKDIR)
		rc = ramfs_mkdir(vfs_root(), dir, name, mode & 07777, NULL);
	else if (!rc && op == ROOTFS_UNLINK)
		rc = ramfs_unlink(vfs_root(), dir, name);
	else if (!rc)
		rc = ramfs_rmdir(vfs_root(), dir, name);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

static int rootfs_mkdir(const struct vfs_path *vp, uint32_t mode)
{
	return rootfs_name_op(vp, ROOTFS_MKDIR, mode);
}

static int rootfs_unlink(const struct vfs_path *vp)
{
	return rootfs_name_op(vp, ROOTFS_UNLINK, 0);
}

static int rootfs_rmdir(const struct vfs_path *vp)
{
	return rootfs_name_op(vp, ROOTFS_RMDIR, 0);
}

/* link and rename: both names' directories, then ramfs's, under the one lock. */
static int rootfs_two_names(const struct vfs_path *from, const struct vfs_path *to, bool link,
			    uint32_t flags)
{
	char old[RAMFS_NAME_MAX + 1], new[RAMFS_NAME_MAX + 1];
	struct ramfs_node *dir, *newdir;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_parent(from, &dir, old);

	if (!rc)
		rc = rootfs_parent(to, &newdir, new);
	if (!rc && link)
		rc = ramfs_link(vfs_root(), dir, old, newdir, new);
	else if (!rc)
		rc = ramfs_rename(vfs_root(), dir, old, newdir, new,
				  (flags & VFS_RENAME_NOREPLACE ? RAMFS_RENAME_NOREPLACE : 0) |
				  (flags & VFS_RENAME_EXCHANGE ? RAMFS_RENAME_EXCHANGE : 0));
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

static int rootfs_link(const struct vfs_path *from, const struct vfs_path *to)
{
	return rootfs_two_names(from, to, true, 0);
}

static int rootfs_rename(const struct vfs_path *from, const struct vfs_path *to, uint32_t flags)
{
	return rootfs_two_names(from, to, false, flags);
}

static int rootfs_truncate(const struct vfs_path *vp, uint64_t size)
{
	struct ramfs_node *node;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_resolve(vp, true, &node);

	if (!rc)
		rc = ramfs_truncate(node, size);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

static int rootfs_chmod(const struct vfs_path *vp, uint32_t perm)
{
	struct ramfs_node *node;
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_resolve(vp, true, &node);

	if (!rc)
		ramfs_chmod(node, perm);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

const struct vfs_fs_ops rootfs_fs_ops = {
	.name = "rootfs",
	.open = rootfs_open,
	.stat = rootfs_stat,
	.chdir = rootfs_chdir,
	.getcwd = rootfs_getcwd,
	.readlink = rootfs_readlink,
	.mkdir = rootfs_mkdir,
	.unlink = rootfs_unlink,
	.rmdir = rootfs_rmdir,
	.truncate = rootfs_truncate,
	.chmod = rootfs_chmod,
	.link = rootfs_link,
	.rename = rootfs_rename,
};

static int64_t rootfs_file_read(struct file *f, void *buf, size_t len, uint64_t pos)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int64_t n = ramfs_read(f->node, pos, buf, len);

	spin_unlock_irqrestore(&rootfs_lock, irq);
	return n;
}

static int64_t rootfs_file_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	struct ramfs_stat st;
	int64_t n;

	if (f->flags & O_APPEND) {
		ramfs_stat(f->node, &st);
		*pos = st.size;
	}
	n = ramfs_write(f->node, *pos, buf, len);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return n;
}

static int rootfs_file_stat(struct file *f, struct vfs_stat *st)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);

	rootfs_fill_stat(f->node, st);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return 0;
}

static int rootfs_file_readdir(struct file *f, uint64_t *pos, struct vfs_dirent *de)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	struct ramfs_node *node;
	struct ramfs_stat st;
	const char *name;
	int rc = ramfs_readdir(f->node, pos, &name, &node);

	if (!rc) {
		/* The name is the directory's: copied while the lock keeps it. */
		size_t n = strnlen(name, VFS_NAME_MAX);

		memcpy(de->name, name, n);
		de->name[n] = 0;
		ramfs_stat(node, &st);
		de->ino = st.ino;
		de->mode = st.mode;
	}
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

static int64_t rootfs_file_ioctl(struct file *f, uint64_t req, uint64_t arg)
{
	struct vfs_stat st;
	int32_t left;

	if (req != FIONREAD)
		return -ENOTTY;
	rootfs_file_stat(f, &st);
	left = st.size > f->pos ? (int32_t)MIN(st.size - f->pos, 0x7fffffffULL) : 0;
	return copy_to_user(arg, &left, sizeof(left)) ? -EFAULT : 0;
}

static int rootfs_file_truncate(struct file *f, uint64_t size)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = ramfs_truncate(f->node, size);

	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

static int rootfs_file_chmod(struct file *f, uint32_t perm)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);

	ramfs_chmod(f->node, perm);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return 0;
}

static int rootfs_file_fchdir(struct file *f)
{
	unsigned long irq = spin_lock_irqsave(&rootfs_lock);
	int rc = rootfs_set_cwd(task_current()->proc, f->node);

	spin_unlock_irqrestore(&rootfs_lock, irq);
	return rc;
}

/* Deeper than this, a file's name is not looked for (the tree has no loops). */
#define ROOTFS_PATH_DEPTH 32

/*
 * Looks for node below dir, writing the names on the way into buf from
 * at: true when found. Files keep no link to their directory, so the tree
 * is searched (it is small: the initramfs and what jobs wrote). Under the
 * lock.
 */
static bool rootfs_find(struct ramfs_node *dir, struct ramfs_node *node, char *buf,
			size_t len, size_t at, int depth)
{
	struct ramfs_node *child;
	const char *name;
	uint64_t pos = 0;

	if (depth > ROOTFS_PATH_DEPTH)
		return false;
	while (ramfs_readdir(dir, &pos, &name, &child) == 0) {
		size_t n = strlen(name);

		if (!strcmp(name, ".") || !strcmp(name, "..") || at + 1 + n >= len)
			continue;
		buf[at] = '/';
		memcpy(buf + at + 1, name, n);
		buf[at + 1 + n] = 0;
		if (child == node)
			return true;
		if (rootfs_is_dir(child) &&
		    rootfs_find(child, node, buf, len, at + 1 + n, depth + 1))
			return true;
	}
	return false;
}

/* The file's name in the tree (one of them, for a file with several). */
static int64_t rootfs_file_path(struct file *f, char *buf, size_t len)
{
	struct ramfs_node *root = vfs_root()->root;
	unsigned long irq;
	bool found;

	if (len < 2)
		return -ERANGE;
	if (f->node == root) {
		buf[0] = '/';
		return 1;
	}
	irq = spin_lock_irqsave(&rootfs_lock);
	found = rootfs_find(root, f->node, buf, len, 0, 0);
	spin_unlock_irqrestore(&rootfs_lock, irq);
	return found ? (int64_t)strlen(buf) : -ENOENT;
}

static void rootfs_file_release(struct file *f)
{
	unsigned long irq;

	if (!f->node)
		return;
	irq = spin_lock_irqsave(&rootfs_lock);
	ramfs_put(f->node);
	spin_unlock_irqrestore(&rootfs_lock, irq);
}

const struct vfs_file_ops rootfs_file_ops = {
	.name = "rootfs",
	.read = rootfs_file_read,
	.write = rootfs_file_write,
	.stat = rootfs_file_stat,
	.readdir = rootfs_file_readdir,
	.ioctl = rootfs_file_ioctl,
	.truncate = rootfs_file_truncate,
	.chmod = rootfs_file_chmod,
	.fchdir = rootfs_file_fchdir,
	.path = rootfs_file_path,
	.release = rootfs_file_release,
};
