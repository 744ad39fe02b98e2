// SPDX-License-Identifier: GPL-2.0
/*
 * The co-kernel's channels to its host (include/cove/pisces_abi.h): the
 * control channel the host fills and rings, and the long-call channel this
 * kernel fills and the host polls. Every field the host wrote is checked
 * before use; the host is trusted to be correct, never to be careful.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/pisces_abi.h>
#include <cove/sched.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>

#include "host_pisces.h"

#define HOST_MAX_SLOTS 64
/*
 * A thread waiting for the host spins this long, then sleeps until the
 * host's answer rings the doorbell: a quick call (getuid, a short read)
 * is answered within it, while one the host holds (a PMI read, an
 * epoll_wait) no longer keeps a core busy -- under emulation, taking
 * host time from the very Linux that serves it.
 */
#define HOST_LC_SPIN_NS 100000ULL
/* A sleep's longest stretch: a doorbell that never comes costs at most this. */
#define HOST_LC_SLEEP_NS 20000000ULL

struct host_chan {
	struct cove_chan *hdr;
	uint8_t *slots;
	uint32_t nr_slots;
	uint32_t slot_size;
};

/* Set once by host_init on the boot CPU; read-only afterwards. */
static struct host_chan host_ctl, host_lc;
static volatile uint32_t *host_state_word;
static volatile uint32_t *host_heartbeat_word;
static const struct cove_host_page *host_page;	/* read-only to this kernel */
static bool host_ready;
/* A Pisces host without Cove's extension: its control buffer, no long calls. */
static bool host_pisces;
/* Set once by host_set_handlers on the boot CPU, before host_init arms the doorbell. */
static const struct host_handlers *host_handlers;

/* Long-call slots this kernel holds; under host_lc_lock. */
static spinlock_t host_lc_lock = SPINLOCK_INIT;
static bool host_lc_held[HOST_MAX_SLOTS];
static bool host_lc_posted[HOST_MAX_SLOTS];	/* nobody waits: free once done */
static uint64_t host_lc_seq[HOST_MAX_SLOTS];	/* the seq each held slot waits for */
static struct task *host_lc_sleeper[HOST_MAX_SLOTS];	/* asleep until it is answered */

static int host_chan_map(struct host_chan *c, const struct boot_range *r, const char *what)
{
	struct cove_chan *h = phys_to_virt(r->base);

	if (r->size < COVE_CHAN_HDR || h->magic != COVE_CHAN_MAGIC || !h->nr_slots ||
	    h->nr_slots > HOST_MAX_SLOTS || (h->nr_slots & (h->nr_slots - 1)) ||
	    h->slot_size < sizeof(struct cove_msg) + 256 || h->slot_size % 8 ||
	    (uint64_t)h->nr_slots * h->slot_size > r->size - COVE_CHAN_HDR) {
		pr_err("host: the %s channel is malformed\n", what);
		return -EINVAL;
	}
	c->hdr = h;
	c->slots = (uint8_t *)h + COVE_CHAN_HDR;
	c->nr_slots = h->nr_slots;
	c->slot_size = h->slot_size;
	return 0;
}

static struct cove_msg *host_slot(const struct host_chan *c, uint64_t n)
{
	return (struct cove_msg *)(c->slots + (n & (c->nr_slots - 1)) * c->slot_size);
}

static uint32_t host_payload_cap(const struct host_chan *c)
{
	return c->slot_size - (uint32_t)sizeof(struct cove_msg);
}

/* The host reads it to tell a busy kernel from a hung one. */
static void host_heartbeat(void)
{
	if (host_heartbeat_word)
		__atomic_fetch_add(host_heartbeat_word, 1, __ATOMIC_RELAXED);
}

void host_set_handlers(const struct host_handlers *h)
{
	host_handlers = h;
}

/* The doorbell (boot CPU): wake the threads whose calls the host answered. */
static void host_lc_wake_answered(void)
{
	unsigned long flags = spin_lock_irqsave(&host_lc_lock);

	for (uint32_t i = 0; host_ready && i < host_lc.nr_slots; i++) {
		struct task *t = host_lc_sleeper[i];

		if (t && __atomic_load_n(&host_slot(&host_lc, i)->done, __ATOMIC_ACQUIRE) ==
			 host_lc_seq[i]) {
			host_lc_sleeper[i] = NULL;
			sched_wake(t, 0);
		}
	}
	spin_unlock_irqrestore(&host_lc_lock, flags);
}

