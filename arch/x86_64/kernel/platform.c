// SPDX-License-Identifier: GPL-2.0
/* Interrupt delivery on the boot CPU: 8259s off, LAPIC on, timer measured. */
#include <cove/arch.h>
#include <cove/errno.h>
#include <cove/kprintf.h>
#include <cove/sched.h>
#include <cove/timer.h>
#include <cove/xcall.h>
#include <arch/lapic.h>
#include <arch/platform.h>
#include <arch/trap.h>
#include <generated/config.h>

/* Set by the boot path before arch_platform_init; read-only afterwards. */
uint64_t platform_lapic_phys;
bool platform_has_8259 = true;
uint64_t platform_tsc_khz;
uint64_t platform_epoch_s;
bool platform_lapic_ready;

static void xcall_irq(struct trap_frame *f)
{
	(void)f;
	xcall_handle();
	lapic_eoi();
}

static void resched_irq(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();
	sched_reschedule_ipi();
}

/* Set once by the co-kernel's host driver before the doorbell can ring. */
static void (*doorbell_fn)(void);

static void doorbell_irq(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();
	if (doorbell_fn)
		doorbell_fn();
}

int arch_doorbell_init(uint32_t vector, void (*fn)(void))
{
	/* Exceptions, the remapped PICs and vectors already taken are not ours. */
	if (vector < VEC_PIC_BASE + 16 || vector >= VEC_SPURIOUS || irq_handler_of((uint8_t)vector))
		return -EBUSY;
	doorbell_fn = fn;
	irq_register((uint8_t)vector, doorbell_irq);
	return 0;
}

void arch_ring_host(uint32_t apic_id, uint32_t vector)
{
	lapic_send_ipi(apic_id, APIC_ICR_FIXED | APIC_ICR_LEVEL_ASSERT | (vector & 0xff));
}

void arch_send_resched_ipi(uint32_t apic_id)
{
	lapic_send_ipi(apic_id, APIC_ICR_FIXED | APIC_ICR_LEVEL_ASSERT | VEC_RESCHED);
}

void arch_send_xcall_ipi(uint32_t apic_id)
{
	lapic_send_ipi(apic_id, APIC_ICR_FIXED | APIC_ICR_LEVEL_ASSERT | VEC_XCALL);
}

int arch_platform_init(void)
{
	int rc;

	if (platform_has_8259)
		pic_disable();
	rc = lapic_init_boot(platform_lapic_phys);
	if (rc) {
		pr_err("lapic: no usable local APIC (%d)\n", rc);
		return rc;
	}
	lapic_init_cpu();
	platform_lapic_ready = true;
	irq_register(VEC_XCALL, xcall_irq);
	irq_register(VEC_RESCHED, resched_irq);

	rc = arch_timer_calibrate();
	if (rc) {
		pr_err("timer: calibration failed (%d)\n", rc);
		return rc;
	}
	kprintf("lapic: %s mode, timer %lu ticks/ms, TSC %lu kHz\n",
		lapic_is_x2apic() ? "x2APIC" : "xAPIC", arch_timer_ticks_per_ms(),
		arch_cycles_per_ms());
	arch_irq_enable();
	return 0;
}
