// SPDX-License-Identifier: GPL-2.0
/*
 * The long-call server of `cove run`: the system calls Cove forwards
 * (proxy.c), and the files Cove's kernel reads itself (the program, its
 * interpreter): open/read/write/stat here, with our own credentials (the caller's: cmd_run.c).
 * Several threads serve at once, so a call that blocks on the host (a
 * read from a terminal, an accept) holds up only the job thread that made it.
 * Everything in a request comes from the enclave and is checked as
 * untrusted: handles, lengths, offsets, and paths (non-empty, NUL-terminated
 * inside the payload, shorter than PATH_MAX, and never a kernel interface
 * of the host: host_path.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <time.h>
#include <unistd.h>
#include <cove/debug_abi.h>
#include <cove/pisces_abi.h>
#include "cove.h"
#include "gdb_stub.h"
#include "host_path.h"
#include "lcall.h"
#include "proxy.h"

#define LC_HANDLES 256		/* open files per job, stdio included */
#define LC_POLL_MS 250		/* how soon an interrupt is acted on */
#define LC_GIVE_UP 3		/* interrupts before we stop waiting for the kill */
/*
 * Serving threads a proxy starts with, and the most it grows to: a worker
 * taking a call when none other is idle starts one more, so a process with
 * more threads blocked in host calls than workers (a Python Manager's
 * server: one per connection) never has a call wait behind them for one
 * to return. Cove's long-call slots bound what can wait at once anyway.
 */
#define LC_THREADS 4
#define LC_THREADS_MAX 64
/* How long a worker polls for the next call after answering one. */
#define LC_SPIN_NS 200000L
/* Sent to a server thread to cut short the host call it is blocked in. */
#define LC_WAKE_SIGNAL (SIGRTMIN + 1)
/* How long a proxy waits for the proxy it forked to be ready, in LC_POLL_MS steps. */
#define LC_FORK_WAIT_STEPS 40

/*
 * Flags a job may pass to open(2). Anything else (O_PATH, O_ASYNC,
 * O_NOATIME, ...) is dropped rather than passed to the host blindly.
 */
#define LC_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY | \
		       O_NOFOLLOW | O_NONBLOCK | O_DSYNC | O_SYNC | O_LARGEFILE)

struct lcall_server {
	int fd;
	uint32_t id, job;
	bool forked;			/* the proxy of a forked process, not `cove run` itself */
	bool rank;			/* ... of a rank > 0: `cove run` passes signals on */
	pthread_mutex_t lock;		/* handles, warned_op */
	int handles[LC_HANDLES];	/* host fds; -1 = free; 0-2 are our stdio */
	bool warned_op;
	/* The job's end, from whichever thread heard of it. */
	volatile int exit_status;
	volatile bool ended;
	volatile int wait_error;	/* an errno that ended serving, or 0 */
	int workers_left;		/* server threads still serving (atomic) */
	struct lcall_worker *workers;	/* nworkers of them started, LC_THREADS_MAX room */
	int nworkers;			/* started (atomic; grows under grow_lock) */
	int idle;			/* of those, not in a call (atomic) */
	pthread_mutex_t grow_lock;
	pthread_t main;			/* runs lc_main: a worker that stops wakes it */
};

/* One serving thread: its payload buffer, both ways. */
struct lcall_worker {
	struct lcall_server *s;
	pthread_t thread;
	char *buf;
	uint64_t serving;		/* the token of the call it is in, or 0 (atomic) */
	uint64_t cancel;		/* a token cancelled before its call began (atomic) */
};

/*
 * Set up once per proxy (lcall_serve) before its workers start, and
 * again in a proxy forked for a forked process (lc_fork_child), where the
 * one thread left is the worker that forked.
 */
static struct lcall_server lc_server;

/* The job's environment: set once by `cove run` before serving, read-only after. */
static const char *lc_env;
static size_t lc_env_len;

void lcall_set_env(const char *block, size_t len)
{
	lc_env = block;
	lc_env_len = len;
}

