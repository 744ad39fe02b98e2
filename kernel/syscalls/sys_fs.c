// SPDX-License-Identifier: GPL-2.0
/*
 * open/stat/getdents and the rest of the name space calls: Linux's
 * structures in and out of user memory; the work is the VFS's (cove/vfs.h).
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <cove/vfs.h>

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_EMPTY_PATH 0x1000
#define PATH_MAX 4096

struct linux_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t reserved[3];
};

struct statx_ts {
	int64_t sec;
	uint32_t nsec;
	int32_t pad;
};

struct linux_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

_Static_assert(sizeof(struct linux_stat) == 144, "struct stat is 144 bytes on x86-64");
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is 256 bytes");

static struct fdtable *cur_files(void)
{
	return task_current()->proc->files;
}

/* A path from user memory into a kernel buffer the caller frees. */
static char *fs_user_path_empty(uint64_t upath, bool allow_empty, int64_t *err)
{
	char *path = kmalloc(PATH_MAX);
	int64_t n;

	if (!path) {
		*err = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(path, upath, PATH_MAX);
	if (n < 0 || (n == 0 && !allow_empty)) {
		*err = n < 0 ? n : -ENOENT;	/* Linux: an empty path does not exist */
		kfree(path);
		return NULL;
	}
	return path;
}

static char *fs_user_path(uint64_t upath, int64_t *err)
{
	return fs_user_path_empty(upath, false, err);
}

int64_t sys_openat(SYSCALL_ARGS)
{
	uint32_t flags = (uint32_t)a2, mode = (uint32_t)a3 & 07777;
	int64_t rc = 0;
	char *path = fs_user_path(a1, &rc);
	struct file *f;

	if (!path)
		return rc;
	rc = vfs_openat((int)a0, path, flags, mode, &f);
	kfree(path);
	if (rc)
		return rc;
	rc = fd_install(cur_files(), f, 0, flags & O_CLOEXEC);
	if (rc < 0)
		file_put(f);
	return rc;
}

int64_t sys_open(SYSCALL_ARGS)
{
	return sys_openat((uint64_t)AT_FDCWD, a0, a1, a2, 0, 0);
}

int64_t sys_creat(SYSCALL_ARGS)
{
	return sys_openat((uint64_t)AT_FDCWD, a0, O_CREAT | O_WRONLY | O_TRUNC, a1, 0, 0);
}

/* stat of a descriptor (upath 0, or empty with AT_EMPTY_PATH) or of (dirfd, path). */
static int fs_stat_common(int dirfd, uint64_t upath, uint32_t atflags, struct vfs_stat *st)
{
	int64_t rc = 0;
	char *path = NULL;

	if (upath) {
		path = fs_user_path_empty(upath, atflags & AT_EMPTY_PATH, &rc);
		if (!path)
			return (int)rc;
	}
	rc = vfs_statat(dirfd, path, !(atflags & AT_SYMLINK_NOFOLLOW), st);
	kfree(path);
	return (int)rc;
}

static int fs_put_stat(uint64_t ubuf, const struct vfs_stat *st)
{
	struct linux_stat ls;

	memset(&ls, 0, sizeof(ls));
	ls.dev = st->dev;
	ls.ino = st->ino;
	ls.nlink = st->nlink;
	ls.mode = st->mode;
	ls.uid = st->uid;
	ls.gid = st->gid;
	ls.rdev = st->rdev;
	ls.size = (int64_t)st->size;
	ls.blksize = 4096;
	ls.blocks = (int64_t)st->blocks;
	ls.atime = ls.mtime = ls.ctime = (int64_t)st->mtime;
	return copy_to_user(ubuf, &ls, sizeof(ls));
}

int64_t sys_newfstatat(SYSCALL_ARGS)
{
	struct vfs_stat st;
	int rc = fs_stat_common((int)a0, a1, (uint32_t)a3, &st);

	return rc ? rc : fs_put_stat(a2, &st);
}

int64_t sys_fstat(SYSCALL_ARGS)
{
	struct vfs_stat st;
	int rc = fs_stat_common((int)a0, 0, 0, &st);

	return rc ? rc : fs_put_stat(a1, &st);
}

int64_t sys_stat(SYSCALL_ARGS)
{
	return sys_newfstatat((uint64_t)AT_FDCWD, a0, a1, 0, 0, 0);
}

int64_t sys_lstat(SYSCALL_ARGS)
{
	return sys_newfstatat((uint64_t)AT_FDCWD, a0, a1, AT_SYMLINK_NOFOLLOW, 0, 0);
}

int64_t sys_statx(SYSCALL_ARGS)
{
	struct vfs_stat st;
	struct linux_statx sx;
	int rc = fs_stat_common((int)a0, a1, (uint32_t)a2, &st);

	if (rc)
		return rc;
	memset(&sx, 0, sizeof(sx));
	sx.mask = 0x7ff;	/* the basic stats */
	sx.blksize = 4096;
	sx.nlink = st.nlink;
	sx.uid = st.uid;
	sx.gid = st.gid;
	sx.mode = (uint16_t)st.mode;
	sx.ino = st.ino;
	sx.size = st.size;
	sx.blocks = st.blocks;
	sx.atime.sec = sx.btime.sec = sx.ctime.sec = sx.mtime.sec = (int64_t)st.mtime;
	sx.dev_minor = (uint32_t)st.dev;
	sx.rdev_major = st.rdev >> 8;
	sx.rdev_minor = st.rdev & 0xff;
	return copy_to_user(a4, &sx, sizeof(sx));
}

int64_t sys_faccessat(SYSCALL_ARGS)
{
	struct vfs_stat st;
	int rc = fs_stat_common((int)a0, a1, 0, &st);

	if (rc)
		return rc;
	/*
	 * Jobs run as root: only execute permission can be missing. (A host
	 * file's rights are the host's to enforce when the job opens it.)
	 */
	if ((a2 & 1) && !(st.mode & 0111) && !S_ISDIR(st.mode))
		return -EACCES;
	return 0;
}

int64_t sys_faccessat2(SYSCALL_ARGS)
{
	return sys_faccessat(a0, a1, a2, 0, 0, 0);
}

int64_t sys_access(SYSCALL_ARGS)
{
	return sys_faccessat((uint64_t)AT_FDCWD, a0, a1, 0, 0, 0);
}

/* Linux's d_type for a mode. */
static uint8_t fs_dirent_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return 4;
	case S_IFLNK: return 10;
	case S_IFCHR: return 2;
	case S_IFIFO: return 1;
	case S_IFSOCK: return 12;
	default: return 8;
	}
}

