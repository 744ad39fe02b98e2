// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/shm, the enclave's tmpfs: a flat directory of files whose bytes are
 * shared memory objects (cove/shmem.h), so a MAP_SHARED mapping of one in
 * any process of the enclave maps the very same partition pages. glibc's
 * and musl's shm_open are open(O_CREAT) here; MPI libraries make their
 * intra-node segments here. memfd_create makes the same files without a
 * name.
 *
 * Paths reach this file absolute and normalised (vfs.c routes /dev/shm
 * and below here, in bare and co-kernel mode alike: never the host's).
 * The directory itself also exists, empty, in the enclave's tree, which is
 * where a process standing in it has its cwd.
 *
 * A file may have several names (link), each an entry of the directory;
 * rename moves an entry. glibc's and musl's sem_open make a semaphore so:
 * a temporary file, filled, then linked in under its name.
 *
 * Not done: subdirectories (mkdir says EPERM), file sealing.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/shmem.h>
#include <cove/shmfs.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include "backends.h"

#define SHMFS_TOP "/dev/shm"
#define SHMFS_TOP_LEN 8

struct shmfs_node {
	struct shmem *shm;		/* the bytes; the node holds a reference */
	uint64_t ino;
	uint64_t mtime;
	uint32_t refs;			/* its names and its open files */
	uint32_t nlink;			/* its names */
	uint32_t mode;			/* permission bits */
	bool memfd;			/* made by memfd_create: "memfd:" + name */
	/* Its last name, for /proc/self/fd once it has none ("(deleted)"). */
	char name[VFS_NAME_MAX + 1];
};

/* A name in the directory: each holds a reference to its file. */
struct shmfs_entry {
	struct shmfs_entry *next;
	struct shmfs_node *node;
	uint64_t pos;			/* its place in the directory (readdir) */
	char name[VFS_NAME_MAX + 1];
};

/*
 * The directory: its entries in the order they were made, and the
 * counters for new inode numbers and positions. All node and entry fields
 * but shm's contents are under shmfs_lock; a node's bytes have the
 * object's own lock.
 */
static struct shmfs_entry *shmfs_entries;
static uint64_t shmfs_next_ino = 2;	/* 1 is the directory */
static uint64_t shmfs_next_pos = 2;	/* after "." and ".." */
static spinlock_t shmfs_lock = SPINLOCK_INIT;

static const struct vfs_file_ops shmfs_file_ops;
static const struct vfs_file_ops shmfs_dir_ops;

static uint64_t shmfs_now(void)
{
	return time_boot_epoch() + time_now_ns() / NSEC_PER_SEC;
}

/* Under the lock. */
static void shmfs_node_put_locked(struct shmfs_node *n, struct shmem **drop)
{
	if (--n->refs)
		return;
	*drop = n->shm;		/* freed outside the lock: it gives pages back */
	kfree(n);
}

static void shmfs_node_put(struct shmfs_node *n)
{
	struct shmem *drop = NULL;
	unsigned long irq = spin_lock_irqsave(&shmfs_lock);

	shmfs_node_put_locked(n, &drop);
	spin_unlock_irqrestore(&shmfs_lock, irq);
	shmem_put(drop);
}

/* A new node with one reference (the caller's), not in the directory. */
static struct shmfs_node *shmfs_node_new(const char *name, uint32_t mode, bool memfd)
{
	struct shmfs_node *n = kzalloc(sizeof(*n));
	unsigned long irq;

	if (!n)
		return NULL;
	n->shm = shmem_create();
	if (!n->shm) {
		kfree(n);
		return NULL;
	}
	n->refs = 1;
	n->mode = mode & 07777;
	n->memfd = memfd;
	n->mtime = shmfs_now();
	memcpy(n->name, name, strnlen(name, VFS_NAME_MAX));
	irq = spin_lock_irqsave(&shmfs_lock);
	n->ino = shmfs_next_ino++;
	spin_unlock_irqrestore(&shmfs_lock, irq);
	return n;
}

/*
 * What a path below the top names: "" for the directory itself, else the
 * file name in name. -ENOENT for anything deeper (there are no
 * subdirectories), -ENOTDIR when a file is used as a directory.
 */
static int shmfs_split(const char *path, char name[VFS_NAME_MAX + 1], bool *dir_slash)
{
	const char *rel = path + SHMFS_TOP_LEN, *slash;
	size_t len;

	*dir_slash = false;
	name[0] = 0;
	if (!*rel)
		return 0;
	rel++;			/* the '/' after the top */
	slash = strchr(rel, '/');
	len = slash ? (size_t)(slash - rel) : strlen(rel);
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, rel, len);
	name[len] = 0;
	if (slash) {
		/* "name/" asks for a directory; "name/more" looks inside one. */
		*dir_slash = true;
		if (slash[1])
			return -ENOTDIR;	/* ENOENT if name is missing: the caller's */
	}
	return 0;
}

