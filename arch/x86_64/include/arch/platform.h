/* SPDX-License-Identifier: GPL-2.0 */
/* Facts about the PC platform found while booting, used after it. */
#ifndef ARCH_PLATFORM_H
#define ARCH_PLATFORM_H

#include <cove/types.h>
#include <arch/x86.h>

struct percpu;

/*
 * End an emulated run with a status: QEMU's isa-debug-exit makes it the
 * exit code ((status << 1) | 1), Bochs stops on its shutdown word. Inline,
 * so the protection layer (which may not call the kernel) has it too.
 */
static inline void platform_emulator_exit(int status)
{
	outl(0xf4, (uint32_t)status);
	for (const char *s = "Shutdown"; *s; s++)
		outb(0x8900, (uint8_t)*s);
}

struct platform_power {
	bool emulator;			/* QEMU/Bochs: debug-exit ports exist */
	bool s5_valid;
	uint16_t pm1a_cnt, pm1b_cnt;
	uint16_t slp_typa, slp_typb;
};

extern struct platform_power platform_power;
/* Physical LAPIC base from the MADT (0 = use the MSR). */
extern uint64_t platform_lapic_phys;
/* Set once the boot CPU's LAPIC works, so panics can send NMIs. */
extern bool platform_lapic_ready;
/* Legacy PICs present (MADT PCAT_COMPAT): they must be masked. */
extern bool platform_has_8259;
/*
 * Co-kernel: the host measured the TSC and read the clock; 0 = calibrate
 * against the PIT and read the RTC ourselves (bare mode: the ports are ours).
 */
extern uint64_t platform_tsc_khz;
extern uint64_t platform_epoch_s;

void pic_disable(void);
void cpu_init_self(struct percpu *p);

#endif /* ARCH_PLATFORM_H */
