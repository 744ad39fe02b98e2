// SPDX-License-Identifier: GPL-2.0
/*
 * Processes of a job with a host proxy (McKernel forks mcexec the same
 * way). A fork asks the parent's proxy for a proxy of the child's own,
 * forked from it on the host, so the host descriptors, cwd, umask, ids and
 * limits the child sees are its parent's as Linux hands them down; the
 * child's calls go to it under the job id it answers (p->host_job). An
 * execve of a host program stages it first, as the job's own program was;
 * past its point of no return it tells the process's proxy, which closes
 * its close-on-exec host descriptors (Cove closes its own) and forgets the
 * old image's memory.
 * A forked process's end ends its proxy (COVE_LC_JOB_EXIT on its id); the
 * job's own end and exit status stay the first proxy's, `cove run`.
 *
 * The ranks of one job are processes of their own too (each with its own
 * address space, so its own mirror, and its own host descriptors): ranks
 * after the first get a proxy forked the same way from `cove run` before
 * any rank runs (kernel/job/job.c), so each starts with `cove run`'s
 * descriptors, cwd and limits as ranks a launcher starts would.
 */
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/hostfile.h>
#include <cove/hostfs.h>
#include <cove/offload.h>
#include <cove/pisces_abi.h>
#include <cove/signal.h>
#include <cove/spinlock.h>
#include <cove/task.h>

/* Ask the proxy of host job `job` to fork one: the new proxy's id in *id, or -errno. */
static int offload_proxy_fork(uint32_t job, uint32_t pid, uint64_t flags, uint32_t *id)
{
	struct host_call hc = {
		.op = COVE_LC_FORK, .job = job, .arg = { pid, flags },
	};
	int64_t rc = host_call(&hc), v;

	/* An older `cove run` does not know the call: as before, fork is not there. */
	if (rc == -ENOSYS || rc == -ENODEV)
		return -ENOSYS;
	if (rc < 0)
		return (int)rc;
	v = (int64_t)hc.arg[0];
	if (v < 0)
		return v >= -4095 ? (int)v : -EAGAIN;
	if (v == 0 || v > UINT32_MAX)
		return -EAGAIN;
	*id = (uint32_t)v;
	return 0;
}

int offload_fork(struct process *p, struct process *c)
{
	uint32_t id = 0;
	int rc = offload_proxy_fork(p->host_job, c->pid, 0, &id);

	if (rc)
		return rc;
	c->host_job = id;
	c->proxy = true;
	c->proxy_forked = true;
	return 0;
}

int offload_rank_proxy(uint32_t job, uint32_t *id)
{
	return offload_proxy_fork(job, 0, COVE_LC_FORK_RANK, id);
}

void offload_rank_proxy_drop(uint32_t id)
{
	struct host_call hc = { .op = COVE_LC_JOB_EXIT, .job = id };

	host_post(&hc);
}

int offload_exec_stage(const char *path)
{
	struct process *p = task_current()->proc;
	char err[160];
	int rc;

	if (!offload_has_proxy(p) || hostfile_route(path, p->cwd_on_host) == HOSTFILE_ENCLAVE)
		return 0;
	/*
	 * As the job's own program was: copied whole before it runs, with its
	 * interpreter, with the rights of the process's proxy. Copied again at
	 * each exec, so a program changed on the host runs as it is now.
	 */
	rc = hostfs_stage(path, p->host_job, err, sizeof(err));
	/* Not on the host: the enclave's own tree may have it (its initramfs). */
	return rc == -ENOENT ? 0 : rc;
}

void offload_exec(struct process *p)
{
	struct host_call hc = { .op = COVE_LC_EXEC, .job = p->host_job };

	/* Past the point of no return: a proxy that cannot hear it is gone anyway. */
	if (offload_has_proxy(p))
		host_call(&hc);
}

void offload_process_exit(struct process *p)
{
	struct host_call hc = { .op = COVE_LC_JOB_EXIT, .job = p->host_job };

	if (!p->proxy_forked || !p->host_job)
		return;
	hc.arg[0] = p->term_signal ? (uint64_t)(p->term_signal & 0x7f) :
		    (uint64_t)(p->exit_code & 0xff) << 8;
	p->proxy_forked = false;
	host_post(&hc);
}

struct offload_signal_ctx {
	uint32_t job;
	int sig;
	bool found;
};

static int offload_signal_one(struct process *p, void *arg)
{
	struct offload_signal_ctx *ctx = arg;

	if (!p->proxy_forked || p->host_job != ctx->job || p->exited)
		return 0;
	ctx->found = true;
	if (ctx->sig == SIGKILL)
		process_kill(p, SIGKILL, false);
	else
		signal_send(p, ctx->sig);
	return 0;
}

/* Too big for a kernel stack; the doorbell and the idle loop may both ask: one at a time. */
static uint32_t offload_signal_pids[1024];
static spinlock_t offload_signal_lock = SPINLOCK_INIT;

int offload_signal_forked(uint32_t job, int sig)
{
	struct offload_signal_ctx ctx = { .job = job, .sig = sig };
	unsigned long flags;
	uint32_t n;

	if (!job)
		return -ESRCH;
	flags = spin_lock_irqsave(&offload_signal_lock);
	n = process_list_pids(offload_signal_pids, ARRAY_SIZE(offload_signal_pids));
	for (uint32_t i = 0; i < n && !ctx.found; i++)
		process_with(offload_signal_pids[i], offload_signal_one, &ctx);
	spin_unlock_irqrestore(&offload_signal_lock, flags);
	return ctx.found ? 0 : -ESRCH;
}
