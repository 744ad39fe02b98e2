// SPDX-License-Identifier: GPL-2.0
/*
 * The file system switch (see cove/vfs.h): which back end a name or an
 * open file goes to, and what every back end answers alike.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/hostfile.h>
#include <cove/kvsnprintf.h>
#include <cove/ramfs.h>
#include <cove/shmfs.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/vfs.h>
#include "backends.h"
#include "synth.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* A file system a path may route to; at most this many are asked in turn. */
#define VFS_ROUTE_MAX 2
#define VFS_PATH_MAX 4096

/*
 * A name on its way to a file system: the vfs_path handed to it, the file
 * systems to ask in order (a later one only when the earlier has no such
 * name), and the absolute path when the name is the enclave's own view of
 * the machine (then vp.path is it and vp.dir is not used).
 */
struct vfs_lookup {
	struct vfs_path vp;
	const struct vfs_fs_ops *fs[VFS_ROUTE_MAX];
	int n;
	char *abs;		/* kmalloc'd, or NULL */
	struct file *dir;	/* the held directory file, for vfs_lookup_done */
};

/*
 * The absolute path a relative name starts from, into buf: its directory
 * file's name, or the cwd's. 0, or -ENOENT when it has none the enclave
 * can tell (a host directory: such names are never the synthetic trees').
 */
static int vfs_base_path(const struct vfs_path *vp, char *buf, size_t len)
{
	const struct process *p = vp->proc;
	int64_t n;

	if (vp->dir) {
		n = vp->dir->ops->path ? vp->dir->ops->path(vp->dir, buf, len - 1) : -ENOENT;
		if (n < 0 || buf[0] != '/')
			return -ENOENT;
		buf[n] = 0;
		return 0;
	}
	if (p->host_job && p->cwd_on_host)
		return -ENOENT;
	if (!p->cwd || p->cwd == vfs_root()->root) {
		buf[0] = '/';
		buf[1] = 0;
		return 0;
	}
	n = rootfs_fs_ops.getcwd((struct process *)p, buf, len);
	return n < 0 ? -ENOENT : 0;
}

/*
 * The absolute, normalised form of vp's name if it lands in /proc, /sys or
 * /dev: a new buffer, or NULL for every other name (and when out of memory,
 * which then finds nothing there). "." and ".." are taken as written.
 */
static char *vfs_enclave_abs(const struct vfs_path *vp)
{
	char *base = NULL, *abs;
	bool ok;

	/* Most names are absolute and elsewhere: told without a buffer. */
	if (vp->path[0] == '/' && !vfs_path_is_enclave(vp->path))
		return NULL;
	abs = kmalloc(VFS_PATH_MAX);
	ok = abs != NULL;
	if (ok && vp->path[0] != '/') {
		base = kmalloc(VFS_PATH_MAX);
		ok = base && !vfs_base_path(vp, base, VFS_PATH_MAX);
	}
	if (ok)
		ok = !hostfile_path_join(base ? base : "/", vp->path, abs, VFS_PATH_MAX) &&
		     vfs_path_is_enclave(abs);
	kfree(base);
	if (!ok) {
		kfree(abs);
		return NULL;
	}
	return abs;
}

/*
 * Route (dirfd, path). /proc, /sys and /dev are the enclave's own, in
 * bare and co-kernel mode alike (/dev/shm is the enclave's tmpfs,
 * kernel/fs/shmfs.c). Otherwise a bare-mode job's names are the enclave's; a host
 * job's may be the host's (cove/hostfile.h). A relative path from a
 * directory descriptor is the enclave's: host directories cannot be
 * opened as bases. vfs_lookup_done releases what this holds.
 */
static int vfs_lookup_init(struct vfs_lookup *lk, int dirfd, const char *path)
{
	struct process *p = task_current()->proc;
	enum hostfile_route route = HOSTFILE_ENCLAVE;

	lk->vp.proc = p;
	lk->vp.path = path;
	lk->vp.dir = NULL;
	lk->vp.last = true;
	lk->abs = NULL;
	lk->dir = NULL;
	lk->n = 0;
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		lk->dir = lk->vp.dir = fd_get(p->files, dirfd);
		if (!lk->dir)
			return -EBADF;
	}
	lk->abs = vfs_enclave_abs(&lk->vp);
	if (lk->abs) {
		lk->vp.path = lk->abs;
		lk->vp.dir = NULL;
		lk->fs[lk->n++] = shmfs_owns(lk->abs) ? &shmfs_fs_ops : &synth_fs_ops;
		return 0;
	}
	if (p->host_job && (path[0] == '/' || dirfd == AT_FDCWD))
		route = hostfile_route(path, p->cwd_on_host);
	if (route == HOSTFILE_HOST) {
		lk->fs[lk->n++] = &hostfile_fs_ops;
	} else {
		lk->fs[lk->n++] = &rootfs_fs_ops;
		if (route == HOSTFILE_FALLBACK)
			lk->fs[lk->n++] = &hostfile_fs_ops;
	}
	return 0;
}

