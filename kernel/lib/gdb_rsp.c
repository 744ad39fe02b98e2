// SPDX-License-Identifier: GPL-2.0
/*
 * gdb's remote serial protocol: framing and the commands of a small stub
 * (cove/gdb_rsp.h). The peer is untrusted: every number is bounded, every hex
 * string checked, and nothing is written past a buffer whatever it sends.
 */
#include <cove/gdb_rsp.h>
#include <cove/string.h>

enum { RSP_IDLE, RSP_BODY, RSP_SUM1, RSP_SUM2 };

void rsp_reader_init(struct rsp_reader *r)
{
	memset(r, 0, sizeof(*r));
}

static int rsp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum rsp_event rsp_feed(struct rsp_reader *r, uint8_t c)
{
	int v;

	switch (r->state) {
	case RSP_IDLE:
		if (c == '$') {
			r->state = RSP_BODY;
			r->len = 0;
			r->sum = 0;
			r->overflow = false;
			r->escape = false;
			return RSP_EV_NONE;
		}
		if (c == 0x03)
			return RSP_EV_INTERRUPT;
		if (c == '+')
			return RSP_EV_ACK;
		if (c == '-')
			return RSP_EV_NAK;
		return RSP_EV_NONE;	/* noise between packets */
	case RSP_BODY:
		if (c == '#') {
			r->state = RSP_SUM1;
			return RSP_EV_NONE;
		}
		r->sum = (uint8_t)(r->sum + c);
		if (r->escape) {
			c ^= 0x20;
			r->escape = false;
		} else if (c == '}') {
			r->escape = true;
			return RSP_EV_NONE;
		}
		if (r->len < RSP_PACKET_MAX)
			r->body[r->len++] = (char)c;
		else
			r->overflow = true;
		return RSP_EV_NONE;
	case RSP_SUM1:
		v = rsp_hexval(c);
		r->want = (uint8_t)((v < 0 ? 0 : v) << 4);
		r->state = v < 0 ? RSP_IDLE : RSP_SUM2;
		return v < 0 ? RSP_EV_BAD_PACKET : RSP_EV_NONE;
	default:
		r->state = RSP_IDLE;
		v = rsp_hexval(c);
		if (v < 0 || (uint8_t)(r->want | v) != r->sum || r->overflow)
			return RSP_EV_BAD_PACKET;
		r->body[r->len] = '\0';
		return RSP_EV_PACKET;
	}
}

/* A hex number of at most 16 digits at *s (len left in *n): 0, or -1 if none. */
static int rsp_num(const char **s, size_t *n, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0, d;

	while (*n && (d = rsp_hexval((unsigned char)**s)) >= 0) {
		if (++digits > 16)
			return -1;
		v = v << 4 | (uint64_t)d;
		(*s)++;
		(*n)--;
	}
	*out = v;
	return digits ? 0 : -1;
}

/* The character c at *s, consumed: 0, or -1. */
static int rsp_expect(const char **s, size_t *n, char c)
{
	if (!*n || **s != c)
		return -1;
	(*s)++;
	(*n)--;
	return 0;
}