/* Where the entry called name is linked, or where a new one would go (*pp NULL). */
static struct shmfs_entry **shmfs_slot(const char *name)
{
	struct shmfs_entry **pp = &shmfs_entries;

	while (*pp && strcmp((*pp)->name, name))
		pp = &(*pp)->next;
	return pp;
}

/* The file called name, or NULL. Under the lock. */
static struct shmfs_node *shmfs_find(const char *name)
{
	struct shmfs_entry *e = *shmfs_slot(name);

	return e ? e->node : NULL;
}

/* Put e, naming n, last in the directory; n goes by its name. Under the lock. */
static void shmfs_append_locked(struct shmfs_node *n, struct shmfs_entry *e)
{
	struct shmfs_entry **pp = shmfs_slot(e->name);

	e->next = NULL;
	e->node = n;
	e->pos = shmfs_next_pos++;
	*pp = e;
	memcpy(n->name, e->name, sizeof(n->name));
}

/* Give n the name of e (its own memory), last in the directory. Under the lock. */
static void shmfs_link_locked(struct shmfs_node *n, struct shmfs_entry *e)
{
	shmfs_append_locked(n, e);
	n->nlink++;
	n->refs++;
}

/* Take the entry at *pp out of the directory; its file is the caller's to put. */
static struct shmfs_node *shmfs_unlink_locked(struct shmfs_entry **pp)
{
	struct shmfs_entry *e = *pp;
	struct shmfs_node *n = e->node;

	*pp = e->next;
	/* Its name in /proc/self/fd: another of its names, or this one, deleted. */
	if (--n->nlink && !strcmp(n->name, e->name)) {
		for (struct shmfs_entry *o = shmfs_entries; o; o = o->next) {
			if (o->node == n) {
				memcpy(n->name, o->name, sizeof(n->name));
				break;
			}
		}
	} else if (!n->nlink) {
		memcpy(n->name, e->name, sizeof(n->name));
	}
	kfree(e);
	return n;
}

/*
 * Look the path up: *node a held file, or NULL for the directory. -ENOENT
 * or -ENOTDIR as Linux would say them.
 */
static int shmfs_lookup(const char *path, struct shmfs_node **node)
{
	char name[VFS_NAME_MAX + 1];
	bool dir_slash;
	int rc = shmfs_split(path, name, &dir_slash);
	unsigned long irq;
	struct shmfs_node *n;

	*node = NULL;
	if (rc && rc != -ENOTDIR)
		return rc;
	if (!name[0])
		return 0;
	irq = spin_lock_irqsave(&shmfs_lock);
	n = shmfs_find(name);
	if (n)
		n->refs++;
	spin_unlock_irqrestore(&shmfs_lock, irq);
	if (!n)
		return -ENOENT;
	if (dir_slash) {
		shmfs_node_put(n);
		return -ENOTDIR;
	}
	*node = n;
	return 0;
}

static struct file *shmfs_file_new(struct shmfs_node *n, uint32_t flags)
{
	struct file *f = file_alloc(n ? &shmfs_file_ops : &shmfs_dir_ops, flags);

	if (f)
		f->priv = n;
	return f;
}

