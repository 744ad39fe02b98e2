// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the cove module, so the CLI's runtime paths can be tested
 * on any host: linked into cove-mock with -Wl,--wrap=ioctl, it answers
 * /dev/cove's ioctls from memory. COVE_MOCK picks a scenario:
 *
 *   (unset)    enclave 0 ready (CPUs 2-3, 1G, svm), enclave 3 failed with a report
 *   busy, nomem, noexec, timeout   how COVE_IOC_CREATE fails
 *   lcalls     the job makes every long call, checks each reply (status 3 if
 *              all are right, 99 with a message if not); COVE_MOCK_FILE is a
 *              file it reads, COVE_MOCK_OUT one it writes. Its fork (job 5
 *              forks job 6) makes the proxy fork one for job 6, which takes
 *              that id over (COVE_IOC_ADOPT), finds the job gone and ends.
 *   escape     the same, but the job reaches for the host kernel: /proc/self/mem
 *              (directly and through COVE_MOCK_LINK, a symlink to it), a /proc
 *              magic link, /dev/null, /proc/self/status; each must be refused
 *   signal     the job is killed by SIGSEGV at once
 *   eio        the enclave fails while the job runs
 *   hang       the job runs until COVE_IOC_KILL, then ends by SIGKILL
 *   follow     the console grows three times, then the enclave is destroyed
 *   lost       the console ring dropped 100 bytes before what it returns
 *   usage      enclave 1 runs job 7 and has ended jobs 5 (two ranks, their
 *              usage reported), 6 (its report refused) and 8 (ended by a
 *              host signal, its figures still to come); a job launched
 *              exits at once (status 0) and is job 5
 *
 * COVE_MOCK_LOG, if set, receives each launched job line.
 * COVE_MOCK_OWNER "UID:GID" (-1: not set) owns the enclaves (default: nobody).
 * Rights are the module's: root for create, destroy, add, remove, chown;
 * root or the owner (by euid, or egid and groups) for the rest but status,
 * which withholds addresses and reports from everyone but root.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <grp.h>
#include <unistd.h>
#include <cove/pisces_abi.h>
#include "../cove.h"

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

static const char *scenario(void)
{
	const char *s = getenv("COVE_MOCK");

	return s ? s : "";
}

static bool is(const char *name)
{
	return !strcmp(scenario(), name);
}

static int err(int e)
{
	errno = e;
	return -1;
}

static struct cove_owner mock_owner;
static bool mock_owner_read;

static const struct cove_owner *owner(void)
{
	const char *s = getenv("COVE_MOCK_OWNER");
	long long u = -1, g = -1;

	if (mock_owner_read)
		return &mock_owner;
	mock_owner_read = true;
	if (s && sscanf(s, "%lld:%lld", &u, &g) == 2) {
		mock_owner.flags = (u >= 0 ? COVE_OWNER_UID : 0) | (g >= 0 ? COVE_OWNER_GID : 0);
		mock_owner.uid = u >= 0 ? (uint32_t)u : 0;
		mock_owner.gid = g >= 0 ? (uint32_t)g : 0;
	}
	return &mock_owner;
}

static bool in_groups(uint32_t gid)
{
	gid_t list[256];
	int n = getgroups(256, list);

	if (getegid() == gid)
		return true;
	for (int i = 0; i < n; i++) {
		if (list[i] == gid)
			return true;
	}
	return false;
}

static bool may_use(void)
{
	const struct cove_owner *o = owner();

	return !geteuid() || ((o->flags & COVE_OWNER_UID) && geteuid() == o->uid) ||
	       ((o->flags & COVE_OWNER_GID) && in_groups(o->gid));
}

