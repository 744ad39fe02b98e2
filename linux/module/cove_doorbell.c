// SPDX-License-Identifier: GPL-2.0
/*
 * The Cove -> host doorbell: one interrupt of Linux's own, taken from the
 * x86 vector domain like any device's and pinned to CPU 0 (which Linux
 * never takes offline), whose vector and APIC ID each enclave finds in its
 * host page. Cove rings it after publishing a long call; the poll threads
 * wake at once instead of on their next tick. Without it (the allocation
 * failed, or an image that does not ring) everything still works by polling.
 */
#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/wait.h>
#include <asm/irqdomain.h>
#include "cove.h"

static bool doorbell = true;
module_param(doorbell, bool, 0444);
MODULE_PARM_DESC(doorbell, "let Cove interrupt Linux for long calls (0: poll only)");

/* Set up by cove_doorbell_init before any enclave exists; read-only after. */
static int cove_db_irq = -1;
static u32 cove_db_apic_id, cove_db_vector;

/* Rings so far; a poll thread compares it with the count it last saw. */
static atomic_t cove_db_rings = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(cove_db_wq);

static irqreturn_t cove_doorbell_irq(int irq, void *unused)
{
	atomic_inc(&cove_db_rings);
	wake_up_all(&cove_db_wq);
	return IRQ_HANDLED;
}

void cove_doorbell_init(void)
{
	struct irq_alloc_info info;
	struct irq_cfg *cfg;
	int irq, err;

	if (!doorbell) {
		pr_info("cove: no doorbell (doorbell=0); long calls are polled\n");
		return;
	}
	memset(&info, 0, sizeof(info));
	info.mask = cpumask_of(0);
	irq = __irq_domain_alloc_irqs(x86_vector_domain, -1, 1, NUMA_NO_NODE, &info, false,
				      NULL);
	if (irq < 0) {
		pr_warn("cove: no interrupt for the doorbell (%d); long calls are polled\n", irq);
		return;
	}
	irq_set_handler(irq, handle_edge_irq);
	err = request_irq(irq, cove_doorbell_irq, IRQF_NOBALANCING, "cove-doorbell", NULL);
	if (!err)
		err = irq_set_affinity(irq, cpumask_of(0));
	cfg = err ? NULL : irqd_cfg(irq_get_irq_data(irq));
	if (!cfg || !cfg->vector) {
		pr_warn("cove: the doorbell interrupt has no vector (%d); long calls are polled\n",
			err);
		if (!err)
			free_irq(irq, NULL);
		irq_dispose_mapping(irq);
		return;
	}
	/* Physical destination: right whatever logical mode Linux's APIC driver uses. */
	cove_db_apic_id = cove_apic_id(0);
	cove_db_vector = cfg->vector;
	cove_db_irq = irq;
	pr_info("cove: doorbell is irq %d, vector %#x on APIC ID %u\n", irq, cove_db_vector,
		cove_db_apic_id);
}

void cove_doorbell_exit(void)
{
	if (cove_db_irq < 0)
		return;
	free_irq(cove_db_irq, NULL);
	irq_dispose_mapping(cove_db_irq);
	cove_db_irq = -1;
}

void cove_doorbell_publish(struct cove_host_page *h)
{
	WRITE_ONCE(h->lc_doorbell_vector, cove_db_irq < 0 ? 0 : cove_db_vector);
	WRITE_ONCE(h->lc_doorbell_apic_id, cove_db_apic_id);
}

bool cove_doorbell_present(void)
{
	return cove_db_irq >= 0;
}

int cove_doorbell_wait(int *seen, unsigned int timeout_ms)
{
	int now;

	wait_event_interruptible_timeout(cove_db_wq,
					 atomic_read(&cove_db_rings) != *seen || kthread_should_stop(),
					 msecs_to_jiffies(timeout_ms));
	now = atomic_read(&cove_db_rings);
	if (now == *seen)
		return 0;
	*seen = now;
	return 1;
}