static void host_doorbell(void)
{
	host_heartbeat();
	host_lc_wake_answered();
	if (host_handlers)
		host_handlers->doorbell();
}

/* No handler: nobody serves requests, and each says so to the host. */
static int32_t host_control(uint32_t op, const uint64_t arg[6], uint32_t job, char *payload,
			    uint32_t *len, uint32_t cap)
{
	if (host_handlers)
		return host_handlers->control(op, arg, job, payload, len, cap);
	*len = 0;
	return -ENOSYS;
}

int host_init(const struct boot_info *bi)
{
	if (!(bi->flags & BOOT_FLAG_COKERNEL))
		return 0;
	if (bi->host_channels == COVE_CHANNELS_PISCES) {
		if (host_pisces_init(bi, host_doorbell))
			return -EINVAL;
		host_pisces = true;
		return 0;
	}
	host_state_word = phys_to_virt(bi->host_state);
	host_heartbeat_word = phys_to_virt(bi->host_heartbeat);
	host_page = kmap_mmio(bi->host_page, PAGE_SIZE);
	if (!host_page)
		return -ENOMEM;
	if (host_chan_map(&host_ctl, &bi->control_chan, "control") ||
	    host_chan_map(&host_lc, &bi->longcall_chan, "long-call"))
		return -EINVAL;
	if (arch_doorbell_init(bi->doorbell_vector, host_doorbell)) {
		pr_err("host: doorbell vector %#x is not one this kernel can give\n",
		       bi->doorbell_vector);
		return -EINVAL;
	}
	host_ready = true;
	return 0;
}

void host_refresh_grants(struct boot_info *bi)
{
	if (host_page)
		bi->nr_granted = host_page_grants(host_page, bi->granted, BOOT_MAX_MEM_RANGES);
}

const struct cove_host_page *host_page_view(void)
{
	return host_page;
}

bool host_present(void)
{
	return host_ready;
}

/*
 * Tell the host a long call is waiting, if it gave us a doorbell (else it
 * polls). Read each time: the host page is the host's to change.
 */
static void host_ring(void)
{
	uint32_t vector;

	if (!host_page)
		return;
	vector = __atomic_load_n(&host_page->lc_doorbell_vector, __ATOMIC_ACQUIRE);
	if (vector >= 0x20 && vector <= 0xff)
		arch_ring_host(__atomic_load_n(&host_page->lc_doorbell_apic_id, __ATOMIC_RELAXED),
			       vector);
}

void host_set_state(uint32_t state, uint32_t exit_status)
{
	if (host_pisces)
		host_pisces_set_up(state == COVE_STATE_READY);
	if (!host_state_word)
		return;
	host_state_word[1] = exit_status;
	__atomic_store_n(&host_state_word[0], state, __ATOMIC_RELEASE);
	host_ring();	/* the host learns of a stop or a panic at once */
}

uint32_t host_call_payload_max(void)
{
	return host_ready ? host_payload_cap(&host_lc) : 0;
}

/* Whether long-call slot idx may take a new call: unheld, or a post the host answered. */
static bool host_lc_slot_free(uint32_t idx)
{
	struct cove_msg *m = host_slot(&host_lc, idx);

	return !host_lc_held[idx] ||
	       (host_lc_posted[idx] && __atomic_load_n(&m->done, __ATOMIC_ACQUIRE) == m->seq);
}

/* Whether some slot of the long-call ring is free for a new call (lock held). */
static bool host_lc_any_free(void)
{
	for (uint32_t i = 0; i < host_lc.nr_slots; i++) {
		if (host_lc_slot_free(i))
			return true;
	}
	return false;
}

/*
 * Fill a free slot and publish it; returns the slot index and its seq.
 * Slots go in turn, but one still held by a call the host is serving (a
 * read that waits for data, an epoll_wait) is skipped: head moves past it
 * unwritten, which the host recognises (the slot holds a request it took
 * already) and steps over. Without that, one long call stalled every call
 * of the enclave as soon as the ring came round to it. A slot is skipped
 * only once the host has taken what it holds, so head never runs more
 * than a ring ahead of the host's tail.
 */