int64_t sys_getdents64(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_files(), (int)a0);
	uint64_t out = a1, left = a2, written = 0;
	int64_t rc = 0;

	if (!f)
		return -EBADF;
	for (;;) {
		uint64_t pos = f->pos;
		struct vfs_dirent de;
		uint8_t rec[280];
		size_t nlen, reclen;

		rc = vfs_readdir(f, &pos, &de);
		if (rc == -ENOENT) {
			rc = 0;
			break;
		}
		if (rc)
			break;
		/* struct linux_dirent64: ino, off, reclen, type, name. */
		nlen = strlen(de.name);
		reclen = ALIGN_UP(19 + nlen + 1, 8);
		if (reclen > left) {
			if (!written)
				rc = -EINVAL;
			break;
		}
		memset(rec, 0, reclen);
		memcpy(rec, &de.ino, 8);
		memcpy(rec + 8, &pos, 8);
		rec[16] = (uint8_t)reclen;
		rec[17] = (uint8_t)(reclen >> 8);
		rec[18] = fs_dirent_type(de.mode);
		memcpy(rec + 19, de.name, nlen);
		if (copy_to_user(out, rec, reclen)) {
			rc = -EFAULT;
			break;
		}
		f->pos = pos;
		out += reclen;
		left -= reclen;
		written += reclen;
	}
	file_put(f);
	return rc < 0 ? rc : (int64_t)written;
}

int64_t sys_readlinkat(SYSCALL_ARGS)
{
	int64_t rc = 0;
	char *path = fs_user_path(a1, &rc);
	char buf[256];

	if (!path)
		return rc;
	if ((int64_t)a3 <= 0) {
		kfree(path);
		return -EINVAL;
	}
	rc = vfs_readlinkat((int)a0, path, buf, MIN(sizeof(buf), a3));
	kfree(path);
	if (rc > 0 && copy_to_user(a2, buf, (size_t)rc))
		rc = -EFAULT;
	return rc;
}

int64_t sys_readlink(SYSCALL_ARGS)
{
	return sys_readlinkat((uint64_t)AT_FDCWD, a0, a1, a2, 0, 0);
}

