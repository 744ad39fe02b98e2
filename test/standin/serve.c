// SPDX-License-Identifier: GPL-2.0
/*
 * Serving the enclave, as the module's poll thread does (cove_chan.c):
 * copy its console ring to ours line by line ("enclave: " in front, so the
 * two are told apart in one log), watch its state word and the host page's
 * fault report, send control requests and answer its job's long calls
 * (jobs.c), and watch the heartbeat if asked (heartbeat.c). Cove rings the
 * stand-in's doorbell (doorbell.c), but a ring only counts: every wait
 * here polls, so a lost or stormed ring changes nothing it serves.
 */
#include "standin.h"
#include "x86.h"

#define LINE_MAX 160

static uint64_t ring_pos;
static char line[LINE_MAX + 1];
static size_t line_len;

static void line_flush(void)
{
	line[line_len] = '\0';
	print("enclave: %s\n", line);
	line_len = 0;
}

/* Our own RING_DATA, never the ring's size field: the enclave writes that page. */
static void relay(struct enclave *e)
{
	uint64_t head = __atomic_load_n(&e->ring->head, __ATOMIC_ACQUIRE);

	if (head < ring_pos) {
		print("standin: the console ring went backwards (%lu < %lu)\n", head, ring_pos);
		ring_pos = head;
		return;
	}
	if (head - ring_pos > RING_DATA) {
		print("standin: %lu console bytes lost (we fell behind)\n",
		      head - RING_DATA - ring_pos);
		ring_pos = head - RING_DATA;
	}
	for (; ring_pos < head; ring_pos++) {
		char c = e->ring->data[ring_pos & (RING_DATA - 1)];

		if (c == '\n') {
			line_flush();
			continue;
		}
		if (c == '\r')
			continue;
		line[line_len++] = (c >= 32 && c < 127) ? c : '.';
		if (line_len == LINE_MAX)
			line_flush();
	}
}

const char *state_name(uint32_t state)
{
	static const char *const names[] = {
		[COVE_STATE_LOADED] = "LOADED", [COVE_STATE_BOOTING] = "BOOTING",
		[COVE_STATE_READY] = "READY", [COVE_STATE_STOPPED] = "STOPPED",
		[COVE_STATE_PANIC] = "PANIC",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "(not a state)";
}

static uint32_t state_of(struct enclave *e)
{
	return __atomic_load_n(&e->bp->tail.state, __ATOMIC_ACQUIRE);
}

/* One turn of serving: the console, then the long calls. */
static void serve_once(struct enclave *e)
{
	relay(e);
	lc_serve(e);
}

/*
 * Serve until something happens: a fault report (checked first: the layer
 * writes it before the state word), what was wanted (READY, or the job's
 * exit), STOPPED, PANIC, a broken protocol, a hung kernel, or the deadline.
 */
enum serve_end serve_until(struct enclave *e, uint64_t deadline, enum serve_want want)
{
	for (;;) {
		/* Both read before the ring: the lines written before them are all in. */
		uint32_t seq = __atomic_load_n(&e->host->fault_seq, __ATOMIC_ACQUIRE);
		uint32_t st = state_of(e);

		serve_once(e);
		if (seq)
			return END_FAULT;
		if (e->broken)
			return END_BROKEN;
		if (st == COVE_STATE_READY && want == WANT_READY)
			return END_READY;
		if (job_seen.exited && want == WANT_JOB_EXIT)
			return END_JOB_EXIT;
		if (st == COVE_STATE_STOPPED)
			return END_STOPPED;
		if (st == COVE_STATE_PANIC)
			return __atomic_load_n(&e->host->fault_seq, __ATOMIC_ACQUIRE) ?
			       END_FAULT : END_PANIC;
		if (st == COVE_STATE_READY && heartbeat_watch(e))
			return END_HUNG;
		if (tsc_passed(deadline))
			return END_TIMEOUT;
		cpu_relax();
	}
}

/* After the end: let the enclave finish its last lines (up to ms), then flush. */
void serve_drain(struct enclave *e, uint64_t ms)
{
	uint64_t deadline = tsc_deadline(ms);

	while (!tsc_passed(deadline) && state_of(e) < COVE_STATE_STOPPED)
		serve_once(e);
	serve_once(e);
	if (line_len)
		line_flush();
	job_flush();
}

/*
 * One control request (one argument, an optional payload of at most
 * JOB_MAX bytes: what the stand-in sends), then wait for the answer,
 * serving long calls meanwhile. Cove's result, or -1 with a message.
 */
int ctl_send(struct enclave *e, uint32_t op, uint64_t arg0, const char *payload, uint32_t len,
	     uint64_t timeout_ms)
{
	struct cove_msg *m = (void *)((uint8_t *)e->ctl + COVE_CHAN_HDR +
				      (e->ctl_head % CTL_SLOTS) * CTL_SLOT_SIZE);
	uint64_t seq = e->ctl_head + 1, deadline;
	int32_t result;

	_Static_assert(JOB_MAX < CTL_SLOT_SIZE - sizeof(struct cove_msg), "control slot too small");
	if (len >= JOB_MAX) {
		print("standin: a control payload of %u bytes; at most %u\n", len, JOB_MAX - 1);
		return -1;
	}
	if (m->seq != m->done) {
		print("standin: control channel full (the enclave is not answering)\n");
		return -1;
	}
	m->done = 0;
	m->op = op;
	m->result = 0;
	m->len = len;
	m->job = op == COVE_CTL_LAUNCH || op == COVE_CTL_KILL ? (uint32_t)arg0 : 0;
	memset(m->arg, 0, sizeof(m->arg));
	m->arg[0] = arg0;
	if (len)
		memcpy(m + 1, payload, len);
	((char *)(m + 1))[len] = '\0';
	barrier();
	m->seq = seq;
	barrier();
	e->ctl_head = seq;
	__atomic_store_n(&e->ctl->head, seq, __ATOMIC_RELEASE);
	apic_send_fixed(e->apic_id, DOORBELL_VECTOR);

	deadline = tsc_deadline(timeout_ms);
	while (__atomic_load_n(&m->done, __ATOMIC_ACQUIRE) != seq) {
		serve_once(e);
		/* Stopped: the answer, if any, was written before the state. */
		if (state_of(e) >= COVE_STATE_STOPPED) {
			if (__atomic_load_n(&m->done, __ATOMIC_ACQUIRE) == seq)
				break;
			print("standin: the enclave stopped (%s) before answering control "
			      "request %u\n", state_name(state_of(e)), op);
			return -1;
		}
		if (state_of(e) == COVE_STATE_READY && heartbeat_watch(e))
			return -1;
		if (tsc_passed(deadline)) {
			print("standin: no answer to control request %u within %lu ms (state %s)\n",
			      op, timeout_ms, state_name(state_of(e)));
			return -1;
		}
		cpu_relax();
	}
	/* Read once: Cove may write the slot again; only -errno or a count is an answer. */
	result = __atomic_load_n(&m->result, __ATOMIC_RELAXED);
	return result < -4095 ? -1 : result;
}
