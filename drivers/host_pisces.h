/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Pisces host's control buffer (struct pisces_xbuf), served for
 * host_chan.c when the loader wrote no Cove extension.
 */
#ifndef DRIVERS_HOST_PISCES_H
#define DRIVERS_HOST_PISCES_H

#include <cove/types.h>

struct boot_info;

/* The vector Cove asks a Pisces host to ring it with (the xbuf's enclave_vector). */
#define HOST_PISCES_VECTOR 0xf2

/* What a control request becomes: host_chan.c's dispatcher. */
typedef int32_t (*host_pisces_control_fn)(uint32_t op, const uint64_t arg[6], uint32_t job,
					  char *payload, uint32_t *len, uint32_t cap);

/* Offer the control buffer (READY) and take the doorbell; 0 or -errno. */
int host_pisces_init(const struct boot_info *bi, void (*doorbell)(void));
/* A command is staged and not yet taken. */
bool host_pisces_pending(void);
/* Whether the staged command must not wait for idle (shutdown, launch). */
bool host_pisces_urgent(void);
/* Take, handle and answer the staged command, if any; true if there was one. */
bool host_pisces_serve(host_pisces_control_fn control);
/* Say "up" (or no longer) in the block's flags, as a Pisces enclave does. */
void host_pisces_set_up(bool up);

#endif /* DRIVERS_HOST_PISCES_H */
