/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic trees: /proc, /sys and /dev, whose files are made when opened.
 * A tree finds what a path names (lookup) and writes its contents (fill);
 * synth.c does the rest alike for all three: open, stat, readlink, and the
 * open files, which read from a copy taken at open so that read, pread and
 * lseek see one consistent text.
 */
#ifndef COVE_FS_SYNTH_H
#define COVE_FS_SYNTH_H

#include <cove/sbuf.h>
#include <cove/types.h>
#include <cove/vfs.h>

struct file;

#define SYNTH_PATH_MAX 256
/* The most text one file gets (a /proc/<pid>/maps of thousands of regions). */
#define SYNTH_TEXT_MAX (4 * MiB)

/* What opening or stat'ing a followed link does. */
enum synth_follow {
	SYNTH_PLAIN,		/* nothing special: the node itself */
	SYNTH_REDIRECT,		/* the path in target instead (e.g. exe, cwd) */
	SYNTH_MAGIC,		/* the tree's open() gives the file (e.g. fd/N) */
};

struct synth_tree;

/* What a path names. Filled by the tree's lookup; kept by the open file. */
struct synth_node {
	const struct synth_tree *tree;
	uint32_t mode;			/* S_IF* and permission bits */
	uint32_t rdev;			/* a device's (major << 8) | minor */
	uint32_t kind;			/* the tree's own tag for fill */
	uint32_t pid, tid;		/* /proc: whose entry */
	uint32_t index, sub;		/* the tree's numbers: CPU, cache index, fd */
	enum synth_follow follow;
	char path[SYNTH_PATH_MAX];	/* absolute and normalised */
	char target[SYNTH_PATH_MAX];	/* SYNTH_REDIRECT: where to go */
};

struct synth_tree {
	const char *name;		/* the top directory: "proc" */
	uint64_t dev;			/* VFS_DEV_* */
	uint64_t reg_size;		/* st_size of its regular files (Linux: proc 0, sysfs 4096) */
	/*
	 * Fill n for rel, the normalised path below the top ("" for the top);
	 * follow: a link as the last component is followed (n->follow says
	 * how). Links before the last are always followed. 0 or -errno.
	 */
	int (*lookup)(const char *rel, bool follow, struct synth_node *n);
	/* A regular file's text, a link's target, or a directory's entries (synth_dir_add). */
	int (*fill)(const struct synth_node *n, struct sbuf *sb);
	/* Devices and SYNTH_MAGIC links: the open file. */
	int (*open)(const struct synth_node *n, uint32_t flags, struct file **out);
};

/* The back end vfs.c routes /proc, /sys and /dev (but /dev/shm) to. */
extern const struct vfs_fs_ops synth_fs_ops;

/* A directory entry, while filling a directory. */
void synth_dir_add(struct sbuf *sb, const char *name, uint32_t mode);

/* A fixed entry of a tree's directory. */
struct synth_entry {
	const char *name;
	uint32_t mode;
	uint32_t kind;
};

/* Named entry of a table ending with a NULL name, or NULL. */
const struct synth_entry *synth_find(const struct synth_entry *t, const char *name);
/* Every entry of the table into a directory listing. */
void synth_list(const struct synth_entry *t, struct sbuf *sb);
/*
 * Next component of *rel into out (at most len bytes with the NUL), *rel
 * moved past it. False at the end; -ENAMETOOLONG is not possible as tree
 * names are short: a longer component is cut and then matches nothing.
 */
bool synth_next(const char **rel, char *out, size_t len);
/* prefix followed by a decimal number without leading zeros: true and *v. */
bool synth_number(const char *name, const char *prefix, uint32_t *v);
/* n->target from a format: 0, or -ENAMETOOLONG. */
int synth_target(struct synth_node *n, const char *fmt, ...) __printf(2, 3);
/* Sets the node's type and kind (and clears what lookup fills). */
void synth_set(struct synth_node *n, uint32_t mode, uint32_t kind);

/* The three trees. */
extern const struct synth_tree procfs_tree;
extern const struct synth_tree sysfs_tree;
extern const struct synth_tree devfs_tree;

#endif /* COVE_FS_SYNTH_H */

/* The enclave's CPUs as the trees describe them (synth_cpus.c). */
#include <cove/cpuinfo.h>
#include <cove/cpumask.h>
#include <cove/percpu.h>

struct synth_cpus {
	uint32_t n;				/* online CPUs, in cpu[] by number */
	struct cpu_view cpu[MAX_CPUS];
	struct cpumask online;
	struct cpumask possible;		/* started or not */
	uint32_t nr_ids;			/* highest possible number + 1 */
	struct cpu_cache cache[CPU_CACHES_MAX];
	size_t nr_cache;
};

/* A snapshot of them (kfree when done), or NULL when out of memory. */
struct synth_cpus *synth_cpus_get(void);
/* The view of CPU number c if it is online, else NULL. */
const struct cpu_view *synth_cpu(const struct synth_cpus *sc, uint32_t c);
/* Online CPUs sharing cache k with CPU c. */
void synth_cache_cpus(const struct synth_cpus *sc, uint32_t c, size_t k, struct cpumask *m);

/* The partition's memory as /proc/meminfo and node0/meminfo report it. */
struct synth_mem {
	uint64_t total;		/* partition memory less what the kernel holds */
	uint64_t free;
	uint64_t cached;	/* file data in the enclave's tree */
};
void synth_mem_get(struct synth_mem *m);
