// SPDX-License-Identifier: GPL-2.0
/*
 * The job's side of the host: the long calls Cove makes for the one job the
 * stand-in launched, served as `cove run` serves them (linux/tools/). The
 * job's stdout and stderr become "job: " lines in the log; its exit is
 * recorded; its files are the read-only archive of files.c (its program
 * among them: Cove reads a host job's program from the host); its stdin is
 * empty (reads see end of file).
 *
 * Everything here reads enclave memory, so it follows linux/module/
 * cove_shared.c: slots are indexed from the stand-in's own tail and
 * constants, each message header is copied once and checked before use,
 * payloads are copied out within LC_PAYLOAD_MAX, and a value no correct
 * Cove writes ends the run (e->broken) instead of steering the host.
 */
#include <cove/errno.h>

#include "standin.h"
#include "x86.h"

#define OUT_LINE_MAX 160
#define STDIO_MODE 0010600	/* S_IFIFO, rw for its owner */

struct job_seen job_seen;

static char out_line[OUT_LINE_MAX + 1];
static size_t out_len;
/* The request's payload, copied out once; a path in it ends within it. */
static uint8_t payload[LC_PAYLOAD_MAX + 1];

/*
 * The job line with every "@watch" replaced by the watched word's address;
 * -1 if that does not fit in cap (then dst holds what did).
 */
int job_compose(char *dst, size_t cap, const char *line)
{
	static const char tag[] = "@watch";
	size_t n = 0;

	while (*line && n + 1 < cap) {
		if (!strncmp(line, tag, sizeof(tag) - 1)) {
			uint64_t v = watch_target();

			if (n + 19 > cap)
				break;
			dst[n++] = '0';
			dst[n++] = 'x';
			for (int s = 60; s >= 0; s -= 4)
				dst[n++] = "0123456789abcdef"[(v >> s) & 15];
			line += sizeof(tag) - 1;
			continue;
		}
		dst[n++] = *line++;
	}
	dst[n] = '\0';
	return *line ? -1 : 0;
}

void job_flush(void)
{
	if (!out_len)
		return;
	out_line[out_len] = '\0';
	print("job: %s\n", out_line);
	out_len = 0;
}

/* Both streams in one log: lines as they come, unprintable bytes as dots. */
static void job_output(const uint8_t *p, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		char c = (char)p[i];

		if (c == '\n') {
			job_flush();
			continue;
		}
		if (c == '\r')
			continue;
		out_line[out_len++] = (c >= 32 && c < 127) ? c : '.';
		if (out_len == OUT_LINE_MAX)
			job_flush();
	}
}

static struct cove_msg *lc_slot(struct enclave *e, uint64_t n)
{
	return (void *)((uint8_t *)e->lc + COVE_CHAN_HDR + (n % LC_SLOTS) * LC_SLOT_SIZE);
}

/* wait(2) status as a shell shows it: the exit code, or 128 + the signal. */
static void job_report_exit(uint32_t status)
{
	uint32_t sig = status & 0x7f;

	job_flush();
	if (!sig)
		print("standin: job exited with status %u\n", (status >> 8) & 0xff);
	else
		print("standin: job exited with status %u (killed by signal %u%s)\n", 128 + sig,
		      sig, status & 0x80 ? ", core dumped" : "");
}

static const char *payload_path(const struct cove_msg *c)
{
	if (!c->len || payload[c->len - 1] != '\0')
		return NULL;
	return (const char *)payload;
}

/*
 * One checked copy of a request: the answer's result, its arguments (in
 * args, for STAT) and its payload (in payload, *reply_len bytes, for READ).
 */
static int32_t lc_answer_one(const struct cove_msg *c, uint64_t args[6], uint32_t *reply_len)
{
	const char *path = payload_path(c);
	int32_t n;

	*reply_len = 0;
	switch (c->op) {
	case COVE_LC_WRITE:
		if (c->arg[0] != COVE_LC_STDOUT && c->arg[0] != COVE_LC_STDERR)
			return -EBADF;
		job_output(payload, c->len);
		return (int32_t)c->len;
	case COVE_LC_JOB_EXIT:
		if (!job_seen.exited) {
			job_seen.exited = true;
			job_seen.wait_status = (uint32_t)c->arg[0];
			job_report_exit(job_seen.wait_status);
		}
		return 0;
	case COVE_LC_OPEN:
		return path ? files_open(path, c->arg[0]) : -EINVAL;
	case COVE_LC_STAT:
		if (c->len)
			return path ? files_stat_path(path, args) : -EINVAL;
		if (c->arg[0] <= COVE_LC_STDERR) {
			/* Its stdio are streams into the log: pipes. */
			args[1] = STDIO_MODE;
			return 0;
		}
		return files_stat_handle(c->arg[0], args);
	case COVE_LC_READ:
		if (c->arg[0] == COVE_LC_STDIN)
			return 0;
		if (c->arg[2] > LC_PAYLOAD_MAX)
			return -EINVAL;
		n = files_read(c->arg[0], c->arg[1], (uint32_t)c->arg[2], payload);
		*reply_len = n > 0 ? (uint32_t)n : 0;
		return n;
	case COVE_LC_CLOSE:
		return files_close(c->arg[0]);
	}
	return -EINVAL;
}

/*
 * Take and answer every long call published so far. Each is answered at
 * once, so no slot is ever the host's for longer than this call and a
 * flood of republished slots costs the stand-in nothing but time.
 */
void lc_serve(struct enclave *e)
{
	uint64_t head = __atomic_load_n(&e->lc->head, __ATOMIC_ACQUIRE);

	if (e->broken)
		return;
	if (head - e->lc_tail > LC_SLOTS) {
		e->broken = "the enclave's long-call head is not plausible";
		print("standin: %s (%lu; the stand-in took %lu of a %u-slot ring)\n", e->broken,
		      head, e->lc_tail, LC_SLOTS);
		return;
	}
	while (e->lc_tail != head) {
		uint64_t seq = e->lc_tail + 1;
		struct cove_msg *m = lc_slot(e, e->lc_tail);
		uint64_t args[6] = { 0 };
		bool reply_args = false;
		struct cove_msg c;
		uint32_t reply_len;
		int32_t result;

		if (__atomic_load_n(&m->seq, __ATOMIC_ACQUIRE) != seq)
			return;		/* not written yet: look again on the next turn */
		memcpy(&c, m, sizeof(c));
		if (c.seq != seq)
			return;
		e->lc_tail = seq;
		__atomic_store_n(&e->lc->tail, seq, __ATOMIC_RELEASE);
		if (c.op < COVE_LC_OPEN || c.op > COVE_LC_JOB_EXIT || c.len > LC_PAYLOAD_MAX ||
		    c.job != JOB_ID) {
			print("standin: refused long call (op %u, job %u, len %u)\n", c.op, c.job,
			      c.len);
			result = c.job != JOB_ID ? -ESRCH : -EINVAL;
			reply_len = 0;
		} else {
			memcpy(payload, m + 1, c.len);
			payload[c.len] = '\0';
			result = lc_answer_one(&c, args, &reply_len);
			reply_args = c.op == COVE_LC_STAT && result == 0;
		}
		if (reply_args)
			memcpy(m->arg, args, sizeof(m->arg));
		if (reply_len)
			memcpy(m + 1, payload, reply_len);
		m->result = result;
		m->len = reply_len;
		barrier();
		__atomic_store_n(&m->done, seq, __ATOMIC_RELEASE);
		job_seen.calls++;
		/* As the module after each answer: a waiting core may be in hlt. */
		apic_send_fixed(e->apic_id, DOORBELL_VECTOR);
	}
}