static int mock_chown(const struct cove_chown *c)
{
	if (geteuid())
		return err(EPERM);
	if ((c->owner.flags & ~3U) || c->owner.pad || c->pad ||
	    ((c->owner.flags & COVE_OWNER_UID) && c->owner.uid == UINT32_MAX) ||
	    ((c->owner.flags & COVE_OWNER_GID) && c->owner.gid == UINT32_MAX))
		return err(EINVAL);
	if (c->id != 1 && c->id != 3)
		return err(ENOENT);
	owner();
	mock_owner = c->owner;
	if (getenv("COVE_MOCK_LOG")) {
		FILE *f = fopen(getenv("COVE_MOCK_LOG"), "w");

		if (f) {
			fprintf(f, "chown %u flags %u uid %u gid %u\n", c->id, c->owner.flags,
				c->owner.uid, c->owner.gid);
			fclose(f);
		}
	}
	return 0;
}

static int mock_status(struct cove_status *st)
{
	uint32_t id = st->id;

	if (id != 1 && id != 3)
		return err(ENOENT);
	memset(st, 0, sizeof(*st));
	st->id = id;
	st->cpus[0] = id == 3 ? 0x30 : 0xc;
	st->nr_mem = id == 3 ? 2 : 1;
	st->mem[0].base = 0x100000000ULL;
	st->mem[0].size = 1ULL << 30;
	st->mem[1].base = 0x200000000ULL;
	st->mem[1].size = 512ULL << 20;
	st->state = id == 3 ? COVE_ENCLAVE_FAILED : COVE_ENCLAVE_READY;
	st->guarded = id == 3 ? 2 : 1;
	st->jobs_running = id == 3 ? 0 : 1;
	st->console_bytes = 42;
	st->exit_status = id == 3 ? 5 : 0;
	st->create_ns = 1500000000ULL;
	if (id == 3 || is("eio") || is("timeout"))
		snprintf(st->report, sizeof(st->report),
			 "COVE PROTECTION FAULT on cpu 1: nested page fault\n"
			 "  write at \"guest\" physical 0x10300000\t\x01: outside the partition");
	if (st->report[0])
		st->flags |= COVE_STATUS_REPORT;
	if (geteuid()) {
		st->flags |= COVE_STATUS_REDACTED;
		st->mem[0].base = st->mem[1].base = 0;
		memset(st->report, 0, sizeof(st->report));
	}
	st->owner = *owner();
	return 0;
}

static int console_step;

static int mock_console(struct cove_console_read *r)
{
	static char text[256];
	size_t n, len;

	if (r->id != 1)
		return err(ENOENT);
	snprintf(text, sizeof(text), "cove: 2/2 CPUs online, 1024 MiB in partition\nready\n");
	for (int i = 0; i < console_step; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "tick %d\n", i);
	len = strlen(text);
	/* "follow": each time the reader catches up, one more line, then the end. */
	if (is("follow") && r->pos >= len) {
		if (console_step == 3)
			return err(ENOENT);
		console_step++;
	}
	r->lost = is("lost") && r->pos == 0 ? 100 : 0;
	n = r->pos < len ? len - r->pos : 0;
	if (n > r->buf_size)
		n = r->buf_size;
	memcpy((void *)(uintptr_t)r->buf_ptr, text + r->pos, n);
	r->pos += n;
	r->len = n;
	return 0;
}

static int mock_create(struct cove_create *c)
{
	if (is("busy"))
		return err(EBUSY);
	if (is("nomem"))
		return err(ENOMEM);
	if (is("noexec"))
		return err(ENOEXEC);
	if (is("timeout")) {
		c->id = 1;
		return err(ETIMEDOUT);
	}
	if (!c->image_size || !c->mem_size)
		return err(EINVAL);
	if (getenv("COVE_MOCK_LOG")) {
		FILE *f = fopen(getenv("COVE_MOCK_LOG"), "w");

		if (f) {
			fprintf(f, "create owner flags %u uid %u gid %u\n", c->owner.flags,
				c->owner.uid, c->owner.gid);
			fclose(f);
		}
	}
	c->id = 1;
	return 0;
}

