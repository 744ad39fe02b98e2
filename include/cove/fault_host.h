/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only faults against the host's side of the shared channels
 * (kernel/debug/fault_host.c), run by fault_inject_run in a job's context.
 */
#ifndef COVE_FAULT_HOST_H
#define COVE_FAULT_HOST_H

#include <cove/types.h>

void fault_chan_scribble(void);
void fault_lc_flood(void);
void fault_doorbell_storm(void);
void fault_hang(void) __noreturn;
void fault_panic(void) __noreturn;

#endif /* COVE_FAULT_HOST_H */
