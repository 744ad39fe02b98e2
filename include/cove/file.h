/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open files and descriptor tables. What a file does is its back end's
 * (f->ops, see cove/vfs.h): a node of the job's in-memory file system, a
 * host job's file on the host, or the console.
 */
#ifndef COVE_FILE_H
#define COVE_FILE_H

#include <cove/spinlock.h>
#include <cove/types.h>
#include <cove/vfs.h>

struct ramfs_node;

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

struct file {
	const struct vfs_file_ops *ops;
	uint64_t pos;
	uint32_t flags;
	uint32_t refs;
	spinlock_t lock;		/* pos */
	/* The back end's own; only its ops look at these. */
	struct ramfs_node *node;	/* the enclave's tree */
	uint32_t host_job;		/* a host file's owner, or a host job's console */
	/* A host job's console: its writes go to this stream (1, 2); 0 = the log. */
	uint32_t host_stream;
	uint64_t host_handle;		/* a host file: the host's name for it */
	void *priv;			/* any other back end's own state */
};

/*
 * Where a table's numbers come from when they are not its own to give: a
 * job with a host proxy shares them with the host (cove/offload.h).
 */
struct fd_numbers {
	/* A number >= min (or exactly min) now held for Cove, or -errno. */
	int (*reserve)(int min, bool exact);
	void (*release)(int fd);
	/* The numbers the other side has open for itself (ascending): how many, or -errno. */
	int (*list)(uint32_t *out, uint32_t max);
};

struct fdtable {
	spinlock_t lock;
	struct file *fd[FD_MAX];
	uint8_t cloexec[FD_MAX];
	uint32_t refs;
	const struct fd_numbers *numbers;	/* NULL: every number is Cove's */
};

/* fds 0-2 on the console; host_job != 0 makes them that host job's stdio. */
struct fdtable *fdtable_create_stdio(uint32_t host_job);
/* An empty table whose numbers come from elsewhere (a host proxy: its stdio are the host's). */
struct fdtable *fdtable_create_shared(const struct fd_numbers *numbers);
/*
 * fork: a new table holding the same open files (each one more reference)
 * and close-on-exec marks; NULL when out of memory or when src's numbers
 * are not its own (a job with a host proxy).
 */
struct fdtable *fdtable_dup(struct fdtable *src);
/* execve: close every descriptor marked close-on-exec. */
void fdtable_close_on_exec(struct fdtable *t);
void fdtable_get(struct fdtable *t);
void fdtable_put(struct fdtable *t);
/* Lowest free descriptor at or above min; -EMFILE when full. */
int fd_install(struct fdtable *t, struct file *f, int min, bool cloexec);
/* Takes a reference: file_put when done. NULL if fd is not open. */
struct file *fd_get(struct fdtable *t, int fd);
int fd_close(struct fdtable *t, int fd);
bool fd_is_open(struct fdtable *t, int fd);
void fd_set_cloexec(struct fdtable *t, int fd, bool on);
/* Drop fd from Cove's table only: the host has already reused its number. */
void fd_forget(struct fdtable *t, int fd);

/* A new file of that back end with one reference, or NULL. */
struct file *file_alloc(const struct vfs_file_ops *ops, uint32_t flags);
void file_put(struct file *f);

#endif /* COVE_FILE_H */
