// SPDX-License-Identifier: GPL-2.0
/*
 * The gdb server of `cove run --gdb PORT` (gdb_stub.h).
 *
 * Two sides meet in one mailbox (stub.box): a long-call server thread
 * brings Cove's call (a stop, or the result of the last request) and
 * waits there for the next request; the session thread here talks to gdb,
 * turns its packets into requests and their results into replies. Cove's
 * side is untrusted as much as gdb's: a result longer than what was asked
 * for, or a call out of turn, ends the session with a message and the
 * job is killed, never the proxy.
 *
 * Only the user running the job, or root, may connect (the peer's socket
 * owner, from /proc/net/tcp). The session ends when gdb detaches (the job runs on, no longer
 * debugged), kills the job, or goes away (the job is killed: breakpoints
 * may still be in its code), or when the job ends (gdb hears its status).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cove/debug_abi.h>
#include <cove/gdb_rsp.h>
#include <arch/dbg_regs.h>
#include "cove.h"
#include "gdb_stub.h"
#include "proxy.h"

#define STUB_BUF 4096		/* the most either side carries in one go */
_Static_assert(STUB_BUF >= COVE_DBG_MEM_MAX && STUB_BUF >= COVE_DBG_REGS_MAX &&
	       STUB_BUF >= COVE_DBG_THREADS_MAX * 4, "room for any answer");

/* Under box.lock. */
struct stub_box {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool call_full;			/* Cove's latest call, not taken yet */
	uint64_t call_arg[4];
	uint32_t call_len;
	uint8_t call_data[STUB_BUF];
	bool req_full;			/* the next request, not taken yet */
	uint64_t req_arg[3];
	uint32_t req_len;
	uint8_t req_data[STUB_BUF];
	uint64_t gone;			/* session over: what every later call gets */
	bool ended;			/* the job ended, with end_status */
	int end_status;
};

/*
 * Set up by gdbstub_listen and gdbstub_start before the session thread
 * starts; then the session thread's alone, but for box (its lock) and
 * wake[1], which the server threads write to.
 */
static struct stub {
	int listen_fd, conn_fd, wake[2];
	uint16_t port;
	int devfd;
	uint32_t id, job;
	pid_t owner;			/* a proxy forked from ours serves no gdb */
	pthread_t thread;
	bool started;
	struct rsp_reader rd;
	char out[2 * RSP_PACKET_MAX + 8];	/* the last packet sent, for a '-' */
	size_t out_len;
	int64_t tid_g, tid_c;		/* Hg, Hc: 0 the thread that stopped */
	uint32_t stop_tid;
	int stop_sig;			/* Linux's number */
	uint8_t bin[STUB_BUF];
	char text[RSP_PACKET_MAX + 1];
	struct stub_box box;
} stub = {
	.listen_fd = -1, .conn_fd = -1, .wake = { -1, -1 },
	.box = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER },
};

