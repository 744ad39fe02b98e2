// SPDX-License-Identifier: GPL-2.0
/*
 * The module's hang detection (cove_chan.c, cove_watch_heartbeat), for the
 * stand-in: Cove's boot core advances tail.heartbeat whenever it takes the
 * host's doorbell or serves control requests from idle. Once it stood
 * still for half of hang_ms the host rings that doorbell itself, so a busy
 * but healthy kernel answers; still nothing after hang_ms, and the enclave
 * is hung, and its boot core gets an NMI, as the module sends one, to show
 * where it is stuck. Called only while Cove says READY: before that, nothing
 * advances the heartbeat, and after STOPPED or PANIC there is no kernel to
 * answer.
 */
#include "standin.h"
#include "x86.h"

/* True once the enclave is hung (e->hung, said once). */
bool heartbeat_watch(struct enclave *e)
{
	/* One read: Cove writes the word while we look at it. */
	uint32_t hb = __atomic_load_n(&e->bp->tail.heartbeat, __ATOMIC_RELAXED);
	uint64_t quiet;

	if (e->hung)
		return true;
	if (hb != e->hb_seen || !e->hb_since || !e->hang_ms) {
		e->hb_seen = hb;
		e->hb_since = rdtsc();
		e->hb_probed = false;
		return false;
	}
	quiet = tsc_ms_since(e->hb_since);
	if (quiet >= e->hang_ms) {
		print("standin: hung: the kernel did not answer the host's doorbell for %lu ms "
		      "(heartbeat %u)\n", quiet, hb);
		/* As the module: an NMI makes the stuck core say where it is (serve_drain relays it). */
		print("standin: sending an NMI to the boot core (APIC ID %u)\n", e->apic_id);
		apic_send_nmi(e->apic_id);
		e->hung = true;
	} else if (!e->hb_probed && quiet >= e->hang_ms / 2) {
		e->hb_probed = true;
		print("standin: no heartbeat for %lu ms: ringing the enclave's doorbell\n", quiet);
		apic_send_fixed(e->apic_id, DOORBELL_VECTOR);
	}
	return e->hung;
}
