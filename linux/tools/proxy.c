// SPDX-License-Identifier: GPL-2.0
/*
 * The job's host proxy: `cove run` makes on Linux the system calls Cove
 * does not serve itself, with its own rights -- the rights of whoever ran
 * it, so a job can do on the host exactly what its user could.
 *
 * Pointer arguments need no copying: /dev/cove is mapped over the window
 * every job address lies in (COVE_JOB_VA_START..END), and the module fills
 * it from the job's own page tables as Linux touches it. Our own code,
 * stack, heap and libraries live above that window, where Linux puts them.
 *
 * Descriptors: the job's host files are ours, at the same numbers (stdio
 * included); Cove's own files get numbers we hold with a placeholder
 * (/dev/null), so the two tables never clash. Our private descriptors sit
 * at PROXY_FD_PRIVATE and up, and the job can neither close nor copy them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cove/pisces_abi.h>
#define SYSCALL_LIST_ONLY	/* <sys/syscall.h> has the numbers */
#include <arch/syscall_list.h>
#include "cove.h"
#include "proxy.h"

#define PROXY_FD_PRIVATE 1000	/* ours from here: the device, the placeholder source */
#define PROXY_FD_PRIVATE_END 1008
#define PROXY_FD_TRACKED 65536	/* placeholders we remember */
#define PROXY_NR_MAX 512

/* Set once in proxy_setup, before any server thread starts. */
static int proxy_devfd = -1, proxy_null = -1;
static uint32_t proxy_id, proxy_job;
/* The tables the mirror walks, as last told to the module (any thread). */
static _Atomic uint64_t proxy_root, proxy_gen;
/* Which numbers are placeholders for Cove's files. */
static _Atomic uint8_t proxy_placeholder[PROXY_FD_TRACKED];

/*
 * The calls Cove may forward, from the one syscall list: OFFLOAD and
 * ROUTED ones. Anything else from the enclave (exit, mmap, clone, ...)
 * would act on this process and is refused.
 */
#define PROXY_ALLOW_NATIVE(nr, name, fn)
#define PROXY_ALLOW_MISSING(nr, name)
#define PROXY_ALLOW_OFFLOAD(nr, name) [nr] = 1,
#define PROXY_ALLOW_ROUTED(nr, name, fn, route) [nr] = 1,
static const uint8_t proxy_allowed[PROXY_NR_MAX] = {
	SYSCALL_LIST(PROXY_ALLOW_NATIVE, PROXY_ALLOW_MISSING, PROXY_ALLOW_OFFLOAD,
		     PROXY_ALLOW_ROUTED)
};

bool proxy_call_allowed(uint64_t nr)
{
	return nr < PROXY_NR_MAX && proxy_allowed[nr];
}

static bool proxy_fd_private(int64_t fd)
{
	return fd >= PROXY_FD_PRIVATE && fd < PROXY_FD_PRIVATE_END;
}

static void proxy_placeholder_set(int64_t fd, bool on)
{
	if (fd >= 0 && fd < PROXY_FD_TRACKED)
		atomic_store(&proxy_placeholder[fd], on);
}

int proxy_private_fd(int fd)
{
	int n = fcntl(fd, F_DUPFD_CLOEXEC, PROXY_FD_PRIVATE);

	if (n < 0 || n >= PROXY_FD_PRIVATE_END)
		fail("cannot move descriptor %d out of the job's way: %s", fd,
		     n < 0 ? strerror(errno) : "no private number left");
	close(fd);
	return n;
}

/* Mirror job `job` through proxy_devfd: the module learns which, then our window maps it. */
static int proxy_map_window(uint32_t id, uint32_t job)
{
	struct cove_mirror_set ms = { .id = id, .job = job };
	void *at;

	if (ioctl(proxy_devfd, COVE_IOC_MIRROR, &ms))
		return -errno;
	at = mmap((void *)COVE_JOB_VA_START, COVE_JOB_VA_END - COVE_JOB_VA_START,
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE | MAP_NORESERVE,
		  proxy_devfd, 0);
	return at == MAP_FAILED ? -errno : 0;
}

