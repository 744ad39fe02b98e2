// SPDX-License-Identifier: GPL-2.0
/*
 * Where a call that is not always Cove's is served: by Cove when what it
 * names is the enclave's, else by the job's host proxy. The syscall list
 * gives each such call its route (cove/syscall.h); this file applies it.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/hostfile.h>
#include <cove/kprintf.h>
#include <cove/offload.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <cove/vfs.h>

/* Long enough to see past any "/./../" in front of the first name. */
#define ROUTE_PATH_PEEK 256
/* More pollfds than this is EINVAL on Linux long before (RLIMIT_NOFILE). */
#define ROUTE_POLL_MAX 1024

bool offload_fd_is_host(int fd)
{
	struct process *p = task_current()->proc;

	return offload_has_proxy(p) && fd >= 0 && !fd_is_open(p->files, fd);
}

/*
 * The descriptor a path names by number, or -1: /proc/self/fd/N and its
 * aliases. glibc reaches a file through one (fchmodat without following
 * links chmods /proc/self/fd/N of an O_PATH descriptor), and when N is a
 * host descriptor the proxy's own /proc/self/fd/N is that very file: its
 * table is the job's.
 */
static int offload_fd_path(const char *path)
{
	static const char *const dirs[] = { "/proc/self/fd/", "/proc/thread-self/fd/",
					    "/dev/fd/" };
	static const char *const stdio[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
	int n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(stdio); i++) {
		if (!strcmp(path, stdio[i]))
			return (int)i;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
		size_t len = strlen(dirs[i]);
		const char *p = path + len;

		if (strncmp(path, dirs[i], len) || *p < '0' || *p > '9')
			continue;
		for (; *p >= '0' && *p <= '9' && n < (1 << 20); p++)
			n = n * 10 + (*p - '0');
		return *p ? -1 : n;
	}
	return -1;
}

bool offload_path_is_host(int dirfd, uint64_t upath)
{
	struct process *p = task_current()->proc;
	char path[ROUTE_PATH_PEEK];
	int64_t n;
	int fd;

	if (!offload_has_proxy(p))
		return false;
	n = strncpy_from_user(path, upath, sizeof(path));
	if (n == -EFAULT)
		return false;	/* Cove's handler says EFAULT */
	if (n < 0)
		return true;	/* too long to be one of the enclave's short trees */
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return offload_fd_is_host(dirfd);
	fd = offload_fd_path(path);
	if (fd >= 0)
		return offload_fd_is_host(fd);
	return hostfile_route(path, p->cwd_on_host) != HOSTFILE_ENCLAVE;
}

/* poll(2): the host's if any descriptor in it is; Cove's own only when all are. */
static bool offload_poll_is_host(uint64_t ufds, uint64_t nfds)
{
	struct { int32_t fd; int16_t events, revents; } pfd;

	if (nfds > ROUTE_POLL_MAX)
		return false;
	for (uint64_t i = 0; i < nfds; i++) {
		if (copy_from_user(&pfd, ufds + i * sizeof(pfd), sizeof(pfd)))
			return false;
		if (offload_fd_is_host(pfd.fd))
			return true;
	}
	return false;
}

static void offload_report_bare(uint64_t nr, const char *name)
{
	static uint64_t reported[(SYSCALL_MAX + 63) / 64];
	uint64_t bit = 1ULL << (nr % 64);

	if (!(__atomic_fetch_or(&reported[nr / 64], bit, __ATOMIC_RELAXED) & bit))
		pr_warn("syscall: %s (%lu) is served by a job's host proxy; this job has none, "
			"ENOSYS\n", name, nr);
}

int64_t offload_route(const struct syscall_entry_desc *e, uint64_t nr, const uint64_t a[6])
{
	const struct process *p = task_current()->proc;
	bool host;

	switch (e->kind) {
	case SYSCALL_OFFLOAD:
		if (offload_has_proxy(p))
			return offload_syscall(nr, a);
		offload_report_bare(nr, e->name);
		return -ENOSYS;
	case SYSCALL_ROUTE_FD:
		host = offload_fd_is_host((int)a[e->a]);
		break;
	case SYSCALL_ROUTE_FD2:
		host = offload_fd_is_host((int)a[e->a]);
		if (host != offload_fd_is_host((int)a[e->b]) && offload_has_proxy(p))
			return -EINVAL;	/* one file the enclave's, one the host's */
		break;
	case SYSCALL_ROUTE_PATH:
		host = offload_path_is_host(e->a < 0 ? AT_FDCWD : (int)a[e->a], a[e->b]);
		break;
	case SYSCALL_ROUTE_POLL:
		host = offload_has_proxy(p) && offload_poll_is_host(a[e->a], a[e->b]);
		break;
	case SYSCALL_ROUTE_HOST:
		host = offload_has_proxy(p);
		break;
	default:
		host = false;
		break;
	}
	if (host)
		return offload_syscall(nr, a);
	return e->fn(a[0], a[1], a[2], a[3], a[4], a[5]);
}
