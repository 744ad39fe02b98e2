// SPDX-License-Identifier: GPL-2.0
/*
 * In-memory file system. A directory is a list of entries in creation order,
 * each with a position number that only grows: readdir hands those out, so
 * iteration survives names coming and going. Every node is also on one list
 * of its own, so freeing never recurses. A node is freed once it has neither
 * names nor ramfs_get() references, so open files outlive their names.
 */
#include <cove/cpio.h>
#include <cove/ramfs.h>
#include <cove/string.h>

struct ramfs_dirent {
	struct ramfs_dirent *next;
	struct ramfs_node *node;
	uint64_t pos;
	uint8_t len;
	char name[];
};

struct ramfs_node {
	struct ramfs *fs;
	struct ramfs_node *prev, *next;	/* fs->nodes */
	uint64_t ino;
	uint64_t mtime;
	uint32_t mode;
	uint32_t nlink;
	uint32_t refs;
	uint32_t uid, gid;
	/* Where a file came from, to find its other names in the same archive. */
	uint32_t src_load, src_ino, src_major, src_minor;
	union {
		struct {			/* regular file or symlink target */
			const uint8_t *ro;	/* archive bytes, until the first change */
			uint8_t *data;		/* own copy, cap bytes */
			uint64_t size, cap;
		} f;
		struct {
			struct ramfs_dirent *first, **tail;
			uint64_t next_pos;
			struct ramfs_node *parent;	/* NULL once removed */
		} d;
	};
};

static void *ramfs_alloc(struct ramfs *fs, size_t n)
{
	return fs->ops.alloc(fs->ops.ctx, n);
}

static void ramfs_free(struct ramfs *fs, void *p)
{
	if (p)
		fs->ops.free(fs->ops.ctx, p);
}

static void ramfs_touch(struct ramfs_node *n)
{
	if (n->fs->ops.now)
		n->mtime = n->fs->ops.now(n->fs->ops.ctx);
}

static const uint8_t *ramfs_bytes(const struct ramfs_node *n)
{
	return n->f.data ? n->f.data : n->f.ro;
}

/* 1 for ".", 2 for "..", else 0. */
static int ramfs_dots(const char *s, size_t len)
{
	return len && len <= 2 && s[0] == '.' && s[len - 1] == '.' ? (int)len : 0;
}

static struct ramfs_node *ramfs_node_new(struct ramfs *fs, uint32_t mode)
{
	struct ramfs_node *n = ramfs_alloc(fs, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->fs = fs;
	n->mode = mode;
	n->ino = fs->next_ino++;
	if (S_ISDIR(mode)) {
		n->d.tail = &n->d.first;
		n->d.next_pos = 2;	/* after "." and ".." */
	}
	n->next = fs->nodes;
	if (fs->nodes)
		fs->nodes->prev = n;
	fs->nodes = n;
	fs->nr_nodes++;
	ramfs_touch(n);
	return n;
}

/* Frees the node and its own memory; child nodes are on fs->nodes. */
static void ramfs_node_free(struct ramfs_node *n)
{
	struct ramfs *fs = n->fs;

	if (S_ISDIR(n->mode)) {
		for (struct ramfs_dirent *de = n->d.first, *next; de; de = next) {
			next = de->next;
			ramfs_free(fs, de);
		}
	} else if (n->f.data) {
		ramfs_free(fs, n->f.data);
		fs->data_bytes -= n->f.cap;
	}
	if (n->prev)
		n->prev->next = n->next;
	else
		fs->nodes = n->next;
	if (n->next)
		n->next->prev = n->prev;
	fs->nr_nodes--;
	ramfs_free(fs, n);
}

void ramfs_get(struct ramfs_node *node)
{
	node->refs++;
}

void ramfs_put(struct ramfs_node *node)
{
	if (!--node->refs && !node->nlink)
		ramfs_node_free(node);
}

/*
 * Gives a file or symlink its own buffer of cap bytes (none for 0), keeping
 * what fits of the current bytes, wherever they live.
 */
static int ramfs_set_cap(struct ramfs_node *n, uint64_t cap)
{
	struct ramfs *fs = n->fs;
	uint8_t *p = NULL;

	if (cap) {
		p = ramfs_alloc(fs, cap);
		if (!p)
			return -ENOMEM;
		if (n->f.size)
			memcpy(p, ramfs_bytes(n), MIN(n->f.size, cap));
	}
	ramfs_free(fs, n->f.data);
	fs->data_bytes = fs->data_bytes - n->f.cap + cap;
	n->f.data = p;
	n->f.ro = NULL;
	n->f.cap = cap;
	return 0;
}

/* Makes the bytes writable with room for need >= size, copying on first write. */
static int ramfs_reserve(struct ramfs_node *n, uint64_t need)
{
	uint64_t max = n->fs->ops.max_bytes, avail = UINT64_MAX, cap;

	if (n->f.data && need <= n->f.cap)
		return 0;
	if (max) {
		avail = max - MIN(max, n->fs->data_bytes - n->f.cap);
		if (need > avail)
			return -ENOSPC;
	}
	/* Doubling keeps appends linear; near the cap, take only what is needed. */
	cap = ALIGN_UP(MAX(need, n->f.cap * 2), 64);
	return ramfs_set_cap(n, cap > avail ? need : cap);
}

/* The link that points at name's entry, or NULL. */
static struct ramfs_dirent **ramfs_dir_find(struct ramfs_node *dir, const char *name, size_t len)
{
	struct ramfs_dirent **link;

