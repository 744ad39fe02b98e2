// SPDX-License-Identifier: GPL-2.0
/*
 * LAPIC timer and TSC calibration against PIT channel 2, which exists on
 * every PC platform and needs no interrupt: we poll its output bit.
 */
#include <cove/arch.h>
#include <cove/errno.h>
#include <cove/kprintf.h>
#include <cove/timer.h>
#include <arch/lapic.h>
#include <arch/platform.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define CALIBRATE_MS 10
#define APIC_TIMER_DIV_16 0x3

/* Measured once by the boot CPU; read-only afterwards. */
static uint64_t apic_ticks_per_ms;
static uint64_t tsc_per_ms;

static void pit_wait_ms(uint32_t ms)
{
	uint32_t count = PIT_HZ * ms / 1000;
	uint8_t gate = inb(PIT_GATE);

	outb(PIT_GATE, (gate & ~0x02) | 0x01);	/* speaker off, gate on */
	outb(PIT_CMD, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	/* Re-trigger the gate so counting starts now. */
	gate = inb(PIT_GATE);
	outb(PIT_GATE, gate & ~0x01);
	outb(PIT_GATE, gate | 0x01);
	while (!(inb(PIT_GATE) & 0x20))
		__builtin_ia32_pause();
}

static void apic_timer_irq(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();
	timer_interrupt();
}

int arch_timer_calibrate(void)
{
	uint64_t t0, t1;
	uint32_t left;

	lapic_write(APIC_REG_TIMER_DIV, APIC_TIMER_DIV_16);
	lapic_write(APIC_REG_LVT_TIMER, 1U << 16);	/* masked while measuring */
	lapic_write(APIC_REG_TIMER_INIT, 0xffffffff);
	t0 = rdtsc();
	if (platform_tsc_khz) {
		/* The host's PIT is not ours to touch: its TSC figure is the clock. */
		while (rdtsc() - t0 < platform_tsc_khz * CALIBRATE_MS)
			__builtin_ia32_pause();
	} else {
		pit_wait_ms(CALIBRATE_MS);
	}
	t1 = rdtsc();
	left = lapic_read(APIC_REG_TIMER_CUR);
	lapic_write(APIC_REG_TIMER_INIT, 0);

	apic_ticks_per_ms = (0xffffffffULL - left) / CALIBRATE_MS;
	tsc_per_ms = (t1 - t0) / CALIBRATE_MS;
	if (!apic_ticks_per_ms || !tsc_per_ms)
		return -EIO;
	irq_register(VEC_TIMER, apic_timer_irq);
	return 0;
}

void arch_timer_oneshot(uint64_t ns)
{
	uint64_t count;

	if (!ns) {
		lapic_write(APIC_REG_TIMER_INIT, 0);
		return;
	}
	count = ns * apic_ticks_per_ms / 1000000;
	if (count == 0)
		count = 1;
	if (count > 0xffffffffULL)
		count = 0xffffffffULL;	/* fires early; the handler re-arms */
	lapic_write(APIC_REG_TIMER_DIV, APIC_TIMER_DIV_16);
	lapic_write(APIC_REG_LVT_TIMER, VEC_TIMER);	/* one-shot */
	lapic_write(APIC_REG_TIMER_INIT, (uint32_t)count);
}

uint64_t arch_timer_ticks_per_ms(void)
{
	return apic_ticks_per_ms;
}

uint64_t arch_random_seed(void)
{
	uint32_t a, b, c, d;
	uint64_t v = 0;
	uint8_t ok = 0;

	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1U << 30))
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
	return ok ? v : 0;
}

uint64_t arch_cycles(void)
{
	return rdtsc();
}

uint64_t arch_cycles_per_ms(void)
{
	/* Before calibration, assume a slow 1 GHz so timeouts err long. */
	return tsc_per_ms ? tsc_per_ms : 1000000;
}

void arch_delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + us * arch_cycles_per_ms() / 1000;

	while (rdtsc() < end)
		__builtin_ia32_pause();
}
