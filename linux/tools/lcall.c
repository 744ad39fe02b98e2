// SPDX-License-Identifier: GPL-2.0
/*
 * The long-call server of `cove run`: a job in Cove has no file system of
 * its own, so its open/read/write/stat go to this process, which does them
 * on the host with its own credentials (the caller's: cmd_run.c).
 * Everything in a request comes from the enclave and is checked as
 * untrusted: handles, lengths, offsets, and paths (non-empty, NUL-terminated
 * inside the payload, shorter than PATH_MAX, and never a kernel interface
 * of the host: host_path.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cove/pisces_abi.h>
#include "cove.h"
#include "host_path.h"
#include "lcall.h"

#define LC_HANDLES 256		/* open files per job, stdio included */
#define LC_POLL_MS 250		/* how soon an interrupt is acted on */
#define LC_GIVE_UP 3		/* interrupts before we stop waiting for the kill */

/*
 * Flags a job may pass to open(2). Anything else (O_PATH, O_ASYNC,
 * O_NOATIME, ...) is dropped rather than passed to the host blindly.
 */
#define LC_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY | \
		       O_NOFOLLOW | O_NONBLOCK | O_DSYNC | O_SYNC | O_LARGEFILE)

struct lcall_server {
	int fd;
	uint32_t id, job;
	int handles[LC_HANDLES];	/* host fds; -1 = free; 0-2 are our stdio */
	char *buf;			/* the payload, both ways */
	bool warned_op;
};

/* A path in the payload, or NULL with *err set: never trust its length. */
static const char *lc_path(struct lcall_server *s, uint32_t len, int *err)
{
	const char *nul;

	if (!len || len > COVE_LCALL_PAYLOAD_MAX) {
		*err = -EINVAL;
		return NULL;
	}
	nul = memchr(s->buf, 0, len);
	if (!nul || nul == s->buf) {
		*err = nul ? -ENOENT : -EINVAL;	/* "" is ENOENT, as for open(2) */
		return NULL;
	}
	if (nul - s->buf >= PATH_MAX) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	return s->buf;
}

/* The host fd behind a handle, or -1. */
static int lc_handle(struct lcall_server *s, uint64_t h)
{
	return h < LC_HANDLES ? s->handles[h] : -1;
}

static int lc_open(struct lcall_server *s, const struct cove_lcall *rq)
{
	int err, hostfd;
	const char *path = lc_path(s, rq->len, &err);

	if (!path)
		return err;
	for (int h = 3; h < LC_HANDLES; h++) {
		if (s->handles[h] >= 0)
			continue;
		hostfd = host_open(path, (int)rq->arg[0] & LC_OPEN_FLAGS,
				   (mode_t)(rq->arg[1] & 07777));
		if (hostfd < 0)
			return hostfd;
		s->handles[h] = hostfd;
		return h;
	}
	return -EMFILE;
}

static int lc_read(struct lcall_server *s, const struct cove_lcall *rq, struct cove_lcall *rp)
{
	int hostfd = lc_handle(s, rq->arg[0]);
	size_t len = rq->arg[2] < COVE_LCALL_PAYLOAD_MAX ? rq->arg[2] : COVE_LCALL_PAYLOAD_MAX;
	ssize_t n;

	if (hostfd < 0 || rq->arg[0] == 1 || rq->arg[0] == 2)
		return -EBADF;
	if (rq->arg[1] > INT64_MAX)
		return -EINVAL;
	/* The job's stdin is ours, a stream: no offset. */
	n = rq->arg[0] == 0 ? read(hostfd, s->buf, len) :
			      pread(hostfd, s->buf, len, (off_t)rq->arg[1]);
	if (n < 0)
		return -errno;
	rp->len = (uint32_t)n;
	return (int)n;
}

static int lc_write(struct lcall_server *s, const struct cove_lcall *rq)
{
	int hostfd = lc_handle(s, rq->arg[0]);
	ssize_t n;
	int rc;

	if (hostfd < 0 || rq->arg[0] == 0)
		return -EBADF;
	if (rq->len > COVE_LCALL_PAYLOAD_MAX || rq->arg[1] > INT64_MAX)
		return -EINVAL;
	if (rq->arg[0] <= 2) {
		/* Unbuffered, so the job's stdout and stderr keep their order. */
		rc = write_all(hostfd, s->buf, rq->len);
		return rc ? rc : (int)rq->len;
	}
	n = pwrite(hostfd, s->buf, rq->len, (off_t)rq->arg[1]);
	return n < 0 ? -errno : (int)n;
}

static int lc_close(struct lcall_server *s, const struct cove_lcall *rq)
{
	int hostfd = lc_handle(s, rq->arg[0]);

	if (hostfd < 0)
		return -EBADF;
	if (rq->arg[0] <= 2)
		return 0;	/* the job closing its stdio must not close ours */
	s->handles[rq->arg[0]] = -1;
	return close(hostfd) ? -errno : 0;
}

