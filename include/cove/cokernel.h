/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Co-kernel mode: what this kernel does for its host once it is up (serve
 * the control channel, run the jobs the host launches, report their ends).
 * kernel/host/cokernel.c.
 */
#ifndef COVE_COKERNEL_H
#define COVE_COKERNEL_H

#include <cove/types.h>

struct boot_info;

/*
 * Boot CPU, first thing in co-kernel mode: register the host's doorbell
 * and control handlers with the channel driver, and how a run ends (the
 * host takes the cores back instead of a power-off).
 */
void cokernel_init(struct boot_info *bi);
/* After boot: tell the host we are ready and serve it forever. */
void cokernel_main(struct boot_info *bi) __noreturn;

#endif /* COVE_COKERNEL_H */
