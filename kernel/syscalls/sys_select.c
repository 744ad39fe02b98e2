// SPDX-License-Identifier: GPL-2.0
/*
 * ppoll, select and pselect6 on the enclave's own descriptors (pipes
 * above all: shells and Python's subprocess wait on them this way). In a
 * job with a host proxy, a call naming any host descriptor is the host's
 * whole, as poll's is (kernel/offload/route.c).
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/io_poll.h>
#include <cove/offload.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>
#include <cove/vfs.h>
#include <arch/syscall_list.h>

#define SELECT_WORDS (FD_MAX / 64)
#define SIGSET_BYTES 8

/* select's three sets, in and out. */
struct select_sets {
	uint64_t uset[3];		/* read, write, except; 0 when not given */
	uint64_t in[3][SELECT_WORDS], out[3][SELECT_WORDS];
	int nfds;
};

/* What makes a descriptor count in each set, as Linux's select. */
static const unsigned int select_ready[3] = {
	VFS_POLLIN | VFS_POLLHUP | VFS_POLLERR,
	VFS_POLLOUT | VFS_POLLERR,
	VFS_POLLPRI,
};

static bool select_has(const struct select_sets *s, int i, int fd)
{
	return s->in[i][fd / 64] & (1ULL << (fd % 64));
}

static int64_t select_scan(void *ctx)
{
	struct select_sets *s = ctx;
	int64_t ready = 0;

	memset(s->out, 0, sizeof(s->out));
	for (int fd = 0; fd < s->nfds; fd++) {
		unsigned int got;

		if (!select_has(s, 0, fd) && !select_has(s, 1, fd) && !select_has(s, 2, fd))
			continue;
		got = io_poll_fd(fd, VFS_POLLIN | VFS_POLLOUT | VFS_POLLPRI);
		if (got & VFS_POLLNVAL)
			return -EBADF;
		for (int i = 0; i < 3; i++) {
			if (select_has(s, i, fd) && (got & select_ready[i])) {
				s->out[i][fd / 64] |= 1ULL << (fd % 64);
				ready++;
			}
		}
	}
	return ready;
}

static int select_copy_in(struct select_sets *s, int64_t nfds, uint64_t r, uint64_t w,
			  uint64_t e)
{
	size_t bytes;

	if (nfds < 0)
		return -EINVAL;
	/* Beyond the table nothing can be open: Linux looks no further either. */
	s->nfds = (int)MIN(nfds, (int64_t)FD_MAX);
	bytes = (size_t)(s->nfds + 63) / 64 * 8;
	s->uset[0] = r;
	s->uset[1] = w;
	s->uset[2] = e;
	memset(s->in, 0, sizeof(s->in));
	for (int i = 0; i < 3; i++) {
		if (s->uset[i] && copy_from_user(s->in[i], s->uset[i], bytes))
			return -EFAULT;
	}
	return 0;
}

static int64_t select_copy_out(struct select_sets *s, int64_t rc)
{
	size_t bytes = (size_t)(s->nfds + 63) / 64 * 8;

	if (rc < 0)
		return rc;
	if (rc == 0)
		memset(s->out, 0, sizeof(s->out));
	for (int i = 0; i < 3; i++) {
		if (s->uset[i] && copy_to_user(s->uset[i], s->out[i], bytes))
			return -EFAULT;
	}
	return rc;
}

