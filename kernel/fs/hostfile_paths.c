// SPDX-License-Identifier: GPL-2.0
/*
 * A host job's names on the host, as a VFS back end: open, stat and chdir
 * by path, each one long call to the job's `cove run` (cove/hostfile.h).
 * Names are never made or removed here.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/hostfile.h>
#include <cove/kvsnprintf.h>
#include <cove/string.h>
#include <cove/task.h>
#include "backends.h"

#define HOSTFILE_ASK_MAX 4096	/* longest path the host is asked for (PATH_MAX) */

/*
 * The path the host is asked for: taken from the job's host directory when
 * Cove knows it (it may have changed with chdir), else as the job gave it,
 * which the host takes from where `cove run` was started. A new buffer.
 */
static char *hostfile_ask_path(const struct vfs_path *vp, int64_t *rc)
{
	const struct process *p = vp->proc;
	char *out = kmalloc(HOSTFILE_ASK_MAX);

	*rc = out ? 0 : -ENOMEM;
	if (out && p->host_cwd[0])
		*rc = hostfile_path_join(p->host_cwd, vp->path, out, HOSTFILE_ASK_MAX);
	else if (out)
		*rc = ksnprintf(out, HOSTFILE_ASK_MAX, "%s", vp->path) < HOSTFILE_ASK_MAX ?
		      0 : -ENAMETOOLONG;
	if (*rc) {
		kfree(out);
		return NULL;
	}
	return out;
}

static int hostfile_fs_open(const struct vfs_path *vp, uint32_t flags, uint32_t mode,
			    struct file **out)
{
	int64_t rc;
	char *host = hostfile_ask_path(vp, &rc);

	if (!host)
		return (int)rc;
	rc = hostfile_open(vp->proc->host_job, host, flags, mode, out);
	kfree(host);
	return (int)rc;
}

/* The host follows links itself: follow is the host's business. */
static int hostfile_fs_stat(const struct vfs_path *vp, bool follow, struct vfs_stat *st)
{
	int64_t rc;
	char *host = hostfile_ask_path(vp, &rc);

	if (host)
		rc = hostfile_stat_path(vp->proc->host_job, host, st);
	kfree(host);
	return (int)rc;
}

/* Relative paths are the host's from now on, taken from this directory. */
static int hostfile_fs_chdir(const struct vfs_path *vp)
{
	struct process *p = vp->proc;
	struct vfs_stat st;
	int64_t rc;
	char *host = hostfile_ask_path(vp, &rc);

	if (host)
		rc = hostfile_stat_path(p->host_job, host, &st);
	if (!rc && !S_ISDIR(st.mode))
		rc = -ENOTDIR;
	if (!rc && strlen(host) >= sizeof(p->host_cwd))
		rc = -ENAMETOOLONG;
	if (!rc) {
		memcpy(p->host_cwd, host, strlen(host) + 1);
		p->cwd_on_host = true;
	}
	kfree(host);
	return (int)rc;
}

static int64_t hostfile_fs_getcwd(struct process *p, char *buf, size_t len)
{
	size_t n = strlen(p->host_cwd) + 1;

	if (n > len)
		return -ERANGE;
	memcpy(buf, p->host_cwd, n);
	return (int64_t)n;
}

const struct vfs_fs_ops hostfile_fs_ops = {
	.name = "hostfile",
	.open = hostfile_fs_open,
	.stat = hostfile_fs_stat,
	.chdir = hostfile_fs_chdir,
	.getcwd = hostfile_fs_getcwd,
};
