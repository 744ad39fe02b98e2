// SPDX-License-Identifier: GPL-2.0
/*
 * What /proc, /sys and /dev do alike (see synth.h): paths to trees, nodes
 * to open files, and files that read from the copy made at open.
 */
#include <stdarg.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/hostfile.h>
#include <cove/kvsnprintf.h>
#include <cove/shmfs.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include "backends.h"
#include "synth.h"

/* An open regular file or directory of a tree. */
struct synth_file {
	struct sbuf text;		/* file: its bytes; directory: its entries */
	struct synth_node node;
};

static const struct synth_tree *const synth_trees[] = { &procfs_tree, &sysfs_tree, &devfs_tree };

static const struct vfs_file_ops synth_file_ops;

bool synth_next(const char **rel, char *out, size_t len)
{
	const char *p = *rel;
	size_t n = 0;

	while (*p == '/')
		p++;
	if (!*p) {
		*rel = p;
		return false;
	}
	while (p[n] && p[n] != '/')
		n++;
	*rel = p + n;
	if (n >= len)
		n = len - 1;	/* too long for any name here: it matches nothing */
	memcpy(out, p, n);
	out[n] = 0;
	return true;
}

bool synth_number(const char *name, const char *prefix, uint32_t *v)
{
	size_t n = strlen(prefix);
	uint64_t x = 0;
	const char *s = name + n;

	if (strncmp(name, prefix, n) || !*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
		if (x > 0xffffffffULL)
			return false;
	}
	*v = (uint32_t)x;
	return true;
}

const struct synth_entry *synth_find(const struct synth_entry *t, const char *name)
{
	for (; t->name; t++) {
		if (!strcmp(t->name, name))
			return t;
	}
	return NULL;
}

void synth_list(const struct synth_entry *t, struct sbuf *sb)
{
	for (; t->name; t++)
		synth_dir_add(sb, t->name, t->mode);
}

void synth_set(struct synth_node *n, uint32_t mode, uint32_t kind)
{
	n->mode = mode;
	n->kind = kind;
	n->rdev = 0;
	n->follow = SYNTH_PLAIN;
}

int synth_target(struct synth_node *n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = kvsnprintf(n->target, sizeof(n->target), fmt, ap);
	va_end(ap);
	return len < 0 || (size_t)len >= sizeof(n->target) ? -ENAMETOOLONG : 0;
}

/* Entries are the mode, then the name and its NUL. */
void synth_dir_add(struct sbuf *sb, const char *name, uint32_t mode)
{
	sbuf_putmem(sb, &mode, sizeof(mode));
	sbuf_putmem(sb, name, strlen(name) + 1);
}

/* Inode numbers: a hash of the path, so a name and its directory entry agree. */
static uint64_t synth_ino(const char *path, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *path; path++)
		h = (h ^ (uint8_t)*path) * 0x100000001b3ULL;
	if (name) {
		h = (h ^ '/') * 0x100000001b3ULL;
		for (; *name; name++)
			h = (h ^ (uint8_t)*name) * 0x100000001b3ULL;
	}
	return (h >> 1) | 1;
}

/* The tree an absolute, normalised path is in, and the path below its top. */
static const struct synth_tree *synth_tree_of(const char *path, const char **rel)
{
	for (size_t i = 0; i < ARRAY_SIZE(synth_trees); i++) {
		size_t n = strlen(synth_trees[i]->name);

		if (path[0] == '/' && !strncmp(path + 1, synth_trees[i]->name, n) &&
		    (path[n + 1] == 0 || path[n + 1] == '/')) {
			*rel = path + n + 1;
			return synth_trees[i];
		}
	}
	return NULL;
}

static int synth_lookup_path(const char *path, bool follow, struct synth_node *n)
{
	const char *rel;
	const struct synth_tree *t = synth_tree_of(path, &rel);
	size_t len = strlen(path);

	if (!t)
		return -ENOENT;
	if (len >= sizeof(n->path))
		return -ENAMETOOLONG;
	memset(n, 0, sizeof(*n));
	memcpy(n->path, path, len + 1);
	n->tree = t;
	return t->lookup(rel, follow, n);
}

/* A link may lead to a link: at most this many are followed, as Linux's limit. */
#define SYNTH_HOPS_MAX 40

/*
 * What vp names, following links that lead elsewhere in these trees here
 * (iteratively: no recursion however long the chain). A link that leads
 * out of them is left as SYNTH_REDIRECT for the caller to hand to the VFS.
 */
static int synth_lookup(const struct vfs_path *vp, bool follow, struct synth_node *n)
{
	int rc = synth_lookup_path(vp->path, follow, n);
	char *next;

	for (int hops = 0; !rc && n->follow == SYNTH_REDIRECT; hops++) {
		if (hops == SYNTH_HOPS_MAX)
			return -ELOOP;
		next = kmalloc(SYNTH_PATH_MAX);
		if (!next)
			return -ENOMEM;
		rc = hostfile_path_join("/", n->target, next, SYNTH_PATH_MAX);
		if (!rc && (!vfs_path_is_enclave(next) || shmfs_owns(next))) {
			kfree(next);
			return 0;
		}
		if (!rc)
			rc = synth_lookup_path(next, follow, n);
		kfree(next);
	}
	return rc;
}

