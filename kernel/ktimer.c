// SPDX-License-Identifier: GPL-2.0
/* Per-CPU lists of one-shot kernel timers; see cove/ktimer.h. */
#include <cove/arch.h>
#include <cove/ktimer.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/spinlock.h>

struct ktimer_base {
	spinlock_t lock;
	struct ktimer *head;		/* armed timers, earliest first */
	struct ktimer *running;		/* whose function runs now (cancel waits) */
};

/* One per CPU; each under its own lock, taken inside a run queue's lock. */
static struct ktimer_base ktimer_bases[MAX_CPUS];

static void ktimer_unlink(struct ktimer_base *b, struct ktimer *kt)
{
	for (struct ktimer **pp = &b->head; *pp; pp = &(*pp)->next) {
		if (*pp == kt) {
			*pp = kt->next;
			break;
		}
	}
	kt->next = NULL;
	kt->armed = false;
}

/* Take kt off whatever list it is on; returns with no lock held. */
static void ktimer_disarm(struct ktimer *kt)
{
	for (;;) {
		uint32_t cpu = __atomic_load_n(&kt->cpu, __ATOMIC_ACQUIRE);
		struct ktimer_base *b = &ktimer_bases[cpu];
		unsigned long flags = spin_lock_irqsave(&b->lock);

		/* It may have moved while we took the lock: try its new CPU. */
		if (kt->cpu != cpu) {
			spin_unlock_irqrestore(&b->lock, flags);
			continue;
		}
		if (kt->armed)
			ktimer_unlink(b, kt);
		spin_unlock_irqrestore(&b->lock, flags);
		return;
	}
}

void ktimer_arm(struct ktimer *kt, uint64_t deadline_ns)
{
	struct ktimer_base *b;
	struct ktimer **pp;
	unsigned long flags;
	bool first;

	ktimer_disarm(kt);
	flags = arch_irq_save();
	b = &ktimer_bases[this_cpu_id()];
	spin_lock(&b->lock);
	kt->deadline = deadline_ns ? deadline_ns : 1;
	__atomic_store_n(&kt->cpu, this_cpu_id(), __ATOMIC_RELEASE);
	for (pp = &b->head; *pp && (*pp)->deadline <= kt->deadline; pp = &(*pp)->next)
		;
	kt->next = *pp;
	*pp = kt;
	kt->armed = true;
	first = b->head == kt;
	spin_unlock(&b->lock);
	/* A new earliest deadline: the local timer must fire sooner. */
	if (first)
		sched_timer_reprogram();
	arch_irq_restore(flags);
}

void ktimer_cancel(struct ktimer *kt)
{
	for (;;) {
		struct ktimer_base *b;
		unsigned long flags;
		bool running;

		ktimer_disarm(kt);
		b = &ktimer_bases[__atomic_load_n(&kt->cpu, __ATOMIC_ACQUIRE)];
		flags = spin_lock_irqsave(&b->lock);
		running = b->running == kt;
		/* Its function re-armed it after we looked: go round again. */
		if (!running && !kt->armed) {
			spin_unlock_irqrestore(&b->lock, flags);
			return;
		}
		spin_unlock_irqrestore(&b->lock, flags);
		arch_cpu_relax();
	}
}

uint64_t ktimer_deadline(struct ktimer *kt)
{
	for (;;) {
		uint32_t cpu = __atomic_load_n(&kt->cpu, __ATOMIC_ACQUIRE);
		struct ktimer_base *b = &ktimer_bases[cpu];
		unsigned long flags = spin_lock_irqsave(&b->lock);
		uint64_t d = kt->armed ? kt->deadline : 0;
		bool moved = kt->cpu != cpu;

		spin_unlock_irqrestore(&b->lock, flags);
		if (!moved)
			return d;
	}
}

uint64_t ktimer_next_deadline(uint32_t cpu)
{
	struct ktimer_base *b = &ktimer_bases[cpu];
	unsigned long flags = spin_lock_irqsave(&b->lock);
	uint64_t d = b->head ? b->head->deadline : 0;

	spin_unlock_irqrestore(&b->lock, flags);
	return d;
}

void ktimer_run_expired(uint64_t now)
{
	struct ktimer_base *b = &ktimer_bases[this_cpu_id()];

	for (;;) {
		struct ktimer *kt;

		spin_lock(&b->lock);
		kt = b->head;
		if (!kt || kt->deadline > now) {
			spin_unlock(&b->lock);
			return;
		}
		ktimer_unlink(b, kt);
		b->running = kt;
		spin_unlock(&b->lock);
		kt->fn(kt);
		spin_lock(&b->lock);
		b->running = NULL;
		spin_unlock(&b->lock);
	}
}