/* One long call of the "lcalls" job and what its reply must be. */
struct step {
	uint32_t op;
	const char *payload;	/* NULL: none; "@file": COVE_MOCK_FILE; "@out": COVE_MOCK_OUT;
				 * "@link": COVE_MOCK_LINK */
	int payload_len;	/* -1: strlen + 1 */
	uint64_t arg[3];	/* 1000: the handle of the last good OPEN */
	int expect;		/* -1000: a handle (>= 3); 1000: the file's size */
};

#define H 1000
static const struct step steps[] = {
	{ COVE_LC_ENV, NULL, 0, { 0, 6 }, 0 },		/* expect: "A=x y\0", --env first */
	{ COVE_LC_ENV, NULL, 0, { 1ULL << 40, 10 }, -EINVAL },
	{ COVE_LC_STAT, "@file", -1, { 0 }, 0 },
	{ COVE_LC_OPEN, "@file", -1, { O_RDONLY }, -H },
	{ COVE_LC_READ, NULL, 0, { H, 0, 65536 }, H },
	{ COVE_LC_WRITE, "job says hello\n", 15, { 1 }, 15 },
	{ COVE_LC_WRITE, "job complains\n", 14, { 2 }, 14 },
	{ COVE_LC_READ, NULL, 0, { H, 1ULL << 63, 10 }, -EINVAL },
	{ COVE_LC_CLOSE, NULL, 0, { H }, 0 },
	{ COVE_LC_READ, NULL, 0, { H, 0, 10 }, -EBADF },
	{ COVE_LC_READ, NULL, 0, { 99, 0, 10 }, -EBADF },
	{ COVE_LC_READ, NULL, 0, { 1ULL << 40, 0, 10 }, -EBADF },
	{ COVE_LC_WRITE, "x", 1, { 0 }, -EBADF },
	{ COVE_LC_OPEN, "", 1, { O_RDONLY }, -ENOENT },
	{ COVE_LC_OPEN, "abc", 3, { O_RDONLY }, -EINVAL },
	{ COVE_LC_OPEN, "abc", 0, { O_RDONLY }, -EINVAL },
	{ COVE_LC_OPEN, "/no/such/file", -1, { O_RDONLY }, -ENOENT },
	{ COVE_LC_STAT, "abc", 3, { 0 }, -EINVAL },
	{ 77, NULL, 0, { 0 }, -ENOSYS },
	{ COVE_LC_OPEN, "@out", -1, { O_WRONLY | O_CREAT | O_TRUNC, 0600 }, -H },
	{ COVE_LC_WRITE, "written by the job\n", 19, { H, 0 }, 19 },
	{ COVE_LC_CLOSE, NULL, 0, { H }, 0 },
	{ COVE_LC_CLOSE, NULL, 0, { 1 }, 0 },
	{ COVE_LC_WRITE, "stdout still open\n", 18, { 1 }, 18 },
	{ COVE_LC_FORK, NULL, 0, { 42, 2 }, -EINVAL },	/* a flag no cove run knows */
	{ COVE_LC_FORK, NULL, 0, { 42 }, 6 },		/* expect: arg0, the child's id */
	{ COVE_LC_EXEC, NULL, 0, { 0 }, 0 },
	{ COVE_LC_WRITE, "after the exec\n", 15, { 1 }, 15 },
};

/*
 * A job after the host's kernel, then an honest one. Writing through
 * /proc/self/mem would patch the server's own code; the magic link would
 * hand the job the server's stdout fd, wherever that leads.
 */
