/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vDSO and its time page (cove/vdso_data.h), made once at boot and
 * mapped into every job at exec: the time calls then cost no trap.
 */
#ifndef COVE_VDSO_H
#define COVE_VDSO_H

#include <cove/types.h>

struct aspace;

/* After the clock is calibrated (time_init) and memory is up: 0 or -ENOMEM. */
int vdso_init(void);
/*
 * Map the time page and the vDSO into a new address space at their fixed
 * addresses: 0, or an aspace error. 0 and nothing mapped when vdso_init
 * did not succeed (the libcs then make the system calls).
 */
int vdso_map(struct aspace *as);
/* AT_SYSINFO_EHDR for a new process: the vDSO's address, or 0 for none. */
uint64_t vdso_base(void);

#endif /* COVE_VDSO_H */
