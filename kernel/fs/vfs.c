// SPDX-License-Identifier: GPL-2.0
/*
 * The file system switch (see cove/vfs.h): which back end a name or an
 * open file goes to, and what every back end answers alike.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/hostfile.h>
#include <cove/task.h>
#include <cove/vfs.h>
#include "backends.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* A file system a path may route to; at most this many are asked in turn. */
#define VFS_ROUTE_MAX 2

/*
 * The file systems (dirfd, path) is looked for in, in order: a later one
 * only when the earlier has no such name. A bare-mode job's names are the
 * enclave's; a host job's may be the host's (cove/hostfile.h). A relative
 * path from a directory descriptor is the enclave's: host directories
 * cannot be opened as bases. Trees with their own prefix (/proc, /sys,
 * /dev/shm) will be chosen here too.
 */
static int vfs_route(const struct process *p, int dirfd, const char *path,
		     const struct vfs_fs_ops *fs[VFS_ROUTE_MAX])
{
	enum hostfile_route route = HOSTFILE_ENCLAVE;

	if (p->host_job && (path[0] == '/' || dirfd == AT_FDCWD))
		route = hostfile_route(path, p->cwd_on_host);
	switch (route) {
	case HOSTFILE_HOST:
		fs[0] = &hostfile_fs_ops;
		return 1;
	case HOSTFILE_FALLBACK:
		fs[0] = &rootfs_fs_ops;
		fs[1] = &hostfile_fs_ops;
		return 2;
	default:
		fs[0] = &rootfs_fs_ops;
		return 1;
	}
}

/* Sets up *vp for (dirfd, path), holding dirfd's file: vfs_path_done drops it. */
static int vfs_path_init(struct vfs_path *vp, int dirfd, const char *path)
{
	vp->proc = task_current()->proc;
	vp->path = path;
	vp->dir = NULL;
	vp->last = true;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return 0;
	vp->dir = fd_get(vp->proc->files, dirfd);
	return vp->dir ? 0 : -EBADF;
}

static void vfs_path_done(struct vfs_path *vp)
{
	file_put(vp->dir);
}

int vfs_openat(int dirfd, const char *path, uint32_t flags, uint32_t mode, struct file **out)
{
	const struct vfs_fs_ops *fs[VFS_ROUTE_MAX];
	struct vfs_path vp;
	int rc = vfs_path_init(&vp, dirfd, path);
	int n = rc ? 0 : vfs_route(vp.proc, dirfd, path, fs);

	for (int i = 0; i < n; i++) {
		vp.last = i == n - 1;
		rc = fs[i]->open(&vp, flags, mode, out);
		if (rc != -ENOENT)
			break;
	}
	vfs_path_done(&vp);
	return rc;
}

/* stat of an open file, or of the cwd for AT_FDCWD. */
static int vfs_stat_fd(int dirfd, struct vfs_stat *st)
{
	struct process *p = task_current()->proc;
	struct file *f = fd_get(p->files, dirfd);
	struct vfs_path vp;
	int rc;

	if (f) {
		rc = vfs_fstat(f, st);
		file_put(f);
		return rc;
	}
	if (dirfd != AT_FDCWD || !p->cwd)
		return -EBADF;
	/* The enclave's cwd, even while relative paths are the host's. */
	vfs_path_init(&vp, AT_FDCWD, ".");
	return rootfs_fs_ops.stat(&vp, true, st);
}

int vfs_statat(int dirfd, const char *path, bool follow, struct vfs_stat *st)
{
	const struct vfs_fs_ops *fs[VFS_ROUTE_MAX];
	struct vfs_path vp;
	int rc, n;

	if (!path || !path[0])
		return vfs_stat_fd(dirfd, st);
	rc = vfs_path_init(&vp, dirfd, path);
	n = rc ? 0 : vfs_route(vp.proc, dirfd, path, fs);
	for (int i = 0; i < n; i++) {
		rc = fs[i]->stat(&vp, follow, st);
		if (rc != -ENOENT)
			break;
	}
	vfs_path_done(&vp);
	return rc;
}

int vfs_chdir(const char *path)
{
	const struct vfs_fs_ops *fs[VFS_ROUTE_MAX] = { &rootfs_fs_ops };
	struct vfs_path vp;
	int rc = -ENOENT, n = 1;

	vfs_path_init(&vp, AT_FDCWD, path);	/* from the cwd: nothing to fail */

	/* Only a host job that knows its host directory can move on the host. */
	if (vp.proc->host_job && vp.proc->host_cwd[0])
		n = vfs_route(vp.proc, AT_FDCWD, path, fs);
	for (int i = 0; i < n; i++) {
		rc = fs[i]->chdir(&vp);
		if (rc != -ENOENT)
			break;
	}
	vfs_path_done(&vp);
	return rc;
}

int64_t vfs_getcwd(char *buf, size_t len)
{
	struct process *p = task_current()->proc;
	bool host = p->cwd_on_host && p->host_cwd[0];

	return (host ? &hostfile_fs_ops : &rootfs_fs_ops)->getcwd(p, buf, len);
}

/*
 * Calls that read or change one name go to the enclave's tree only: the
 * host's names are opened and stat'ed, never made or removed.
 */
int64_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	struct vfs_path vp;
	int64_t rc = vfs_path_init(&vp, dirfd, path);

	if (!rc)
		rc = rootfs_fs_ops.readlink(&vp, buf, len);
	vfs_path_done(&vp);
	return rc;
}

int vfs_mkdirat(int dirfd, const char *path, uint32_t mode)
{
	struct vfs_path vp;
	int rc = vfs_path_init(&vp, dirfd, path);

	if (!rc)
		rc = rootfs_fs_ops.mkdir(&vp, mode);
	vfs_path_done(&vp);
	return rc;
}

int vfs_unlinkat(int dirfd, const char *path, bool dir)
{
	struct vfs_path vp;
	int rc = vfs_path_init(&vp, dirfd, path);

	if (!rc)
		rc = dir ? rootfs_fs_ops.rmdir(&vp) : rootfs_fs_ops.unlink(&vp);
	vfs_path_done(&vp);
	return rc;
}

int vfs_truncate(const char *path, uint64_t size)
{
	struct vfs_path vp;

	vfs_path_init(&vp, AT_FDCWD, path);
	return rootfs_fs_ops.truncate(&vp, size);
}

int vfs_chmod(const char *path, uint32_t perm)
{
	struct vfs_path vp;

	vfs_path_init(&vp, AT_FDCWD, path);
	return rootfs_fs_ops.chmod(&vp, perm & 07777);
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