static const struct step escape_steps[] = {
	{ COVE_LC_OPEN, "/proc/self/mem", -1, { O_RDWR }, -EACCES },
	{ COVE_LC_OPEN, "@link", -1, { O_RDWR }, -EACCES },
	{ COVE_LC_OPEN, "@link", -1, { O_RDONLY | O_NOFOLLOW }, -ELOOP },
	{ COVE_LC_OPEN, "/proc/self/fd/1", -1, { O_WRONLY }, -ELOOP },
	{ COVE_LC_OPEN, "/dev/null", -1, { O_RDONLY }, -EACCES },
	{ COVE_LC_OPEN, "/proc/self/status", -1, { O_RDONLY }, -EACCES },
	{ COVE_LC_STAT, "/proc/self/mem", -1, { 0 }, -EACCES },
	{ COVE_LC_STAT, "@link", -1, { 0 }, -EACCES },
	{ COVE_LC_OPEN, "@out", -1, { O_WRONLY | O_CREAT | O_TRUNC, 0600 }, -H },
	{ COVE_LC_WRITE, "written by the job\n", 19, { H, 0 }, 19 },
	{ COVE_LC_CLOSE, NULL, 0, { H }, 0 },
	{ COVE_LC_OPEN, "@file", -1, { O_RDONLY }, -H },
	{ COVE_LC_READ, NULL, 0, { H, 0, 65536 }, H },
	{ COVE_LC_STAT, "@file", -1, { 0 }, 0 },
};

static const struct step *script(unsigned int *n)
{
	if (is("escape")) {
		*n = sizeof(escape_steps) / sizeof(escape_steps[0]);
		return escape_steps;
	}
	*n = sizeof(steps) / sizeof(steps[0]);
	return steps;
}

static unsigned int step_at;
static int handle = -1, job_status, killed;
/* The signal COVE_IOC_SIGNAL passed on; a "stubborn" job ignores it. */
static volatile int signalled;
static bool failed;

static void step_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mock: step %u: ", step_at);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failed = true;
}

static const char *payload_of(const char *p)
{
	if (p && !strcmp(p, "@file"))
		return getenv("COVE_MOCK_FILE") ? getenv("COVE_MOCK_FILE") : "/etc/hostname";
	if (p && !strcmp(p, "@out"))
		return getenv("COVE_MOCK_OUT") ? getenv("COVE_MOCK_OUT") : "/dev/null";
	if (p && !strcmp(p, "@link"))
		return getenv("COVE_MOCK_LINK") ? getenv("COVE_MOCK_LINK") : "/no/link";
	return p;
}

static void job_exit(struct cove_lcall *lc, int status)
{
	lc->op = COVE_LC_JOB_EXIT;
	lc->arg[0] = (uint64_t)status;
	lc->len = 0;
}

static int mock_wait(struct cove_lcall *lc)
{
	char *buf = (char *)(uintptr_t)lc->buf_ptr;

	if (lc->id != 1)
		return err(ENOENT);
	if (lc->job != 5)
		return err(ESRCH);
	if (lc->buf_size < COVE_LCALL_PAYLOAD_MAX)
		return err(EINVAL);
	memset(lc->arg, 0, sizeof(lc->arg));
	lc->token = step_at + 1;
	if (is("eio"))
		return err(EIO);
	if (is("signal")) {
		job_exit(lc, SIGSEGV);
		return 0;
	}
	if (is("usage")) {
		job_exit(lc, 0);
		return 0;
	}
	if (is("hang") || is("stubborn")) {
		if (!killed && (!signalled || is("stubborn"))) {
			usleep(lc->timeout_ms * 1000);
			return err(ETIMEDOUT);
		}
		job_exit(lc, killed ? SIGKILL : signalled);
		return 0;
	}
	unsigned int nr_steps;
	const struct step *all = script(&nr_steps);

	if (step_at == nr_steps) {
		job_exit(lc, failed ? 99 << 8 : 3 << 8);
		return 0;
	}
	const struct step *s = &all[step_at];
	const char *p = payload_of(s->payload);

	lc->op = s->op;
	for (int i = 0; i < 3; i++)
		lc->arg[i] = s->arg[i] == H ? (uint64_t)handle : s->arg[i];
	lc->len = 0;
	if (p) {
		lc->len = s->payload_len < 0 ? (uint32_t)strlen(p) + 1 : (uint32_t)s->payload_len;
		memcpy(buf, p, lc->len);
	}
	return 0;
}