/*
 * Said once per boot when a call has waited long for a slot: every slot
 * is held by calls the host is still serving (each blocked reader or
 * poller holds one), and a core waiting here with interrupts off looks
 * hung to the host. Written only by the first waiter to see it.
 */
static bool host_lc_full_said;

static void host_lc_say_full(uint64_t head)
{
	uint32_t held = 0;

	if (__atomic_exchange_n(&host_lc_full_said, true, __ATOMIC_RELAXED))
		return;
	for (uint32_t i = 0; i < host_lc.nr_slots; i++)
		held += host_lc_held[i];
	pr_err("host: no long-call slot free for 2 s: %u of %u held (head %llu, tail %llu, "
	       "interrupts %s)\n", held, host_lc.nr_slots, (unsigned long long)head,
	       (unsigned long long)__atomic_load_n(&host_lc.hdr->tail, __ATOMIC_ACQUIRE),
	       arch_irqs_on() ? "on" : "off");
}

static int host_lc_publish(const struct host_call *c, bool posted, uint64_t *seq)
{
	uint64_t waited_since = 0;

	if (!host_ready)
		return -ENODEV;
	if (c->in_len > host_payload_cap(&host_lc))
		return -E2BIG;
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&host_lc_lock);
		uint64_t head = host_lc.hdr->head;
		uint32_t idx = (uint32_t)(head & (host_lc.nr_slots - 1));
		struct cove_msg *m = host_slot(&host_lc, head);

		if (host_lc_slot_free(idx)) {
			host_lc_held[idx] = true;
			host_lc_posted[idx] = posted;
			host_lc_seq[idx] = head + 1;
			m->done = 0;
			m->seq = head + 1;
			m->op = c->op;
			m->job = c->job;
			m->result = 0;
			m->len = c->in_len;
			memcpy(m->arg, c->arg, sizeof(m->arg));
			if (c->in_len)
				memcpy(m + 1, c->in, c->in_len);
			__atomic_store_n(&host_lc.hdr->head, head + 1, __ATOMIC_RELEASE);
			spin_unlock_irqrestore(&host_lc_lock, flags);
			host_ring();
			*seq = head + 1;
			return (int)idx;
		}
		if (head - __atomic_load_n(&host_lc.hdr->tail, __ATOMIC_ACQUIRE) < host_lc.nr_slots &&
		    host_lc_any_free()) {
			__atomic_store_n(&host_lc.hdr->head, head + 1, __ATOMIC_RELEASE);
			spin_unlock_irqrestore(&host_lc_lock, flags);
			continue;
		}
		spin_unlock_irqrestore(&host_lc_lock, flags);
		if (!waited_since)
			waited_since = time_now_ns();
		else if (time_now_ns() - waited_since > 2000000000ULL)
			host_lc_say_full(head);
		arch_cpu_relax();
	}
}

/*
 * Sleep until slot idx holds answer seq, the doorbell says so, a signal
 * comes (sched_wake with -EINTR) or HOST_LC_SLEEP_NS pass; the caller looks
 * again in any case.
 */
static void host_lc_sleep(uint32_t idx, uint64_t seq)
{
	struct task *self = task_current();
	unsigned long flags;

	/* Only a thread that may switch sleeps (as sched_yield_if_queued decides). */
	if (!arch_irqs_on() || self->is_idle)
		return;
	flags = spin_lock_irqsave(&host_lc_lock);
	if (__atomic_load_n(&host_slot(&host_lc, idx)->done, __ATOMIC_ACQUIRE) == seq) {
		spin_unlock_irqrestore(&host_lc_lock, flags);
		return;
	}
	host_lc_sleeper[idx] = self;
	self->wake_reason = 0;
	self->state = TASK_BLOCKED;
	sched_block_until(&host_lc_lock, flags, time_now_ns() + HOST_LC_SLEEP_NS);
	flags = spin_lock_irqsave(&host_lc_lock);
	if (host_lc_sleeper[idx] == self)
		host_lc_sleeper[idx] = NULL;
	spin_unlock_irqrestore(&host_lc_lock, flags);
}