/* COVE_LC_ENV: the environment from offset arg0 on; arg0 of the reply its whole size. */
static int lc_env_read(char *buf, const struct cove_lcall *rq, struct cove_lcall *lc)
{
	size_t n;

	if (rq->arg[0] > lc_env_len)
		return -EINVAL;
	n = lc_env_len - rq->arg[0];
	if (n > rq->arg[1])
		n = rq->arg[1];	/* what fits Cove's slot */
	if (n > COVE_LCALL_PAYLOAD_MAX)
		n = COVE_LCALL_PAYLOAD_MAX;
	memcpy(buf, lc_env + rq->arg[0], n);
	lc->len = (uint32_t)n;
	lc->arg[0] = lc_env_len;
	return 0;
}
static struct lcall_worker lc_workers[LC_THREADS_MAX];

/*
 * A signal came for the job thread whose call the worker serving token is
 * making: interrupt that worker's host call (EINTR), as the signal would
 * interrupt the call on Linux. A call already answered is left alone.
 */
static void lc_cancel(struct lcall_server *s, uint64_t token)
{
	for (int i = 0; i < __atomic_load_n(&s->nworkers, __ATOMIC_ACQUIRE); i++) {
		__atomic_store_n(&s->workers[i].cancel, token, __ATOMIC_RELEASE);
		if (__atomic_load_n(&s->workers[i].serving, __ATOMIC_ACQUIRE) == token)
			pthread_kill(s->workers[i].thread, LC_WAKE_SIGNAL);
	}
}

/* A path in the payload, or NULL with *err set: never trust its length. */
static const char *lc_path(const char *buf, uint32_t len, int *err)
{
	const char *nul;

	if (!len || len > COVE_LCALL_PAYLOAD_MAX) {
		*err = -EINVAL;
		return NULL;
	}
	nul = memchr(buf, 0, len);
	if (!nul || nul == buf) {
		*err = nul ? -ENOENT : -EINVAL;	/* "" is ENOENT, as for open(2) */
		return NULL;
	}
	if (nul - buf >= PATH_MAX) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	return buf;
}

/* The host fd behind a handle, or -1. */
static int lc_handle(struct lcall_server *s, uint64_t h)
{
	return h < LC_HANDLES ? s->handles[h] : -1;
}

static int lc_open(struct lcall_server *s, char *buf, const struct cove_lcall *rq)
{
	int err, hostfd;
	const char *path = lc_path(buf, rq->len, &err);

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

static int lc_read(struct lcall_server *s, char *buf, const struct cove_lcall *rq, struct cove_lcall *rp)
{
	int hostfd = lc_handle(s, rq->arg[0]);
	size_t len = rq->arg[2] < COVE_LCALL_PAYLOAD_MAX ? rq->arg[2] : COVE_LCALL_PAYLOAD_MAX;
	ssize_t n;

	if (hostfd < 0 || rq->arg[0] == 1 || rq->arg[0] == 2)
		return -EBADF;
	if (rq->arg[1] > INT64_MAX)
		return -EINVAL;
	/* The job's stdin is ours, a stream: no offset. */
	n = rq->arg[0] == 0 ? read(hostfd, buf, len) :
			      pread(hostfd, buf, len, (off_t)rq->arg[1]);
	if (n < 0)
		return -errno;
	rp->len = (uint32_t)n;
	return (int)n;
}

static int lc_write(struct lcall_server *s, char *buf, const struct cove_lcall *rq)
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
		rc = write_all(hostfd, buf, rq->len);
		return rc ? rc : (int)rq->len;
	}
	n = pwrite(hostfd, buf, rq->len, (off_t)rq->arg[1]);
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
static int lc_stat(struct lcall_server *s, char *buf, const struct cove_lcall *rq, struct cove_lcall *rp)
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
		path = lc_path(buf, rq->len, &err);
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

/* The signal that killed the job (0 if none): `cove run` then dies by it too. */
static int lc_term_signal;

int lcall_term_signal(void)
{
	return lc_term_signal;
}

