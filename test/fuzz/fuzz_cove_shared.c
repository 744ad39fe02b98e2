// SPDX-License-Identifier: GPL-2.0
/*
 * The host's reads of enclave-written memory (linux/module/cove_shared.c),
 * built in user space: the channel headers, Cove's state word and the
 * long-call slots are whatever the enclave wrote. Input: the state word,
 * both channel headers and every long-call slot header, then a script of
 * host steps (take, answer one). The host must never index outside the
 * channel areas (ASan sees each in an allocation of exactly its size),
 * must hand on only requests its own bounds allow, and must fail the
 * enclave -- with a message -- for anything a correct Cove cannot write.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <cove/debug_abi.h>
#include <cove/pisces_abi.h>
#include "fuzz.h"
#include <linux/bitops.h>
#include <linux/kernel.h>

/* What cove_shared.c takes from cove.h, for an enclave of the real geometry. */
#define COVE_MODULE_H
#define COVE_LC_SLOTS 4
#define COVE_CTL_SLOTS 8
#define COVE_CTL_SLOT_SIZE 4096
#define COVE_LC_SLOT_SIZE (sizeof(struct cove_msg) + 65536)

struct cove_chan_view {
	struct cove_chan *hdr;
	u32 nr_slots;
	u32 slot_size;
};

struct cove_enclave {
	u32 id;
	struct cove_boot_block *bp;
	struct cove_chan_view ctl, lc;
	u64 lc_tail;
	unsigned long lc_busy;
	bool failed;
};

static int fuzz_logs;

void fuzz_shared_log(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	FUZZ_ASSERT(!strncmp(msg, "cove ", 5) && msg[strlen(msg) - 1] == '\n');
	fuzz_logs++;
}

static void cove_fail(struct cove_enclave *e, const char *why)
{
	FUZZ_ASSERT(why && *why);
	e->failed = true;
}

static void cove_doorbell(struct cove_enclave *e)
{
	(void)e;
}

#include "../../linux/module/cove_shared.c"

static size_t ctl_bytes = COVE_CHAN_HDR + COVE_CTL_SLOTS * COVE_CTL_SLOT_SIZE;
static size_t lc_bytes = COVE_CHAN_HDR + COVE_LC_SLOTS * COVE_LC_SLOT_SIZE;

/* Take fuzz bytes into dst (zero once they run out). */
static void fuzz_fill(void *dst, size_t n, const uint8_t **data, size_t *size)
{
	size_t k = n < *size ? n : *size;

	memset(dst, 0, n);
	memcpy(dst, *data, k);
	*data += k;
	*size -= k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cove_boot_block *bp = calloc(1, sizeof(*bp));
	struct cove_enclave e = { .id = 1, .bp = bp };
	void *ctl = calloc(1, ctl_bytes), *lc = calloc(1, lc_bytes);
	u32 max = COVE_LC_SLOT_SIZE - sizeof(struct cove_msg);
	struct cove_msg m;
	u64 head, seq, taken[64];
	unsigned int nr_taken = 0;

	cove_chan_setup(&e.ctl, ctl, COVE_CTL_SLOTS, COVE_CTL_SLOT_SIZE);
	cove_chan_setup(&e.lc, lc, COVE_LC_SLOTS, COVE_LC_SLOT_SIZE);
	fuzz_logs = 0;

	/*
	 * What the enclave wrote: the state word, a byte saying which channel
	 * headers it overwrote (then those), the long-call head, and each
	 * long-call slot's header.
	 */
	fuzz_fill((void *)&bp->tail.state, sizeof(bp->tail.state), &data, &size);
	if (size) {
		uint8_t which = *data++;

		size--;
		if (which & 1)
			fuzz_fill(ctl, sizeof(struct cove_chan), &data, &size);
		if (which & 2)
			fuzz_fill(lc, sizeof(struct cove_chan), &data, &size);
	}
	fuzz_fill((void *)&e.lc.hdr->head, sizeof(u64), &data, &size);
	for (u32 i = 0; i < COVE_LC_SLOTS; i++)
		fuzz_fill(cove_chan_slot(&e.lc, i), sizeof(struct cove_msg), &data, &size);

	if (cove_shared_check(&e) < 0) {
		FUZZ_ASSERT(e.failed && fuzz_logs == 1);
		goto out;
	}
	FUZZ_ASSERT(!e.failed);
	/* The host's steps: 0 take what is published, 1 answer the oldest taken. */
	while (size && !e.failed) {
		uint8_t step = *data++;

		size--;
		if (step & 1) {
			if (nr_taken) {
				cove_lc_answer(&e, taken[0], -5, NULL, 0);
				memmove(taken, taken + 1, --nr_taken * sizeof(taken[0]));
			}
			continue;
		}
		if (cove_lc_head(&e, &head))
			break;
		FUZZ_ASSERT(head - e.lc_tail <= COVE_LC_SLOTS);
		while (e.lc_tail != head) {
			seq = e.lc_tail + 1;
			int err = cove_lc_take_one(&e, seq, &m);

			if (err == -EAGAIN || err == -EIO)
				break;
			e.lc_tail = seq;
			if (err == -ENOENT)
				continue;	/* skipped by the enclave */
			if (err) {
				cove_lc_answer(&e, seq, -EINVAL, NULL, 0);
				continue;
			}
			FUZZ_ASSERT(m.seq == seq && m.len <= max);
			FUZZ_ASSERT((m.op >= COVE_LC_OPEN && m.op <= COVE_LC_OP_LAST) ||
				    m.op == COVE_LC_XEMEM_EXPORT || m.op == COVE_LC_XEMEM_REMOVE ||
				    m.op == COVE_LC_DEBUG);
			FUZZ_ASSERT(m.op != COVE_LC_READ || m.arg[2] <= max);
			FUZZ_ASSERT(nr_taken < COVE_LC_SLOTS);	/* one request per slot */
			taken[nr_taken++] = seq;
		}
		/* The enclave may rewrite a slot's header between the host's steps. */
		if (size >= sizeof(struct cove_msg) + 1) {
			u32 slot = data[0] % COVE_LC_SLOTS;

			data++;
			size--;
			fuzz_fill(cove_chan_slot(&e.lc, slot), sizeof(struct cove_msg), &data, &size);
			if (size >= 8)
				fuzz_fill((void *)&e.lc.hdr->head, sizeof(u64), &data, &size);
		}
	}
	FUZZ_ASSERT(!e.failed || fuzz_logs >= 1);
out:
	free(bp);
	free(ctl);
	free(lc);
	return 0;
}