	for (link = &dir->d.first; *link; link = &(*link)->next)
		if ((*link)->len == len && !memcmp((*link)->name, name, len))
			return link;
	return NULL;
}

/* de, allocated for len bytes of name, names n last in dir; counts are the caller's. */
static void ramfs_dirent_append(struct ramfs_node *dir, struct ramfs_dirent *de, const char *name,
				size_t len, struct ramfs_node *n)
{
	de->next = NULL;
	de->node = n;
	de->pos = dir->d.next_pos++;
	de->len = len;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	*dir->d.tail = de;
	dir->d.tail = &de->next;
}

/* Takes the entry at *link out of dir's list; counts are the caller's. */
static struct ramfs_dirent *ramfs_dirent_unhook(struct ramfs_node *dir, struct ramfs_dirent **link)
{
	struct ramfs_dirent *de = *link;

	*link = de->next;
	if (dir->d.tail == &de->next)
		dir->d.tail = link;
	return de;
}

/* Gives n a name in dir, after the checks every new name needs. */
static int ramfs_attach(struct ramfs_node *dir, const char *name, size_t len,
			struct ramfs_node *n)
{
	struct ramfs_dirent *de;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (len > RAMFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (ramfs_dots(name, len) || ramfs_dir_find(dir, name, len))
		return -EEXIST;
	if (!dir->d.parent)
		return -ENOENT;		/* removed, but still someone's cwd */
	de = ramfs_alloc(dir->fs, sizeof(*de) + len + 1);
	if (!de)
		return -ENOMEM;
	ramfs_dirent_append(dir, de, name, len, n);
	n->nlink++;
	if (S_ISDIR(n->mode)) {
		n->nlink++;		/* its "." */
		n->d.parent = dir;
		dir->nlink++;		/* its ".." */
	}
	ramfs_touch(dir);
	return 0;
}

static void ramfs_dir_remove(struct ramfs_node *dir, struct ramfs_dirent **link)
{
	struct ramfs_dirent *de = ramfs_dirent_unhook(dir, link);
	struct ramfs_node *n = de->node;

	ramfs_free(dir->fs, de);
	if (S_ISDIR(n->mode)) {
		dir->nlink--;
		n->nlink = 0;		/* it is empty: no "." and no children */
		n->d.parent = NULL;
	} else {
		n->nlink--;
	}
	ramfs_touch(dir);
	if (!n->nlink && !n->refs)
		ramfs_node_free(n);
}

static int ramfs_make(struct ramfs_node *dir, const char *name, size_t len, uint32_t mode,
		      struct ramfs_node **out)
{
	struct ramfs_node *n = ramfs_node_new(dir->fs, mode);
	int r;

