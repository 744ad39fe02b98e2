/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ramfs: the in-memory file system jobs see, filled from the initramfs cpio
 * archive and writable afterwards. Files loaded from the archive point at the
 * archive bytes until their first change (copy-on-write), so the archive must
 * outlive the file system and is never written. All memory comes from the
 * ops callbacks, which lets the same code run in the kernel and host tests.
 *
 * Not done: permission checks (the LWK runs one user), device nodes, fifos
 * and sockets (skipped when loading), rename, link(2) and symlink(2): hard and
 * symbolic links come from the archive only. Of the times only mtime is
 * kept. Not locked: callers serialize.
 *
 * Node lifetime: a node stays valid while it has a name, and also while it
 * is held with ramfs_get(), so an open file or a cwd survives unlink/rmdir
 * until ramfs_put(). A removed directory stays empty and has no "..".
 */
#ifndef COVE_RAMFS_H
#define COVE_RAMFS_H

#include <cove/errno.h>
#include <cove/stat.h>
#include <cove/types.h>

#define RAMFS_NAME_MAX 255
#define RAMFS_SYMLINK_MAX 4095	/* longest target, PATH_MAX less the NUL */
#define RAMFS_LOOP_MAX 40	/* symlinks followed in one lookup */
#define RAMFS_FILE_MAX (1ULL << 40)	/* largest file; offsets never near overflow */

struct ramfs_ops {
	void *(*alloc)(void *ctx, size_t n);	/* NULL when out of memory */
	void (*free)(void *ctx, void *p);
	void *ctx;
	uint64_t max_bytes;	/* cap on file data allocated; 0 = none */
	uint64_t (*now)(void *ctx);	/* seconds, for mtime; may be NULL (0) */
};

/* A file, directory or symlink. Opaque; see above for how long it lives. */
struct ramfs_node;

struct ramfs {
	struct ramfs_ops ops;
	struct ramfs_node *root;
	struct ramfs_node *nodes;	/* every node, for ramfs_destroy */
	uint64_t nr_nodes;
	uint64_t data_bytes;		/* allocated for file data; archive bytes are free */
	uint64_t next_ino;
	uint32_t nr_loads;		/* ramfs_load_cpio() calls so far */
};

struct ramfs_stat {
	uint64_t ino;
	uint64_t size;
	uint64_t blocks;	/* 512-byte units */
	uint64_t mtime;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
};

/* Makes an empty file system, root mode 0755, copying *ops. 0 or -ENOMEM. */
int ramfs_init(struct ramfs *fs, const struct ramfs_ops *ops);
/* Frees every node, held or not. The archive is left alone. */
void ramfs_destroy(struct ramfs *fs);

/*
 * Adds the archive's files, directories, symlinks and hard links; other types
 * are skipped. Missing parent directories are made mode 0755, a leading "./"
 * or "/" is dropped, times are the archive's (0 for made parents), symlinks
 * on the way are followed, and an entry replaces what an earlier one put at its
 * path (a directory merely takes the new mode and time; a non-empty directory
 * cannot be replaced: -ENOTEMPTY). A symlink needs a 1..4095 byte target.
 * Returns 0, or a negative errno (-EINVAL for a corrupt archive) with
 * *bad_offset, if not NULL, set to the failing entry's offset; entries
 * before it stay loaded.
 */
int ramfs_load_cpio(struct ramfs *fs, const void *data, size_t len, size_t *bad_offset);

/*
 * Resolves path from cwd (NULL = root); a leading '/' starts at the root.
 * Symlinks in the middle are always followed, the last one only if
 * follow_last or a trailing slash asks for a directory. At most
 * RAMFS_LOOP_MAX symlinks are followed (-ELOOP). An empty path is -ENOENT.
 */
int ramfs_lookup(struct ramfs *fs, struct ramfs_node *cwd, const char *path, bool follow_last,
		 struct ramfs_node **node);
