// SPDX-License-Identifier: GPL-2.0
/*
 * The host's files as the stand-in has them: the regular files of the cpio
 * archive GRUB gave as the second module (newc, as scripts/mkinitramfs.sh
 * writes it), read only. A co-kernel job's program is always read from its
 * host (kernel/fs/hostfs.c stages it into the enclave before the job
 * starts), so this is what lets the stand-in launch one at all.
 *
 * The archive is the stand-in's own input, outside the partition; what
 * comes from the enclave here is a path (already copied, NUL-terminated
 * within its bound) and handles, offsets and lengths, each checked.
 */
#include <cove/errno.h>

#include "standin.h"

#define CPIO_HDR 110
#define FILES_OPEN_MAX 4
#define FILES_HANDLE0 3		/* 0..2 are the job's stdio */
#define S_IFMT 0170000
#define S_IFREG 0100000

struct cpio_file {
	const uint8_t *data;
	uint64_t size;
	uint32_t mode, mtime, ino;
};

static const uint8_t *archive;
static uint64_t archive_size;
static struct cpio_file open_files[FILES_OPEN_MAX];
static bool open_used[FILES_OPEN_MAX];

void files_init(const struct range *cpio)
{
	archive = (const uint8_t *)cpio->base;
	archive_size = cpio->size;
}

/* One 8-digit hex field of a newc header; -1 if it is not one. */
static int64_t cpio_field(const uint8_t *h, unsigned int i)
{
	uint64_t v = 0;

	for (unsigned int k = 0; k < 8; k++) {
		uint8_t c = h[6 + 8 * i + k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return (int64_t)v;
}

/* "./bin/x", "/bin/x" and "bin/x" are one name. */
static const char *name_skip_root(const char *s, size_t *len)
{
	while (*len && (s[0] == '/' || (s[0] == '.' && *len > 1 && s[1] == '/'))) {
		size_t n = s[0] == '/' ? 1 : 2;

		s += n;
		*len -= n;
	}
	return s;
}

/* Look path up in the archive; 0 with *f filled, or -ENOENT. */
static int files_find(const char *path, struct cpio_file *f)
{
	size_t plen = strlen(path);
	const char *want = name_skip_root(path, &plen);
	uint64_t off = 0;

	while (archive && off + CPIO_HDR <= archive_size) {
		const uint8_t *h = archive + off;
		int64_t mode = cpio_field(h, 1), mtime = cpio_field(h, 5), size = cpio_field(h, 6);
		int64_t namesize = cpio_field(h, 11), ino = cpio_field(h, 0);
		uint64_t data_off;
		const char *name;
		size_t nlen;

		if (memcmp(h, "070701", 6) || mode < 0 || size < 0 || namesize < 1 || ino < 0 ||
		    mtime < 0 || (uint64_t)namesize > archive_size - off - CPIO_HDR)
			return -ENOENT;
		name = (const char *)h + CPIO_HDR;
		nlen = (size_t)namesize - 1;	/* it counts its NUL */
		data_off = ALIGN_UP(off + CPIO_HDR + (uint64_t)namesize, 4);
		if (data_off > archive_size || (uint64_t)size > archive_size - data_off)
			return -ENOENT;
		if (nlen == 10 && !memcmp(name, "TRAILER!!!", 10))
			return -ENOENT;
		name = name_skip_root(name, &nlen);
		if (nlen == plen && !memcmp(name, want, plen)) {
			if (((uint64_t)mode & S_IFMT) != S_IFREG)
				return -ENOENT;		/* only regular files are served */
			f->data = archive + data_off;
			f->size = (uint64_t)size;
			f->mode = (uint32_t)mode;
			f->mtime = (uint32_t)mtime;
			f->ino = (uint32_t)ino;
			return 0;
		}
		off = ALIGN_UP(data_off + (uint64_t)size, 4);
	}
	return -ENOENT;
}

static void files_fill_stat(const struct cpio_file *f, uint64_t arg[6])
{
	memset(arg, 0, 6 * sizeof(uint64_t));
	arg[0] = f->size;
	arg[1] = f->mode;
	arg[2] = f->mtime;
	arg[3] = f->ino;
}

static struct cpio_file *files_handle(uint64_t handle)
{
	if (handle < FILES_HANDLE0 || handle >= FILES_HANDLE0 + FILES_OPEN_MAX ||
	    !open_used[handle - FILES_HANDLE0])
		return NULL;
	return &open_files[handle - FILES_HANDLE0];
}

int32_t files_stat_path(const char *path, uint64_t arg[6])
{
	struct cpio_file f;
	int rc = files_find(path, &f);

	if (!rc)
		files_fill_stat(&f, arg);
	return rc;
}

int32_t files_stat_handle(uint64_t handle, uint64_t arg[6])
{
	struct cpio_file *f = files_handle(handle);

	if (!f)
		return -EBADF;
	files_fill_stat(f, arg);
	return 0;
}

/* Read only: the host's files are not the enclave's to change. */
int32_t files_open(const char *path, uint64_t flags)
{
	struct cpio_file f;
	int rc;

	if (flags & 3)		/* O_WRONLY, O_RDWR */
		return -EACCES;
	rc = files_find(path, &f);
	if (rc)
		return rc;
	for (int i = 0; i < FILES_OPEN_MAX; i++) {
		if (!open_used[i]) {
			open_used[i] = true;
			open_files[i] = f;
			return FILES_HANDLE0 + i;
		}
	}
	return -EMFILE;
}

int32_t files_read(uint64_t handle, uint64_t offset, uint32_t len, uint8_t *out)
{
	struct cpio_file *f = files_handle(handle);
	uint64_t n;

	if (!f)
		return -EBADF;
	if (offset >= f->size)
		return 0;
	n = MIN((uint64_t)len, f->size - offset);
	memcpy(out, f->data + offset, n);
	return (int32_t)n;
}

int32_t files_close(uint64_t handle)
{
	if (handle <= COVE_LC_STDERR)
		return 0;
	if (!files_handle(handle))
		return -EBADF;
	open_used[handle - FILES_HANDLE0] = false;
	return 0;
}