int64_t host_call_cancellable(struct host_call *c, bool (*give_up)(void))
{
	uint64_t seq, spin_until = 0;
	int idx = host_lc_publish(c, false, &seq);
	struct cove_msg *m;
	unsigned long flags;
	int64_t result;

	if (idx < 0)
		return idx;
	/*
	 * The answer comes soon (rung) or on the host's tick. Spin for it,
	 * unless other threads wait for this core: a call the host may hold
	 * for long (epoll_wait, a blocking read) must not keep from running
	 * the very thread whose progress would end it, as an MPI runtime's
	 * progress thread on its rank's one core does. Only calls a thread
	 * makes for its own system call may switch (give_up): others come
	 * from kernel paths that may hold locks.
	 */
	m = host_slot(&host_lc, seq - 1);
	if (give_up)
		spin_until = time_now_ns() + HOST_LC_SPIN_NS;
	while (__atomic_load_n(&m->done, __ATOMIC_ACQUIRE) != seq) {
		if (give_up)
			sched_yield_if_queued();
		if (spin_until && time_now_ns() > spin_until)
			host_lc_sleep((uint32_t)idx, seq);
		if (give_up && give_up()) {
			struct host_call cancel = {
				.op = COVE_LC_CANCEL, .job = c->job, .arg = { seq },
			};

			give_up = NULL;		/* once: the host answers soon now */
			host_post(&cancel);
		}
		arch_cpu_relax();
	}
	result = m->result;
	memcpy(c->arg, m->arg, sizeof(c->arg));
	c->out_len = 0;
	if (result >= 0 && c->out) {
		c->out_len = MIN(MIN(m->len, host_payload_cap(&host_lc)), c->out_cap);
		memcpy(c->out, m + 1, c->out_len);
	}
	flags = spin_lock_irqsave(&host_lc_lock);
	host_lc_held[idx] = false;
	spin_unlock_irqrestore(&host_lc_lock, flags);
	return result;
}

int64_t host_call(struct host_call *c)
{
	return host_call_cancellable(c, NULL);
}

int host_post(struct host_call *c)
{
	uint64_t seq;
	int idx = host_lc_publish(c, true, &seq);

	return idx < 0 ? idx : 0;
}

bool host_control_urgent(void)
{
	struct cove_chan *h = host_ctl.hdr;
	uint32_t op;

	if (host_pisces)
		return host_pisces_urgent();
	if (!host_ready || __atomic_load_n(&h->head, __ATOMIC_ACQUIRE) == h->tail)
		return false;
	op = host_slot(&host_ctl, h->tail)->op;
	return op == COVE_CTL_KILL || op == COVE_CTL_SIGNAL || op == COVE_CTL_SHUTDOWN ||
	       op == COVE_CTL_LAUNCH || op == COVE_CTL_JOB_USAGE;
}

/* The boot CPU serves from idle and from the doorbell: never both at once. */
static volatile uint32_t host_serving;

bool host_serve_control(void)
{
	struct cove_chan *h = host_ctl.hdr;
	bool any = false;

	if ((!host_ready && !host_pisces) ||
	    __atomic_exchange_n(&host_serving, 1, __ATOMIC_ACQUIRE))
		return false;
	host_heartbeat();
	if (host_pisces) {
		while (host_pisces_serve(host_control))
			any = true;
		__atomic_store_n(&host_serving, 0, __ATOMIC_RELEASE);
		return any;
	}
	while (__atomic_load_n(&h->head, __ATOMIC_ACQUIRE) != h->tail) {
		struct cove_msg *m = host_slot(&host_ctl, h->tail);
		uint32_t cap = host_payload_cap(&host_ctl);
		char *payload = (char *)(m + 1);

		uint64_t args[6];
		uint32_t len = MIN(m->len, cap);	/* cut to its slot, never trusted */

		memcpy(args, m->arg, sizeof(args));
		m->result = host_control(m->op, args, m->job, payload, &len, cap);
		m->len = len;
		h->tail++;
		__atomic_store_n(&m->done, m->seq, __ATOMIC_RELEASE);
		any = true;
	}
	__atomic_store_n(&host_serving, 0, __ATOMIC_RELEASE);
	return any;
}
