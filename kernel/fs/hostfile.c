// SPDX-License-Identifier: GPL-2.0
/*
 * Open files of a host job that live on the host (see cove/hostfile.h).
 * The host keeps no position for them: every read and write carries its
 * offset, so the enclave's file position stays the only one.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/host.h>
#include <cove/hostfile.h>
#include <cove/pisces_abi.h>
#include <cove/string.h>
#include "backends.h"

static void hostfile_fill_stat(const uint64_t arg[6], struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = VFS_DEV_HOST;
	st->size = arg[0];
	st->mode = (uint32_t)arg[1];
	st->mtime = arg[2];
	st->ino = arg[3];
	st->blocks = (arg[0] + 511) / 512;
	st->nlink = 1;
}

int hostfile_open(uint32_t job, const char *path, uint32_t flags, uint32_t mode,
		  struct file **out)
{
	struct host_call c = {
		.op = COVE_LC_OPEN, .job = job, .arg = { flags & ~(uint32_t)O_CLOEXEC, mode },
		.in = path, .in_len = (uint32_t)strlen(path) + 1,
	};
	struct file *f;
	int64_t handle;

	if (c.in_len > host_call_payload_max())
		return -ENAMETOOLONG;
	handle = host_call(&c);
	if (handle < 0)
		return (int)handle;
	f = file_alloc(&hostfile_file_ops, flags);
	if (!f) {
		struct host_call cl = { .op = COVE_LC_CLOSE, .job = job, .arg = { (uint64_t)handle } };

		host_call(&cl);
		return -ENOMEM;
	}
	f->host_job = job;
	f->host_handle = (uint64_t)handle;
	*out = f;
	return 0;
}

struct file *hostfile_open_stdin(uint32_t job)
{
	struct file *f = file_alloc(&hostfile_file_ops, O_RDONLY);

	if (f) {
		f->host_job = job;
		f->host_handle = COVE_LC_STDIN;
	}
	return f;
}

int hostfile_stat_path(uint32_t job, const char *path, struct vfs_stat *st)
{
	struct host_call c = {
		.op = COVE_LC_STAT, .job = job,
		.in = path, .in_len = (uint32_t)strlen(path) + 1,
	};
	int64_t rc;

	if (c.in_len > host_call_payload_max())
		return -ENAMETOOLONG;
	rc = host_call(&c);
	if (!rc)
		hostfile_fill_stat(c.arg, st);
	return (int)rc;
}

static int hostfile_stat(struct file *f, struct vfs_stat *st)
{
	/* No path: the host stats the handle. */
	struct host_call c = { .op = COVE_LC_STAT, .job = f->host_job, .arg = { f->host_handle } };
	int64_t rc = host_call(&c);

	if (!rc)
		hostfile_fill_stat(c.arg, st);
	return (int)rc;
}

int64_t hostfile_read(struct file *f, void *buf, size_t len, uint64_t pos)
{
	uint32_t max = host_call_payload_max();
	size_t done = 0;

	while (done < len) {
		uint32_t want = (uint32_t)MIN(len - done, (size_t)max);
		struct host_call c = {
			.op = COVE_LC_READ, .job = f->host_job,
			.arg = { f->host_handle, pos + done, want },
			.out = (uint8_t *)buf + done, .out_cap = want,
		};
		int64_t n = host_call(&c);

		if (n < 0)
			return done ? (int64_t)done : n;
		if ((uint64_t)n != c.out_len)
			return done ? (int64_t)done : -EIO;
		done += (size_t)n;
		/* End of file; or a stream, which gives what it has now. */
		if ((uint32_t)n < want || f->host_handle == COVE_LC_STDIN)
			break;
	}
	return (int64_t)done;
}

int64_t hostfile_pwrite(uint32_t job, uint64_t handle, const void *buf, size_t len,
			uint64_t pos)
{
	uint32_t max = host_call_payload_max();
	size_t done = 0;

	while (done < len) {
		struct host_call c = {
			.op = COVE_LC_WRITE, .job = job, .arg = { handle, pos + done },
			.in = (const uint8_t *)buf + done,
			.in_len = (uint32_t)MIN(len - done, (size_t)max),
		};
		int64_t n = host_call(&c);

		if (n < 0)
			return done ? (int64_t)done : n;
		if (n == 0 || (uint64_t)n > c.in_len)
			return done ? (int64_t)done : -EIO;
		done += (size_t)n;
	}
	return (int64_t)len;
}

/* The host's O_APPEND puts it at the end whatever offset we pass. */
static int64_t hostfile_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	return hostfile_pwrite(f->host_job, f->host_handle, buf, len, *pos);
}

static void hostfile_close(struct file *f)
{
	struct host_call c = { .op = COVE_LC_CLOSE, .job = f->host_job, .arg = { f->host_handle } };

	if (f->host_handle == COVE_LC_STDIN)
		return;		/* `cove run`'s own; it never closes it for us */
	/* Nothing to do if it fails: the host frees the handle when the job ends. */
	host_call(&c);
}

const struct vfs_file_ops hostfile_file_ops = {
	.name = "hostfile",
	.read = hostfile_read,
	.write = hostfile_write,
	.stat = hostfile_stat,
	.release = hostfile_close,
};