/* open of a file that exists: what open(2) refuses, and O_TRUNC. */
static int shmfs_open_file(struct shmfs_node *n, uint32_t flags)
{
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY)
		return shmem_resize(n->shm, 0);
	return 0;
}

static int shmfs_create(const char *path, uint32_t flags, uint32_t mode, struct shmfs_node **out)
{
	char name[VFS_NAME_MAX + 1];
	struct shmfs_node *n, *old;
	struct shmfs_entry *e;
	unsigned long irq;
	bool dir_slash;
	int rc = shmfs_split(path, name, &dir_slash);

	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	if (dir_slash)
		return -EISDIR;
	n = shmfs_node_new(name, mode & ~0022, false);
	e = kzalloc(sizeof(*e));
	if (!n || !e) {
		kfree(e);
		if (n)
			shmfs_node_put(n);
		return -ENOMEM;
	}
	memcpy(e->name, name, sizeof(e->name));
	irq = spin_lock_irqsave(&shmfs_lock);
	/* Made meanwhile by another process: open that one, as Linux would. */
	old = shmfs_find(name);
	if (old && (flags & O_EXCL)) {
		rc = -EEXIST;
	} else if (old) {
		old->refs++;
	} else {
		shmfs_link_locked(n, e);
		e = NULL;
	}
	spin_unlock_irqrestore(&shmfs_lock, irq);
	kfree(e);
	if (old || rc) {
		shmfs_node_put(n);
		if (rc)
			return rc;
		rc = shmfs_open_file(old, flags);
		if (rc) {
			shmfs_node_put(old);
			return rc;
		}
		n = old;
	}
	*out = n;
	return 0;
}

static int shmfs_open(const struct vfs_path *vp, uint32_t flags, uint32_t mode, struct file **out)
{
	struct shmfs_node *n;
	struct file *f;
	int rc = shmfs_lookup(vp->path, &n);

	if (rc == -ENOENT && (flags & O_CREAT))
		rc = shmfs_create(vp->path, flags, mode, &n);
	else if (!rc && !n && ((flags & O_CREAT) || (flags & O_ACCMODE) != O_RDONLY))
		rc = -EISDIR;	/* the directory itself: read-only, never made */
	else if (!rc && n && (flags & O_CREAT) && (flags & O_EXCL))
		rc = -EEXIST;
	else if (!rc && n)
		rc = shmfs_open_file(n, flags);
	f = rc ? NULL : shmfs_file_new(n, flags);
	if (!f) {
		if (n)
			shmfs_node_put(n);
		return rc ? rc : -ENOMEM;
	}
	*out = f;
	return 0;
}

static void shmfs_fill_stat(const struct shmfs_node *n, struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = VFS_DEV_SHM;
	if (!n) {
		st->ino = 1;
		st->mode = S_IFDIR | 01777;
		st->nlink = 2;
		st->mtime = time_boot_epoch();
		return;
	}
	st->ino = n->ino;
	st->mode = S_IFREG | n->mode;
	st->nlink = n->nlink;
	st->size = shmem_size(n->shm);
	st->blocks = shmem_resident(n->shm) / 512;
	st->mtime = n->mtime;
}

static int shmfs_stat(const struct vfs_path *vp, bool follow, struct vfs_stat *st)
{
	struct shmfs_node *n;
	int rc = shmfs_lookup(vp->path, &n);

	if (rc)
		return rc;
	shmfs_fill_stat(n, st);
	if (n)
		shmfs_node_put(n);
	return 0;
}

/* The cwd lives in the enclave's tree, where /dev/shm is an empty directory. */
static int shmfs_chdir(const struct vfs_path *vp)
{
	struct shmfs_node *n;
	int rc = shmfs_lookup(vp->path, &n);
	struct vfs_path top = { .proc = vp->proc, .path = SHMFS_TOP, .last = true };

	if (rc)
		return rc;
	if (n) {
		shmfs_node_put(n);
		return -ENOTDIR;
	}
	return rootfs_fs_ops.chdir(&top);
}

