// SPDX-License-Identifier: GPL-2.0
/* open/stat/getdents and the rest of the name space calls. */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/hostfile.h>
#include <cove/kvsnprintf.h>
#include <cove/ramfs.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

#define AT_FDCWD (-100)
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

static struct process *cur_proc(void)
{
	return task_current()->proc;
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

/* Where a relative path starts: the cwd or a directory descriptor. */
static int fs_base_dir(int dirfd, struct ramfs_node **base, struct file **held)
{
	struct file *f;
	struct ramfs_stat st;

	*held = NULL;
	if (dirfd == AT_FDCWD) {
		*base = cur_proc()->cwd;
		return 0;
	}
	f = fd_get(cur_proc()->files, dirfd);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_NODE) {
		file_put(f);
		return -ENOTDIR;
	}
	ramfs_stat(f->node, &st);
	if (!S_ISDIR(st.mode)) {
		file_put(f);
		return -ENOTDIR;
	}
	*base = f->node;
	*held = f;
	return 0;
}

/* Resolve (dirfd, path) to a node under vfs_lock (held by the caller). */
static int fs_resolve(int dirfd, const char *path, bool follow, struct ramfs_node **node)
{
	struct ramfs_node *base;
	struct file *held;
	int rc = fs_base_dir(path[0] == '/' ? AT_FDCWD : dirfd, &base, &held);

	if (rc)
		return rc;
	rc = ramfs_lookup(vfs_root(), base, path, follow, node);
	file_put(held);
	return rc;
}

/*
 * Where a job's (dirfd, path) lives: always the enclave for a bare-mode
 * job; a host job's may be the host's (cove/hostfile.h). A relative path
 * from a directory descriptor is the enclave's: host directories cannot
 * be opened as bases.
 */
static enum hostfile_route fs_route(int dirfd, const char *path)
{
	struct process *p = cur_proc();

	if (!p->host_job || (path[0] != '/' && dirfd != AT_FDCWD))
		return HOSTFILE_ENCLAVE;
	return hostfile_route(path, p->cwd_on_host);
}

/*
 * The path the host is asked for: taken from the job's host directory when
 * Cove knows it (it may have changed with chdir), else as the job gave it,
 * which the host takes from where `cove run` was started. A new buffer.
 */
static char *fs_host_path(const char *path, int64_t *rc)
{
	const struct process *p = cur_proc();
	char *out = kmalloc(PATH_MAX);

	*rc = out ? 0 : -ENOMEM;
	if (out && p->host_cwd[0])
		*rc = hostfile_path_join(p->host_cwd, path, out, PATH_MAX);
	else if (out)
		*rc = ksnprintf(out, PATH_MAX, "%s", path) < PATH_MAX ? 0 : -ENAMETOOLONG;
	if (*rc) {
		kfree(out);
		return NULL;
	}
	return out;
}

static int fs_stat_host(const char *path, struct ramfs_stat *st)
{
	int64_t rc;
	char *host = fs_host_path(path, &rc);

	if (host)
		rc = hostfile_stat_path(cur_proc()->host_job, host, st);
	kfree(host);
	return (int)rc;
}

static int64_t fs_open_host(const char *path, uint32_t flags, uint32_t mode)
{
	struct file *f;
	int64_t rc;
	char *host = fs_host_path(path, &rc);

	if (!host)
		return rc;
	rc = hostfile_open(cur_proc()->host_job, host, flags, mode, &f);
	kfree(host);
	if (rc)
		return rc;
	rc = fd_install(cur_proc()->files, f, 0, flags & O_CLOEXEC);
	if (rc < 0)
		file_put(f);
	return rc;
}