static int mock_reply(struct cove_lcall *lc)
{
	unsigned int nr_steps;
	const struct step *s = &script(&nr_steps)[step_at];
	struct stat st;
	int want = s->expect;

	if (lc->op == COVE_LC_JOB_EXIT || is("hang") || is("signal") || is("usage"))
		return 0;
	if (lc->token != step_at + 1)
		step_fail("reply carries token %llu", (unsigned long long)lc->token);
	/* These answer in arg0, as a system call would; the long call itself succeeds. */
	if (s->op == COVE_LC_FORK || s->op == COVE_LC_EXEC) {
		if (lc->result || (int64_t)lc->arg[0] != want)
			step_fail("op %u: result %d arg0 %lld, expected arg0 %d", s->op, lc->result,
				  (long long)lc->arg[0], want);
		step_at++;
		return 0;
	}
	stat(payload_of("@file"), &st);
	if (want == H)
		want = (int)st.st_size;
	if (want == -H ? lc->result < 3 : lc->result != want)
		step_fail("op %u: result %d, expected %d", s->op, lc->result, want);
	if (want == -H && lc->result >= 3)
		handle = lc->result;
	if (s->op == COVE_LC_STAT && !s->expect &&
	    (lc->arg[0] != (uint64_t)st.st_size || lc->arg[1] != st.st_mode ||
	     lc->arg[2] != (uint64_t)st.st_mtim.tv_sec))
		step_fail("stat answered size %llu mode %llo",
			  (unsigned long long)lc->arg[0], (unsigned long long)lc->arg[1]);
	/* The environment: what --env set comes first, and no more than was asked. */
	if (s->op == COVE_LC_ENV && !want &&
	    (lc->len != 6 || memcmp((char *)(uintptr_t)lc->buf_ptr, "A=x y", 6) ||
	     lc->arg[0] <= 6))
		step_fail("env: %u bytes of %llu", lc->len, (unsigned long long)lc->arg[0]);
	if (s->op == COVE_LC_READ && lc->result > 0 && lc->len != (uint32_t)lc->result)
		step_fail("read: reply len %u for result %d", lc->len, lc->result);
	step_at++;
	return 0;
}

static int mock_launch(struct cove_launch *l)
{
	const char *log = getenv("COVE_MOCK_LOG");

	if (l->id != 1)
		return err(ENOENT);
	if (log) {
		FILE *f = fopen(log, "w");

		if (f) {
			fprintf(f, "%.*s\n", (int)l->spec_len, (const char *)(uintptr_t)l->spec_ptr);
			fclose(f);
		}
	}
	l->job = 5;
	return 0;
}

/*
 * cove run serves with several threads; the script is one conversation.
 * A step is handed out only when the one before has been answered, as
 * if Cove had one job thread.
 */
static pthread_mutex_t mock_lock = PTHREAD_MUTEX_INITIALIZER;
static bool mock_outstanding;

static int mock_wait_serial(struct cove_lcall *lc)
{
	int rc;

	/* A forked proxy's (job 6): not part of the conversation, whose state it copied. */
	if (lc->job != 5)
		return mock_wait(lc);
	pthread_mutex_lock(&mock_lock);
	if (mock_outstanding) {
		pthread_mutex_unlock(&mock_lock);
		usleep(20000);
		return err(ETIMEDOUT);
	}
	rc = mock_wait(lc);
	mock_outstanding = !rc && lc->op != COVE_LC_JOB_EXIT;
	pthread_mutex_unlock(&mock_lock);
	return rc;
}

