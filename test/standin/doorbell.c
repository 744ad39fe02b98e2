// SPDX-License-Identifier: GPL-2.0
/*
 * The doorbell the stand-in offers Cove, as the module offers one
 * (cove_doorbell.c): a vector and the stand-in's own APIC ID in the host
 * page. Cove rings it after publishing a long call or changing its state;
 * the protection layer lets a ring out only if one of those moved, and
 * calls an endless run of empty rings a storm. The stand-in still polls
 * (a ring never carries data), so a ring only counts: the count is what an
 * unguarded storm costs the host's core.
 */
#include "standin.h"
#include "x86.h"

#define SPURIOUS_VECTOR 0xff	/* cpu.c's apic_init sets it in the SVR */

static volatile uint32_t rings;

/* Called by doorbell_entry (head.asm) with interrupts off. */
void doorbell_irq(void)
{
	rings++;
	apic_eoi();
}

/*
 * Before the first core starts: the gates, then the host page's doorbell
 * fields, then interrupts on. The legacy PICs are masked first: GRUB may
 * leave the timer unmasked, and its vector has no gate here.
 */
void doorbell_arm(struct cove_host_page *h)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	idt_set_gate(LC_DOORBELL_VECTOR, doorbell_entry);
	idt_set_gate(SPURIOUS_VECTOR, spurious_entry);
	h->lc_doorbell_apic_id = apic_self_id();
	__atomic_store_n(&h->lc_doorbell_vector, LC_DOORBELL_VECTOR, __ATOMIC_RELEASE);
	__asm__ volatile("sti" ::: "memory");
}

/* Once every core is stopped again: no more rings are wanted. */
void doorbell_disarm(void)
{
	__asm__ volatile("cli" ::: "memory");
}

uint32_t doorbell_count(void)
{
	return __atomic_load_n(&rings, __ATOMIC_ACQUIRE);
}