int64_t sys_openat(SYSCALL_ARGS)
{
	int dirfd = (int)a0;
	uint32_t flags = (uint32_t)a2, mode = (uint32_t)a3 & 07777;
	int64_t rc = 0;
	char *path = fs_user_path(a1, &rc);
	struct ramfs_node *node = NULL, *dir, *base;
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_stat st;
	struct file *held, *f;
	enum hostfile_route route;
	unsigned long irq;

	if (!path)
		return rc;
	route = fs_route(dirfd, path);
	if (route == HOSTFILE_HOST)
		goto host;
	irq = spin_lock_irqsave(&vfs_lock);
	rc = fs_resolve(dirfd, path, !(flags & O_NOFOLLOW), &node);
	if (rc == -ENOENT && route == HOSTFILE_FALLBACK) {
		spin_unlock_irqrestore(&vfs_lock, irq);
		goto host;
	}
	if (rc == -ENOENT && (flags & O_CREAT)) {
		rc = fs_base_dir(path[0] == '/' ? AT_FDCWD : dirfd, &base, &held);
		if (!rc)
			rc = ramfs_lookup_parent(vfs_root(), base, path, &dir, name);
		if (!rc)
			rc = ramfs_create(vfs_root(), dir, name, 0100000 | (mode & ~0022), &node);
		if (!rc)
			ramfs_set_mtime(node, 0);
		file_put(held);
	} else if (!rc && (flags & O_CREAT) && (flags & O_EXCL)) {
		rc = -EEXIST;
	}
	if (!rc) {
		ramfs_stat(node, &st);
		if ((flags & O_DIRECTORY) && !S_ISDIR(st.mode))
			rc = -ENOTDIR;
		else if (S_ISDIR(st.mode) && (flags & O_ACCMODE) != O_RDONLY)
			rc = -EISDIR;
		else if (S_ISLNK(st.mode))
			rc = -ELOOP;
		else if ((flags & O_TRUNC) && S_ISREG(st.mode) && (flags & O_ACCMODE) != O_RDONLY)
			rc = ramfs_truncate(node, 0);
	}
	spin_unlock_irqrestore(&vfs_lock, irq);
	kfree(path);
	if (rc)
		return rc;
	f = file_open_node(node, flags);
	if (!f)
		return -ENOMEM;
	rc = fd_install(cur_proc()->files, f, 0, flags & O_CLOEXEC);
	if (rc < 0)
		file_put(f);
	return rc;
host:
	rc = fs_open_host(path, flags, mode);
	kfree(path);
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

/*
 * The device numbers stat reports: the console's is a tty's; host files get
 * their own, so a tool comparing (st_dev, st_ino) never takes a host file
 * for an enclave file with the same inode number.
 */
#define FS_DEV_ENCLAVE 1
#define FS_DEV_HOST 2
#define FS_DEV_CONSOLE 5

static int fs_stat_file(struct file *f, struct ramfs_stat *st, int *dev)
{
	*dev = f->kind == FILE_CONSOLE ? FS_DEV_CONSOLE :
	       f->kind == FILE_HOST ? FS_DEV_HOST : FS_DEV_ENCLAVE;
	return file_stat(f, st);
}

/* stat of a descriptor (path NULL or empty) or of (dirfd, path); *dev: FS_DEV_*. */
static int fs_stat_common(int dirfd, uint64_t upath, uint32_t atflags, struct ramfs_stat *st,
			  int *dev)
{
	enum hostfile_route route;
	int64_t rc = 0;
	char *path = NULL;
	unsigned long irq;
	struct ramfs_node *node;

	*dev = FS_DEV_ENCLAVE;
	if (upath) {
		path = fs_user_path_empty(upath, atflags & AT_EMPTY_PATH, &rc);
		if (!path)
			return (int)rc;
	}
	if (!path || !path[0]) {
		struct file *f = fd_get(cur_proc()->files, dirfd);

		kfree(path);
		if (!f) {
			if (dirfd == AT_FDCWD && cur_proc()->cwd) {
				irq = spin_lock_irqsave(&vfs_lock);
				ramfs_stat(cur_proc()->cwd, st);
				spin_unlock_irqrestore(&vfs_lock, irq);
				return 0;
			}
			return -EBADF;
		}
		rc = fs_stat_file(f, st, dev);
		file_put(f);
		return (int)rc;
	}
	route = fs_route(dirfd, path);
	rc = -ENOENT;
	if (route != HOSTFILE_HOST) {
		irq = spin_lock_irqsave(&vfs_lock);
		rc = fs_resolve(dirfd, path, !(atflags & AT_SYMLINK_NOFOLLOW), &node);
		if (!rc)
			ramfs_stat(node, st);
		spin_unlock_irqrestore(&vfs_lock, irq);
	}
	if (rc == -ENOENT && route != HOSTFILE_ENCLAVE) {
		*dev = FS_DEV_HOST;
		rc = fs_stat_host(path, st);
	}
	kfree(path);
	return (int)rc;
}

static int fs_put_stat(uint64_t ubuf, const struct ramfs_stat *st, int dev)
{
	bool console = dev == FS_DEV_CONSOLE;
	struct linux_stat ls;

	memset(&ls, 0, sizeof(ls));
	ls.dev = (uint64_t)dev;
	ls.ino = st->ino;
	ls.nlink = st->nlink;
	ls.mode = st->mode;
	ls.uid = st->uid;
	ls.gid = st->gid;
	ls.rdev = console ? (4 << 8) | 64 : 0;
	ls.size = (int64_t)st->size;
	ls.blksize = 4096;
	ls.blocks = (int64_t)st->blocks;
	ls.atime = ls.mtime = ls.ctime = (int64_t)st->mtime;
	return copy_to_user(ubuf, &ls, sizeof(ls));
}

int64_t sys_newfstatat(SYSCALL_ARGS)
{
	struct ramfs_stat st;
	int dev;
	int rc = fs_stat_common((int)a0, a1, (uint32_t)a3, &st, &dev);

	return rc ? rc : fs_put_stat(a2, &st, dev);
}

int64_t sys_fstat(SYSCALL_ARGS)
{
	struct ramfs_stat st;
	int dev;
	int rc = fs_stat_common((int)a0, 0, 0, &st, &dev);

	return rc ? rc : fs_put_stat(a1, &st, dev);
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
	struct ramfs_stat st;
	struct linux_statx sx;
	int dev;
	int rc = fs_stat_common((int)a0, a1, (uint32_t)a2, &st, &dev);

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
	sx.dev_minor = (uint32_t)dev;
	if (dev == FS_DEV_CONSOLE) {
		sx.rdev_major = 4;
		sx.rdev_minor = 64;
	}
	return copy_to_user(a4, &sx, sizeof(sx));
}

int64_t sys_faccessat(SYSCALL_ARGS)
{
	struct ramfs_stat st;
	int dev;
	int rc = fs_stat_common((int)a0, a1, 0, &st, &dev);

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

int64_t sys_getdents64(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_proc()->files, (int)a0);
	uint64_t out = a1, left = a2, written = 0;
	unsigned long irq;
	int64_t rc = 0;

	if (!f)
		return -EBADF;
	if (f->kind != FILE_NODE) {
		file_put(f);
		return -ENOTDIR;
	}
	irq = spin_lock_irqsave(&vfs_lock);
	for (;;) {
		uint64_t pos = f->pos;
		const char *name;
		struct ramfs_node *node;
		struct ramfs_stat st;
		uint8_t rec[280];
		size_t nlen, reclen;

		rc = ramfs_readdir(f->node, &pos, &name, &node);
		if (rc == -ENOENT) {
			rc = 0;
			break;
		}
		if (rc)
			break;
		nlen = strlen(name);
		reclen = ALIGN_UP(19 + nlen + 1, 8);
		if (reclen > left) {
			if (!written)
				rc = -EINVAL;
			break;
		}
		ramfs_stat(node, &st);
		memset(rec, 0, reclen);
		memcpy(rec, &st.ino, 8);
		memcpy(rec + 8, &pos, 8);
		rec[16] = (uint8_t)reclen;
		rec[17] = (uint8_t)(reclen >> 8);
		rec[18] = S_ISDIR(st.mode) ? 4 : S_ISLNK(st.mode) ? 10 : 8;
		memcpy(rec + 19, name, nlen);
		if (copy_to_user(out, rec, reclen)) {
			rc = -EFAULT;
			break;
		}
		f->pos = pos;
		out += reclen;
		left -= reclen;
		written += reclen;
	}
	spin_unlock_irqrestore(&vfs_lock, irq);
	file_put(f);
	return rc < 0 ? rc : (int64_t)written;
}

int64_t sys_readlinkat(SYSCALL_ARGS)
{
	int64_t rc = 0;
	char *path = fs_user_path(a1, &rc);
	char buf[256];
	struct ramfs_node *node;
	unsigned long irq;

	if (!path)
		return rc;
	if ((int64_t)a3 <= 0) {
		kfree(path);
		return -EINVAL;
	}
	irq = spin_lock_irqsave(&vfs_lock);
	rc = fs_resolve((int)a0, path, false, &node);
	if (!rc)
		rc = ramfs_readlink(node, buf, MIN(sizeof(buf), a3));
	spin_unlock_irqrestore(&vfs_lock, irq);
	kfree(path);
	if (rc > 0 && copy_to_user(a2, buf, (size_t)rc))
		rc = -EFAULT;
	return rc;
}

int64_t sys_readlink(SYSCALL_ARGS)
{
	return sys_readlinkat((uint64_t)AT_FDCWD, a0, a1, a2, 0, 0);
}

/* A host job standing in a host directory: that directory's path. */
static int64_t fs_getcwd_host(uint64_t ubuf, uint64_t size)
{
	const char *cwd = cur_proc()->host_cwd;
	size_t len = strlen(cwd) + 1;

	if (len > size)
		return -ERANGE;
	return copy_to_user(ubuf, cwd, len) ? -EFAULT : (int64_t)len;
}

/* The cwd's path, found by walking up through ".." and matching names. */
int64_t sys_getcwd(SYSCALL_ARGS)
{
	struct ramfs_node *node = cur_proc()->cwd, *parent;
	size_t at = PATH_MAX - 1;
	unsigned long irq;
	int64_t rc = 0;
	char *buf;

	if (cur_proc()->cwd_on_host && cur_proc()->host_cwd[0])
		return fs_getcwd_host(a0, a1);
	buf = kmalloc(PATH_MAX);

	if (!buf)
		return -ENOMEM;
	buf[at] = 0;
	irq = spin_lock_irqsave(&vfs_lock);
	while (node && node != vfs_root()->root && !rc) {
		uint64_t pos = 0;
		const char *name = NULL;
		struct ramfs_node *child;

		rc = ramfs_lookup(vfs_root(), node, "..", true, &parent);
		while (!rc && ramfs_readdir(parent, &pos, &name, &child) == 0) {
			if (child == node && strcmp(name, ".") && strcmp(name, ".."))
				break;
			name = NULL;
		}
		if (!name) {
			rc = -ENOENT;
			break;
		}
		size_t len = strlen(name);

		if (len + 1 > at) {
			rc = -ERANGE;
			break;
		}
		at -= len;
		memcpy(buf + at, name, len);
		buf[--at] = '/';
		node = parent;
	}
	spin_unlock_irqrestore(&vfs_lock, irq);
	if (at == PATH_MAX - 1)
		buf[--at] = '/';
	if (!rc && PATH_MAX - at > a1)
		rc = -ERANGE;
	if (!rc)
		rc = copy_to_user(a0, buf + at, PATH_MAX - at) ? -EFAULT : (int64_t)(PATH_MAX - at);
	kfree(buf);
	return rc;
}

static int64_t fs_set_cwd(struct ramfs_node *node, uint64_t unused)
{
	struct ramfs_stat st;

	(void)unused;
	ramfs_stat(node, &st);
	if (!S_ISDIR(st.mode))
		return -ENOTDIR;
	cur_proc()->cwd = node;
	cur_proc()->cwd_on_host = false;	/* relative paths are the enclave's now */
	return 0;
}

static int64_t fs_truncate_node(struct ramfs_node *node, uint64_t size)
{
	return ramfs_truncate(node, size);
}

static int64_t fs_chmod_node(struct ramfs_node *node, uint64_t mode)
{
	ramfs_chmod(node, (uint32_t)mode & 07777);
	return 0;
}

/* Resolve a user path (from the cwd, following links) and apply op to it. */
static int64_t fs_path_op(uint64_t upath, int64_t (*op)(struct ramfs_node *, uint64_t),
			  uint64_t arg)
{
	int64_t rc = 0;
	char *path = fs_user_path(upath, &rc);
	struct ramfs_node *node;
	unsigned long irq;

	if (!path)
		return rc;
	irq = spin_lock_irqsave(&vfs_lock);
	rc = fs_resolve(AT_FDCWD, path, true, &node);
	if (!rc)
		rc = op(node, arg);
	spin_unlock_irqrestore(&vfs_lock, irq);
	kfree(path);
	return rc;
}

/*
 * A host job that knows its host directory may move between host
 * directories too: the path goes where fs_route says, as for open.
 */
static int64_t fs_chdir_host_job(uint64_t upath)
{
	struct process *p = cur_proc();
	int64_t rc = 0;
	char *path = fs_user_path(upath, &rc), *host = NULL;
	enum hostfile_route route;
	struct ramfs_node *node;
	struct ramfs_stat st;
	unsigned long irq;

	if (!path)
		return rc;
	route = fs_route(AT_FDCWD, path);
	rc = -ENOENT;
	if (route != HOSTFILE_HOST) {
		irq = spin_lock_irqsave(&vfs_lock);
		rc = fs_resolve(AT_FDCWD, path, true, &node);
		if (!rc)
			rc = fs_set_cwd(node, 0);
		spin_unlock_irqrestore(&vfs_lock, irq);
	}
	if (rc == -ENOENT && route != HOSTFILE_ENCLAVE) {
		host = fs_host_path(path, &rc);
		if (host)
			rc = hostfile_stat_path(p->host_job, host, &st);
		if (!rc && !S_ISDIR(st.mode))
			rc = -ENOTDIR;
		if (!rc && strlen(host) >= sizeof(p->host_cwd))
			rc = -ENAMETOOLONG;
		if (!rc) {
			memcpy(p->host_cwd, host, strlen(host) + 1);
			p->cwd_on_host = true;
		}
	}
	kfree(host);
	kfree(path);
	return rc;
}

int64_t sys_chdir(SYSCALL_ARGS)
{
	if (cur_proc()->host_job && cur_proc()->host_cwd[0])
		return fs_chdir_host_job(a0);
	return fs_path_op(a0, fs_set_cwd, 0);
}

int64_t sys_fchdir(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_proc()->files, (int)a0);
	unsigned long irq;
	int64_t rc;

	if (!f)
		return -EBADF;
	irq = spin_lock_irqsave(&vfs_lock);
	rc = f->kind == FILE_NODE ? fs_set_cwd(f->node, 0) : -ENOTDIR;
	spin_unlock_irqrestore(&vfs_lock, irq);
	file_put(f);
	return rc;
}