int64_t sys_getcwd(SYSCALL_ARGS)
{
	char *buf = kmalloc(PATH_MAX);
	int64_t n;

	if (!buf)
		return -ENOMEM;
	n = vfs_getcwd(buf, PATH_MAX);
	if (n > 0 && (uint64_t)n > a1)
		n = -ERANGE;
	if (n > 0 && copy_to_user(a0, buf, (size_t)n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

/* Calls that take one path from the cwd: chdir, truncate, chmod. */
static int64_t fs_path_call(uint64_t upath, int (*call)(const char *, uint64_t), uint64_t arg)
{
	int64_t rc = 0;
	char *path = fs_user_path(upath, &rc);

	if (!path)
		return rc;
	rc = call(path, arg);
	kfree(path);
	return rc;
}

static int fs_chdir(const char *path, uint64_t unused)
{
	return vfs_chdir(path);
}

static int fs_truncate(const char *path, uint64_t size)
{
	return vfs_truncate(path, size);
}

static int fs_chmod(const char *path, uint64_t mode)
{
	return vfs_chmod(path, (uint32_t)mode);
}

int64_t sys_chdir(SYSCALL_ARGS)
{
	return fs_path_call(a0, fs_chdir, 0);
}

int64_t sys_truncate(SYSCALL_ARGS)
{
	return fs_path_call(a0, fs_truncate, a1);
}

int64_t sys_chmod(SYSCALL_ARGS)
{
	return fs_path_call(a0, fs_chmod, a1);
}

/* Calls on one open descriptor: fchdir, ftruncate, fchmod. */
static int64_t fs_fd_call(int fd, int (*call)(struct file *, uint64_t), uint64_t arg)
{
	struct file *f = fd_get(cur_files(), fd);
	int64_t rc;

	if (!f)
		return -EBADF;
	rc = call(f, arg);
	file_put(f);
	return rc;
}

static int fs_fchdir(struct file *f, uint64_t unused)
{
	return vfs_fchdir(f);
}

static int fs_ftruncate(struct file *f, uint64_t size)
{
	return vfs_ftruncate(f, size);
}

static int fs_fchmod(struct file *f, uint64_t mode)
{
	return vfs_fchmod(f, (uint32_t)mode);
}

int64_t sys_fchdir(SYSCALL_ARGS)
{
	return fs_fd_call((int)a0, fs_fchdir, 0);
}

int64_t sys_ftruncate(SYSCALL_ARGS)
{
	return fs_fd_call((int)a0, fs_ftruncate, a1);
}

int64_t sys_fchmod(SYSCALL_ARGS)
{
	return fs_fd_call((int)a0, fs_fchmod, a1);
}

/* Calls that make or remove one name: mkdir, unlink, rmdir. */
static int64_t fs_name_call(int dirfd, uint64_t upath, bool mkdir, bool dir, uint32_t mode)
{
	int64_t rc = 0;
	char *path = fs_user_path(upath, &rc);

	if (!path)
		return rc;
	rc = mkdir ? vfs_mkdirat(dirfd, path, mode) : vfs_unlinkat(dirfd, path, dir);
	kfree(path);
	return rc;
}

int64_t sys_mkdirat(SYSCALL_ARGS)
{
	return fs_name_call((int)a0, a1, true, true, (uint32_t)a2);
}

int64_t sys_mkdir(SYSCALL_ARGS)
{
	return fs_name_call(AT_FDCWD, a0, true, true, (uint32_t)a1);
}

int64_t sys_unlinkat(SYSCALL_ARGS)
{
	return fs_name_call((int)a0, a1, false, a2 & AT_REMOVEDIR, 0);
}

int64_t sys_unlink(SYSCALL_ARGS)
{
	return fs_name_call(AT_FDCWD, a0, false, false, 0);
}

int64_t sys_rmdir(SYSCALL_ARGS)
{
	return fs_name_call(AT_FDCWD, a0, false, true, 0);
}

#define AT_SYMLINK_FOLLOW 0x400

/*
 * Two names of the enclave's own files (sys_routed.c sends the host's
 * away): linkat(olddirfd, old, newdirfd, new, flags) when link, else
 * renameat2(olddirfd, old, newdirfd, new, flags).
 */
int64_t sys_two_names(bool link, SYSCALL_ARGS)
{
	int64_t rc = 0;
	char *from, *to = NULL;

	/* No symbolic links in the enclave's trees: following changes nothing. */
	if (link && (a4 & ~(uint64_t)AT_SYMLINK_FOLLOW))
		return -EINVAL;
	from = fs_user_path(a1, &rc);
	if (from)
		to = fs_user_path(a3, &rc);
	if (to)
		rc = link ? vfs_linkat((int)a0, from, (int)a2, to)
			  : vfs_renameat((int)a0, from, (int)a2, to, (uint32_t)a4);
	kfree(to);
	kfree(from);
	return rc;
}

int64_t sys_umask(SYSCALL_ARGS)
{
	return 0022;
}
