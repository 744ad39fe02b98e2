/* SPDX-License-Identifier: GPL-2.0 */
/* Cross-CPU calls: run a function on another CPU and wait for it. */
#ifndef COVE_XCALL_H
#define COVE_XCALL_H

#include <cove/percpu.h>

/* 0 when fn(arg) has run on cpu; -ENODEV if offline, -ETIMEDOUT if stuck. */
int xcall_run(uint32_t cpu, xcall_fn fn, void *arg);
/* Run on every online CPU (including this one); returns failures. */
int xcall_run_all(xcall_fn fn, void *arg);
/* Called by the architecture's IPI handler on the target. */
void xcall_handle(void);

/* Architecture: raise the cross-call interrupt on a CPU. */
void arch_send_xcall_ipi(uint32_t apic_id);

#endif /* COVE_XCALL_H */
