/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XEMEM inside the kernel (kernel/xemem.c): what the rest of the kernel
 * tells it. The calls user programs make are in <cove/xemem_user.h>.
 */
#ifndef COVE_XEMEM_H
#define COVE_XEMEM_H

#include <cove/types.h>

struct process;

/*
 * The last thread of p is gone: its exported segments are withdrawn from
 * the host (and their memory freed once the host let go), its attachments
 * dropped.
 */
void xemem_process_exit(struct process *p);
/*
 * The host withdrew its offer in slot (COVE_CTL_XEMEM_REVOKE): every
 * process loses the mapping, then the nested tables do. 0 or -errno.
 */
int xemem_host_revoke(uint32_t slot, uint64_t key);

#endif /* COVE_XEMEM_H */