/* A relative timeout as a deadline for io_poll_wait. */
static int select_deadline(int64_t sec, int64_t nsec, uint64_t *deadline)
{
	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (!sec && !nsec)
		*deadline = 0;
	else if ((uint64_t)sec >= (IO_POLL_FOREVER - time_now_ns()) / NSEC_PER_SEC - 1)
		*deadline = IO_POLL_FOREVER;
	else
		*deadline = time_now_ns() + (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
	return 0;
}

/* What is left of a deadline, as Linux writes it back into the caller's timeout. */
static void select_left(uint64_t deadline, int64_t *sec, int64_t *nsec)
{
	uint64_t now = time_now_ns(), left = deadline > now ? deadline - now : 0;

	*sec = (int64_t)(left / NSEC_PER_SEC);
	*nsec = (int64_t)(left % NSEC_PER_SEC);
}

/* The signal mask argument of ppoll and pselect6, if given, for the call. */
static int select_take_mask(uint64_t umask, uint64_t size)
{
	uint64_t mask;

	if (!umask)
		return 0;
	if (size != SIGSET_BYTES)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	signal_mask_for_call(mask);
	return 0;
}

int64_t sys_ppoll(SYSCALL_ARGS)
{
	uint64_t deadline = IO_POLL_FOREVER;
	int64_t ts[2], rc;

	if (a2) {
		if (copy_from_user(ts, a2, sizeof(ts)))
			return -EFAULT;
		rc = select_deadline(ts[0], ts[1], &deadline);
		if (rc)
			return rc;
	}
	rc = select_take_mask(a3, a4);
	if (rc)
		return rc;
	rc = io_poll_fds(a0, a1, deadline);
	signal_mask_call_done(rc);
	if (a2 && deadline != IO_POLL_FOREVER && deadline) {
		select_left(deadline, &ts[0], &ts[1]);
		copy_to_user(a2, ts, sizeof(ts));
	}
	return rc;
}

static int64_t select_do(int64_t nfds, uint64_t r, uint64_t w, uint64_t e, uint64_t deadline)
{
	struct select_sets *s = kmalloc(sizeof(*s));
	int64_t rc;

	if (!s)
		return -ENOMEM;
	rc = select_copy_in(s, nfds, r, w, e);
	if (!rc)
		rc = select_copy_out(s, io_poll_wait(select_scan, s, deadline));
	kfree(s);
	return rc;
}

/* Any descriptor below nfds in the user's sets that is the host's. */
static bool select_names_host(int64_t nfds, const uint64_t uset[3])
{
	struct select_sets s;

	if (!offload_has_proxy(task_current()->proc) ||
	    select_copy_in(&s, nfds, uset[0], uset[1], uset[2]))
		return false;	/* Cove's handler gives the error */
	for (int fd = 0; fd < s.nfds; fd++) {
		if ((select_has(&s, 0, fd) || select_has(&s, 1, fd) || select_has(&s, 2, fd)) &&
		    offload_fd_is_host(fd))
			return true;
	}
	return false;
}

int64_t sys_select_routed(SYSCALL_ARGS)
{
	uint64_t sets[3] = { a1, a2, a3 }, deadline = IO_POLL_FOREVER;
	int64_t tv[2], rc;

	if (select_names_host((int64_t)(int)a0, sets))
		return offload_syscall_regs(__NR_select, a0, a1, a2, a3, a4, a5);
	if (a4) {
		if (copy_from_user(tv, a4, sizeof(tv)))
			return -EFAULT;
		/* A timeval: microseconds. */
		if (tv[1] < 0 || tv[1] >= 1000000)
			return -EINVAL;
		rc = select_deadline(tv[0], tv[1] * 1000, &deadline);
		if (rc)
			return rc;
	}
	rc = select_do((int)a0, a1, a2, a3, deadline);
	if (a4 && deadline && deadline != IO_POLL_FOREVER) {
		select_left(deadline, &tv[0], &tv[1]);
		tv[1] /= 1000;
		copy_to_user(a4, tv, sizeof(tv));
	}
	return rc;
}

int64_t sys_pselect6_routed(SYSCALL_ARGS)
{
	uint64_t sets[3] = { a1, a2, a3 }, deadline = IO_POLL_FOREVER, sig[2] = { 0, 0 };
	int64_t ts[2], rc;

	if (select_names_host((int64_t)(int)a0, sets))
		return offload_syscall_regs(__NR_pselect6, a0, a1, a2, a3, a4, a5);
	if (a4) {
		if (copy_from_user(ts, a4, sizeof(ts)))
			return -EFAULT;
		rc = select_deadline(ts[0], ts[1], &deadline);
		if (rc)
			return rc;
	}
	/* The sixth argument points at { sigset pointer, its size }. */
	if (a5 && copy_from_user(sig, a5, sizeof(sig)))
		return -EFAULT;
	rc = select_take_mask(sig[0], sig[1]);
	if (rc)
		return rc;
	rc = select_do((int)a0, a1, a2, a3, deadline);
	signal_mask_call_done(rc);
	if (a4 && deadline && deadline != IO_POLL_FOREVER) {
		select_left(deadline, &ts[0], &ts[1]);
		copy_to_user(a4, ts, sizeof(ts));
	}
	return rc;
}