/*
 * For calls that make or remove a name: resolves all but the last component
 * into *dir and copies that component to name ("." for "/"). Trailing
 * slashes are dropped; callers making a regular file should refuse them.
 */
int ramfs_lookup_parent(struct ramfs *fs, struct ramfs_node *cwd, const char *path,
			struct ramfs_node **dir, char name[RAMFS_NAME_MAX + 1]);

/*
 * These take a single name, no slashes, in dir (NULL = the root); an
 * existing name, "." or ".." is -EEXIST; node may be NULL. Only the
 * permission bits of mode are used.
 */
int ramfs_create(struct ramfs *fs, struct ramfs_node *dir, const char *name, uint32_t mode,
		 struct ramfs_node **node);
int ramfs_mkdir(struct ramfs *fs, struct ramfs_node *dir, const char *name, uint32_t mode,
		struct ramfs_node **node);
/*
 * Remove a name: -EISDIR / -ENOTDIR when it is of the other kind, and
 * -ENOTEMPTY for a directory with entries. See above on held nodes.
 */
int ramfs_unlink(struct ramfs *fs, struct ramfs_node *dir, const char *name);
int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *dir, const char *name);
/* Another name, new in newdir, for the file (not a directory: -EPERM) old in dir. */
int ramfs_link(struct ramfs *fs, struct ramfs_node *dir, const char *old,
	       struct ramfs_node *newdir, const char *new);
/*
 * rename(2): old in dir takes the name new in newdir, replacing what was
 * there (a file by a file, an empty directory by a directory); flags
 * RAMFS_RENAME_NOREPLACE (-EEXIST instead) or RAMFS_RENAME_EXCHANGE (the
 * two names trade their nodes). A directory never moves into itself
 * (-EINVAL). Errors as Linux's.
 */
#define RAMFS_RENAME_NOREPLACE 1u
#define RAMFS_RENAME_EXCHANGE 2u
int ramfs_rename(struct ramfs *fs, struct ramfs_node *dir, const char *old,
		 struct ramfs_node *newdir, const char *new, unsigned int flags);

/* Hold a node past the removal of its names; the last put frees it. */
void ramfs_get(struct ramfs_node *node);
void ramfs_put(struct ramfs_node *node);

/*
 * Bytes read (0 at or past the end) or written, or -EISDIR / -EINVAL (not a
 * regular file) / -EFBIG (past RAMFS_FILE_MAX) / -ENOSPC / -ENOMEM. Writing
 * past the end leaves a hole that reads as zeros; O_APPEND writes at the
 * size from ramfs_stat(). The archive buffer is never written.
 */
int64_t ramfs_read(struct ramfs_node *node, uint64_t off, void *buf, size_t len);
int64_t ramfs_write(struct ramfs_node *node, uint64_t off, const void *buf, size_t len);
/* Grows with zeros or shrinks; same errors as ramfs_write(). */
int ramfs_truncate(struct ramfs_node *node, uint64_t size);

/* Directories show size 0; blocks follow the size, holes included. */
void ramfs_stat(const struct ramfs_node *node, struct ramfs_stat *st);
void ramfs_chmod(struct ramfs_node *node, uint32_t perm);
void ramfs_set_mtime(struct ramfs_node *node, uint64_t mtime);

/*
 * Directory iteration: *pos starts at 0 and is advanced past the entry
 * returned; "." and ".." come first, then the names in creation order.
 * Positions stay valid while names are added or removed, so getdents can
 * keep one as its offset. 0, -ENOENT at the end, or -ENOTDIR. *name is
 * valid until the entry is removed.
 */
int ramfs_readdir(struct ramfs_node *dir, uint64_t *pos, const char **name,
		  struct ramfs_node **node);
/* Copies up to len bytes of the target, no NUL; count or -EINVAL. */
int64_t ramfs_readlink(const struct ramfs_node *node, char *buf, size_t len);

#endif /* COVE_RAMFS_H */
