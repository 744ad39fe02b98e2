// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of a co-kernel job's start and output. Its executable is
 * staged whole into the enclave's file system before the job starts, so
 * the job never waits on the host for a page of its program; its stdout
 * and stderr go back as writes on the host's streams. (Files the job opens
 * itself are in hostfile.c.)
 */
#include <cove/elf_load.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/host.h>
#include <cove/hostfile.h>
#include <cove/hostfs.h>
#include <cove/kvsnprintf.h>
#include <cove/string.h>
#include <cove/vfs.h>

int64_t host_stream_write(uint32_t job, uint32_t stream, const void *buf, size_t len)
{
	/* A stream has no offset: the host writes it in order. */
	return hostfile_pwrite(job, stream, buf, len, 0);
}

/*
 * The PT_INTERP of the ELF file in data, into interp (cap bytes), or ""
 * when it has none (or is not an ELF file: exec says what is wrong).
 */
static void hostfs_interp_of(const uint8_t *data, size_t len, char *interp, size_t cap)
{
	/* Not on the stack (it is large), nor static: execve stages on any CPU. */
	struct elf_plan *plan = kmalloc(sizeof(*plan));

	interp[0] = 0;
	/* Any base will do: only the interpreter's name is wanted. */
	if (plan && !elf_plan(data, len, 1ULL << 32, plan, NULL) && plan->interp_len &&
	    plan->interp_len < cap) {
		memcpy(interp, data + plan->interp_off, plan->interp_len);
		interp[plan->interp_len] = 0;
	}
	kfree(plan);
}

/* Copy the host's path into the enclave's tree; interp (if not NULL) gets its PT_INTERP. */
static int hostfs_stage_file(const char *path, uint32_t job, char *interp, size_t cap,
			     char *err, size_t errlen)
{
	struct vfs_stat st;
	struct file *f;
	uint8_t *data;
	int64_t n;
	int rc;

	if (!host_present()) {
		ksnprintf(err, errlen, "%s: no host to read it from", path);
		return -ENODEV;
	}
	rc = hostfile_stat_path(job, path, &st);
	if (rc < 0) {
		ksnprintf(err, errlen, "%s: %s on the host", path,
			  rc == -ENOENT ? "no such file" : "cannot stat it");
		return rc;
	}
	if (!S_ISREG(st.mode)) {
		ksnprintf(err, errlen, "%s: not a regular file on the host", path);
		return -EACCES;
	}
	if (st.size > HOSTFS_MAX_FILE) {
		ksnprintf(err, errlen, "%s: %lu MiB, more than the %lu MiB a job file may be",
			  path, st.size >> 20, (uint64_t)(HOSTFS_MAX_FILE >> 20));
		return -E2BIG;
	}
	data = kmalloc(st.size ? st.size : 1);
	if (!data) {
		ksnprintf(err, errlen, "%s: no memory for its %lu KiB", path, st.size >> 10);
		return -ENOMEM;
	}
	rc = hostfile_open(job, path, O_RDONLY, 0, &f);
	if (!rc) {
		n = hostfile_read(f, data, st.size, 0);
		/* Shorter than its size said: it changed under us. */
		rc = n < 0 ? (int)n : (uint64_t)n != st.size ? -EIO : 0;
		file_put(f);
	}
	if (!rc && interp)
		hostfs_interp_of(data, st.size, interp, cap);
	if (!rc)
		rc = vfs_install_file(path, data, st.size, st.mode & 0777);
	kfree(data);
	if (rc)
		ksnprintf(err, errlen, "%s: cannot copy it from the host (%d)", path, rc);
	return rc;
}

int hostfs_stage(const char *path, uint32_t job, char *err, size_t errlen)
{
	char interp[HOSTFILE_PATH_MAX], why[HOSTFILE_PATH_MAX + 64];
	int rc = hostfs_stage_file(path, job, interp, sizeof(interp), err, errlen);

	/* Already here (a bare-mode initramfs, or staged for an earlier job)? */
	if (rc || !interp[0] || vfs_has_file(interp))
		return rc;
	rc = hostfs_stage_file(interp, job, NULL, 0, why, sizeof(why));
	if (rc)
		ksnprintf(err, errlen, "%s: interpreter %s", path, why);
	return rc;
}
