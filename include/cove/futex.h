/* SPDX-License-Identifier: GPL-2.0 */
/* Futexes: the one primitive glibc, musl and libgomp build their locks on. */
#ifndef COVE_FUTEX_H
#define COVE_FUTEX_H

#include <cove/types.h>

struct process;

#define FUTEX_BITSET_ANY 0xffffffffU

/* Sleep if *uaddr == val, until woken or deadline_ns (0 = none). */
int futex_wait(struct process *p, uint64_t uaddr, uint32_t val, uint64_t deadline_ns,
	       uint32_t bitset);
/* Wake up to n waiters whose bitset intersects; returns how many. */
int futex_wake(struct process *p, uint64_t uaddr, int n);
int futex_wake_bitset(struct process *p, uint64_t uaddr, int n, uint32_t bitset);
/* Wake n on uaddr, move up to n2 more to uaddr2; check *uaddr == val if cmp. */
int futex_requeue(struct process *p, uint64_t uaddr, int n, uint64_t uaddr2, int n2, bool cmp,
		  uint32_t val);

#endif /* COVE_FUTEX_H */