int proxy_setup(int devfd, uint32_t id, uint32_t job)
{
	struct rlimit rl;
	int err;

	/* Room for our private numbers above what a job usually uses. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < PROXY_FD_PRIVATE_END &&
	    rl.rlim_max >= PROXY_FD_PRIVATE_END) {
		rl.rlim_cur = PROXY_FD_PRIVATE_END;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	proxy_devfd = proxy_private_fd(devfd);
	cove_moved(proxy_devfd);
	proxy_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (proxy_null < 0)
		fail("/dev/null: %s", strerror(errno));
	proxy_null = proxy_private_fd(proxy_null);
	proxy_id = id;
	proxy_job = job;
	err = proxy_map_window(id, job);
	if (err == -EPERM || err == -EINVAL || err == -ESRCH)
		fail("cannot mirror job %u of enclave %u: %s", job, id, strerror(-err));
	if (err)
		fail("cannot map the job's address window %#llx-%#llx here: %s",
		     COVE_JOB_VA_START, COVE_JOB_VA_END, strerror(-err));
	return proxy_devfd;
}

/*
 * In a proxy just forked for a forked process (lcall.c): only this thread
 * runs. Open the device again, take the child's id over from the file we
 * inherited, let go of that file (only the first proxy's keeps the job
 * alive: a SIGKILL of `cove run` must still end it), and mirror the
 * child's memory, which fork left out of our window (VM_DONTCOPY).
 */
int proxy_adopt(uint32_t job)
{
	struct cove_fork req = { .id = proxy_id, .job = job, .from_fd = proxy_devfd };
	int fd, priv, err;

	fd = open(cove_device(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Alone in this process: nothing else can take a number meanwhile. */
	priv = fcntl(fd, F_DUPFD_CLOEXEC, PROXY_FD_PRIVATE);
	close(fd);
	if (priv < 0 || priv >= PROXY_FD_PRIVATE_END) {
		if (priv >= 0)
			close(priv);
		return -EMFILE;
	}
	if (ioctl(priv, COVE_IOC_ADOPT, &req)) {
		err = -errno;
		close(priv);
		return err;
	}
	close(proxy_devfd);
	proxy_devfd = priv;
	cove_moved(priv);
	proxy_job = job;
	atomic_store(&proxy_root, 0);
	atomic_store(&proxy_gen, 0);
	return proxy_map_window(proxy_id, job) ?: priv;
}

int64_t proxy_exec(bool (*keep)(int fd))
{
	struct rlimit rl;
	uint64_t top = PROXY_FD_TRACKED;
	struct cove_mirror_set ms = { .id = proxy_id, .job = proxy_job };

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < top)
		top = rl.rlim_cur;
	/* Placeholders are Cove's: it closed its close-on-exec files itself. */
	for (uint64_t fd = 0; fd < top; fd++) {
		int flags;

		if (proxy_fd_private((int64_t)fd) || atomic_load(&proxy_placeholder[fd]) ||
		    keep((int)fd))
			continue;
		flags = fcntl((int)fd, F_GETFD);
		if (flags >= 0 && (flags & FD_CLOEXEC))
			close((int)fd);
	}
	/*
	 * The old image's memory goes back to Cove: no page of it may stay in
	 * our window, even if a later image's tables land at the same address.
	 */
	if (ioctl(proxy_devfd, COVE_IOC_MIRROR, &ms))
		return -errno;
	atomic_store(&proxy_root, 0);
	atomic_store(&proxy_gen, 0);
	return 0;
}

/* The module walks the tables the request names; tell it when they change. */
static int proxy_mirror(uint64_t root, uint64_t gen)
{
	struct cove_mirror_set ms = {
		.id = proxy_id, .job = proxy_job, .pt_root = root, .map_gen = gen,
	};

	if (atomic_load(&proxy_root) == root && atomic_load(&proxy_gen) == gen)
		return 0;
	if (ioctl(proxy_devfd, COVE_IOC_MIRROR, &ms))
		return -errno;
	atomic_store(&proxy_root, root);
	atomic_store(&proxy_gen, gen);
	return 0;
}

/*
 * Calls that could take our private descriptors from us: refused, or
 * (close_range) cut around them. A number Cove held with a placeholder
 * stops being one once the job's host file takes it.
 */
static int64_t proxy_fd_guard(const struct cove_lc_syscall *rq, bool *done)
{
	uint64_t a[6];
	int64_t r1, r2 = 0;

	memcpy(a, rq->arg, sizeof(a));
	*done = false;
	switch (rq->nr) {
	case SYS_close:
		if (proxy_fd_private((int)a[0]))
			break;
		proxy_placeholder_set((int)a[0], false);
		return 0;
	case SYS_dup2:
	case SYS_dup3:
		if (proxy_fd_private((int)a[0]) || proxy_fd_private((int)a[1]))
			break;
		proxy_placeholder_set((int)a[1], false);
		return 0;
	case SYS_fcntl:
		return proxy_fd_private((int)a[0]) ? (*done = true, -EBADF) : 0;
	case SYS_close_range:
		for (uint64_t fd = a[0]; fd <= a[1] && fd < PROXY_FD_TRACKED; fd++)
			if (!(a[2] & (1U << 2)))	/* CLOSE_RANGE_CLOEXEC closes nothing */
				proxy_placeholder_set((int64_t)fd, false);
		if (a[0] > a[1] || a[1] < PROXY_FD_PRIVATE || a[0] >= PROXY_FD_PRIVATE_END)
			return 0;
		*done = true;
		r1 = a[0] < PROXY_FD_PRIVATE ?
		     syscall(SYS_close_range, a[0], PROXY_FD_PRIVATE - 1, a[2]) : 0;
		if (a[1] >= PROXY_FD_PRIVATE_END)
			r2 = syscall(SYS_close_range, PROXY_FD_PRIVATE_END, a[1], a[2]);
		return r1 < 0 || r2 < 0 ? -errno : 0;
	default:
		return 0;
	}
	*done = true;
	return -EBADF;
}

int64_t proxy_syscall(const void *payload, uint32_t len)
{
	struct cove_lc_syscall rq;
	bool done;
	int64_t r;
	int err;

	if (len != sizeof(rq))
		return -EINVAL;
	memcpy(&rq, payload, sizeof(rq));
	if (!proxy_call_allowed(rq.nr)) {
		warn("job %u asked for system call %llu, which Cove never forwards; refused",
		     proxy_job, (unsigned long long)rq.nr);
		return -ENOSYS;
	}
	err = proxy_mirror(rq.pt_root, rq.map_gen);
	if (err)
		return -EFAULT;
	r = proxy_fd_guard(&rq, &done);
	if (done)
		return r;
	r = syscall((long)rq.nr, rq.arg[0], rq.arg[1], rq.arg[2], rq.arg[3], rq.arg[4],
		    rq.arg[5]);
	return r == -1 ? -errno : r;
}

int64_t proxy_fd_reserve(uint64_t min, uint64_t exact)
{
	int n;

	if (min >= PROXY_FD_TRACKED || proxy_fd_private((int64_t)min))
		return -EBADF;
	n = exact ? dup2(proxy_null, (int)min) : fcntl(proxy_null, F_DUPFD, (int)min);
	if (n < 0)
		return -errno;
	if (proxy_fd_private(n) || n >= PROXY_FD_TRACKED) {
		if (!proxy_fd_private(n))
			close(n);
		return -EMFILE;
	}
	proxy_placeholder_set(n, true);
	return n;
}

int64_t proxy_fd_list(void *buf, uint32_t cap, uint32_t *len)
{
	uint32_t *out = buf, n = 0;
	struct rlimit rl;
	uint64_t top = PROXY_FD_TRACKED;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < top)
		top = rl.rlim_cur;
	for (uint64_t fd = 0; fd < top && (n + 1) * sizeof(*out) <= cap; fd++) {
		if (proxy_fd_private((int64_t)fd) || atomic_load(&proxy_placeholder[fd]))
			continue;
		if (fcntl((int)fd, F_GETFD) >= 0)
			out[n++] = (uint32_t)fd;
	}
	*len = n * (uint32_t)sizeof(*out);
	return n;
}

int64_t proxy_fd_release(uint64_t fd)
{
	if (fd >= PROXY_FD_TRACKED || !atomic_exchange(&proxy_placeholder[fd], 0))
		return -EBADF;	/* not one Cove holds: never close a host file for it */
	return close((int)fd) ? -errno : 0;
}
