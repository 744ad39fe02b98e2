// SPDX-License-Identifier: GPL-2.0
/*
 * A forked process's own proxy (McKernel forks mcexec the same way). When
 * a process of a job with a host proxy forks in the enclave, Cove asks the
 * process's proxy (COVE_LC_FORK); that proxy gets a new job id for the
 * child here (COVE_IOC_FORK), forks itself, and its child -- which
 * inherited the host descriptors, cwd, umask, ids and limits as Linux
 * hands them down -- opens /dev/cove again and takes the id over
 * (COVE_IOC_ADOPT). From then on the id is served, mirrored and ended
 * through that file alone. Each rank of a job after the first gets its
 * proxy the same way (the kernel asks `cove run` before the ranks run):
 * to the module it is one more forked id of the job.
 *
 * Such an id is a struct cove_job like a launched one, with fork_root
 * naming the launched job it belongs to. Nothing here trusts the enclave:
 * the enclave only ever sends COVE_LC_FORK on an id; the ids one job may
 * hold at once are bounded (fork_max), and a forked id ends with its
 * process (Cove's COVE_LC_JOB_EXIT), its proxy's file, or its launched
 * job, whichever comes first. Killing the job stays the first proxy's
 * business (cove_orphan_jobs): child proxies never keep that file open.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "cove.h"

/*
 * Live forked ids (so, host processes) per launched job. A fork beyond it
 * fails with EAGAIN in the enclave, as fork(2) does past RLIMIT_NPROC.
 */
static unsigned int fork_max = 64;
module_param(fork_max, uint, 0644);
MODULE_PARM_DESC(fork_max, "processes with a proxy of their own per job (fork beyond: EAGAIN)");

/* Under lc_lock: the launched job j belongs to (j itself if launched). */
static struct cove_job *cove_fork_root(struct cove_enclave *e, struct cove_job *j)
{
	return j->fork_root ? cove_job_find(e, j->fork_root) : j;
}

/* Under lc_lock: forked ids of root still running. */
static unsigned int cove_fork_count(struct cove_enclave *e, u32 root)
{
	struct cove_job *j;
	unsigned int n = 0;

	list_for_each_entry(j, &e->jobs, node)
		n += j->fork_root == root && !j->finished;
	return n;
}

int cove_fork_may_serve(struct cove_enclave *e, struct cove_job *j, const void *file)
{
	struct cove_job *root;

	if (!j->fork_root)
		return 0;	/* a launched job: as it always was */
	/*
	 * Only its own proxy's file, once it took the id: that file's release
	 * alone frees a forked id, so no other waiter can hold it then.
	 */
	if (j->owner != file || j->adoptable)
		return -EPERM;
	root = cove_fork_root(e, j);
	/* The job is over: whatever still serves one of its processes ends too. */
	if (!root || root->finished || root->orphan)
		return -ESRCH;
	return 0;
}

long cove_fork(struct cove_enclave *e, struct cove_fork *req, struct file *file)
{
	struct cove_job *parent, *root, *j, *n;
	unsigned int live;
	u32 root_id;

	if (req->pad || (req->flags & ~COVE_FORK_DROP))
		return -EINVAL;
	if (req->flags & COVE_FORK_DROP) {
		/* A proxy that could not fork gives back the id it was given. */
		spin_lock(&e->lc_lock);
		list_for_each_entry_safe(j, n, &e->jobs, node) {
			if (j->id != req->job || !j->fork_root || !j->adoptable || j->owner != file)
				continue;
			if (!list_empty(&j->pending) || !list_empty(&j->serving)) {
				/* Calls came meanwhile: end it as a dead proxy's. */
				j->finished = true;
				j->orphan = true;
				break;
			}
			list_del(&j->node);
			kfree(j);
			break;
		}
		spin_unlock(&e->lc_lock);
		return 0;
	}
	j = kzalloc(sizeof(*j), GFP_KERNEL);
	if (!j)
		return -ENOMEM;
	INIT_LIST_HEAD(&j->pending);
	INIT_LIST_HEAD(&j->serving);
	init_waitqueue_head(&j->wq);
	spin_lock(&e->lc_lock);
	parent = cove_job_find(e, req->job);
	root = parent ? cove_fork_root(e, parent) : NULL;
	if (!parent || parent->owner != file || parent->adoptable || parent->finished ||
	    parent->orphan || !root || root->finished || root->orphan) {
		spin_unlock(&e->lc_lock);
		kfree(j);
		pr_err_ratelimited("cove %u: fork asked for job %u, which this file does not "
				   "serve\n", e->id, req->job);
		return -ESRCH;
	}
	root_id = root->id;
	live = cove_fork_count(e, root_id);
	if (live >= READ_ONCE(fork_max)) {
		spin_unlock(&e->lc_lock);
		kfree(j);
		pr_err_ratelimited("cove %u: job %u already has %u processes with a proxy of "
				   "their own (fork_max); fork refused (EAGAIN)\n", e->id, root_id,
				   live);
		return -EAGAIN;
	}
	j->owner = file;
	j->fork_root = root_id;
	j->adoptable = true;
	j->id = ++e->next_job;
	list_add_tail(&j->node, &e->jobs);
	spin_unlock(&e->lc_lock);
	req->child = j->id;
	return 0;
}

