// SPDX-License-Identifier: GPL-2.0
/*
 * The one place the host reads what an enclave writes.
 *
 * Everything in the partition -- boot block, console ring, channel
 * headers and slots -- is the enclave's to write, guarded or not: the
 * protection layer keeps the enclave's accesses inside the partition, but
 * only the host can stop the enclave's data from steering it. So the host
 * indexes and sizes the channels from its own copy of their geometry
 * (never the header in the partition), copies a message header once
 * before it looks at it, checks every field against its own bounds, and
 * fails the enclave on the first value a correct Cove could not have
 * written. The console ring is read with the host's own constant size
 * (cove_main.c, cove_console_tail).
 */
#include <linux/bitops.h>
#include <linux/kernel.h>

#include "cove.h"
#include <cove/debug_abi.h>

/* Write a channel header and remember its geometry host-side. */
void cove_chan_setup(struct cove_chan_view *v, void *hdr, u32 nr_slots, u32 slot_size)
{
	BUILD_BUG_ON(COVE_LC_SLOTS > BITS_PER_LONG);	/* cove_enclave.lc_busy */
	v->hdr = hdr;
	v->nr_slots = nr_slots;
	v->slot_size = slot_size;
	v->hdr->magic = COVE_CHAN_MAGIC;
	v->hdr->nr_slots = nr_slots;
	v->hdr->slot_size = slot_size;
}

/* Slot of request n (0-based): always inside the area the layout reserved. */
struct cove_msg *cove_chan_slot(const struct cove_chan_view *v, u64 n)
{
	return (void *)v->hdr + COVE_CHAN_HDR + (n & (v->nr_slots - 1)) * v->slot_size;
}

u32 cove_chan_payload_max(const struct cove_chan_view *v)
{
	return v->slot_size - sizeof(struct cove_msg);
}

/* Fail the enclave for a value no correct Cove writes; the message says which. */
static __printf(2, 3) void cove_broke(struct cove_enclave *e, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_err("cove %u: %s; the enclave is failed\n", e->id, why);
	cove_fail(e, why);
}

static bool cove_chan_intact(struct cove_enclave *e, const struct cove_chan_view *v,
			     const char *what)
{
	struct cove_chan h;

	memcpy(&h, v->hdr, sizeof(h));
	if (h.magic == COVE_CHAN_MAGIC && h.nr_slots == v->nr_slots &&
	    h.slot_size == v->slot_size)
		return true;
	cove_broke(e, "the enclave overwrote its %s channel header (magic %#x, %u slots of "
		   "%u bytes; the host made %u of %u)", what, h.magic, h.nr_slots, h.slot_size,
		   v->nr_slots, v->slot_size);
	return false;
}

/*
 * Cove's state word and the channel headers, checked on every poll. Returns
 * the state (COVE_STATE_*), or -EIO once the enclave is failed for them.
 */
int cove_shared_check(struct cove_enclave *e)
{
	u32 st = READ_ONCE(e->bp->tail.state);

	if (st > COVE_STATE_PANIC) {
		cove_broke(e, "the enclave wrote %u to its state word, which is no state", st);
		return -EIO;
	}
	if (!cove_chan_intact(e, &e->ctl, "control") || !cove_chan_intact(e, &e->lc, "long-call"))
		return -EIO;
	return st;
}

/*
 * How far the enclave says it has published long calls. More than a ring
 * ahead of what the host took, or behind it, is no position a correct Cove
 * writes. Returns 0 with *head, or -EIO once the enclave is failed.
 */
int cove_lc_head(struct cove_enclave *e, u64 *head)
{
	u64 h = READ_ONCE(e->lc.hdr->head);

	if (h - e->lc_tail > e->lc.nr_slots) {
		cove_broke(e, "the enclave's long-call head %llu is not plausible (the host took "
			   "%llu of a %u-slot ring)", h, e->lc_tail, e->lc.nr_slots);
		return -EIO;
	}
	*head = h;
	return 0;
}

/*
 * Take long call seq: copy its header once and check it. Returns 0 (the
 * copy is good and the slot is now the host's until cove_lc_answer),
 * -EAGAIN (not published yet: look again later), -ENOENT (skipped by
 * Cove: nothing to take at seq), -EINVAL (malformed:
 * answer it with -EINVAL and go on), or -EIO (the enclave broke the
 * protocol and is failed).
 *
 * A slot is the host's from the moment it is taken until its answer is
 * written. Cove reuses a slot only after it saw that answer, so a slot
 * published again while still the host's is a flood: without this check
 * each republished slot would cost the host one more queued request.
 */
int cove_lc_take_one(struct cove_enclave *e, u64 seq, struct cove_msg *copy)
{
	struct cove_msg *m = cove_chan_slot(&e->lc, seq - 1);
	u32 idx = (seq - 1) & (e->lc.nr_slots - 1);
	u32 max = cove_chan_payload_max(&e->lc);
	u64 was, head;

	/*
	 * A slot still holding a request we took before (an older seq of
	 * the same slot), with head past it: Cove skipped the slot because
	 * that request is still being served (drivers/host_chan.c). Step
	 * over it. Anything else not equal to seq is not published yet.
	 * Head first: Cove writes a slot before it moves head over it, so a
	 * head past seq means the slot shows seq if seq was put there.
	 */
	head = READ_ONCE(e->lc.hdr->head);
	rmb();
	was = READ_ONCE(m->seq);
	if (was != seq) {
		if (was && was < seq && !((seq - was) & (e->lc.nr_slots - 1)) && head >= seq)
			return -ENOENT;
		return -EAGAIN;
	}
	rmb();
	memcpy(copy, m, sizeof(*copy));
	if (copy->seq != seq)
		return -EAGAIN;
	if (test_and_set_bit(idx, &e->lc_busy)) {
		cove_broke(e, "long-call flood: the enclave published slot %u again (request "
			   "%llu) before the host answered it", idx, seq);
		return -EIO;
	}
	if (copy->op < COVE_LC_OPEN ||
	    (copy->op > COVE_LC_OP_LAST && copy->op != COVE_LC_DEBUG &&
	     copy->op != COVE_LC_XEMEM_EXPORT && copy->op != COVE_LC_XEMEM_REMOVE) ||
	    copy->len > max ||
	    (copy->op == COVE_LC_READ && copy->arg[2] > max))
		return -EINVAL;
	return 0;
}

int cove_lc_payload(struct cove_enclave *e, u64 seq, void *buf, u32 len)
{
	if (len > cove_chan_payload_max(&e->lc))
		return -EIO;
	memcpy(buf, cove_chan_slot(&e->lc, seq - 1) + 1, len);
	return 0;
}

/*
 * Answer long call seq in place: reply arguments (if any), result and
 * payload length; the payload is already in the slot. The slot stops being
 * the host's before done is written, so a Cove that reuses it as soon as it
 * sees done is never taken for a flood.
 */
void cove_lc_answer(struct cove_enclave *e, u64 seq, int result, const u64 *args, u32 len)
{
	struct cove_msg *m = cove_chan_slot(&e->lc, seq - 1);

	if (args)
		memcpy(m->arg, args, sizeof(m->arg));
	m->result = result;
	m->len = len;
	clear_bit((seq - 1) & (e->lc.nr_slots - 1), &e->lc_busy);
	smp_mb__after_atomic();
	WRITE_ONCE(m->done, seq);
	cove_doorbell(e);
}
