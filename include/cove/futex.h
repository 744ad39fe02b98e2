/* SPDX-License-Identifier: GPL-2.0 */
/* Futexes: the one primitive glibc, musl and libgomp build their locks on. */
#ifndef COVE_FUTEX_H
#define COVE_FUTEX_H

#include <cove/types.h>

struct process;
struct task;

#define FUTEX_BITSET_ANY 0xffffffffU

/*
 * What waiters and wakers meet on: (address space, user address) for a
 * private futex; (NULL, physical address | 1) for a shared one (no
 * FUTEX_PRIVATE_FLAG) whose word is in shared memory.
 */
struct futex_key {
	const void *space;
	uint64_t addr;
};

/* The key of uaddr in p; shared: the op lacks FUTEX_PRIVATE_FLAG. 0 or -EFAULT. */
int futex_key_of(struct process *p, uint64_t uaddr, bool shared, struct futex_key *k);
/* Sleep if *uaddr == val, until woken or deadline_ns (0 = none). */
int futex_wait(struct process *p, uint64_t uaddr, bool shared, uint32_t val,
	       uint64_t deadline_ns, uint32_t bitset);
/* Wake up to n waiters whose bitset intersects; returns how many. */
int futex_wake(struct process *p, uint64_t uaddr, bool shared, int n);
int futex_wake_bitset(struct process *p, uint64_t uaddr, bool shared, int n, uint32_t bitset);
/* Wake n on uaddr, move up to n2 more to uaddr2; check *uaddr == val if cmp. */
int futex_requeue(struct process *p, uint64_t uaddr, bool shared, int n, uint64_t uaddr2, int n2,
		  bool cmp, uint32_t val);
/*
 * t is exiting: every robust futex it holds (set_robust_list) gets
 * FUTEX_OWNER_DIED and one waiter woken, as Linux's exit does.
 */
void futex_exit_robust(struct task *t);

#endif /* COVE_FUTEX_H */
