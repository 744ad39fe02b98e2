// SPDX-License-Identifier: GPL-2.0
/* Monotonic time from the CPU counter; wall time anchored at boot. */
#include <cove/arch.h>
#include <cove/timer.h>
#include <cove/vdso_data.h>

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
	/* The vDSO's very formula (cove/vdso_data.h), so both paths agree. */
	return vdso_cycles_to_ns(arch_cycles() - time_cycles_at_boot, arch_cycles_per_ms());
}

uint64_t time_boot_epoch(void)
{
	return time_epoch_at_boot;
}

void time_vdso_fill(struct vdso_data *d)
{
	d->cycles_at_boot = time_cycles_at_boot;
	d->cycles_per_ms = arch_cycles_per_ms();
	d->epoch_at_boot = time_epoch_at_boot;
}
