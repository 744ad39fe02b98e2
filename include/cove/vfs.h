/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual file system switch: the one place that knows which file
 * system a path or an open file belongs to. System calls unpack their
 * arguments and call vfs_*; a back end fills one or both tables below.
 *
 * Back ends: the enclave's own tree (a ramfs filled from the initramfs cpio
 * archive, whose files keep pointing at the archive bytes until changed:
 * kernel/fs/rootfs*.c), a host job's files on the host (kernel/fs/hostfile*.c)
 * the console (kernel/fs/console_file.c), and the enclave's views of the
 * machine, /proc, /sys and /dev, made when opened (kernel/fs/synth.c,
 * procfs*.c, sysfs_cpu.c, devfs.c). A tree that lives under a prefix fills
 * struct vfs_fs_ops and is chosen by vfs.c's routing; a file without a
 * name, such as a pipe, fills only struct vfs_file_ops.
 */
#ifndef COVE_VFS_H
#define COVE_VFS_H

#include <cove/stat.h>
#include <cove/types.h>

struct aspace;
struct file;
struct shmem;
struct process;
struct ramfs;

/* Linux's "relative to the cwd" directory descriptor. */
#define AT_FDCWD (-100)

#define VFS_NAME_MAX 255

/*
 * The device numbers stat reports: the console's is a tty's; host files get
 * their own, so a tool comparing (st_dev, st_ino) never takes a host file
 * for an enclave file with the same inode number.
 */
#define VFS_DEV_ENCLAVE 1
#define VFS_DEV_HOST 2
#define VFS_DEV_PROC 3
#define VFS_DEV_SYS 4
#define VFS_DEV_CONSOLE 5
#define VFS_DEV_DEVFS 6
#define VFS_DEV_PIPE 7
#define VFS_DEV_SHM 8

struct vfs_stat {
	uint64_t dev;		/* VFS_DEV_* */
	uint64_t ino;
	uint64_t size;
	uint64_t blocks;	/* 512-byte units */
	uint64_t mtime;		/* seconds; also what atime and ctime say */
	uint32_t mode;		/* S_IF* type and permission bits */
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint32_t rdev;		/* a device file's (major << 8) | minor */
};

struct vfs_dirent {
	uint64_t ino;
	uint32_t mode;		/* only the S_IF* type is asked for */
	char name[VFS_NAME_MAX + 1];
};

/* Flags of a struct vfs_file_ops. */
#define VFS_STREAM 0x1		/* no offsets: no pread, lseek or mmap */
#define VFS_SHORT_READ 0x2	/* a read may block: one that got data returns it */

/* What poll reports (Linux's POLL* bits). */
#define VFS_POLLIN 0x1
#define VFS_POLLPRI 0x2
#define VFS_POLLOUT 0x4
#define VFS_POLLERR 0x8
#define VFS_POLLHUP 0x10
#define VFS_POLLNVAL 0x20

/*
 * What an open file does. A NULL operation answers as Linux does for a
 * file that cannot: read/write -EINVAL, readdir/fchdir -ENOTDIR, ioctl
 * -ENOTTY, truncate -EINVAL, chmod succeeds doing nothing.
 */
struct vfs_file_ops {
	const char *name;
	unsigned int flags;	/* VFS_* */
	/* Bytes read at pos (0 at the end), or -errno. */
	int64_t (*read)(struct file *f, void *buf, size_t len, uint64_t pos);
	/* Bytes written at *pos, which an appending file first moves to its end. */
	int64_t (*write)(struct file *f, const void *buf, size_t len, uint64_t *pos);
	int (*stat)(struct file *f, struct vfs_stat *st);
	/* The entry at or after *pos, *pos moved past it; -ENOENT at the end. */
	int (*readdir)(struct file *f, uint64_t *pos, struct vfs_dirent *de);
	int64_t (*ioctl)(struct file *f, uint64_t req, uint64_t arg);
	int (*truncate)(struct file *f, uint64_t size);
	int (*chmod)(struct file *f, uint32_t perm);
	int (*fchdir)(struct file *f);		/* make this directory the cwd */
	/*
	 * The name /proc/<pid>/fd/N shows, without a NUL: its length or
	 * -errno. NULL: "anon_inode:[<name>]", as Linux names such files.
	 */
	int64_t (*path)(struct file *f, char *buf, size_t len);
	/* VFS_POLL* bits ready now. NULL: always ready to read and write. */
	unsigned int (*poll)(struct file *f);
	/*
	 * The shared memory behind the file, referenced, for MAP_SHARED to
	 * map its very pages. NULL: mappings are private copies.
	 */
	struct shmem *(*shmem)(struct file *f);
	void (*release)(struct file *f);	/* the last reference is gone */
};

/*
 * A name to look up: path, relative to dir (a held directory file) or, when
 * dir is NULL, to proc's cwd. last: no other file system is asked after
 * this one, so a missing name may be created here.
 */
struct vfs_path {
	struct process *proc;
	struct file *dir;
	const char *path;
	bool last;
};

/*
 * What a file system does with names. -ENOENT from open, stat or chdir
 * lets the next file system the path routes to have a go. Only the root
 * tree makes, removes and changes names; the others may leave those NULL.
 */