/* The exit status `cove run` ends with: the shell's convention. */
static int job_exit_status(struct lcall_server *s, int status)
{
	fflush(stdout);
	if (WIFSIGNALED(status)) {
		lc_term_signal = WTERMSIG(status);
		/* As a shell says it: "core dumped" only when Cove wrote the file. */
		warn("job %u was killed by signal %d (%s)%s", s->job, WTERMSIG(status),
		     strsignal(WTERMSIG(status)), WCOREDUMP(status) ? " (core dumped)" : "");
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/* The legacy file calls share the handle table: one at a time. */
static int lc_serve_file(struct lcall_server *s, char *buf, const struct cove_lcall *rq,
			 struct cove_lcall *lc)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	switch (rq->op) {
	case COVE_LC_OPEN:
		rc = lc_open(s, buf, rq);
		break;
	case COVE_LC_READ:
		rc = lc_read(s, buf, rq, lc);
		break;
	case COVE_LC_WRITE:
		rc = lc_write(s, buf, rq);
		break;
	case COVE_LC_CLOSE:
		rc = lc_close(s, rq);
		break;
	default:
		rc = lc_stat(s, buf, rq, lc);
		break;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* COVE_LC_EXEC sweeps our descriptors: the handle table's are Cove's own reads. */
static bool lc_is_handle(int fd)
{
	for (int h = 3; h < LC_HANDLES; h++)
		if (lc_server.handles[h] == fd)
			return true;
	return false;
}

static void lc_fork_child(uint32_t job, bool rank, _Atomic int *ready)
	__attribute__((noreturn));
/* Said once per proxy: a job hitting the limit usually hits it many times. */
static bool lc_fork_warned;

/* Wait for the proxy we forked to say how its start went: 1 ready, else failed. */
static bool lc_fork_wait(pid_t pid, _Atomic int *ready)
{
	struct timespec step = { .tv_sec = 0, .tv_nsec = LC_POLL_MS * 1000000L };

	for (int i = 0; i < LC_FORK_WAIT_STEPS; i++) {
		int v = atomic_load(ready);

		if (v)
			return v == 1;
		syscall(SYS_futex, ready, FUTEX_WAIT, 0, &step, NULL, 0);
		/* Gone without a word (SIGCHLD is ignored: no zombie lingers to tell us). */
		if (!atomic_load(ready) && kill(pid, 0) && errno == ESRCH)
			return false;
	}
	kill(pid, SIGKILL);
	return false;
}

/*
 * COVE_LC_FORK: a process of ours forked in the enclave; its child gets a
 * proxy of its own, forked from us, so it inherits our descriptors, cwd,
 * umask, ids and limits as a forked process would on Linux. The module
 * gives the child's id; the reply (that id) goes out only once the new
 * proxy serves it. An -errno for the enclave's fork otherwise. With
 * COVE_LC_FORK_RANK it is for a rank of the job, asked of `cove run`
 * before the ranks run: each rank has its own proxy, as each process has.
 */
static int64_t lc_fork(struct lcall_server *s, uint64_t flags)
{
	struct cove_fork req = { .id = s->id, .job = s->job };
	_Atomic int *ready;
	bool ok;
	pid_t pid;
	int err;

	if (flags & ~COVE_LC_FORK_RANK)
		return -EINVAL;
	if (ioctl(s->fd, COVE_IOC_FORK, &req)) {
		err = errno;
		/* Ranks refused: Cove says so itself, as the job's start fails. */
		if (err == EAGAIN && !(flags & COVE_LC_FORK_RANK) &&
		    !__atomic_exchange_n(&lc_fork_warned, true, __ATOMIC_RELAXED))
			warn("a fork was refused: the job has as many processes with a proxy of "
			     "their own as the cove module allows (its parameter fork_max)");
		return err == ENOMEM ? -ENOMEM : -EAGAIN;	/* fork(2)'s errors */
	}
	/* A word both proxies see: fork keeps a shared mapping shared. */
	ready = mmap(NULL, sizeof(*ready), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (ready == MAP_FAILED) {
		err = -ENOMEM;
		goto drop;
	}
	atomic_store(ready, 0);
	pid = fork();
	if (pid == 0)
		lc_fork_child(req.child, flags & COVE_LC_FORK_RANK, ready);
	err = pid < 0 ? (errno == ENOMEM ? -ENOMEM : -EAGAIN) : 0;
	ok = pid > 0 && lc_fork_wait(pid, ready);
	munmap((void *)ready, sizeof(*ready));
	if (ok)
		return req.child;
	if (!err)
		err = -EAGAIN;
drop:
	req.flags = COVE_FORK_DROP;
	req.job = req.child;
	ioctl(s->fd, COVE_IOC_FORK, &req);
	return err;
}

/* Answer one request: lc becomes the reply (result, args, payload bytes). */
static void lc_serve_one(struct lcall_server *s, char *buf, struct cove_lcall *lc)
{
	const struct cove_lcall rq = *lc;
	int64_t r;
	int rc = 0;

	/* A stop of a debugged job: answered with gdb's next request. */
	if (rq.op == COVE_LC_DEBUG) {
		gdbstub_lcall(lc, buf, COVE_LCALL_PAYLOAD_MAX);
		return;
	}
	memset(lc->arg, 0, sizeof(lc->arg));
	lc->len = 0;
	switch (rq.op) {
	case COVE_LC_OPEN:
	case COVE_LC_READ:
	case COVE_LC_WRITE:
	case COVE_LC_CLOSE:
	case COVE_LC_STAT:
		rc = lc_serve_file(s, buf, &rq, lc);
		break;
	case COVE_LC_SYSCALL:
	case COVE_LC_FD_RESERVE:
	case COVE_LC_FD_RELEASE:
		/* The call's own value, 64 bits, travels in arg0; the long call itself succeeded. */
		r = rq.op == COVE_LC_SYSCALL ? proxy_syscall(buf, rq.len) :
		    rq.op == COVE_LC_FD_RESERVE ? proxy_fd_reserve(rq.arg[0], rq.arg[1]) :
		    proxy_fd_release(rq.arg[0]);
		lc->arg[0] = (uint64_t)r;
		break;
	case COVE_LC_FD_LIST:
		rc = (int)proxy_fd_list(buf, COVE_LCALL_PAYLOAD_MAX, &lc->len);
		break;
	case COVE_LC_CANCEL:
		if (rq.arg[0])
			lc_cancel(s, rq.arg[0]);
		break;
	case COVE_LC_FORK:
		lc->arg[0] = (uint64_t)lc_fork(s, rq.arg[1]);
		break;
	case COVE_LC_EXEC:
		pthread_mutex_lock(&s->lock);
		lc->arg[0] = (uint64_t)proxy_exec(lc_is_handle);
		pthread_mutex_unlock(&s->lock);
		break;
	case COVE_LC_ENV:
		rc = lc_env_read(buf, &rq, lc);
		break;
	case COVE_LC_JOB_EXIT:
		break;
	default:
		pthread_mutex_lock(&s->lock);
		if (!s->warned_op)
			warn("job %u made long call %u, which this cove does not know", s->job,
			     rq.op);
		s->warned_op = true;
		pthread_mutex_unlock(&s->lock);
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
	/* A job stopped for gdb is waiting for it: it ends now, gdb or not. */
	gdbstub_kill();
}

/* Pass a signal sent to us on to the job's ranks, as if it had been sent to them. */
static bool forward_signal(struct lcall_server *s, int sig)
{
	struct cove_signal req = { .id = s->id, .job = s->job, .sig = (uint32_t)sig };
	int rc = ioctl(s->fd, COVE_IOC_SIGNAL, &req);

	/*
	 * Every rank dies of it: end now, as the ranks would on Linux. An MPI
	 * launcher SIGKILLs the other ranks once one has died of its Ctrl-C;
	 * waiting here for the ranks' exits made them die of that instead.
	 */
	if (rc == COVE_SIGNAL_ENDS_JOB && !s->forked) {
		s->exit_status = sig & 0x7f;
		s->ended = true;
		return true;
	}
	if (!rc)
		return true;
	if (errno != ESRCH)
		warn("cannot pass %s to job %u: %s", strsignal(sig), s->job, strerror(errno));
	return false;
}

/* Whether this worker should poll for the next call rather than sleep for it. */
static bool lc_keep_polling(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000000000L + (now.tv_nsec - since->tv_nsec) <
	       LC_SPIN_NS;
}

static void lc_start_worker(struct lcall_server *s);

static void *lc_worker_main(void *arg)
{
	struct lcall_worker *w = arg;
	struct lcall_server *s = w->s;
	struct timespec served = { 0, 0 };
	bool polling = false;

	while (!s->ended) {
		struct cove_lcall lc = {
			.id = s->id, .job = s->job, .timeout_ms = LC_POLL_MS,
			.buf_ptr = (uintptr_t)w->buf, .buf_size = COVE_LCALL_PAYLOAD_MAX,
		};
		int rc;

		/*
		 * Right after a call the job's next one usually follows at once:
		 * take it straight from the ring for a moment (a job thread spins
		 * for its answer meanwhile) before sleeping on the doorbell again.
		 */
		polling = polling && lc_keep_polling(&served);
		if (polling)
			lc.timeout_ms = COVE_LCALL_POLL;

		if (ioctl(s->fd, COVE_IOC_LCALL_WAIT, &lc)) {
			if (errno == EINTR || errno == ETIMEDOUT || errno == EAGAIN) {
				if (polling)
					sched_yield();
				continue;
			}
			/* The job finished: another thread has (or had) its exit status. */
			if (errno == ESRCH)
				break;
			s->wait_error = errno;
			s->ended = true;
			break;
		}
		/* The module answers a job's exit itself: nothing to reply. */
		if (lc.op == COVE_LC_JOB_EXIT) {
			s->exit_status = (int)lc.arg[0];
			s->ended = true;
			break;
		}
		__atomic_store_n(&w->serving, lc.token, __ATOMIC_RELEASE);
		/* The last idle worker takes a call: one more waits for the next. */
		if (!__atomic_sub_fetch(&s->idle, 1, __ATOMIC_ACQ_REL))
			lc_start_worker(s);
		if (lc.op == COVE_LC_SYSCALL &&
		    __atomic_load_n(&w->cancel, __ATOMIC_ACQUIRE) == lc.token) {
			/* Cancelled before it began: interrupted, as if at once. */
			memset(lc.arg, 0, sizeof(lc.arg));
			lc.arg[0] = (uint64_t)-EINTR;
			lc.result = 0;
			lc.len = 0;
		} else {
			lc_serve_one(s, w->buf, &lc);
		}
		__atomic_store_n(&w->serving, 0, __ATOMIC_RELEASE);
		__atomic_add_fetch(&s->idle, 1, __ATOMIC_ACQ_REL);
		while ((rc = ioctl(s->fd, COVE_IOC_LCALL_REPLY, &lc)) && errno == EINTR)
			;
		clock_gettime(CLOCK_MONOTONIC, &served);
		polling = true;
		if (rc) {
			s->wait_error = errno;
			s->ended = true;
		}
	}
	__atomic_sub_fetch(&s->workers_left, 1, __ATOMIC_RELEASE);
	/*
	 * The job may have ended: lc_main should know now, not at its next
	 * tick. A launcher whose ranks die by Ctrl-C counts the first to go,
	 * then kills the others, which must not still be waiting.
	 */
	pthread_kill(s->main, LC_WAKE_SIGNAL);
	return NULL;
}

static void lc_wake_handler(int sig)
{
	(void)sig;	/* only to cut a blocking host call short (EINTR) */
}

/*
 * Signals: the workers take LC_WAKE_SIGNAL only; this thread waits for
 * the ones it passes on to the job (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGUSR1, SIGUSR2) and wakes the workers, so a job thread blocked in a
 * host call gets back to Cove and meets its signal there.
 */
static void lc_signals_setup(sigset_t *forward)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	sigset_t block;

	sigemptyset(forward);
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(forward, sigs[i]);
	block = *forward;
	sigaddset(&block, LC_WAKE_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = lc_wake_handler;	/* no SA_RESTART: that is the point */
	sigemptyset(&sa.sa_mask);
	sigaction(LC_WAKE_SIGNAL, &sa, NULL);
}

static void *lc_worker_start(void *arg)
{
	sigset_t wake;

	sigemptyset(&wake);
	sigaddset(&wake, LC_WAKE_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	return lc_worker_main(arg);
}

/*
 * One more worker, unless there are LC_THREADS_MAX: the calls beyond wait
 * for one to return, as they all did before. Out of memory or threads, the
 * proxy serves with what it has (a worker already serves this call).
 */
static void lc_start_worker(struct lcall_server *s)
{
	struct lcall_worker *w;
	int n;

	pthread_mutex_lock(&s->grow_lock);
	n = __atomic_load_n(&s->nworkers, __ATOMIC_ACQUIRE);
	w = &lc_workers[n];
	if (n == LC_THREADS_MAX || s->ended)
		goto out;
	w->s = s;
	w->serving = 0;
	w->cancel = 0;
	if (!w->buf)
		w->buf = malloc(COVE_LCALL_PAYLOAD_MAX);
	if (!w->buf)
		goto out;
	__atomic_add_fetch(&s->workers_left, 1, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&s->idle, 1, __ATOMIC_ACQ_REL);
	if (pthread_create(&w->thread, NULL, lc_worker_start, w)) {
		__atomic_sub_fetch(&s->workers_left, 1, __ATOMIC_ACQ_REL);
		__atomic_sub_fetch(&s->idle, 1, __ATOMIC_ACQ_REL);
		goto out;
	}
	__atomic_store_n(&s->nworkers, n + 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&s->grow_lock);
}

/* Start the first workers of s (lc_server); the calling thread then runs lc_main. */
static void lc_start_workers(struct lcall_server *s)
{
	pthread_mutex_init(&s->grow_lock, NULL);
	s->workers_left = 0;
	s->idle = 0;
	s->nworkers = 0;
	s->workers = lc_workers;
	/* A job that ends at once may stop the starting early (s->ended). */
	for (int i = 0; i < LC_THREADS; i++)
		lc_start_worker(s);
	if (!__atomic_load_n(&s->nworkers, __ATOMIC_ACQUIRE))
		fail("cannot start the proxy's server threads");
}

/*
 * Until the job (or, in a forked proxy, its process) ends: signals sent to
 * us reach it. `cove run` passes them to the job's ranks, and Ctrl-C again
 * stops the job; a forked proxy passes them to its own process alone, so
 * a terminal's Ctrl-C, which reaches every proxy of the foreground group,
 * reaches each process of the job once, as on Linux. A rank's proxy
 * passes nothing on: its rank has them from `cove run` already (and a
 * host call of its that the signal cuts short is cancelled by Cove).
 */
static void lc_main(struct lcall_server *s, const sigset_t *forward)
{
	struct timespec tick = { .tv_sec = 0, .tv_nsec = LC_POLL_MS * 1000000L };
	int interrupts = 0;
	sigset_t waited = *forward;

	sigaddset(&waited, LC_WAKE_SIGNAL);	/* from a worker that stopped */
	while (!s->ended && __atomic_load_n(&s->workers_left, __ATOMIC_ACQUIRE)) {
		int sig = sigtimedwait(&waited, NULL, &tick);

		if (sig <= 0 || sig == LC_WAKE_SIGNAL || s->rank)
			continue;
		if (sig == SIGINT && interrupts > 0 && !s->forked)
			kill_job(s, interrupts);
		else
			forward_signal(s, sig);
		if (sig == SIGINT)
			interrupts++;
		for (int i = 0; i < __atomic_load_n(&s->nworkers, __ATOMIC_ACQUIRE); i++)
			pthread_kill(lc_workers[i].thread, LC_WAKE_SIGNAL);
	}
}

/*
 * The new proxy, in the child of lc_fork: only the forking worker came
 * along, and every lock another worker held stays held here, so everything
 * is set up anew. It never returns: when its process ends it exits, quietly (the
 * job's end is `cove run`'s to report), without flushing what stdio
 * buffers it inherited.
 */
static void lc_fork_child(uint32_t job, bool rank, _Atomic int *ready)
{
	struct lcall_server *s = &lc_server;
	sigset_t forward;
	int fd = proxy_adopt(job);

	atomic_store(ready, fd >= 0 ? 1 : 2);
	syscall(SYS_futex, ready, FUTEX_WAKE, 1, NULL, NULL, 0);
	if (fd < 0)
		_exit(1);
	munmap((void *)ready, sizeof(*ready));
	pthread_mutex_init(&s->lock, NULL);
	s->fd = fd;
	s->job = job;
	s->forked = true;
	s->rank = rank;
	s->exit_status = 0;
	s->ended = false;
	s->wait_error = 0;
	lc_signals_setup(&forward);
	s->main = pthread_self();
	lc_start_workers(s);
	lc_main(s, &forward);
	_exit(s->wait_error ? 1 : 0);
}

int lcall_serve(int fd, uint32_t id, uint32_t job)
{
	struct lcall_server *s = &lc_server;
	sigset_t forward;

	s->fd = fd;
	s->id = id;
	s->job = job;
	pthread_mutex_init(&s->lock, NULL);
	for (int h = 0; h < LC_HANDLES; h++)
		s->handles[h] = h <= 2 ? h : -1;
	/* The proxies we fork for forked processes end alone: nothing to wait for. */
	signal(SIGCHLD, SIG_IGN);
	lc_signals_setup(&forward);
	s->main = pthread_self();
	lc_start_workers(s);
	lc_main(s, &forward);
	if (s->wait_error || !s->ended)
		wait_failed(s, s->wait_error ? s->wait_error : ESRCH);
	gdbstub_job_ended(s->exit_status);
	/* Workers still in a host call for the dead job go with the process. */
	return job_exit_status(s, s->exit_status);
}
