/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time and per-CPU timer events. Cove is tickless: a CPU's local timer is
 * armed only when something on that CPU needs to happen at a given time
 * (a time slice ending while others wait, a sleeper's deadline).
 */
#ifndef COVE_TIMER_H
#define COVE_TIMER_H

#include <cove/types.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL

/* Boot CPU, once the counter is calibrated: anchor both clocks. */
void time_init(void);
/* Nanoseconds since boot, from the CPU's invariant counter. */
uint64_t time_now_ns(void);
/* Wall-clock seconds at boot (from the RTC), for CLOCK_REALTIME. */
uint64_t time_boot_epoch(void);
struct vdso_data;
/* Fill the vDSO's time page with what time_now_ns uses (cove/vdso_data.h). */
void time_vdso_fill(struct vdso_data *d);
/* Called by the architecture when this CPU's timer event fires. */
void timer_interrupt(void);

/* Architecture: measure the local timer on the boot CPU. */
int arch_timer_calibrate(void);
uint64_t arch_timer_ticks_per_ms(void);
/* Fire timer_interrupt() on this CPU once, ns from now; 0 disarms. */
void arch_timer_oneshot(uint64_t ns);
/* Seconds since 1970 from the platform clock, read once at boot. */
uint64_t arch_read_rtc_epoch(void);

#endif /* COVE_TIMER_H */
