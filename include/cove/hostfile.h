/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files of a host-launched job that live on the host: the job opens its
 * inputs and writes its outputs where `cove run` was started, and every
 * read, write, stat and close on them is a long call to that `cove run`.
 *
 * Which paths are the host's: a relative one while the job has not left
 * its starting directory, and an absolute one the enclave's own file system
 * does not have, outside /proc, /sys and /dev (those describe the machine
 * the job runs on, which is the enclave, never the host).
 */
#ifndef COVE_HOSTFILE_H
#define COVE_HOSTFILE_H

#include <cove/types.h>

struct file;
struct vfs_stat;

enum hostfile_route {
	HOSTFILE_ENCLAVE,	/* the enclave's file system only */
	HOSTFILE_HOST,		/* the host's, without looking in the enclave */
	HOSTFILE_FALLBACK,	/* the enclave's if it has it, else the host's */
};

/* Pure: where path goes for a host job (cwd_on_host: its cwd is a host directory). */
enum hostfile_route hostfile_route(const char *path, bool cwd_on_host);

/* Longest host directory a job can stand in (the job line carries it). */
#define HOSTFILE_PATH_MAX 256

/*
 * Pure: the absolute, normalised host path of path taken from directory
 * cwd (absolute and normalised itself): empty and "." components go, ".."
 * takes one back but never above "/". 0, or -ENAMETOOLONG if the result
 * does not fit in len bytes.
 */
int hostfile_path_join(const char *cwd, const char *path, char *out, size_t len);

/*
 * Open path on the host for host job job (open(2) flags and mode): 0 and
 * *out a new file, or -errno as the host's open gave it.
 */
int hostfile_open(uint32_t job, const char *path, uint32_t flags, uint32_t mode,
		  struct file **out);
/* stat of a host path; -errno as the host's stat gave it. */
int hostfile_stat_path(uint32_t job, const char *path, struct vfs_stat *st);

/*
 * Write len bytes at pos to a host handle of job (a stream ignores pos), as
 * many long calls as it takes: len, what got written before an error, or
 * -errno.
 */
int64_t hostfile_pwrite(uint32_t job, uint64_t handle, const void *buf, size_t len,
			uint64_t pos);
/* Read at pos from an open host file (hostfile_open): bytes read or -errno. */
int64_t hostfile_read(struct file *f, void *buf, size_t len, uint64_t pos);

#endif /* COVE_HOSTFILE_H */