static void synth_fill_stat(const struct synth_node *n, struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = n->tree->dev;
	st->ino = synth_ino(n->path, NULL);
	st->mode = n->mode;
	st->nlink = S_ISDIR(n->mode) ? 2 : 1;
	st->rdev = n->rdev;
	st->size = S_ISREG(n->mode) ? n->tree->reg_size : 0;
	st->mtime = time_boot_epoch();
}

/* The text of a file, or a directory's entries, as they are now. */
static int synth_fill_text(struct synth_file *sf)
{
	const struct synth_node *n = &sf->node;
	int rc;

	sbuf_free(&sf->text);
	sbuf_init(&sf->text, SYNTH_TEXT_MAX);
	if (S_ISDIR(n->mode)) {
		synth_dir_add(&sf->text, ".", S_IFDIR);
		synth_dir_add(&sf->text, "..", S_IFDIR);
	}
	rc = n->tree->fill(n, &sf->text);
	return !rc && sf->text.overflow ? -ENOMEM : rc;
}

/*
 * A file's text is copied at open. A directory's entries are listed when
 * it is read from the start, as Linux does: /proc/self/fd then shows the
 * descriptor it is being read through.
 */
static int synth_snapshot(const struct synth_node *n, uint32_t flags, struct file **out)
{
	struct synth_file *sf = kzalloc(sizeof(*sf));
	struct file *f;
	int rc;

	if (!sf)
		return -ENOMEM;
	sbuf_init(&sf->text, SYNTH_TEXT_MAX);
	sf->node = *n;
	rc = S_ISDIR(n->mode) ? 0 : synth_fill_text(sf);
	f = rc ? NULL : file_alloc(&synth_file_ops, flags);
	if (!f) {
		sbuf_free(&sf->text);
		kfree(sf);
		return rc ? rc : -ENOMEM;
	}
	f->priv = sf;
	*out = f;
	return 0;
}

static int synth_fs_open(const struct vfs_path *vp, uint32_t flags, uint32_t mode,
			 struct file **out)
{
	struct synth_node *n = kmalloc(sizeof(*n));
	bool write = (flags & O_ACCMODE) != O_RDONLY;
	int rc;

	if (!n)
		return -ENOMEM;
	rc = synth_lookup(vp, !(flags & O_NOFOLLOW), n);
	if (rc == -ENOENT && (flags & O_CREAT))
		rc = -EACCES;	/* nothing is made in these trees */
	else if (!rc && (flags & O_CREAT) && (flags & O_EXCL))
		rc = -EEXIST;
	if (rc)
		goto out;
	if (n->follow == SYNTH_REDIRECT) {
		rc = vfs_openat(AT_FDCWD, n->target, flags, mode, out);
		goto out;
	}
	if (n->follow == SYNTH_MAGIC) {
		rc = n->tree->open(n, flags, out);
		goto out;
	}
	if (S_ISLNK(n->mode))
		rc = -ELOOP;	/* O_NOFOLLOW on a link */
	else if (!S_ISDIR(n->mode) && (flags & O_DIRECTORY))
		rc = -ENOTDIR;
	else if (S_ISDIR(n->mode) && write)
		rc = -EISDIR;
	else if (S_ISCHR(n->mode))
		rc = n->tree->open(n, flags, out);
	else if (write && !(n->mode & 0222))
		rc = -EACCES;
	else
		rc = synth_snapshot(n, flags, out);
out:
	kfree(n);
	return rc;
}

static int synth_fs_stat(const struct vfs_path *vp, bool follow, struct vfs_stat *st)
{
	struct synth_node *n = kmalloc(sizeof(*n));
	struct file *f;
	int rc;

	if (!n)
		return -ENOMEM;
	rc = synth_lookup(vp, follow, n);
	if (!rc && n->follow == SYNTH_REDIRECT) {
		rc = vfs_statat(AT_FDCWD, n->target, true, st);
	} else if (!rc && n->follow == SYNTH_MAGIC) {
		rc = n->tree->open(n, O_RDONLY, &f);
		if (!rc) {
			rc = vfs_fstat(f, st);
			file_put(f);
		}
	} else if (!rc) {
		synth_fill_stat(n, st);
	}
	kfree(n);
	return rc;
}

static int64_t synth_fs_readlink(const struct vfs_path *vp, char *buf, size_t len)
{
	struct synth_node *n = kmalloc(sizeof(*n));
	struct sbuf sb;
	int64_t rc;

	if (!n)
		return -ENOMEM;
	sbuf_init(&sb, SYNTH_PATH_MAX * 16);
	rc = synth_lookup(vp, false, n);
	if (!rc && !S_ISLNK(n->mode))
		rc = -EINVAL;
	if (!rc)
		rc = n->tree->fill(n, &sb);
	if (!rc && sb.overflow)
		rc = -ENOMEM;
	if (!rc) {
		rc = (int64_t)MIN(len, sb.len);
		memcpy(buf, sb.buf, (size_t)rc);
	}
	sbuf_free(&sb);
	kfree(n);
	return rc;
}