static int64_t shmfs_readlink(const struct vfs_path *vp, char *buf, size_t len)
{
	struct shmfs_node *n;
	int rc = shmfs_lookup(vp->path, &n);

	if (n)
		shmfs_node_put(n);
	return rc ? rc : -EINVAL;	/* no symlinks here */
}

static int shmfs_mkdir(const struct vfs_path *vp, uint32_t mode)
{
	struct shmfs_node *n;
	int rc = shmfs_lookup(vp->path, &n);

	if (n)
		shmfs_node_put(n);
	if (!rc)
		return -EEXIST;
	return rc == -ENOENT ? -EPERM : rc;	/* flat: see the top of the file */
}

static int shmfs_unlink(const struct vfs_path *vp)
{
	char name[VFS_NAME_MAX + 1];
	struct shmfs_entry **pp;
	struct shmem *drop = NULL;
	unsigned long irq;
	bool dir_slash;
	int rc = shmfs_split(vp->path, name, &dir_slash);

	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	if (!name[0])
		return -EISDIR;
	irq = spin_lock_irqsave(&shmfs_lock);
	pp = shmfs_slot(name);
	if (*pp && dir_slash)
		rc = -ENOTDIR;
	else if (*pp)	/* open files and mappings keep the bytes; the name goes now */
		shmfs_node_put_locked(shmfs_unlink_locked(pp), &drop);
	else
		rc = -ENOENT;
	spin_unlock_irqrestore(&shmfs_lock, irq);
	shmem_put(drop);
	return rc;
}

/*
 * The file names of a link or rename: both must be files of this directory
 * (its own name is -EPERM for link, -EBUSY for rename, as Linux says of a
 * mount point).
 */
static int shmfs_split_two(const char *from, const char *to, char old[VFS_NAME_MAX + 1],
			   char new[VFS_NAME_MAX + 1], int dir_rc)
{
	bool slash_old, slash_new;
	int rc = shmfs_split(from, old, &slash_old);

	if (!rc)
		rc = shmfs_split(to, new, &slash_new);
	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	if (!old[0] || !new[0])
		return dir_rc;
	return slash_old || slash_new ? -ENOTDIR : 0;
}

/* link(2): another name for the file from. */
static int shmfs_link(const struct vfs_path *from, const struct vfs_path *to)
{
	char old[VFS_NAME_MAX + 1], new[VFS_NAME_MAX + 1];
	struct shmfs_entry *e;
	struct shmfs_node *n;
	unsigned long irq;
	int rc = shmfs_split_two(from->path, to->path, old, new, -EPERM);

	if (rc)
		return rc;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	memcpy(e->name, new, sizeof(e->name));
	irq = spin_lock_irqsave(&shmfs_lock);
	n = shmfs_find(old);
	if (!n) {
		rc = -ENOENT;
	} else if (shmfs_find(new)) {
		rc = -EEXIST;
	} else {
		shmfs_link_locked(n, e);
		n->mtime = shmfs_now();
		e = NULL;
	}
	spin_unlock_irqrestore(&shmfs_lock, irq);
	kfree(e);
	return rc;
}

/*
 * rename(2) and renameat2's RENAME_NOREPLACE and RENAME_EXCHANGE: the
 * entry from takes the name to, and a file called so loses that name
 * (its bytes stay with whoever has it open or mapped).
 */