/* Calls that make or remove one name: mkdir, unlink, rmdir. */
static int64_t fs_name_op(int dirfd, uint64_t upath, int op, uint32_t mode)
{
	int64_t rc = 0;
	char *path = fs_user_path(upath, &rc);
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_node *base, *dir;
	struct file *held;
	unsigned long irq;

	if (!path)
		return rc;
	irq = spin_lock_irqsave(&vfs_lock);
	rc = fs_base_dir(path[0] == '/' ? AT_FDCWD : dirfd, &base, &held);
	if (!rc)
		rc = ramfs_lookup_parent(vfs_root(), base, path, &dir, name);
	if (!rc) {
		if (op == 0)
			rc = ramfs_mkdir(vfs_root(), dir, name, mode & 07777, NULL);
		else if (op == 1)
			rc = ramfs_unlink(vfs_root(), dir, name);
		else
			rc = ramfs_rmdir(vfs_root(), dir, name);
	}
	file_put(held);
	spin_unlock_irqrestore(&vfs_lock, irq);
	kfree(path);
	return rc;
}

int64_t sys_mkdirat(SYSCALL_ARGS)
{
	return fs_name_op((int)a0, a1, 0, (uint32_t)a2);
}

int64_t sys_mkdir(SYSCALL_ARGS)
{
	return fs_name_op(AT_FDCWD, a0, 0, (uint32_t)a1);
}