/*
 * The cwd is always a directory of the enclave's tree: the tops of these
 * trees are (empty) directories there too, and the deeper ones cannot be
 * stood in.
 */
static int synth_chdir_node(const struct synth_node *n)
{
	struct vfs_path vp = { .proc = task_current()->proc, .path = n->path, .last = true };

	if (n->follow == SYNTH_REDIRECT)
		return vfs_chdir(n->target);
	if (!S_ISDIR(n->mode))
		return -ENOTDIR;
	return rootfs_fs_ops.chdir(&vp) == 0 ? 0 : -EACCES;
}

static int synth_fs_chdir(const struct vfs_path *vp)
{
	struct synth_node *n = kmalloc(sizeof(*n));
	int rc;

	if (!n)
		return -ENOMEM;
	rc = synth_lookup(vp, true, n);
	if (!rc && n->follow == SYNTH_MAGIC)
		rc = -ENOTDIR;
	if (!rc)
		rc = synth_chdir_node(n);
	kfree(n);
	return rc;
}

/* Nothing is made, removed or changed in these trees. */
static int synth_fs_refuse(const struct vfs_path *vp)
{
	return -EACCES;
}

static int synth_fs_mkdir(const struct vfs_path *vp, uint32_t mode)
{
	return synth_fs_refuse(vp);
}

static int synth_fs_truncate(const struct vfs_path *vp, uint64_t size)
{
	return synth_fs_refuse(vp);
}

static int synth_fs_chmod(const struct vfs_path *vp, uint32_t perm)
{
	return synth_fs_refuse(vp);
}

const struct vfs_fs_ops synth_fs_ops = {
	.name = "synth",
	.open = synth_fs_open,
	.stat = synth_fs_stat,
	.chdir = synth_fs_chdir,
	.readlink = synth_fs_readlink,
	.mkdir = synth_fs_mkdir,
	.unlink = synth_fs_refuse,
	.rmdir = synth_fs_refuse,
	.truncate = synth_fs_truncate,
	.chmod = synth_fs_chmod,
};

static int64_t synth_file_read(struct file *f, void *buf, size_t len, uint64_t pos)
{
	struct synth_file *sf = f->priv;
	size_t n;

	if (S_ISDIR(sf->node.mode))
		return -EISDIR;
	if (pos >= sf->text.len)
		return 0;
	n = (size_t)MIN((uint64_t)len, sf->text.len - pos);
	memcpy(buf, sf->text.buf + pos, n);
	return (int64_t)n;
}

static int synth_file_stat(struct file *f, struct vfs_stat *st)
{
	struct synth_file *sf = f->priv;

	synth_fill_stat(&sf->node, st);
	return 0;
}

static int synth_file_readdir(struct file *f, uint64_t *pos, struct vfs_dirent *de)
{
	struct synth_file *sf = f->priv;
	const char *name;
	uint32_t mode;
	size_t n;

	if (!S_ISDIR(sf->node.mode))
		return -ENOTDIR;
	if (*pos == 0) {
		int rc = synth_fill_text(sf);

		if (rc)
			return rc;
	}
	if (*pos + sizeof(mode) >= sf->text.len)
		return -ENOENT;
	memcpy(&mode, sf->text.buf + *pos, sizeof(mode));
	name = sf->text.buf + *pos + sizeof(mode);
	n = strnlen(name, VFS_NAME_MAX);
	memcpy(de->name, name, n);
	de->name[n] = 0;
	de->mode = mode;
	if (!strcmp(name, "."))
		de->ino = synth_ino(sf->node.path, NULL);
	else if (!strcmp(name, ".."))
		de->ino = synth_ino(sf->node.path, "..");
	else
		de->ino = synth_ino(sf->node.path, name);
	*pos += sizeof(mode) + strlen(name) + 1;
	return 0;
}

static int synth_file_fchdir(struct file *f)
{
	struct synth_file *sf = f->priv;

	return synth_chdir_node(&sf->node);
}

static int64_t synth_file_path(struct file *f, char *buf, size_t len)
{
	struct synth_file *sf = f->priv;
	size_t n = MIN(len, strlen(sf->node.path));

	memcpy(buf, sf->node.path, n);
	return (int64_t)n;
}

static void synth_file_release(struct file *f)
{
	struct synth_file *sf = f->priv;

	sbuf_free(&sf->text);
	kfree(sf);
}

static const struct vfs_file_ops synth_file_ops = {
	.name = "synth",
	.read = synth_file_read,
	.stat = synth_file_stat,
	.readdir = synth_file_readdir,
	.fchdir = synth_file_fchdir,
	.path = synth_file_path,
	.release = synth_file_release,
};