static void vfs_lookup_done(struct vfs_lookup *lk)
{
	file_put(lk->dir);
	kfree(lk->abs);
}

/* The file system that makes, removes and changes names: never the host. */
static const struct vfs_fs_ops *vfs_name_fs(const struct vfs_lookup *lk)
{
	return lk->fs[0] == &hostfile_fs_ops ? &rootfs_fs_ops : lk->fs[0];
}

int vfs_openat(int dirfd, const char *path, uint32_t flags, uint32_t mode, struct file **out)
{
	struct vfs_lookup lk;
	int rc = vfs_lookup_init(&lk, dirfd, path);

	for (int i = 0; i < lk.n; i++) {
		lk.vp.last = i == lk.n - 1;
		rc = lk.fs[i]->open(&lk.vp, flags, mode, out);
		if (rc != -ENOENT)
			break;
	}
	vfs_lookup_done(&lk);
	return rc;
}

/* stat of an open file, or of the cwd for AT_FDCWD. */
static int vfs_stat_fd(int dirfd, struct vfs_stat *st)
{
	struct process *p = task_current()->proc;
	struct file *f = fd_get(p->files, dirfd);
	struct vfs_path vp = { .proc = p, .path = ".", .last = true };
	int rc;

	if (f) {
		rc = vfs_fstat(f, st);
		file_put(f);
		return rc;
	}
	if (dirfd != AT_FDCWD || !p->cwd)
		return -EBADF;
	/* The enclave's cwd, even while relative paths are the host's. */
	return rootfs_fs_ops.stat(&vp, true, st);
}

int vfs_statat(int dirfd, const char *path, bool follow, struct vfs_stat *st)
{
	struct vfs_lookup lk;
	int rc;

	if (!path || !path[0])
		return vfs_stat_fd(dirfd, st);
	rc = vfs_lookup_init(&lk, dirfd, path);
	for (int i = 0; i < lk.n; i++) {
		rc = lk.fs[i]->stat(&lk.vp, follow, st);
		if (rc != -ENOENT)
			break;
	}
	vfs_lookup_done(&lk);
	return rc;
}

int vfs_chdir(const char *path)
{
	struct vfs_lookup lk;
	int rc = vfs_lookup_init(&lk, AT_FDCWD, path);	/* from the cwd: nothing to fail */
	int n = lk.n;

	/* Only a host job that knows its host directory can move on the host. */
	if (!lk.abs && !(lk.vp.proc->host_job && lk.vp.proc->host_cwd[0])) {
		lk.fs[0] = &rootfs_fs_ops;
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		rc = lk.fs[i]->chdir(&lk.vp);
		if (rc != -ENOENT)
			break;
	}
	vfs_lookup_done(&lk);
	return rc;
}

int64_t vfs_getcwd(char *buf, size_t len)
{
	struct process *p = task_current()->proc;
	bool host = p->cwd_on_host && p->host_cwd[0];

	return (host ? &hostfile_fs_ops : &rootfs_fs_ops)->getcwd(p, buf, len);
}

/*
 * Calls that read or change one name go to the enclave's tree, or to the
 * synthetic tree the name is in: the host's names are opened and
 * stat'ed, never made or removed.
 */
int64_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	struct vfs_lookup lk;
	int64_t rc = vfs_lookup_init(&lk, dirfd, path);

	if (!rc)
		rc = vfs_name_fs(&lk)->readlink(&lk.vp, buf, len);
	vfs_lookup_done(&lk);
	return rc;
}

int vfs_mkdirat(int dirfd, const char *path, uint32_t mode)
{
	struct vfs_lookup lk;
	int rc = vfs_lookup_init(&lk, dirfd, path);

	if (!rc)
		rc = vfs_name_fs(&lk)->mkdir(&lk.vp, mode);
	vfs_lookup_done(&lk);
	return rc;
}

int vfs_unlinkat(int dirfd, const char *path, bool dir)
{
	struct vfs_lookup lk;
	int rc = vfs_lookup_init(&lk, dirfd, path);

	if (!rc)
		rc = dir ? vfs_name_fs(&lk)->rmdir(&lk.vp) : vfs_name_fs(&lk)->unlink(&lk.vp);
	vfs_lookup_done(&lk);
	return rc;
}

/* Both names looked up, in one file system: which, or NULL and *rc. */
static const struct vfs_fs_ops *vfs_lookup_two(struct vfs_lookup *a, int adir, const char *apath,
					       struct vfs_lookup *b, int bdir, const char *bpath,
					       int *rc)
{
	int brc;

	/* b is looked up even when a fails, so that both are done alike. */
	*rc = vfs_lookup_init(a, adir, apath);
	brc = vfs_lookup_init(b, bdir, bpath);
	if (!*rc)
		*rc = brc;
	if (*rc)
		return NULL;
	if (vfs_name_fs(a) != vfs_name_fs(b)) {
		*rc = -EXDEV;
		return NULL;
	}
	return vfs_name_fs(a);
}