	if (!n)
		return -ENOMEM;
	r = ramfs_attach(dir, name, len, n);
	if (r) {
		ramfs_node_free(n);
		return r;
	}
	if (out)
		*out = n;
	return 0;
}

struct ramfs_walk {
	int budget;		/* symlinks left to follow */
	bool mkdirs;		/* make missing directories on the way */
};

static int ramfs_walk(struct ramfs *fs, struct ramfs_node *cur, const char *path, size_t len,
		      bool follow, struct ramfs_node **out, struct ramfs_walk *w);

/* One component from dir; a symlink is resolved relative to dir. */
static int ramfs_step(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
		      bool follow, struct ramfs_node **out, struct ramfs_walk *w)
{
	int dots = ramfs_dots(name, len);
	struct ramfs_node *n = dir;
	struct ramfs_dirent **link;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (len > RAMFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (dots == 2) {
		n = dir->d.parent;
		if (!n)
			return -ENOENT;
	} else if (!dots) {
		link = ramfs_dir_find(dir, name, len);
		if (!link)
			return -ENOENT;
		n = (*link)->node;
	}
	if (!follow || !S_ISLNK(n->mode)) {
		*out = n;
		return 0;
	}
	if (--w->budget < 0)
		return -ELOOP;
	return ramfs_walk(fs, dir, (const char *)ramfs_bytes(n), n->f.size, true, out, w);
}

/* Recursion is bounded by the symlink budget, one frame per link followed. */
static int ramfs_walk(struct ramfs *fs, struct ramfs_node *cur, const char *path, size_t len,
		      bool follow, struct ramfs_node **out, struct ramfs_walk *w)
{
	size_t i = 0, s, j;

	if (!len)
		return -ENOENT;
	if (path[0] == '/')
		cur = fs->root;
	for (;;) {
		struct ramfs_node *next;
		bool last, slash;
		int r;

		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		for (s = i; i < len && path[i] != '/'; i++)
			;
		for (j = i; j < len && path[j] == '/'; j++)
			;
		last = j == len;
		slash = last && j > i;
		/* A trailing slash asks for a directory, so it follows a last symlink. */
		r = ramfs_step(fs, cur, path + s, i - s, !last || follow || slash, &next, w);
		if (r == -ENOENT && w->mkdirs)
			r = ramfs_make(cur, path + s, i - s, S_IFDIR | 0755, &next);
		if (r)
			return r;
		if (slash && !S_ISDIR(next->mode))
			return -ENOTDIR;
		cur = next;
	}
	*out = cur;
	return 0;
}

int ramfs_lookup(struct ramfs *fs, struct ramfs_node *cwd, const char *path, bool follow_last,
		 struct ramfs_node **node)
{
	struct ramfs_walk w = { .budget = RAMFS_LOOP_MAX };

	return ramfs_walk(fs, cwd ? cwd : fs->root, path, strlen(path), follow_last, node, &w);
}

/*
 * Splits off the last component ("." if there is none) and resolves the rest
 * from base. The prefix keeps its slash, so the walk insists on a directory.
 */
static int ramfs_parent(struct ramfs *fs, struct ramfs_node *base, const char *path, size_t len,
			struct ramfs_walk *w, struct ramfs_node **dir, const char **name,
			size_t *name_len)
{
	size_t end = len, start;
	int r = 0;

	while (end && path[end - 1] == '/')
		end--;
	for (start = end; start && path[start - 1] != '/'; start--)
		;
	*name = end ? path + start : ".";
	*name_len = end ? end - start : 1;
	if (*name_len > RAMFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (start)
		r = ramfs_walk(fs, base, path, start, true, &base, w);
	else if (len && path[0] == '/')
		base = fs->root;
	if (!r && !S_ISDIR(base->mode))
		r = -ENOTDIR;
	*dir = base;
	return r;
}

int ramfs_lookup_parent(struct ramfs *fs, struct ramfs_node *cwd, const char *path,
			struct ramfs_node **dir, char name[RAMFS_NAME_MAX + 1])
{
	struct ramfs_walk w = { .budget = RAMFS_LOOP_MAX };
	const char *last;
	size_t len;
	int r;

	if (!*path)
		return -ENOENT;
	r = ramfs_parent(fs, cwd ? cwd : fs->root, path, strlen(path), &w, dir, &last, &len);
	if (r)
		return r;
	memcpy(name, last, len);
	name[len] = '\0';
	return 0;
}

/* Checks a caller's single name, and its directory (NULL for the root). */
static int ramfs_name(struct ramfs *fs, struct ramfs_node **dir, const char *name, size_t *len)
{
	if (!*dir)
		*dir = fs->root;
	if (!S_ISDIR((*dir)->mode))
		return -ENOTDIR;
	*len = strnlen(name, RAMFS_NAME_MAX + 1);
	if (!*len)
		return -ENOENT;
	if (*len > RAMFS_NAME_MAX)
		return -ENAMETOOLONG;
	return strchr(name, '/') ? -EINVAL : 0;
}

int ramfs_create(struct ramfs *fs, struct ramfs_node *dir, const char *name, uint32_t mode,
		 struct ramfs_node **node)
{
	size_t len;
	int r = ramfs_name(fs, &dir, name, &len);

	return r ? r : ramfs_make(dir, name, len, S_IFREG | (mode & 07777), node);
}

int ramfs_mkdir(struct ramfs *fs, struct ramfs_node *dir, const char *name, uint32_t mode,
		struct ramfs_node **node)
{
	size_t len;
	int r = ramfs_name(fs, &dir, name, &len);

	return r ? r : ramfs_make(dir, name, len, S_IFDIR | (mode & 07777), node);
}

static int ramfs_remove(struct ramfs *fs, struct ramfs_node *dir, const char *name, bool is_dir)
{
	struct ramfs_dirent **link;
	struct ramfs_node *n;
	size_t len;
	int r = ramfs_name(fs, &dir, name, &len);

	if (r)
		return r;
	/* What Linux answers for rmdir(".."), rmdir(".") and unlink("."). */
	if (ramfs_dots(name, len))
		return !is_dir ? -EISDIR : len == 2 ? -ENOTEMPTY : -EINVAL;
	link = ramfs_dir_find(dir, name, len);
	if (!link)
		return -ENOENT;
	n = (*link)->node;
	if (S_ISDIR(n->mode) != is_dir)
		return is_dir ? -ENOTDIR : -EISDIR;
	if (is_dir && n->d.first)
		return -ENOTEMPTY;
	ramfs_dir_remove(dir, link);
	return 0;
}

int ramfs_unlink(struct ramfs *fs, struct ramfs_node *dir, const char *name)
{
	return ramfs_remove(fs, dir, name, false);
}

int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *dir, const char *name)
{
	return ramfs_remove(fs, dir, name, true);
}

/* ramfs_name for both names of a link or rename. */
static int ramfs_names(struct ramfs *fs, struct ramfs_node **dir, const char *old, size_t *len,
		       struct ramfs_node **newdir, const char *new, size_t *newlen)
{
	int r = ramfs_name(fs, dir, old, len);

	return r ? r : ramfs_name(fs, newdir, new, newlen);
}

int ramfs_link(struct ramfs *fs, struct ramfs_node *dir, const char *old,
	       struct ramfs_node *newdir, const char *new)
{
	struct ramfs_dirent **link;
	size_t len, newlen;
	int r = ramfs_names(fs, &dir, old, &len, &newdir, new, &newlen);

	if (r)
		return r;
	if (ramfs_dots(old, len))
		return -EPERM;		/* "." and "..": directories */
	link = ramfs_dir_find(dir, old, len);
	if (!link)
		return -ENOENT;
	if (S_ISDIR((*link)->node->mode))
		return -EPERM;		/* no hard links to directories, as Linux */
	return ramfs_attach(newdir, new, newlen, (*link)->node);
}

/* Whether dir is n or lies below it: where n, a directory, must not move. */
static bool ramfs_within(const struct ramfs_node *dir, const struct ramfs_node *n)
{
	for (; dir; dir = dir->d.parent == dir ? NULL : dir->d.parent)
		if (dir == n)
			return true;
	return false;
}

/* The entry at *link now names n, a node that moved from parent from (a directory's counts). */
static void ramfs_dirent_set(struct ramfs_node *dir, struct ramfs_dirent *de, struct ramfs_node *n,
			     struct ramfs_node *from)
{
	de->node = n;
	if (S_ISDIR(n->mode) && from != dir) {
		from->nlink--;
		dir->nlink++;
		n->d.parent = dir;
	}
	ramfs_touch(dir);
}

/* The two names trade their nodes: RENAME_EXCHANGE. */
static int ramfs_exchange(struct ramfs_node *dir, struct ramfs_dirent *a, struct ramfs_node *newdir,
			  struct ramfs_dirent *b)
{
	struct ramfs_node *na = a->node, *nb = b->node;

	if ((S_ISDIR(na->mode) && ramfs_within(newdir, na)) ||
	    (S_ISDIR(nb->mode) && ramfs_within(dir, nb)))
		return -EINVAL;
	ramfs_dirent_set(dir, a, nb, newdir);
	ramfs_dirent_set(newdir, b, na, dir);
	return 0;
}

int ramfs_rename(struct ramfs *fs, struct ramfs_node *dir, const char *old,
		 struct ramfs_node *newdir, const char *new, unsigned int flags)
{
	struct ramfs_dirent **link, **target, *de;
	struct ramfs_node *n, *gone;
	size_t len, newlen;
	int r = ramfs_names(fs, &dir, old, &len, &newdir, new, &newlen);

	if (r)
		return r;
	if (ramfs_dots(old, len) || ramfs_dots(new, newlen))
		return -EBUSY;
	link = ramfs_dir_find(dir, old, len);
	if (!link)
		return -ENOENT;
	n = (*link)->node;
	target = ramfs_dir_find(newdir, new, newlen);
	gone = target ? (*target)->node : NULL;
	if (flags & RAMFS_RENAME_EXCHANGE)
		return gone ? ramfs_exchange(dir, *link, newdir, *target) : -ENOENT;
	if (gone && (flags & RAMFS_RENAME_NOREPLACE))
		return -EEXIST;
	if (gone == n)
		return 0;		/* two names of one file: nothing to do */
	if (S_ISDIR(n->mode) && ramfs_within(newdir, n))
		return -EINVAL;
	if (gone && S_ISDIR(n->mode) != S_ISDIR(gone->mode))
		return S_ISDIR(gone->mode) ? -EISDIR : -ENOTDIR;
	if (gone && S_ISDIR(gone->mode) && gone->d.first)
		return -ENOTEMPTY;
	if (!newdir->d.parent)
		return -ENOENT;		/* removed, but still someone's cwd */
	/* The new name's entry first: nothing is changed if there is no room for it. */
	de = ramfs_alloc(fs, sizeof(*de) + newlen + 1);
	if (!de)
		return -ENOMEM;
	if (gone)
		ramfs_dir_remove(newdir, target);
	/* The removal may have moved the old entry. */
	ramfs_free(fs, ramfs_dirent_unhook(dir, ramfs_dir_find(dir, old, len)));
	ramfs_touch(dir);
	/* The entry goes last in newdir, as a new name does; n keeps its counts. */
	ramfs_dirent_append(newdir, de, new, newlen, n);
	ramfs_dirent_set(newdir, de, n, dir);
	return 0;
}

int64_t ramfs_read(struct ramfs_node *node, uint64_t off, void *buf, size_t len)
{
	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (!S_ISREG(node->mode))
		return -EINVAL;
	if (off >= node->f.size)
		return 0;
	len = MIN(len, node->f.size - off);
	memcpy(buf, ramfs_bytes(node) + off, len);
	return len;
}

int64_t ramfs_write(struct ramfs_node *node, uint64_t off, const void *buf, size_t len)
{
	int r;

	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (!S_ISREG(node->mode))
		return -EINVAL;
	if (off > RAMFS_FILE_MAX || len > RAMFS_FILE_MAX - off)
		return -EFBIG;
	if (!len)
		return 0;
	r = ramfs_reserve(node, MAX(off + len, node->f.size));
	if (r)
		return r;
	if (off > node->f.size)
		memset(node->f.data + node->f.size, 0, off - node->f.size);
	memcpy(node->f.data + off, buf, len);
	node->f.size = MAX(node->f.size, off + len);
	ramfs_touch(node);
	return len;
}

int ramfs_truncate(struct ramfs_node *node, uint64_t size)
{
	int r;

	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (!S_ISREG(node->mode))
		return -EINVAL;
	if (size > RAMFS_FILE_MAX)
		return -EFBIG;
	if (size > node->f.size) {
		r = ramfs_reserve(node, size);
		if (r)
			return r;
		memset(node->f.data + node->f.size, 0, size - node->f.size);
		node->f.size = size;
	} else {
		/*
		 * Archive bytes shrink without a copy. A mostly idle buffer is
		 * given back when a smaller one can be had; else it stays.
		 */
		node->f.size = size;
		if (!size)
			ramfs_set_cap(node, 0);
		else if (node->f.data && ALIGN_UP(size, 64) <= node->f.cap / 2)
			ramfs_set_cap(node, ALIGN_UP(size, 64));
	}
	ramfs_touch(node);
	return 0;
}

void ramfs_stat(const struct ramfs_node *node, struct ramfs_stat *st)
{
	st->ino = node->ino;
	st->mode = node->mode;
	st->nlink = node->nlink;
	st->uid = node->uid;
	st->gid = node->gid;
	st->mtime = node->mtime;
	st->size = S_ISDIR(node->mode) ? 0 : node->f.size;
	st->blocks = (st->size + 511) / 512;
}

void ramfs_chmod(struct ramfs_node *node, uint32_t perm)
{
	node->mode = (node->mode & S_IFMT) | (perm & 07777);
}

void ramfs_set_mtime(struct ramfs_node *node, uint64_t mtime)
{
	node->mtime = mtime;
}

int ramfs_readdir(struct ramfs_node *dir, uint64_t *pos, const char **name,
		  struct ramfs_node **node)
{
	struct ramfs_dirent *de;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (*pos < 2) {
		*name = *pos ? ".." : ".";
		*node = *pos && dir->d.parent ? dir->d.parent : dir;
		++*pos;
		return 0;
	}
	for (de = dir->d.first; de && de->pos < *pos; de = de->next)
		;
	if (!de)
		return -ENOENT;
	*name = de->name;
	*node = de->node;
	*pos = de->pos + 1;
	return 0;
}

int64_t ramfs_readlink(const struct ramfs_node *node, char *buf, size_t len)
{
	if (!S_ISLNK(node->mode))
		return -EINVAL;
	len = MIN(len, node->f.size);
	memcpy(buf, ramfs_bytes(node), len);
	return len;
}

int ramfs_init(struct ramfs *fs, const struct ramfs_ops *ops)
{
	memset(fs, 0, sizeof(*fs));
	fs->ops = *ops;
	fs->next_ino = 1;
	fs->root = ramfs_node_new(fs, S_IFDIR | 0755);
	if (!fs->root)
		return -ENOMEM;
	fs->root->nlink = 2;
	fs->root->d.parent = fs->root;
	return 0;
}

void ramfs_destroy(struct ramfs *fs)
{
	while (fs->nodes)
		ramfs_node_free(fs->nodes);
	fs->root = NULL;
}

static void ramfs_load_attrs(struct ramfs_node *n, const struct cpio_entry *e)
{
	n->mode = (n->mode & S_IFMT) | (e->mode & 07777);
	n->uid = e->uid;
	n->gid = e->gid;
	n->mtime = e->mtime;
}

/* The node an earlier name of a hard-linked file got in this load, or NULL. */
static struct ramfs_node *ramfs_load_twin(struct ramfs *fs, const struct cpio_entry *e)
{
	for (struct ramfs_node *n = fs->nodes; n; n = n->next)
		if (S_ISREG(n->mode) && n->src_load == fs->nr_loads &&
		    n->src_ino == e->ino && n->src_major == e->dev_major &&
		    n->src_minor == e->dev_minor)
			return n;
	return NULL;
}

static int ramfs_load_entry(struct ramfs *fs, const struct cpio_entry *e)
{
	struct ramfs_walk w = { .budget = RAMFS_LOOP_MAX, .mkdirs = true };
	uint32_t type = e->mode & S_IFMT;
	struct ramfs_node *dir, *n;
	struct ramfs_dirent **link;
	const char *name;
	size_t len;
	int r;

	if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK)
		return 0;
	if (type == S_IFLNK && (!e->size || e->size > RAMFS_SYMLINK_MAX))
		return -EINVAL;
	r = ramfs_parent(fs, fs->root, e->name, e->name_len, &w, &dir, &name, &len);
	if (r)
		return r;
	/* ".", "/" or "a/..": a directory that exists already. */
	if (ramfs_dots(name, len)) {
		r = type == S_IFDIR ? ramfs_step(fs, dir, name, len, false, &dir, &w) : -EINVAL;
		if (!r)
			ramfs_load_attrs(dir, e);
		return r;
	}
	link = ramfs_dir_find(dir, name, len);
	if (link) {
		n = (*link)->node;
		if (type == S_IFDIR && S_ISDIR(n->mode)) {
			ramfs_load_attrs(n, e);
			return 0;
		}
		if (S_ISDIR(n->mode) && n->d.first)
			return -ENOTEMPTY;
		ramfs_dir_remove(dir, link);
	}
	/* The archive puts a hard-linked file's bytes on its last name only. */
	n = type == S_IFREG && e->nlink > 1 ? ramfs_load_twin(fs, e) : NULL;
	r = n ? ramfs_attach(dir, name, len, n) : ramfs_make(dir, name, len, type, &n);
	if (r)
		return r;
	ramfs_load_attrs(n, e);
	n->src_load = fs->nr_loads;
	n->src_ino = e->ino;
	n->src_major = e->dev_major;
	n->src_minor = e->dev_minor;
	if (type != S_IFDIR && e->size) {
		n->f.ro = e->data;
		n->f.size = e->size;
	}
	return 0;
}

int ramfs_load_cpio(struct ramfs *fs, const void *data, size_t len, size_t *bad_offset)
{
	uint64_t (*now)(void *ctx) = fs->ops.now;
	struct cpio_entry e;
	struct cpio_iter it;
	size_t off;
	int r;

	/* Archive times win: children arriving must not bump their parents. */
	fs->ops.now = NULL;
	fs->nr_loads++;
	cpio_iter_init(&it, data, len);
	do {
		off = it.pos;
		r = cpio_next(&it, &e);
	} while (r > 0 && !(r = ramfs_load_entry(fs, &e)));
	fs->ops.now = now;
	if (r < 0 && bad_offset)
		*bad_offset = off;
	return r;
}