struct vfs_fs_ops {
	const char *name;
	int (*open)(const struct vfs_path *vp, uint32_t flags, uint32_t mode,
		    struct file **out);
	int (*stat)(const struct vfs_path *vp, bool follow, struct vfs_stat *st);
	int (*chdir)(const struct vfs_path *vp);
	/* The cwd's path, NUL included, when the cwd is in this file system. */
	int64_t (*getcwd)(struct process *p, char *buf, size_t len);
	int64_t (*readlink)(const struct vfs_path *vp, char *buf, size_t len);
	int (*mkdir)(const struct vfs_path *vp, uint32_t mode);
	int (*unlink)(const struct vfs_path *vp);
	int (*rmdir)(const struct vfs_path *vp);
	int (*truncate)(const struct vfs_path *vp, uint64_t size);
	int (*chmod)(const struct vfs_path *vp, uint32_t perm);
	/*
	 * Names within this file system only (vfs says EXDEV across two);
	 * NULL: it cannot (EPERM).
	 */
	int (*link)(const struct vfs_path *from, const struct vfs_path *to);
	int (*rename)(const struct vfs_path *from, const struct vfs_path *to, uint32_t flags);
};

/* renameat2's flags, as Linux numbers them. */
#define VFS_RENAME_NOREPLACE 1u
#define VFS_RENAME_EXCHANGE 2u

/* Open files, whatever their back end. pos is the caller's offset, advanced. */
int64_t vfs_read(struct file *f, void *buf, size_t len, uint64_t *pos);
int64_t vfs_write(struct file *f, const void *buf, size_t len, uint64_t *pos);
int vfs_fstat(struct file *f, struct vfs_stat *st);
/* Moves f's offset (SEEK_SET, SEEK_CUR, SEEK_END); the new offset or -errno. */
int64_t vfs_lseek(struct file *f, int64_t off, uint64_t whence);
bool vfs_seekable(const struct file *f);
int vfs_readdir(struct file *f, uint64_t *pos, struct vfs_dirent *de);
int64_t vfs_ioctl(struct file *f, uint64_t req, uint64_t arg);
int vfs_ftruncate(struct file *f, uint64_t size);
int vfs_fchmod(struct file *f, uint32_t perm);
int vfs_fchdir(struct file *f);
/* What /proc/<pid>/fd/N says of f (see struct vfs_file_ops.path). */
int64_t vfs_file_path(struct file *f, char *buf, size_t len);
/* f's shared memory, referenced (shmem_put when done), or NULL (see .shmem). */
struct shmem *vfs_file_shmem(struct file *f);
/* Copy len bytes of f from off into a fresh private mapping at va of as. */
int vfs_mmap_copy(struct file *f, struct aspace *as, uint64_t va, uint64_t len,
		  uint64_t off);

/*
 * Names of the current process: path relative to directory descriptor
 * dirfd, or to the cwd for AT_FDCWD (an absolute path ignores dirfd).
 */
int vfs_openat(int dirfd, const char *path, uint32_t flags, uint32_t mode, struct file **out);
/* path NULL or empty: dirfd's own file (the cwd for AT_FDCWD). */
int vfs_statat(int dirfd, const char *path, bool follow, struct vfs_stat *st);
int64_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t len);
int vfs_mkdirat(int dirfd, const char *path, uint32_t mode);
int vfs_unlinkat(int dirfd, const char *path, bool dir);
/*
 * link(2) and renameat2(2) (flags VFS_RENAME_*) of the enclave's own
 * files: both names in one file system, or -EXDEV.
 */
int vfs_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int vfs_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		 uint32_t flags);
int vfs_truncate(const char *path, uint64_t size);
int vfs_chmod(const char *path, uint32_t perm);
int vfs_chdir(const char *path);
/* The cwd's path into buf, NUL included: its length or -errno. */
int64_t vfs_getcwd(char *buf, size_t len);

/*
 * Whether an absolute path names the enclave's own view of the machine:
 * /proc but its network part (net, self/net, thread-self/net, sys/net),
 * /dev, and /sys down to its processors and memory
 * (/sys/devices/system/{cpu,node}), with "." and ".." taken as written.
 * Those are always answered by the enclave, in bare and co-kernel mode
 * alike; the rest of /sys (devices) is the host's; a relative path is
 * never one (its base decides). Pure.
 */
bool vfs_path_is_enclave(const char *path);

/* The enclave's tree as the kernel itself uses it (kernel/fs/rootfs.c). */

/* Load an initramfs (cpio newc) into the file system. */
int vfs_init(const void *cpio, size_t len);
/* The tree itself, for what it holds (nr_nodes); its calls are rootfs.c's. */
struct ramfs *vfs_root(void);
/*
 * Read a whole regular file into a new kmalloc'd buffer (one NUL byte
 * past the end). 0; -ENOENT or another lookup error; -EACCES if it is not
 * a regular file; -E2BIG if larger than max (*len says how large); -ENOMEM;
 * -EIO.
 */
int vfs_read_file(const char *path, uint64_t max, char **data, size_t *len);
/* Whether the tree has path (links followed). */
bool vfs_has_file(const char *path);
/*
 * Create path (and its missing parent directories) as a regular file
 * holding data, replacing what was there. 0 or -errno.
 */
int vfs_install_file(const char *path, const void *data, size_t len, uint32_t mode);

#endif /* COVE_VFS_H */
