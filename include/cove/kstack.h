/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel stacks with an unmapped guard page below each, so an overflow is a
 * fault with a report (the double-fault handler runs on its own stack)
 * instead of silent corruption of whatever lies below.
 */
#ifndef COVE_KSTACK_H
#define COVE_KSTACK_H

#include <cove/types.h>

/* A new stack of at least CONFIG_KSTACK_SIZE bytes; returns its top, or 0. */
uint64_t kstack_alloc(void);
/* Give back a stack from kstack_alloc (its guard page is mapped again). */
void kstack_free(uint64_t top);
/* Note a guard page made elsewhere (the boot stack's). */
void kstack_register_guard(uint64_t va);
/* True if addr lies in a guard page: a fault there is a stack overflow. */
bool kstack_is_guard(uint64_t addr);

#endif /* COVE_KSTACK_H */
