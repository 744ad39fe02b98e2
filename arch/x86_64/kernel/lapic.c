// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC access. The mode is chosen once on the boot CPU and every CPU
 * follows it; x2APIC turns MMIO into MSRs and makes the ICR one write.
 */
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/options.h>
#include <cove/percpu.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_BASE_X2APIC (1ULL << 10)
#define X2APIC_MSR_BASE 0x800

/* Chosen by the boot CPU in lapic_init_boot, read-only afterwards. */
static bool lapic_x2apic;
static volatile uint32_t *lapic_mmio;

bool lapic_is_x2apic(void)
{
	return lapic_x2apic;
}

uint32_t lapic_read(uint32_t reg)
{
	if (lapic_x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return lapic_mmio[reg / 4];
}

void lapic_set_write_hook(void (*write)(uint32_t reg, uint64_t value))
{
	this_cpu()->arch.apic_write = write;
}

/* A core whose xAPIC page is read-only (guarded) writes through its hook. */
static bool lapic_via_hook(void)
{
	return !lapic_x2apic && this_cpu()->arch.apic_write;
}

void lapic_write(uint32_t reg, uint32_t v)
{
	if (lapic_x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else if (lapic_via_hook())
		this_cpu()->arch.apic_write(reg, v);
	else
		lapic_mmio[reg / 4] = v;
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(APIC_REG_ID);

	return lapic_x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_REG_EOI, 0);
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	if (lapic_x2apic) {
		wrmsr(X2APIC_MSR_BASE + (APIC_REG_ICR_LOW >> 4), ((uint64_t)apic_id << 32) | icr_low);
		return;
	}
	if (lapic_via_hook()) {
		this_cpu()->arch.apic_write(APIC_REG_ICR_LOW,
					    (uint64_t)apic_id << 32 | icr_low);
		return;
	}
	while (lapic_mmio[APIC_REG_ICR_LOW / 4] & APIC_ICR_PENDING)
		__builtin_ia32_pause();
	lapic_mmio[APIC_REG_ICR_HIGH / 4] = apic_id << 24;
	lapic_mmio[APIC_REG_ICR_LOW / 4] = icr_low;
}

static void lapic_spurious(struct trap_frame *f)
{
	(void)f;	/* no EOI for spurious interrupts */
}

int lapic_init_boot(uint64_t lapic_phys)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & (1U << 9)))
		return -ENODEV;
	lapic_x2apic = (c & (1U << 21)) && !kernel_options.nox2apic;
	if (!lapic_x2apic) {
		if (!lapic_phys)
			lapic_phys = rdmsr(MSR_APIC_BASE) & ~0xfffULL;
		lapic_mmio = kmap_mmio(lapic_phys, 4096);
		if (!lapic_mmio)
			return -ENOMEM;
	}
	irq_register(VEC_SPURIOUS, lapic_spurious);
	return 0;
}

void lapic_init_cpu(void)
{
	uint64_t old = rdmsr(MSR_APIC_BASE), base = old | APIC_BASE_ENABLE;

	if (lapic_x2apic)
		base |= APIC_BASE_X2APIC;
	/* A core the layer started is its guest already, and the layer refuses this write. */
	if (base != old)
		wrmsr(MSR_APIC_BASE, base);

	lapic_write(APIC_REG_TPR, 0);
	lapic_write(APIC_REG_LVT_LINT0, 1U << 16);	/* masked: no ExtINT */
	lapic_write(APIC_REG_LVT_LINT1, 1U << 16);
	lapic_write(APIC_REG_LVT_ERROR, 1U << 16);
	lapic_write(APIC_REG_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(APIC_REG_ESR, 0);
	lapic_eoi();
}