static int shmfs_rename(const struct vfs_path *from, const struct vfs_path *to, uint32_t flags)
{
	char old[VFS_NAME_MAX + 1], new[VFS_NAME_MAX + 1];
	struct shmfs_entry **po, **pn, *moved;
	struct shmfs_node *gone = NULL;
	struct shmem *drop = NULL;
	unsigned long irq;
	int rc = shmfs_split_two(from->path, to->path, old, new, -EBUSY);

	if (rc)
		return rc;
	irq = spin_lock_irqsave(&shmfs_lock);
	po = shmfs_slot(old);
	pn = shmfs_slot(new);
	if (!*po) {
		rc = -ENOENT;
	} else if (*pn && (flags & VFS_RENAME_NOREPLACE)) {
		rc = -EEXIST;
	} else if (flags & VFS_RENAME_EXCHANGE) {
		struct shmfs_node *n = (*po)->node;

		if (!*pn) {
			rc = -ENOENT;
		} else {
			(*po)->node = (*pn)->node;
			(*pn)->node = n;
			/* Each now goes by the name it took (/proc/self/fd). */
			memcpy((*po)->node->name, (*po)->name, sizeof((*po)->name));
			memcpy(n->name, (*pn)->name, sizeof(n->name));
		}
	} else if (*pn && (*pn)->node == (*po)->node) {
		/* Two names of one file: Linux does nothing, and says 0. */
	} else {
		if (*pn)
			gone = shmfs_unlink_locked(pn);
		/* The entry moves to the end with its new name, as a new one would. */
		po = shmfs_slot(old);
		moved = *po;
		*po = moved->next;
		memcpy(moved->name, new, sizeof(moved->name));
		shmfs_append_locked(moved->node, moved);	/* the same name count */
		if (gone)
			shmfs_node_put_locked(gone, &drop);
	}
	spin_unlock_irqrestore(&shmfs_lock, irq);
	shmem_put(drop);
	return rc;
}

static int shmfs_rmdir(const struct vfs_path *vp)
{
	struct shmfs_node *n;
	int rc = shmfs_lookup(vp->path, &n);

	if (n) {
		shmfs_node_put(n);
		return -ENOTDIR;
	}
	return rc ? rc : -EBUSY;	/* the directory itself is a mount point */
}

static int shmfs_truncate(const struct vfs_path *vp, uint64_t size)
{
	struct shmfs_node *n;
	int rc = shmfs_lookup(vp->path, &n);

	if (rc)
		return rc;
	if (!n)
		return -EISDIR;
	rc = shmem_resize(n->shm, size);
	shmfs_node_put(n);
	return rc;
}

static int shmfs_chmod(const struct vfs_path *vp, uint32_t perm)
{
	struct shmfs_node *n;
	int rc = shmfs_lookup(vp->path, &n);

	if (rc || !n)
		return rc;	/* the directory's mode stays 1777 */
	n->mode = perm & 07777;
	shmfs_node_put(n);
	return 0;
}

const struct vfs_fs_ops shmfs_fs_ops = {
	.name = "shm",
	.open = shmfs_open,
	.stat = shmfs_stat,
	.chdir = shmfs_chdir,
	.readlink = shmfs_readlink,
	.mkdir = shmfs_mkdir,
	.unlink = shmfs_unlink,
	.rmdir = shmfs_rmdir,
	.link = shmfs_link,
	.rename = shmfs_rename,
	.truncate = shmfs_truncate,
	.chmod = shmfs_chmod,
};

bool shmfs_owns(const char *abs)
{
	return !strncmp(abs, SHMFS_TOP, SHMFS_TOP_LEN) &&
	       (abs[SHMFS_TOP_LEN] == 0 || abs[SHMFS_TOP_LEN] == '/');
}

/* Open files. */

static int64_t shmfs_file_read(struct file *f, void *buf, size_t len, uint64_t pos)
{
	struct shmfs_node *n = f->priv;

	return shmem_read(n->shm, pos, buf, len);
}

static int64_t shmfs_file_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	struct shmfs_node *n = f->priv;

	if (f->flags & O_APPEND)
		*pos = shmem_size(n->shm);
	n->mtime = shmfs_now();
	return shmem_write(n->shm, *pos, buf, len);
}

static int shmfs_file_stat(struct file *f, struct vfs_stat *st)
{
	shmfs_fill_stat(f->priv, st);
	return 0;
}

static int shmfs_file_truncate(struct file *f, uint64_t size)
{
	struct shmfs_node *n = f->priv;

	n->mtime = shmfs_now();
	return shmem_resize(n->shm, size);
}

