// SPDX-License-Identifier: GPL-2.0
/* Monotonic time from the CPU counter; wall time anchored at boot. */
#include <cove/arch.h>
#include <cove/timer.h>

/* Set once on the boot CPU by time_init(); read-only afterwards. */
static uint64_t time_epoch_at_boot;
static uint64_t time_cycles_at_boot;

void time_init(void)
{
	time_cycles_at_boot = arch_cycles();
	time_epoch_at_boot = arch_read_rtc_epoch();
}

uint64_t time_now_ns(void)
{
	uint64_t c = arch_cycles() - time_cycles_at_boot, per_ms = arch_cycles_per_ms();

	/* Split so nothing overflows and no 128-bit division (no libgcc) is needed. */
	return (c / per_ms) * NSEC_PER_MSEC + (c % per_ms) * NSEC_PER_MSEC / per_ms;
}

uint64_t time_boot_epoch(void)
{
	return time_epoch_at_boot;
}