void gdbstub_listen(uint16_t port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET, .sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail("--gdb: socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1))
		fail("--gdb %u: cannot listen on 127.0.0.1:%u: %s", port, port, strerror(errno));
	stub.listen_fd = fd;
	stub.port = port;
}

static void stub_poke(void)
{
	char c = 1;

	if (stub.wake[1] >= 0 && write(stub.wake[1], &c, 1) < 0 && errno != EAGAIN)
		warn("gdb server: cannot wake: %s", strerror(errno));
}

static void stub_drain(void)
{
	char junk[64];

	while (read(stub.wake[0], junk, sizeof(junk)) > 0)
		;
}

/* Session over: calls from now on get req (COVE_DBG_KILL or COVE_DBG_DETACH). */
static void stub_end(uint64_t req)
{
	pthread_mutex_lock(&stub.box.lock);
	if (!stub.box.gone)
		stub.box.gone = req;
	pthread_cond_broadcast(&stub.box.cond);
	pthread_mutex_unlock(&stub.box.lock);
}

static void stub_kill_job(void)
{
	struct cove_launch k = { .id = stub.id, .job = stub.job };

	if (ioctl(stub.devfd, COVE_IOC_KILL, &k) && errno != ESRCH)
		warn("gdb server: cannot stop job %u: %s", stub.job, strerror(errno));
}

static void stub_signal_job(int sig)
{
	struct cove_signal req = { .id = stub.id, .job = stub.job, .sig = (uint32_t)sig };

	if (ioctl(stub.devfd, COVE_IOC_SIGNAL, &req) < 0 && errno != ESRCH)
		warn("gdb server: cannot interrupt job %u: %s", stub.job, strerror(errno));
}

static int stub_send(const char *body, size_t len)
{
	stub.out_len = rsp_frame(body, len, stub.out, sizeof(stub.out));
	if (!stub.out_len)
		return -1;
	return write_all(stub.conn_fd, stub.out, stub.out_len) ? -1 : 0;
}

static int stub_send_str(const char *s)
{
	return stub_send(s, strlen(s));
}

/* What is waiting for gdb besides its bytes. */
enum stub_wake { STUB_NOTHING, STUB_CALL, STUB_ENDED };

static enum stub_wake stub_box_state(void)
{
	enum stub_wake w;

	pthread_mutex_lock(&stub.box.lock);
	w = stub.box.ended ? STUB_ENDED : stub.box.call_full ? STUB_CALL : STUB_NOTHING;
	pthread_mutex_unlock(&stub.box.lock);
	return w;
}

/*
 * Wait for gdb's next packet into cmd (1), or for Cove (a call, 2; the
 * job's end, 3) when want_call; ^C while waiting for Cove interrupts the
 * job. 0: gdb is gone.
 */
static int stub_wait(struct rsp_cmd *cmd, bool want_call)
{
	for (;;) {
		struct pollfd pf[2] = {
			{ .fd = stub.wake[0], .events = POLLIN },
			{ .fd = stub.conn_fd, .events = POLLIN },
		};
		enum stub_wake w = stub_box_state();
		uint8_t in[512];
		ssize_t n;

		if (w == STUB_ENDED)
			return 3;
		if (w == STUB_CALL && want_call)
			return 2;
		if (poll(pf, stub.conn_fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
			return 0;
		if (pf[0].revents)
			stub_drain();
		if (stub.conn_fd < 0 || !pf[1].revents)
			continue;
		n = read(stub.conn_fd, in, sizeof(in));
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return 0;
		}
		for (ssize_t i = 0; i < n; i++) {
			switch (rsp_feed(&stub.rd, in[i])) {
			case RSP_EV_PACKET:
				if (write_all(stub.conn_fd, "+", 1))
					return 0;
				if (want_call)
					break;	/* gdb waits for a stop: nothing else to say */
				rsp_parse(stub.rd.body, stub.rd.len, cmd, stub.bin, sizeof(stub.bin));
				/* gdb sends one packet and waits for the answer: no more follow. */
				return 1;
			case RSP_EV_BAD_PACKET:
				if (write_all(stub.conn_fd, "-", 1))
					return 0;
				break;
			case RSP_EV_NAK:
				if (stub.out_len && write_all(stub.conn_fd, stub.out, stub.out_len))
					return 0;
				break;
			case RSP_EV_INTERRUPT:
				if (want_call)
					stub_signal_job(SIGINT);
				break;
			default:
				break;
			}
		}
	}
}

/* Take Cove's call from the box: its result, data into out (cap bytes); -EPROTO if bad. */
static int64_t stub_take_call(uint64_t want_ev, uint8_t *out, uint32_t cap, uint32_t *len)
{
	struct stub_box *b = &stub.box;
	int64_t r = -EPROTO;

	pthread_mutex_lock(&b->lock);
	if (b->call_full && b->call_arg[0] == want_ev && b->call_len <= cap) {
		if (want_ev == COVE_DBG_EV_STOP) {
			stub.stop_sig = b->call_arg[1] <= 64 ? (int)b->call_arg[1] : 0;
			stub.stop_tid = (uint32_t)b->call_arg[2];
			r = 0;
		} else {
			r = (int64_t)b->call_arg[1];
		}
		if (out)
			memcpy(out, b->call_data, b->call_len);
		if (len)
			*len = b->call_len;
	} else if (b->call_full) {
		warn("gdb server: job %u answered out of turn (event %llu, %u bytes); "
		     "ending the debug session", stub.job, (unsigned long long)b->call_arg[0],
		     b->call_len);
	}
	b->call_full = false;
	pthread_mutex_unlock(&b->lock);
	return r;
}

/* Give the waiting server thread request op for Cove. */
static void stub_post(uint64_t op, uint64_t a1, uint64_t a2, const void *data, uint32_t len)
{
	struct stub_box *b = &stub.box;

	pthread_mutex_lock(&b->lock);
	b->req_arg[0] = op;
	b->req_arg[1] = a1;
	b->req_arg[2] = a2;
	b->req_len = len;
	if (len)
		memcpy(b->req_data, data, len);
	b->req_full = true;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

/* A request and its result: >= 0, -errno from Cove, -ESRCH (job over) or -EPROTO. */
static int64_t stub_request(uint64_t op, uint64_t a1, uint64_t a2, const void *data,
			    uint32_t len, uint8_t *out, uint32_t cap, uint32_t *out_len)
{
	struct stub_box *b = &stub.box;

	stub_post(op, a1, a2, data, len);
	pthread_mutex_lock(&b->lock);
	while (!b->call_full && !b->ended)
		pthread_cond_wait(&b->cond, &b->lock);
	pthread_mutex_unlock(&b->lock);
	if (out_len)
		*out_len = 0;
	if (stub_box_state() == STUB_ENDED)
		return -ESRCH;
	return stub_take_call(COVE_DBG_EV_DONE, out, cap, out_len);
}

static int stub_stop_reply(void)
{
	char r[48];

	snprintf(r, sizeof(r), "T%02xthread:%x;", rsp_sig_from_linux(stub.stop_sig) ?: 5,
		 stub.stop_tid);
	return stub_send_str(r);
}

static int stub_exit_reply(int status)
{
	char r[8];

	if (WIFSIGNALED(status))
		snprintf(r, sizeof(r), "X%02x", rsp_sig_from_linux(WTERMSIG(status)) & 0xff);
	else
		snprintf(r, sizeof(r), "W%02x", WEXITSTATUS(status));
	return stub_send_str(r);
}

static int stub_error(int64_t err)
{
	char r[8];

	snprintf(r, sizeof(r), "E%02x", (unsigned int)(err < 0 ? -err : err) & 0xff);
	return stub_send_str(r);
}

static uint64_t stub_thread_arg(int64_t tid)
{
	return tid > 0 ? (uint64_t)tid : 0;
}

static int stub_read_regs(void)
{
	uint32_t n;
	int64_t r = stub_request(COVE_DBG_REGS, stub_thread_arg(stub.tid_g), 0, NULL, 0, stub.bin,
				 COVE_DBG_REGS_MAX, &n);

	if (r < 0 || !n)
		return r == -EPROTO ? -1 : stub_error(r < 0 ? r : -EIO);
	rsp_hex(stub.bin, n, stub.text);
	rsp_mark_unavailable(stub.text, n, DBG_REGS_GAP_START, DBG_REGS_GAP_END);
	return stub_send_str(stub.text);
}

static int stub_write_regs(const struct rsp_cmd *c)
{
	int64_t r;

	if (c->data_len > COVE_DBG_REGS_MAX)
		return stub_error(-EINVAL);
	r = stub_request(COVE_DBG_SET_REGS, stub_thread_arg(stub.tid_g), 0, c->data,
			 (uint32_t)c->data_len, NULL, 0, NULL);
	if (r == -EPROTO)
		return -1;
	return r < 0 ? stub_error(r) : stub_send_str("OK");
}

static int stub_read_mem(const struct rsp_cmd *c)
{
	uint64_t len = c->len < RSP_PACKET_MAX / 2 ? c->len : RSP_PACKET_MAX / 2;
	uint32_t got = 0;

	for (uint64_t done = 0; done < len;) {
		uint32_t chunk = (uint32_t)(len - done < COVE_DBG_MEM_MAX ? len - done :
					    COVE_DBG_MEM_MAX);
		uint32_t n;
		int64_t r = stub_request(COVE_DBG_READ, c->addr + done, chunk, NULL, 0,
					 stub.bin + done, chunk, &n);

		if (r == -EPROTO)
			return -1;
		if (r < 0 || n != chunk)
			break;	/* what came before is the answer, as gdb reads up to a hole */
		done += chunk;
		got = (uint32_t)done;
	}
	if (!got && len)
		return stub_error(-EFAULT);
	rsp_hex(stub.bin, got, stub.text);
	return stub_send_str(stub.text);
}

static int stub_write_mem(const struct rsp_cmd *c)
{
	for (size_t done = 0; done < c->data_len;) {
		size_t chunk = c->data_len - done < COVE_DBG_MEM_MAX ? c->data_len - done :
								       COVE_DBG_MEM_MAX;
		int64_t r = stub_request(COVE_DBG_WRITE, c->addr + done, 0, c->data + done,
					 (uint32_t)chunk, NULL, 0, NULL);

		if (r == -EPROTO)
			return -1;
		if (r < 0)
			return stub_error(r);
		done += chunk;
	}
	return stub_send_str("OK");
}

/* The live threads' tids into tids (at most COVE_DBG_THREADS_MAX): how many, or -errno. */
static int64_t stub_threads(uint32_t *tids)
{
	uint32_t n;
	int64_t r = stub_request(COVE_DBG_THREADS, 0, 0, NULL, 0, (uint8_t *)tids,
				 COVE_DBG_THREADS_MAX * 4, &n);

	if (r < 0)
		return r;
	return n / 4;
}

static int stub_thread_list(void)
{
	uint32_t tids[COVE_DBG_THREADS_MAX];
	int64_t n = stub_threads(tids);
	size_t o = 0;

	if (n == -EPROTO)
		return -1;
	if (n <= 0)
		return stub_send_str("l");
	stub.text[o++] = 'm';
	for (int64_t i = 0; i < n; i++)
		o += (size_t)snprintf(stub.text + o, sizeof(stub.text) - o, "%s%x", i ? "," : "",
				      tids[i]);
	return stub_send(stub.text, o);
}

static int stub_thread_alive(int64_t tid)
{
	uint32_t tids[COVE_DBG_THREADS_MAX];
	int64_t n = stub_threads(tids);

	if (n == -EPROTO)
		return -1;
	for (int64_t i = 0; i < n; i++)
		if (tids[i] == tid)
			return stub_send_str("OK");
	return stub_error(-ESRCH);
}

/*
 * Resume (continue or step), then wait for the next stop or the end.
 * 1: the session goes on; 2: the job ended; -1: gdb is gone.
 */
static int stub_resume(const struct rsp_cmd *c)
{
	int sig = c->has_sig ? rsp_sig_to_linux(c->sig) : 0;
	struct rsp_cmd ignored;
	int w;

	if (c->kind == RSP_STEP)
		stub_post(COVE_DBG_STEP, (uint64_t)sig, stub_thread_arg(stub.tid_c), NULL, 0);
	else
		stub_post(COVE_DBG_CONT, (uint64_t)sig, 0, NULL, 0);
	w = stub_wait(&ignored, true);
	if (w == 0)
		return -1;
	if (w == 3)
		return 2;
	if (stub_take_call(COVE_DBG_EV_STOP, NULL, 0, NULL))
		return -1;
	stub.tid_g = 0;
	return stub_stop_reply() ? -1 : 1;
}

/*
 * One packet: 1 go on, 0 gdb ended the session, 2 the job ended, -1 gdb
 * is gone or Cove misbehaved.
 */
static int stub_handle(const struct rsp_cmd *c)
{
	char r[64];

	switch (c->kind) {
	case RSP_HALT_REASON:
		return stub_stop_reply() ? -1 : 1;
	case RSP_READ_REGS:
		return stub_read_regs() ? -1 : 1;
	case RSP_WRITE_REGS:
		return stub_write_regs(c) ? -1 : 1;
	case RSP_READ_MEM:
		return stub_read_mem(c) ? -1 : 1;
	case RSP_WRITE_MEM:
		return stub_write_mem(c) ? -1 : 1;
	case RSP_CONTINUE:
	case RSP_STEP:
		return stub_resume(c);
	case RSP_SET_THREAD:
		*(c->op == 'g' ? &stub.tid_g : &stub.tid_c) = c->tid;
		return stub_send_str("OK") ? -1 : 1;
	case RSP_THREAD_ALIVE:
		return stub_thread_alive(c->tid) ? -1 : 1;
	case RSP_THREADS_FIRST:
		return stub_thread_list() ? -1 : 1;
	case RSP_THREADS_NEXT:
		return stub_send_str("l") ? -1 : 1;
	case RSP_CURRENT_THREAD:
		snprintf(r, sizeof(r), "QC%x", stub.stop_tid);
		return stub_send_str(r) ? -1 : 1;
	case RSP_SUPPORTED:
		return stub_send_str("PacketSize=" RSP_PACKET_SIZE_HEX) ? -1 : 1;
	case RSP_ATTACHED:
		return stub_send_str("0") ? -1 : 1;	/* we started it: gdb kills it on quit */
	case RSP_KILL:
		stub_end(COVE_DBG_KILL);
		if (c->reply_ok)
			stub_send_str("OK");
		return 0;
	case RSP_DETACH:
		stub_end(COVE_DBG_DETACH);
		stub_send_str("OK");
		return 0;
	case RSP_BAD:
		return stub_send_str("E01") ? -1 : 1;
	default:
		return stub_send_str("") ? -1 : 1;
	}
}

/*
 * Who owns the other end of a connection to our port from 127.0.0.1:peer:
 * the uid /proc/net/tcp gives that socket, or -1 if it is not there.
 */
static long stub_peer_uid(uint16_t peer)
{
	FILE *f = fopen("/proc/net/tcp", "re");
	char line[256];
	long uid = -1;

	if (!f)
		return -1;
	while (uid < 0 && fgets(line, sizeof(line), f)) {
		unsigned int la, lp, ra, rp, st;
		unsigned long u;

		if (sscanf(line, " %*u: %x:%x %x:%x %x %*x:%*x %*x:%*x %*x %lu", &la, &lp, &ra, &rp,
			   &st, &u) == 6 && la == 0x0100007f && lp == peer && rp == stub.port)
			uid = (long)u;
	}
	fclose(f);
	return uid;
}

/*
 * Only the user who runs the job (or root) may debug it: whoever else
 * connected first would run code with the job's rights, its proxy's
 * included.
 */
static bool stub_peer_allowed(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	long uid;

	if (getpeername(fd, (struct sockaddr *)&sa, &len) || sa.sin_family != AF_INET)
		return false;
	uid = stub_peer_uid(ntohs(sa.sin_port));
	if (uid == (long)getuid() || uid == 0)
		return true;
	warn("gdb server: refused a connection from %s (the job is uid %u's)",
	     uid < 0 ? "an unknown user" : "another user", (unsigned int)getuid());
	return false;
}

/* Wait for gdb (or the job's end): 0 connected, -1 not. */
static int stub_accept(void)
{
	for (;;) {
		struct pollfd pf[2] = {
			{ .fd = stub.wake[0], .events = POLLIN },
			{ .fd = stub.listen_fd, .events = POLLIN },
		};
		int fd;

		if (stub_box_state() == STUB_ENDED)
			return -1;
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			return -1;
		if (pf[0].revents)
			stub_drain();
		if (!pf[1].revents)
			continue;
		fd = accept4(stub.listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		if (!stub_peer_allowed(fd)) {
			close(fd);
			continue;
		}
		stub.conn_fd = proxy_private_fd(fd);
		close(stub.listen_fd);	/* one debugger per job */
		stub.listen_fd = -1;
		return 0;
	}
}

static void *stub_main(void *arg)
{
	struct rsp_cmd cmd;
	int w, rc = 1;

	(void)arg;
	/* The job stops before its first instruction; gdb may come before or after. */
	w = stub_wait(&cmd, true);
	if (w == 2 && stub_take_call(COVE_DBG_EV_STOP, NULL, 0, NULL))
		w = 0;
	if (w != 2 || stub_accept()) {
		stub_end(COVE_DBG_KILL);
		goto out;
	}
	while (rc == 1) {
		w = stub_wait(&cmd, false);
		if (w != 1)
			break;
		rc = stub_handle(&cmd);
	}
	if (w == 0 || rc < 0) {
		/* gdb went away (or Cove misbehaved): breakpoints may still be in the code. */
		warn("gdb server: %s; killing job %u", w == 0 ? "gdb went away" :
		     "the debug session failed", stub.job);
		stub_end(COVE_DBG_KILL);
		stub_kill_job();
	}
out:
	pthread_mutex_lock(&stub.box.lock);
	while (!stub.box.ended)
		pthread_cond_wait(&stub.box.cond, &stub.box.lock);
	w = stub.box.end_status;
	pthread_mutex_unlock(&stub.box.lock);
	/* gdb waiting on a resume hears how the job ended. */
	if (stub.conn_fd >= 0 && rc > 0)
		stub_exit_reply(w);
	return NULL;
}

void gdbstub_start(int devfd, uint32_t id, uint32_t job)
{
	int p[2];

	if (stub.listen_fd < 0)
		return;
	stub.devfd = devfd;
	stub.id = id;
	stub.job = job;
	stub.owner = getpid();
	stub.listen_fd = proxy_private_fd(stub.listen_fd);
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
		fail("--gdb: pipe: %s", strerror(errno));
	stub.wake[0] = proxy_private_fd(p[0]);
	stub.wake[1] = proxy_private_fd(p[1]);
	rsp_reader_init(&stub.rd);
	warn("job %u waits for gdb on 127.0.0.1:%u (target remote :%u)", job, stub.port,
	     stub.port);
	if (pthread_create(&stub.thread, NULL, stub_main, NULL))
		fail("--gdb: cannot start the gdb server thread");
	stub.started = true;
}

void gdbstub_lcall(struct cove_lcall *lc, char *buf, uint32_t cap)
{
	struct stub_box *b = &stub.box;
	uint64_t in[4];

	memcpy(in, lc->arg, sizeof(in));
	memset(lc->arg, 0, sizeof(lc->arg));
	lc->result = 0;
	pthread_mutex_lock(&b->lock);
	if (!stub.started || stub.owner != getpid()) {
		/* Not a process gdb debugs (a forked one's proxy): let it go. */
		lc->arg[0] = COVE_DBG_DETACH;
		lc->len = 0;
		pthread_mutex_unlock(&b->lock);
		return;
	}
	if (!b->gone && (lc->len > STUB_BUF || lc->len > cap)) {
		warn("gdb server: job %u sent %u bytes at once (at most %u); ending the debug "
		     "session", stub.job, lc->len, STUB_BUF);
		b->gone = COVE_DBG_KILL;
	}
	if (!b->gone) {
		memcpy(b->call_arg, in, sizeof(b->call_arg));
		b->call_len = lc->len;
		memcpy(b->call_data, buf, lc->len);
		b->call_full = true;
		pthread_cond_broadcast(&b->cond);
		stub_poke();
		while (!b->req_full && !b->gone && !b->ended)
			pthread_cond_wait(&b->cond, &b->lock);
	}
	lc->len = 0;
	if (b->req_full) {
		lc->arg[0] = b->req_arg[0];
		lc->arg[1] = b->req_arg[1];
		lc->arg[2] = b->req_arg[2];
		lc->len = b->req_len;
		memcpy(buf, b->req_data, b->req_len);
		b->req_full = false;
	} else {
		lc->arg[0] = b->gone ? b->gone : COVE_DBG_DETACH;
	}
	pthread_mutex_unlock(&b->lock);
}

void gdbstub_kill(void)
{
	if (!stub.started || stub.owner != getpid())
		return;
	stub_end(COVE_DBG_KILL);
	stub_poke();
}

void gdbstub_job_ended(int status)
{
	if (!stub.started || stub.owner != getpid())
		return;
	pthread_mutex_lock(&stub.box.lock);
	stub.box.ended = true;
	stub.box.end_status = status;
	pthread_cond_broadcast(&stub.box.cond);
	pthread_mutex_unlock(&stub.box.lock);
	stub_poke();
	pthread_join(stub.thread, NULL);
	if (stub.conn_fd >= 0)
		close(stub.conn_fd);
}
