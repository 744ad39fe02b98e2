/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The time page (Linux's "vvar") every job maps read-only just below its
 * vDSO: what the vDSO needs to tell the time without entering the kernel.
 * Written by the kernel (kernel/vdso.c), read by arch/x86_64/vdso/vdso.c,
 * which is built on its own as a shared object: this header must stay
 * free of anything but the freestanding types.
 *
 * Cove's clocks are one TSC read scaled by one calibration, never slewed,
 * so the page is filled once at boot. seq is there for the day a value
 * changes under a reader (odd while the kernel writes): readers retry.
 */
#ifndef COVE_VDSO_DATA_H
#define COVE_VDSO_DATA_H

#include <cove/types.h>

/* Where a job finds them: above its stack, inside the window a host proxy mirrors. */
#define VDSO_VVAR_ADDR 0x00000ffffff40000ULL
#define VDSO_TEXT_ADDR (VDSO_VVAR_ADDR + 4096)
/* The vDSO image is linked to fit in this many bytes (the build checks it). */
#define VDSO_TEXT_MAX (4 * 4096ULL)

/* flags: getcpu may use RDTSCP, whose TSC_AUX holds cpu | node << 12. */
#define VDSO_F_RDTSCP 1u

struct vdso_data {
	volatile uint32_t seq;
	uint32_t flags;
	uint64_t cycles_at_boot;	/* the TSC when the monotonic clock read 0 */
	uint64_t cycles_per_ms;
	uint64_t epoch_at_boot;		/* CLOCK_REALTIME seconds at that moment */
};

/*
 * Nanoseconds in c TSC cycles: the one formula of kernel and vDSO, so both
 * paths give the same instant. Split so nothing overflows and no 128-bit
 * division (no libgcc on either side) is needed.
 */
static inline uint64_t vdso_cycles_to_ns(uint64_t c, uint64_t per_ms)
{
	return (c / per_ms) * 1000000ULL + (c % per_ms) * 1000000ULL / per_ms;
}

#endif /* COVE_VDSO_DATA_H */
