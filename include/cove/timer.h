/* SPDX-License-Identifier: GPL-2.0 */
/* The periodic per-CPU tick. */
#ifndef COVE_TIMER_H
#define COVE_TIMER_H

#include <cove/types.h>

/* Called by the architecture on every tick, on the CPU that took it. */
void timer_tick(void);

/* Architecture: measure the local timer (boot CPU), then start it per CPU. */
int arch_timer_calibrate(void);
void arch_timer_start(uint32_t hz);
uint64_t arch_timer_ticks_per_ms(void);

#endif /* COVE_TIMER_H */
