/* SPDX-License-Identifier: GPL-2.0 */
/* Local APIC, in x2APIC mode when the CPU has it, xAPIC (MMIO) otherwise. */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <cove/types.h>

#define APIC_ICR_INIT (5U << 8)
#define APIC_ICR_STARTUP (6U << 8)
#define APIC_ICR_NMI (4U << 8)
#define APIC_ICR_FIXED (0U << 8)
#define APIC_ICR_LEVEL_ASSERT (1U << 14)
#define APIC_ICR_TRIGGER_LEVEL (1U << 15)
#define APIC_ICR_PENDING (1U << 12)	/* xAPIC: the last IPI is still being sent */

/* Boot CPU: pick the mode, map the registers. lapic_phys from ACPI MADT. */
int lapic_init_boot(uint64_t lapic_phys);
/* Every CPU: enable its own LAPIC in the chosen mode. */
void lapic_init_cpu(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);
bool lapic_is_x2apic(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
/*
 * This core's xAPIC writes go to write from now on (for the ICR, value is
 * the destination APIC ID << 32 | the low word). Whoever makes the MMIO
 * page read-only to the core sets it, on the core, before its next write.
 */
void lapic_set_write_hook(void (*write)(uint32_t reg, uint64_t value));

#define APIC_REG_ID 0x20
#define APIC_REG_VERSION 0x30
#define APIC_REG_TPR 0x80
#define APIC_REG_EOI 0xb0
#define APIC_REG_SVR 0xf0
#define APIC_REG_ISR 0x100		/* 8 words, 0x10 apart: vectors in service */
#define APIC_REG_IRR 0x200		/* likewise: vectors pending */
#define APIC_REG_ESR 0x280
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_LVT_LINT0 0x350
#define APIC_REG_LVT_LINT1 0x360
#define APIC_REG_LVT_ERROR 0x370
#define APIC_REG_TIMER_INIT 0x380
#define APIC_REG_TIMER_CUR 0x390
#define APIC_REG_TIMER_DIV 0x3e0
#define APIC_REG_ICR_LOW 0x300		/* x2APIC: the whole ICR, MSR 0x830 */
#define APIC_REG_ICR_HIGH 0x310

#endif /* ARCH_LAPIC_H */