long cove_adopt(struct cove_enclave *e, struct cove_fork *req, struct file *file)
{
	struct cove_job *j;
	struct file *from;
	long ret = -ESRCH;

	if (req->pad || req->flags || req->from_fd < 0)
		return -EINVAL;
	/* The child proxy proves it is one by holding the file that asked for the id. */
	from = fget(req->from_fd);
	if (!from)
		return -EBADF;
	if (from->f_op != file->f_op || from == file) {
		fput(from);
		return -EINVAL;
	}
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, req->job);
	if (j && j->fork_root && j->adoptable && j->owner == from && !j->orphan) {
		j->owner = file;
		j->adoptable = false;
		ret = 0;
	}
	spin_unlock(&e->lc_lock);
	fput(from);
	if (ret)
		pr_err_ratelimited("cove %u: job %u is no forked process this proxy may take "
				   "over\n", e->id, req->job);
	return ret;
}

/*
 * The forked ids file served end: those whose process ended are freed;
 * one whose process still runs (its proxy was killed) is answered -EIO
 * from now on and its process killed, as a launched job whose launcher
 * died.
 */
static void cove_fork_release_one(struct cove_enclave *e, const struct file *file)
{
	struct cove_job *j, *n, *root;
	unsigned int nkill = 0, k;
	u32 kill[4];
	LIST_HEAD(drop);
	LIST_HEAD(gone);

	mutex_lock(&e->lock);
	spin_lock(&e->lc_lock);
	list_for_each_entry_safe(j, n, &e->jobs, node) {
		if (!j->fork_root || j->owner != file)
			continue;
		list_splice_tail_init(&j->pending, &drop);
		list_splice_tail_init(&j->serving, &drop);
		if (j->finished) {
			list_move(&j->node, &gone);
			continue;
		}
		/* Kept (as finished) so its process's later calls get -EIO, not a stranger's id. */
		j->finished = true;
		j->orphan = true;
		/* Unless the whole job is ending anyway (its launcher's kill). */
		root = cove_fork_root(e, j);
		if (!j->adoptable && root && !root->finished && !root->orphan &&
		    nkill < ARRAY_SIZE(kill))
			kill[nkill++] = j->id;
	}
	spin_unlock(&e->lc_lock);
	cove_lc_drop(e, &drop);
	mutex_unlock(&e->lock);
	list_for_each_entry_safe(j, n, &gone, node) {
		list_del(&j->node);
		kfree(j);
	}
	for (k = 0; k < nkill; k++) {
		u64 arg = kill[k];

		if (READ_ONCE(e->state) == COVE_ENCLAVE_READY &&
		    !cove_ctl_send(e, COVE_CTL_KILL, &arg, 1, NULL, 0, COVE_LAUNCH_TIMEOUT_MS))
			pr_info("cove %u: forked process of job id %u lost its proxy; killed\n",
				e->id, kill[k]);
	}
}

void cove_fork_release(struct file *file)
{
	struct cove_enclave *e;
	u32 id;

	for (id = 1; id <= COVE_MAX_ENCLAVES; id++) {
		e = cove_get(id);
		if (!e)
			continue;
		cove_fork_release_one(e, file);
		cove_put(e);
	}
}