static int shmfs_file_chmod(struct file *f, uint32_t perm)
{
	struct shmfs_node *n = f->priv;

	n->mode = perm & 07777;
	return 0;
}

/* As Linux names them in /proc/self/fd: "/dev/shm/x", "/memfd:x (deleted)". */
static int64_t shmfs_file_path(struct file *f, char *buf, size_t len)
{
	struct shmfs_node *n = f->priv;
	unsigned long irq = spin_lock_irqsave(&shmfs_lock);
	int w;

	if (n->memfd)
		w = ksnprintf(buf, len, "/memfd:%s (deleted)", n->name);
	else
		w = ksnprintf(buf, len, SHMFS_TOP "/%s%s", n->name, n->nlink ? "" : " (deleted)");
	spin_unlock_irqrestore(&shmfs_lock, irq);
	return w < 0 ? -ERANGE : (int64_t)MIN((size_t)w, len ? len - 1 : 0);
}

static struct shmem *shmfs_file_shmem(struct file *f)
{
	struct shmfs_node *n = f->priv;

	shmem_get(n->shm);
	return n->shm;
}

static void shmfs_file_release(struct file *f)
{
	if (f->priv)
		shmfs_node_put(f->priv);
}

static const struct vfs_file_ops shmfs_file_ops = {
	.name = "shm",
	.read = shmfs_file_read,
	.write = shmfs_file_write,
	.stat = shmfs_file_stat,
	.truncate = shmfs_file_truncate,
	.chmod = shmfs_file_chmod,
	.path = shmfs_file_path,
	.shmem = shmfs_file_shmem,
	.release = shmfs_file_release,
};

/* The directory, opened. */

static int shmfs_dir_stat(struct file *f, struct vfs_stat *st)
{
	shmfs_fill_stat(NULL, st);
	return 0;
}

static int shmfs_dir_readdir(struct file *f, uint64_t *pos, struct vfs_dirent *de)
{
	unsigned long irq;
	int rc = -ENOENT;

	memset(de, 0, sizeof(*de));
	if (*pos < 2) {
		de->ino = 1;	/* ".." is /dev's, but nobody compares */
		de->mode = S_IFDIR;
		memcpy(de->name, "..", *pos + 1);
		de->name[*pos + 1] = 0;
		(*pos)++;
		return 0;
	}
	irq = spin_lock_irqsave(&shmfs_lock);
	for (struct shmfs_entry *e = shmfs_entries; e; e = e->next) {
		if (e->pos < *pos)
			continue;
		de->ino = e->node->ino;
		de->mode = S_IFREG;
		memcpy(de->name, e->name, strlen(e->name) + 1);
		*pos = e->pos + 1;
		rc = 0;
		break;
	}
	spin_unlock_irqrestore(&shmfs_lock, irq);
	return rc;
}

static int64_t shmfs_dir_path(struct file *f, char *buf, size_t len)
{
	size_t n = MIN(len, (size_t)SHMFS_TOP_LEN);

	memcpy(buf, SHMFS_TOP, n);
	return (int64_t)n;
}

static int shmfs_dir_fchdir(struct file *f)
{
	struct vfs_path top = {
		.proc = task_current()->proc, .path = SHMFS_TOP, .last = true,
	};

	return rootfs_fs_ops.chdir(&top);
}

static const struct vfs_file_ops shmfs_dir_ops = {
	.name = "shm",
	.stat = shmfs_dir_stat,
	.readdir = shmfs_dir_readdir,
	.path = shmfs_dir_path,
	.fchdir = shmfs_dir_fchdir,
};

int shmfs_memfd(const char *name, uint32_t flags, struct file **out)
{
	char full[VFS_NAME_MAX + 1];
	struct shmfs_node *n;
	struct file *f;

	ksnprintf(full, sizeof(full), "%s", name);
	n = shmfs_node_new(full, 0777, true);
	if (!n)
		return -ENOMEM;
	f = shmfs_file_new(n, flags);
	if (!f) {
		shmfs_node_put(n);
		return -ENOMEM;
	}
	*out = f;
	return 0;
}
