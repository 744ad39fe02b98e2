// SPDX-License-Identifier: GPL-2.0
/*
 * The host's long-call doorbell: the one IPI a co-kernel enclave may send
 * out of its partition, and the limit on it.
 *
 * Cove rings after it publishes a long call and after it changes its state
 * word, so a ring tells the host something only if the long-call head or
 * the state moved since the last ring the host got. A ring that brings
 * nothing new is dropped and counted: nothing is lost, since the ring the
 * host got last was sent after what this one announces was visible. A long
 * unbroken run of such rings is no longer a race between Cove's cores but a
 * kernel gone wrong interrupting a host core without end: a storm, which
 * the layer contains like any other violation.
 *
 * All of this file's state is the layer's: set up on the boot CPU before
 * any core is guarded, then changed only under vmm_db_lock on the host side
 * of an exit.
 */
#include <cove/boot_info.h>
#include <cove/pisces_abi.h>
#include <cove/ranges.h>
#include <cove/spinlock.h>
#include "vmm_host.h"

/* Longer than any run Cove's own cores can make racing for one head. */
#define VMM_DOORBELL_STORM_RUN 1024

static const volatile uint64_t *vmm_db_lc_head;	/* in the partition; NULL: none */
static const volatile uint32_t *vmm_db_state;
static struct {
	uint64_t head;
	uint32_t state;
	uint32_t dropped_run;
	bool rung;
} vmm_db;
static spinlock_t vmm_db_lock = SPINLOCK_INIT;

void vmm_doorbell_setup(const struct boot_info *bi, const uint32_t *state_word)
{
	uint64_t head = bi->longcall_chan.base + offsetof(struct cove_chan, head);

	vmm_db_state = state_word;
	if (bi->longcall_chan.size >= COVE_CHAN_HDR &&
	    ranges_contain(bi->mem, bi->nr_mem, head, sizeof(uint64_t)) &&
	    !vmm_overlaps_layer(head, sizeof(uint64_t)))
		vmm_db_lc_head = vmm_p2v(head);
}

enum vmm_doorbell_verdict vmm_doorbell_admit(void)
{
	struct cove_host_page *hp = vmm_host_page_of();
	uint64_t head = vmm_db_lc_head ? *vmm_db_lc_head : 0;
	uint32_t state = vmm_db_state ? *vmm_db_state : 0;
	enum vmm_doorbell_verdict v = VMM_DOORBELL_SEND;

	spin_lock(&vmm_db_lock);
	if (vmm_db.rung && head == vmm_db.head && state == vmm_db.state) {
		v = ++vmm_db.dropped_run >= VMM_DOORBELL_STORM_RUN ? VMM_DOORBELL_STORM :
								     VMM_DOORBELL_DROP;
	} else {
		vmm_db.rung = true;
		vmm_db.head = head;
		vmm_db.state = state;
		vmm_db.dropped_run = 0;
	}
	if (hp) {
		if (v == VMM_DOORBELL_SEND)
			hp->doorbell_rings++;
		else
			hp->doorbell_dropped++;
	}
	spin_unlock(&vmm_db_lock);
	return v;
}