int64_t sys_unlinkat(SYSCALL_ARGS)
{
	return fs_name_op((int)a0, a1, (a2 & AT_REMOVEDIR) ? 2 : 1, 0);
}

int64_t sys_unlink(SYSCALL_ARGS)
{
	return fs_name_op(AT_FDCWD, a0, 1, 0);
}

int64_t sys_rmdir(SYSCALL_ARGS)
{
	return fs_name_op(AT_FDCWD, a0, 2, 0);
}

int64_t sys_ftruncate(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_proc()->files, (int)a0);
	unsigned long irq;
	int64_t rc;

	if (!f)
		return -EBADF;
	if (f->kind != FILE_NODE || (f->flags & O_ACCMODE) == O_RDONLY) {
		file_put(f);
		return -EINVAL;
	}
	irq = spin_lock_irqsave(&vfs_lock);
	rc = ramfs_truncate(f->node, a1);
	spin_unlock_irqrestore(&vfs_lock, irq);
	file_put(f);
	return rc;
}

int64_t sys_truncate(SYSCALL_ARGS)
{
	return fs_path_op(a0, fs_truncate_node, a1);
}

int64_t sys_umask(SYSCALL_ARGS)
{
	return 0022;
}

int64_t sys_fchmod(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_proc()->files, (int)a0);
	unsigned long irq;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_NODE) {
		irq = spin_lock_irqsave(&vfs_lock);
		ramfs_chmod(f->node, (uint32_t)a1 & 07777);
		spin_unlock_irqrestore(&vfs_lock, irq);
	}
	file_put(f);
	return 0;
}

int64_t sys_chmod(SYSCALL_ARGS)
{
	return fs_path_op(a0, fs_chmod_node, a1);
}