/* All of the rest (n bytes at s) as hex into bin: its length, or -1. */
static long rsp_unhex(const char *s, size_t n, uint8_t *bin, size_t cap)
{
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = rsp_hexval((unsigned char)s[i]), lo = rsp_hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		bin[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

/* A thread id: hex, or -1 (all). */
static int rsp_tid(const char **s, size_t *n, int64_t *tid)
{
	uint64_t v;

	if (*n >= 2 && (*s)[0] == '-' && (*s)[1] == '1') {
		*s += 2;
		*n -= 2;
		*tid = -1;
		return 0;
	}
	if (rsp_num(s, n, &v) || v > 0x7fffffff)
		return -1;
	*tid = (int64_t)v;
	return 0;
}

static bool rsp_is(const char *body, size_t len, const char *word)
{
	size_t wl = strlen(word);

	return len >= wl && !memcmp(body, word, wl) && (len == wl || body[wl] == ':' ||
							 body[wl] == ';' || body[wl] == ',');
}

/* c / C sig / s / S sig, each with an optional ";addr" we do not honour. */
static void rsp_parse_resume(const char *s, size_t n, struct rsp_cmd *cmd)
{
	uint64_t v;

	cmd->kind = (s[0] == 'c' || s[0] == 'C') ? RSP_CONTINUE : RSP_STEP;
	cmd->has_sig = s[0] == 'C' || s[0] == 'S';
	s++;
	n--;
	if (cmd->has_sig) {
		if (rsp_num(&s, &n, &v) || v > 0xff) {
			cmd->kind = RSP_BAD;
			return;
		}
		cmd->sig = (int)v;
		if (n && rsp_expect(&s, &n, ';')) {
			cmd->kind = RSP_BAD;
			return;
		}
	}
	/* A resume address: gdb sends none; one given is refused, not ignored. */
	if (n)
		cmd->kind = RSP_BAD;
}

static void rsp_parse_mem(const char *s, size_t n, struct rsp_cmd *cmd, uint8_t *bin,
			  size_t cap)
{
	bool write = s[0] == 'M';
	long got;

	s++;
	n--;
	cmd->kind = RSP_BAD;
	if (rsp_num(&s, &n, &cmd->addr) || rsp_expect(&s, &n, ',') ||
	    rsp_num(&s, &n, &cmd->len) || cmd->len > RSP_PACKET_MAX)
		return;
	if (!write) {
		if (!n)
			cmd->kind = RSP_READ_MEM;
		return;
	}
	if (rsp_expect(&s, &n, ':'))
		return;
	got = rsp_unhex(s, n, bin, cap);
	if (got < 0 || (uint64_t)got != cmd->len)
		return;
	cmd->data = bin;
	cmd->data_len = (size_t)got;
	cmd->kind = RSP_WRITE_MEM;
}

static void rsp_parse_query(const char *s, size_t n, struct rsp_cmd *cmd)
{
	if (rsp_is(s, n, "qfThreadInfo"))
		cmd->kind = RSP_THREADS_FIRST;
	else if (rsp_is(s, n, "qsThreadInfo"))
		cmd->kind = RSP_THREADS_NEXT;
	else if (rsp_is(s, n, "qC"))
		cmd->kind = RSP_CURRENT_THREAD;
	else if (rsp_is(s, n, "qSupported"))
		cmd->kind = RSP_SUPPORTED;
	else if (rsp_is(s, n, "qAttached"))
		cmd->kind = RSP_ATTACHED;
}

void rsp_parse(const char *s, size_t n, struct rsp_cmd *cmd, uint8_t *bin, size_t cap)
{
	long got;

	memset(cmd, 0, sizeof(*cmd));
	cmd->kind = RSP_UNKNOWN;
	if (!n)
		return;
	switch (s[0]) {
	case '?':
		cmd->kind = n == 1 ? RSP_HALT_REASON : RSP_BAD;
		return;
	case 'g':
		cmd->kind = n == 1 ? RSP_READ_REGS : RSP_BAD;
		return;
	case 'G':
		got = rsp_unhex(s + 1, n - 1, bin, cap);
		cmd->kind = got > 0 ? RSP_WRITE_REGS : RSP_BAD;
		cmd->data = bin;
		cmd->data_len = got > 0 ? (size_t)got : 0;
		return;
	case 'm':
	case 'M':
		rsp_parse_mem(s, n, cmd, bin, cap);
		return;
	case 'c':
	case 'C':
	case 's':
	case 'S':
		rsp_parse_resume(s, n, cmd);
		return;
	case 'H':
		s++;
		n--;
		cmd->kind = RSP_BAD;
		if (!n || (s[0] != 'g' && s[0] != 'c'))
			return;
		cmd->op = s[0];
		s++;
		n--;
		if (!rsp_tid(&s, &n, &cmd->tid) && !n)
			cmd->kind = RSP_SET_THREAD;
		return;
	case 'T':
		s++;
		n--;
		cmd->kind = !rsp_tid(&s, &n, &cmd->tid) && !n && cmd->tid > 0 ? RSP_THREAD_ALIVE
									 : RSP_BAD;
		return;
	case 'q':
		rsp_parse_query(s, n, cmd);
		return;
	case 'k':
		cmd->kind = n == 1 ? RSP_KILL : RSP_BAD;
		return;
	case 'v':
		if (rsp_is(s, n, "vKill")) {
			cmd->kind = RSP_KILL;
			cmd->reply_ok = true;
		}
		return;
	case 'D':
		/* "D" or "D;pid": the one process there is. */
		cmd->kind = n == 1 || s[1] == ';' ? RSP_DETACH : RSP_BAD;
		return;
	default:
		return;
	}
}

size_t rsp_frame(const char *body, size_t len, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t sum = 0;
	size_t o = 0;

	if (cap < 4)
		return 0;
	out[o++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)body[i];
		bool esc = c == '$' || c == '#' || c == '}' || c == '*';

		if (o + (esc ? 2 : 1) + 3 > cap)
			return 0;
		if (esc) {
			out[o++] = '}';
			sum = (uint8_t)(sum + '}');
			c ^= 0x20;
		}
		out[o++] = (char)c;
		sum = (uint8_t)(sum + c);
	}
	out[o++] = '#';
	out[o++] = hex[sum >> 4];
	out[o++] = hex[sum & 15];
	return o;
}

void rsp_hex(const uint8_t *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void rsp_mark_unavailable(char *hex, size_t len, size_t start, size_t end)
{
	if (end > len)
		end = len;
	if (start < end)
		memset(hex + 2 * start, 'x', 2 * (end - start));
}

/*
 * gdb numbers signals its own way (gdb/signals.def); x86-64 Linux's
 * standard ones, index = Linux's number. Real-time signals are left out.
 */
static const unsigned char rsp_sigmap[32] = {
	[1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6,
	[7] = 10,		/* SIGBUS */
	[8] = 8, [9] = 9,
	[10] = 30,		/* SIGUSR1 */
	[11] = 11,
	[12] = 31,		/* SIGUSR2 */
	[13] = 13, [14] = 14, [15] = 15,
	[17] = 20,		/* SIGCHLD */
	[18] = 19,		/* SIGCONT */
	[19] = 17,		/* SIGSTOP */
	[20] = 18,		/* SIGTSTP */
	[21] = 21, [22] = 22,
	[23] = 16,		/* SIGURG */
	[24] = 24, [25] = 25, [26] = 26, [27] = 27, [28] = 28,
	[29] = 23,		/* SIGIO */
	[30] = 32,		/* SIGPWR */
	[31] = 12,		/* SIGSYS */
};

int rsp_sig_from_linux(int sig)
{
	return sig > 0 && sig < 32 ? rsp_sigmap[sig] : 0;
}

int rsp_sig_to_linux(int sig)
{
	for (int i = 1; i < 32 && sig > 0; i++)
		if (rsp_sigmap[i] == sig)
			return i;
	return 0;
}
