/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open files and descriptor tables. A file is the console, a node of the
 * job's in-memory file system (the initramfs plus what jobs write), or a
 * host job's file on the host (cove/hostfile.h).
 */
#ifndef COVE_FILE_H
#define COVE_FILE_H

#include <cove/spinlock.h>
#include <cove/types.h>

struct ramfs;
struct ramfs_node;
struct ramfs_stat;

#define FD_MAX 256

#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000

enum file_kind {
	FILE_CONSOLE,
	FILE_NODE,
	FILE_HOST,
};

struct file {
	enum file_kind kind;
	/*
	 * A console file of a host-launched job: writes go to the host as long
	 * calls on this stream (1 stdout, 2 stderr) of host_job; 0 = the log.
	 */
	uint32_t host_stream;
	uint32_t host_job;		/* also the owner of a FILE_HOST */
	uint64_t host_handle;		/* FILE_HOST: the host's name for it */
	struct ramfs_node *node;
	uint64_t pos;
	uint32_t flags;
	uint32_t refs;
	spinlock_t lock;		/* pos */
};

struct fdtable {
	spinlock_t lock;
	struct file *fd[FD_MAX];
	uint8_t cloexec[FD_MAX];
	uint32_t refs;
};

/* The file system every job sees, and the lock all of it is under. */
struct ramfs *vfs_root(void);
extern spinlock_t vfs_lock;
/* Load an initramfs (cpio newc) into the file system. */
int vfs_init(const void *cpio, size_t len);

/*
 * Read a whole regular file into a new kmalloc'd buffer (one NUL byte
 * past the end). 0; -ENOENT or another lookup error; -EACCES if it is not
 * a regular file; -E2BIG if larger than max (*len says how large); -ENOMEM;
 * -EIO.
 */
int vfs_read_file(const char *path, uint64_t max, char **data, size_t *len);

/* fds 0-2 on the console; host_job != 0 makes them that host job's stdio. */
struct fdtable *fdtable_create_stdio(uint32_t host_job);
/*
 * Create path (and its missing parent directories) as a regular file
 * holding data, replacing what was there. 0 or -errno.
 */
int vfs_install_file(const char *path, const void *data, size_t len, uint32_t mode);
void fdtable_get(struct fdtable *t);
void fdtable_put(struct fdtable *t);
/* Lowest free descriptor at or above min; -EMFILE when full. */
int fd_install(struct fdtable *t, struct file *f, int min, bool cloexec);
/* Takes a reference: file_put when done. NULL if fd is not open. */
struct file *fd_get(struct fdtable *t, int fd);
int fd_close(struct fdtable *t, int fd);

/* A new file of that kind with one reference, or NULL. */
struct file *file_alloc(enum file_kind kind, uint32_t flags);
struct file *file_open_node(struct ramfs_node *node, uint32_t flags);
void file_put(struct file *f);
int64_t file_read(struct file *f, void *buf, size_t len, uint64_t *pos);
int64_t file_write(struct file *f, const void *buf, size_t len, uint64_t *pos);
/* What stat says of an open file, whatever its kind: 0 or the host's -errno. */
int file_stat(struct file *f, struct ramfs_stat *st);

#endif /* COVE_FILE_H */