/* stat of a path, or with no payload fstat of the handle in arg0. */
static int lc_stat(struct lcall_server *s, const struct cove_lcall *rq, struct cove_lcall *rp)
{
	struct stat st;
	int err, hostfd;
	const char *path;

	if (!rq->len) {
		hostfd = lc_handle(s, rq->arg[0]);
		if (hostfd < 0)
			return -EBADF;
		if (fstat(hostfd, &st))
			return -errno;
	} else {
		path = lc_path(s, rq->len, &err);
		if (!path)
			return err;
		err = host_stat(path, &st);
		if (err)
			return err;
	}
	rp->arg[0] = (uint64_t)st.st_size;
	rp->arg[1] = st.st_mode;
	rp->arg[2] = (uint64_t)st.st_mtim.tv_sec;
	rp->arg[3] = (uint64_t)st.st_ino;
	return 0;
}

/* The exit status `cove run` ends with: the shell's convention. */
static int job_exit_status(struct lcall_server *s, int status)
{
	fflush(stdout);
	if (WIFSIGNALED(status)) {
		warn("job %u was killed by signal %d (%s)", s->job, WTERMSIG(status),
		     strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/* Answer one request: lc becomes the reply (result, args, payload bytes). */
static void lc_serve_one(struct lcall_server *s, struct cove_lcall *lc)
{
	const struct cove_lcall rq = *lc;
	int rc;

	memset(lc->arg, 0, sizeof(lc->arg));
	lc->len = 0;
	switch (rq.op) {
	case COVE_LC_OPEN:
		rc = lc_open(s, &rq);
		break;
	case COVE_LC_READ:
		rc = lc_read(s, &rq, lc);
		break;
	case COVE_LC_WRITE:
		rc = lc_write(s, &rq);
		break;
	case COVE_LC_CLOSE:
		rc = lc_close(s, &rq);
		break;
	case COVE_LC_STAT:
		rc = lc_stat(s, &rq, lc);
		break;
	case COVE_LC_JOB_EXIT:
		rc = 0;
		break;
	default:
		if (!s->warned_op)
			warn("job %u made long call %u, which this cove does not know", s->job,
			     rq.op);
		s->warned_op = true;
		rc = -ENOSYS;
	}
	lc->result = rc;
}

static void __attribute__((noreturn)) wait_failed(struct lcall_server *s, int err)
{
	switch (err) {
	case EIO:
		report_failure(s->fd, s->id);
		fail("enclave %u failed while job %u ran", s->id, s->job);
	case ENOENT:
		fail("enclave %u is gone (destroyed while job %u ran)", s->id, s->job);
	case ESRCH:
		fail("job %u of enclave %u is gone", s->job, s->id);
	default:
		cove_ioctl_fail(err, s->id, "serving the job of");
	}
}

static void kill_job(struct lcall_server *s, int times)
{
	struct cove_launch k = { .id = s->id, .job = s->job };

	if (times >= LC_GIVE_UP)
		fail("stopped waiting for job %u; it may still run (cove destroy %u ends it)",
		     s->job, s->id);
	if (times == 1)
		warn("stopping job %u (interrupt twice more to stop waiting for it)", s->job);
	if (ioctl(s->fd, COVE_IOC_KILL, &k) && errno != ESRCH)
		warn("cannot stop job %u: %s", s->job, strerror(errno));
}

int lcall_serve(int fd, uint32_t id, uint32_t job)
{
	static struct lcall_server s;
	int acted_on = 0;

	s.fd = fd;
	s.id = id;
	s.job = job;
	for (int h = 0; h < LC_HANDLES; h++)
		s.handles[h] = h <= 2 ? h : -1;
	s.buf = malloc(COVE_LCALL_PAYLOAD_MAX);
	if (!s.buf)
		fail("out of memory");
	for (;;) {
		struct cove_lcall lc = {
			.id = id, .job = job, .timeout_ms = LC_POLL_MS,
			.buf_ptr = (uintptr_t)s.buf, .buf_size = COVE_LCALL_PAYLOAD_MAX,
		};
		int status, rc;

		while (acted_on < cove_interrupts)
			kill_job(&s, ++acted_on);
		if (ioctl(fd, COVE_IOC_LCALL_WAIT, &lc)) {
			if (errno == EINTR || errno == ETIMEDOUT || errno == EAGAIN)
				continue;
			wait_failed(&s, errno);
		}
		status = (int)lc.arg[0];
		/* The module answers a job's exit itself: nothing to reply. */
		if (lc.op == COVE_LC_JOB_EXIT)
			return job_exit_status(&s, status);
		lc_serve_one(&s, &lc);
		while ((rc = ioctl(fd, COVE_IOC_LCALL_REPLY, &lc)) && errno == EINTR)
			;
		if (rc)
			wait_failed(&s, errno);
	}
}