static int mock_reply_serial(struct cove_lcall *lc)
{
	int rc;

	pthread_mutex_lock(&mock_lock);
	rc = mock_reply(lc);
	mock_outstanding = false;
	pthread_mutex_unlock(&mock_lock);
	return rc;
}

/* Job 5's only child is job 6; its proxy gives it back if it cannot fork. */
static int mock_fork(struct cove_fork *f)
{
	if (f->id != 1)
		return err(ENOENT);
	if (f->flags == COVE_FORK_DROP)
		return f->job == 6 ? 0 : err(ESRCH);
	if (f->job != 5 || f->flags || f->pad)
		return err(f->job != 5 ? ESRCH : EINVAL);
	f->child = 6;
	return 0;
}

/* The new proxy, on a file of its own, proves it holds the one that forked. */
static int mock_adopt(int fd, struct cove_fork *f)
{
	if (f->id != 1)
		return err(ENOENT);
	if (f->job != 6 || f->flags || f->pad || f->from_fd == fd ||
	    fcntl(f->from_fd, F_GETFD) < 0)
		return err(EINVAL);
	return 0;
}

/* "usage": job 7 runs, 5, 6 and 8 ended; a module lists ended jobs only when asked. */
static int mock_jobs(struct cove_jobs *req)
{
	static const struct { uint32_t job, flags; int status; const char *cmd; } all[] = {
		{ 5, COVE_JOB_ENDED, 0, "/data/cputime --spin 400" },
		{ 6, COVE_JOB_ENDED, 11, "/data/liar" },
		{ 7, COVE_JOB_RUNNING, 0, "/data/cg" },
		{ 8, COVE_JOB_ENDED, 2, "/data/ring" },
	};
	struct cove_job_info *out = (void *)(uintptr_t)req->buf_ptr;
	uint32_t n = 0, total = 0;

	if (req->id != 1 && req->id != 3)
		return err(ENOENT);
	for (unsigned int i = 0; is("usage") && req->id == 1 && i < 4; i++) {
		if ((all[i].flags & COVE_JOB_ENDED) && !(req->flags & COVE_JOBS_ENDED))
			continue;
		total++;
		if (n == req->nr)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].job = all[i].job;
		out[n].number = all[i].job - 4;
		out[n].ranks = all[i].job == 5 ? 2 : 1;
		out[n].cpus[0] = all[i].job == 5 ? 0x3 : 0x1;
		out[n].flags = all[i].flags;
		out[n].status = all[i].status;
		snprintf(out[n].cmd, sizeof(out[n].cmd), "%s", all[i].cmd);
		n++;
	}
	req->nr = n;
	req->total = total;
	return 0;
}

