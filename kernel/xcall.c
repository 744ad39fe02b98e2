// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-CPU calls. Each CPU has one mailbox; a sender owns it for the whole
 * call, so calls to one CPU are serialized and need no queue.
 */
#include <cove/arch.h>
#include <cove/errno.h>
#include <cove/percpu.h>
#include <cove/xcall.h>

/* Generous for emulators: TCG can be slow to schedule a vCPU. */
#define XCALL_TIMEOUT_MS 5000

int xcall_run(uint32_t cpu, xcall_fn fn, void *arg)
{
	struct percpu *t = percpu_of(cpu);
	struct xcall_slot *x;
	uint64_t deadline;
	int rc = 0;

	if (!t || !t->online)
		return -ENODEV;
	if (t == this_cpu()) {
		fn(arg);
		return 0;
	}

	x = &t->xcall;
	spin_lock(&x->lock);
	x->fn = fn;
	x->arg = arg;
	__atomic_store_n(&x->done, 0, __ATOMIC_RELEASE);
	arch_send_xcall_ipi(t->apic_id);

	deadline = arch_cycles() + XCALL_TIMEOUT_MS * arch_cycles_per_ms();
	while (!__atomic_load_n(&x->done, __ATOMIC_ACQUIRE)) {
		if (arch_cycles() > deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		arch_cpu_relax();
	}
	/* On timeout the slot is poisoned so a late handler does nothing. */
	x->fn = NULL;
	spin_unlock(&x->lock);
	return rc;
}

int xcall_run_all(xcall_fn fn, void *arg)
{
	int failures = 0;

	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct percpu *p = percpu_of(cpu);

		if (p && p->online && xcall_run(cpu, fn, arg))
			failures++;
	}
	return failures;
}

void xcall_handle(void)
{
	struct xcall_slot *x = &this_cpu()->xcall;
	xcall_fn fn = x->fn;

	if (fn) {
		fn(x->arg);
		x->nr_handled++;
	}
	__atomic_store_n(&x->done, 1, __ATOMIC_RELEASE);
}
