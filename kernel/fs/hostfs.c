// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of a co-kernel job's start and output. Its executable is
 * staged whole into the enclave's file system before the job starts, so
 * the job never waits on the host for a page of its program; its stdout
 * and stderr go back as writes on the host's streams. (Files the job opens
 * itself are in hostfile.c.)
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/host.h>
#include <cove/hostfs.h>
#include <cove/kvsnprintf.h>
#include <cove/pisces_abi.h>
#include <cove/string.h>

int64_t host_stream_write(uint32_t job, uint32_t stream, const void *buf, size_t len)
{
	uint32_t max = host_call_payload_max();
	size_t done = 0;

	while (done < len) {
		struct host_call c = {
			.op = COVE_LC_WRITE, .job = job, .arg = { stream },
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

static int64_t hostfs_call_path(uint32_t op, uint32_t job, const char *path, uint64_t a0,
				uint64_t out[6])
{
	struct host_call c = {
		.op = op, .job = job, .arg = { a0 },
		.in = path, .in_len = (uint32_t)strlen(path) + 1,
	};
	int64_t rc = host_call(&c);

	if (out)
		memcpy(out, c.arg, sizeof(c.arg));
	return rc;
}

static int hostfs_read_all(uint32_t job, uint64_t handle, uint8_t *buf, uint64_t size)
{
	uint32_t max = host_call_payload_max();
	uint64_t off = 0;

	while (off < size) {
		struct host_call c = {
			.op = COVE_LC_READ, .job = job,
			.arg = { handle, off, MIN(size - off, (uint64_t)max) },
			.out = buf + off, .out_cap = (uint32_t)MIN(size - off, (uint64_t)max),
		};
		int64_t n = host_call(&c);

		if (n < 0)
			return (int)n;
		if (n == 0 || (uint64_t)n != c.out_len)
			return -EIO;	/* shorter than its size said: it changed */
		off += (uint64_t)n;
	}
	return 0;
}

int hostfs_stage(const char *path, uint32_t job, char *err, size_t errlen)
{
	uint64_t st[6];
	int64_t handle;
	uint8_t *data;
	int rc;

	if (!host_present()) {
		ksnprintf(err, errlen, "%s: no host to read it from", path);
		return -ENODEV;
	}
	rc = (int)hostfs_call_path(COVE_LC_STAT, job, path, 0, st);
	if (rc < 0) {
		ksnprintf(err, errlen, "%s: %s on the host", path,
			  rc == -ENOENT ? "no such file" : "cannot stat it");
		return rc;
	}
	if ((st[1] & 0170000) != 0100000) {
		ksnprintf(err, errlen, "%s: not a regular file on the host", path);
		return -EACCES;
	}
	if (st[0] > HOSTFS_MAX_FILE) {
		ksnprintf(err, errlen, "%s: %lu MiB, more than the %lu MiB a job file may be",
			  path, st[0] >> 20, (uint64_t)(HOSTFS_MAX_FILE >> 20));
		return -E2BIG;
	}
	data = kmalloc(st[0] ? st[0] : 1);
	if (!data) {
		ksnprintf(err, errlen, "%s: no memory for its %lu KiB", path, st[0] >> 10);
		return -ENOMEM;
	}
	handle = hostfs_call_path(COVE_LC_OPEN, job, path, O_RDONLY, NULL);
	rc = handle < 0 ? (int)handle : hostfs_read_all(job, (uint64_t)handle, data, st[0]);
	if (handle >= 0) {
		struct host_call c = { .op = COVE_LC_CLOSE, .job = job, .arg = { (uint64_t)handle } };

		host_call(&c);
	}
	if (!rc)
		rc = vfs_install_file(path, data, st[0], (uint32_t)(st[1] & 0777));
	kfree(data);
	if (rc)
		ksnprintf(err, errlen, "%s: cannot copy it from the host (%d)", path, rc);
	return rc;
}
