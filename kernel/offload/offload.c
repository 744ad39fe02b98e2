// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarding a call to the job's host proxy: one long call carrying the
 * number, the six registers as they are, and where the proxy's mirror
 * finds the caller's memory (cove/offload.h).
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/kvsnprintf.h>
#include <cove/uaccess.h>
#include <cove/file.h>
#include <cove/host.h>
#include <cove/offload.h>
#include <cove/pisces_abi.h>
#include <cove/signal.h>
#include <cove/task.h>
#include <arch/aspace_arch.h>
#include <arch/syscall_list.h>

bool offload_has_proxy(const struct process *p)
{
	return p && p->proxy && p->host_job;
}

static int64_t offload_call(uint64_t nr, const uint64_t args[6], bool (*give_up)(void))
{
	struct task *t = task_current();
	struct process *p = t->proc;
	struct cove_lc_syscall rq = {
		.nr = nr,
		.pt_root = arch_aspace_root(&p->as->arch),
		.map_gen = __atomic_load_n(&p->as->unmap_gen, __ATOMIC_ACQUIRE),
		.pid = p->pid,
		.tid = t->tid,
	};
	struct host_call c = {
		.op = COVE_LC_SYSCALL, .job = p->host_job, .in = &rq, .in_len = sizeof(rq),
	};
	int64_t rc;

	for (int i = 0; i < 6; i++)
		rq.arg[i] = args[i];
	t->offloaded++;
	rc = give_up ? host_call_cancellable(&c, give_up) : host_call(&c);
	if (rc < 0)
		return rc == -ENODEV ? -ENOSYS : rc;	/* the proxy is gone: -EIO */
	rc = (int64_t)c.arg[0];
	/*
	 * Cut short for a signal: as a native call would be, restarted after
	 * an SA_RESTART handler (or none), else EINTR.
	 */
	if (give_up && rc == -EINTR && signal_pending_current())
		return -ERESTARTSYS;
	return rc;
}

#define MSG_NOSIGNAL 0x4000

/*
 * EPIPE from the host comes with SIGPIPE on Linux, to the writer: the
 * proxy, which ignores it. The job's thread gets it here instead, as a
 * native write to a broken pipe or socket would give it (not for a send
 * with MSG_NOSIGNAL).
 */
static void offload_sigpipe(uint64_t nr, const uint64_t args[6])
{
	switch (nr) {
	case __NR_sendto:
		if (args[3] & MSG_NOSIGNAL)
			return;
		break;
	case __NR_sendmsg:
		if (args[2] & MSG_NOSIGNAL)
			return;
		break;
	case __NR_write: case __NR_writev: case __NR_pwrite64: case __NR_pwritev:
	case __NR_pwritev2: case __NR_sendfile: case __NR_splice: case __NR_vmsplice:
		break;
	default:
		return;
	}
	signal_send(task_current()->proc, SIGPIPE);
}

int64_t offload_syscall(uint64_t nr, const uint64_t args[6])
{
	int64_t rc = offload_call(nr, args, signal_pending_current);

	if (rc == -EPIPE)
		offload_sigpipe(nr, args);
	return rc;
}

int64_t offload_syscall_dying(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };

	return offload_call(nr, args, NULL);
}

int64_t offload_syscall_regs(uint64_t nr, SYSCALL_ARGS)
{
	uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };

	return offload_syscall(nr, args);
}

static int offload_fd_reserve(int min, bool exact)
{
	struct process *p = task_current()->proc;
	struct host_call c = {
		.op = COVE_LC_FD_RESERVE, .job = p->host_job,
		.arg = { (uint64_t)min, exact },
	};
	int64_t rc = host_call(&c);

	if (rc < 0)
		return (int)rc;
	if ((int64_t)c.arg[0] < 0 || (exact && (int64_t)c.arg[0] != min))
		return -EMFILE;
	return (int)c.arg[0];
}

static void offload_fd_release(int fd)
{
	struct process *p = task_current()->proc;
	struct host_call c = {
		.op = COVE_LC_FD_RELEASE, .job = p->host_job, .arg = { (uint64_t)fd },
	};

	host_call(&c);
}

static int offload_host_fds(uint32_t *out, uint32_t max)
{
	struct process *p = task_current()->proc;
	struct host_call c = {
		.op = COVE_LC_FD_LIST, .job = p->host_job,
		.out = out, .out_cap = max * (uint32_t)sizeof(*out),
	};
	int64_t rc;

	if (!offload_has_proxy(p))
		return 0;
	rc = host_call(&c);
	if (rc < 0)
		return (int)rc;
	return (int)(c.out_len / sizeof(*out));
}

const struct fd_numbers offload_fd_numbers = {
	.reserve = offload_fd_reserve,
	.release = offload_fd_release,
	.list = offload_host_fds,
};

int offload_fd_host_path(int fd, uint64_t scratch, char *out, size_t len)
{
	char link[32];
	uint64_t args[6];
	int64_t n;

	if (len < 2 || len > OFFLOAD_PATH_SCRATCH - sizeof(link))
		return -EINVAL;
	ksnprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (copy_to_user(scratch, link, sizeof(link)))
		return -EFAULT;
	args[0] = scratch;
	args[1] = scratch + sizeof(link);
	args[2] = len - 1;
	n = offload_syscall(__NR_readlink, args);
	if (n < 0)
		return (int)n;
	if (copy_from_user(out, scratch + sizeof(link), (size_t)n))
		return -EFAULT;
	out[n] = 0;
	return 0;
}

int64_t offload_pread_into(int fd, uint64_t va, uint64_t len, uint64_t off)
{
	uint64_t done = 0;

	/* The proxy's pread writes straight into the new mapping, through the mirror. */
	while (done < len) {
		uint64_t args[6] = { (uint64_t)fd, va + done, len - done, off + done };
		int64_t n = offload_syscall(__NR_pread64, args);

		if (n < 0)
			return n;
		if (n == 0)
			break;	/* end of file: the rest stays zero */
		done += (uint64_t)n;
	}
	return (int64_t)done;
}