static int mock_job_usage(struct cove_job_usage *u)
{
	static const struct cove_rank_times rank[2] = {
		{ 1500000000ULL, 40000000ULL, 40000, 900 },
		{ 1400123000ULL, 60000000ULL, 50000, 1100 },
	};
	static const struct cove_rank_counts counts[2] = { { 30, 2, 5000, 120 }, { 10, 0, 7000, 80 } };
	struct cove_rank_times *out = (void *)(uintptr_t)u->buf_ptr;
	struct cove_rank_counts *cout = (void *)(uintptr_t)u->counts_ptr;
	uint32_t room = u->nr;

	if (!is("usage") || u->id != 1 || u->job < 5 || u->job > 8)
		return err(ENOENT);
	u->nr = 0;
	u->flags = u->job == 7 ? 0 : COVE_JOB_ENDED;
	u->wall_ns = u->job == 7 ? 0 : 2000000000ULL;
	memset(&u->total, 0, sizeof(u->total));
	memset(&u->counts_total, 0, sizeof(u->counts_total));
	if (u->job == 7) {
		/* Running: its one rank's figures so far, as the owner sees them. */
		u->flags = COVE_JOB_USAGE | COVE_JOB_COUNTS | COVE_JOB_USAGE_SO_FAR;
		u->wall_ns = 1500000000ULL;
		u->total = (struct cove_rank_times){ 1200000000ULL, 5000000ULL, 30000, 700 };
		u->counts_total = (struct cove_rank_counts){ 3, 0, 40, 9 };
		u->nr = 1;
		if (room)
			out[0] = u->total;
		if (room && cout)
			cout[0] = u->counts_total;
		return 0;
	}
	if (u->job == 6)
		u->flags |= COVE_JOB_USAGE_REFUSED;
	if (u->job == 8)
		u->flags |= COVE_JOB_USAGE_PENDING;
	if (u->job != 5)
		return 0;
	u->flags |= COVE_JOB_USAGE | COVE_JOB_COUNTS;
	u->total = (struct cove_rank_times){ 2900123000ULL, 100000000ULL, 50000, 2000 };
	u->counts_total = (struct cove_rank_counts){ 40, 2, 12000, 200 };
	u->nr = 2;
	memcpy(out, rank, (room < 2 ? room : 2) * sizeof(rank[0]));
	if (cout)
		memcpy(cout, counts, (room < 2 ? room : 2) * sizeof(counts[0]));
	return 0;
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

/*
 * The proxy's mirror of a job's memory: nothing to map without a module
 * (and the window would land on ASan's shadow). Other mappings are real.
 */
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd >= 0 && (flags & MAP_SHARED) && addr == (void *)COVE_JOB_VA_START)
		return addr;
	return __real_mmap(addr, len, prot, flags, fd, off);
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	(void)job_status;
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	switch (req) {
	case COVE_IOC_CREATE:
	case COVE_IOC_DESTROY:
	case COVE_IOC_ADD:
	case COVE_IOC_REMOVE:
	case COVE_IOC_RESTART:
		if (geteuid())
			return err(EPERM);
		break;
	case COVE_IOC_CONSOLE:
	case COVE_IOC_LAUNCH:
	case COVE_IOC_LCALL_WAIT:
	case COVE_IOC_LCALL_REPLY:
	case COVE_IOC_KILL:
	case COVE_IOC_MIRROR:
	case COVE_IOC_SIGNAL:
	case COVE_IOC_FORK:
	case COVE_IOC_ADOPT:
		/* The first field names the enclave; only 1 and 3 exist. */
		if ((*(uint32_t *)arg == 1 || *(uint32_t *)arg == 3) && !may_use())
			return err(EPERM);
		break;
	}
	switch (req) {
	case COVE_IOC_STATUS:
		return mock_status(arg);
	case COVE_IOC_CHOWN:
		return mock_chown(arg);
	case COVE_IOC_CONSOLE:
		return mock_console(arg);
	case COVE_IOC_CREATE:
		return mock_create(arg);
	case COVE_IOC_DESTROY:
		return *(uint32_t *)arg <= 1 ? 0 : err(ENOENT);
	case COVE_IOC_LAUNCH:
		return mock_launch(arg);
	case COVE_IOC_LCALL_WAIT:
		return mock_wait_serial(arg);
	case COVE_IOC_LCALL_REPLY:
		return mock_reply_serial(arg);
	case COVE_IOC_KILL:
		killed++;
		return 0;
	case COVE_IOC_MIRROR:
		return 0;
	case COVE_IOC_SIGNAL:
		signalled = (int)((struct cove_signal *)arg)->sig;
		return 0;
	case COVE_IOC_FORK:
		return mock_fork(arg);
	case COVE_IOC_ADOPT:
		return mock_adopt(fd, arg);
	case COVE_IOC_ADD:
		return is("busy") ? err(EBUSY) : 0;
	case COVE_IOC_REMOVE:
		return is("busy") ? err(EBUSY) : 0;
	case COVE_IOC_JOBS:
		return mock_jobs(arg);
	case COVE_IOC_JOB_USAGE:
		return mock_job_usage(arg);
	default:
		return err(ENOTTY);
	}
}