int vfs_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	struct vfs_lookup a, b;
	int rc;
	const struct vfs_fs_ops *fs = vfs_lookup_two(&a, olddirfd, oldpath, &b, newdirfd,
						     newpath, &rc);

	if (fs)
		rc = fs->link ? fs->link(&a.vp, &b.vp) : -EPERM;
	vfs_lookup_done(&b);
	vfs_lookup_done(&a);
	return rc;
}

int vfs_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		 uint32_t flags)
{
	struct vfs_lookup a, b;
	int rc;
	const struct vfs_fs_ops *fs;

	if (flags & ~(VFS_RENAME_NOREPLACE | VFS_RENAME_EXCHANGE) ||
	    (flags & VFS_RENAME_NOREPLACE && flags & VFS_RENAME_EXCHANGE))
		return -EINVAL;
	fs = vfs_lookup_two(&a, olddirfd, oldpath, &b, newdirfd, newpath, &rc);
	if (fs)
		rc = fs->rename ? fs->rename(&a.vp, &b.vp, flags) : -EPERM;
	vfs_lookup_done(&b);
	vfs_lookup_done(&a);
	return rc;
}

int vfs_truncate(const char *path, uint64_t size)
{
	struct vfs_lookup lk;
	int rc = vfs_lookup_init(&lk, AT_FDCWD, path);

	if (!rc)
		rc = vfs_name_fs(&lk)->truncate(&lk.vp, size);
	vfs_lookup_done(&lk);
	return rc;
}

int vfs_chmod(const char *path, uint32_t perm)
{
	struct vfs_lookup lk;
	int rc = vfs_lookup_init(&lk, AT_FDCWD, path);

	if (!rc)
		rc = vfs_name_fs(&lk)->chmod(&lk.vp, perm & 07777);
	vfs_lookup_done(&lk);
	return rc;
}

int64_t vfs_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	int64_t n;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	n = f->ops->read(f, buf, len, *pos);
	if (n > 0 && vfs_seekable(f))
		*pos += (uint64_t)n;
	return n;
}

int64_t vfs_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	int64_t n;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	n = f->ops->write(f, buf, len, pos);
	if (n > 0 && vfs_seekable(f))
		*pos += (uint64_t)n;
	return n;
}

int vfs_fstat(struct file *f, struct vfs_stat *st)
{
	return f->ops->stat(f, st);
}

bool vfs_seekable(const struct file *f)
{
	return !(f->ops->flags & VFS_STREAM);
}

int64_t vfs_lseek(struct file *f, int64_t off, uint64_t whence)
{
	struct vfs_stat st;
	int64_t base;
	int rc;

	if (!vfs_seekable(f))
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		rc = vfs_fstat(f, &st);
		if (rc)
			return rc;
		base = (int64_t)st.size;
		break;
	default:
		return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return base + off;
}

int vfs_readdir(struct file *f, uint64_t *pos, struct vfs_dirent *de)
{
	return f->ops->readdir ? f->ops->readdir(f, pos, de) : -ENOTDIR;
}

int64_t vfs_ioctl(struct file *f, uint64_t req, uint64_t arg)
{
	return f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
}

int vfs_ftruncate(struct file *f, uint64_t size)
{
	if (!f->ops->truncate || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return f->ops->truncate(f, size);
}

int vfs_fchmod(struct file *f, uint32_t perm)
{
	/* The console's and a host file's modes are not the enclave's to change. */
	return f->ops->chmod ? f->ops->chmod(f, perm & 07777) : 0;
}

int vfs_fchdir(struct file *f)
{
	return f->ops->fchdir ? f->ops->fchdir(f) : -ENOTDIR;
}

int64_t vfs_file_path(struct file *f, char *buf, size_t len)
{
	int64_t n = f->ops->path ? f->ops->path(f, buf, len) : -ENOENT;
	int w;

	if (n >= 0)
		return n;
	w = ksnprintf(buf, len, "anon_inode:[%s]", f->ops->name);
	return w < 0 ? -EINVAL : (int64_t)MIN((size_t)w, len ? len - 1 : 0);
}

struct shmem *vfs_file_shmem(struct file *f)
{
	return f->ops->shmem ? f->ops->shmem(f) : NULL;
}

int vfs_mmap_copy(struct file *f, struct aspace *as, uint64_t va, uint64_t len, uint64_t off)
{
	int64_t n = 0;

	if (!vfs_seekable(f) || !f->ops->read)
		return -ENODEV;
	/* Through a kernel buffer: no user page is touched under a back end's lock. */
	for (uint64_t done = 0; done < len; done += PAGE_SIZE) {
		char chunk[PAGE_SIZE];
		size_t want = (size_t)MIN(len - done, PAGE_SIZE);

		n = f->ops->read(f, chunk, want, off + done);
		if (n <= 0)
			break;
		if (aspace_write(as, va + done, chunk, (size_t)n)) {
			n = -EFAULT;
			break;
		}
	}
	return n < 0 ? (int)n : 0;
}
