// SPDX-License-Identifier: GPL-2.0
/*
 * Robust futexes: at a thread's end, every lock on its robust list
 * (set_robust_list; glibc keeps the robust mutexes a thread holds there)
 * is marked FUTEX_OWNER_DIED and one waiter woken, so the next locker of a
 * PTHREAD_MUTEX_ROBUST mutex whose holder died gets EOWNERDEAD instead of
 * waiting forever. The list is user memory: every word is read through
 * the address space (a bad pointer ends the walk), and the walk stops
 * after ROBUST_LIST_LIMIT entries, as Linux's, so a corrupt or circular
 * list can neither fault the kernel nor hold the exit.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/futex.h>
#include <cove/task.h>

#define ROBUST_LIST_LIMIT 2048
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

/* Linux's struct robust_list_head (24 bytes, what set_robust_list takes). */
struct robust_head {
	uint64_t next;			/* first entry; the head itself ends the list */
	int64_t futex_offset;		/* from an entry to its lock word */
	uint64_t list_op_pending;	/* an entry being added or removed, or 0 */
};

/*
 * The lock word at uaddr of an exiting thread tid: if it holds the lock,
 * mark the owner dead and wake a waiter. pending: the entry was being
 * locked or unlocked when the thread died (a free word then still gets a
 * wake, as Linux gives it: the waker may have died between unlock and wake).
 * pi locks are not Cove's (no FUTEX_LOCK_PI): left alone.
 */
static void futex_owner_died(struct process *p, uint32_t tid, uint64_t uaddr, bool pi,
			     bool pending)
{
	uint32_t val;

	if ((uaddr & 3) || pi || aspace_read(p->as, uaddr, &val, sizeof(val)))
		return;
	for (int tries = 0; tries < 16; tries++) {
		uint32_t want;

		if (pending && !val) {
			futex_wake(p, uaddr, true, 1);
			return;
		}
		if ((val & FUTEX_TID_MASK) != tid)
			return;
		want = (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		switch (aspace_cmpxchg_u32(p->as, uaddr, &val, want)) {
		case 0:
			if (val & FUTEX_WAITERS)
				futex_wake(p, uaddr, true, 1);
			return;
		case -EAGAIN:
			continue;	/* a waiter set FUTEX_WAITERS meanwhile: again */
		default:
			return;
		}
	}
}

void futex_exit_robust(struct task *t)
{
	struct process *p = t->proc;
	struct robust_head head;
	uint64_t entry, next;
	int limit = ROBUST_LIST_LIMIT;

	if (!t->robust_list || !p || !p->as)
		return;
	if (aspace_read(p->as, t->robust_list, &head, sizeof(head)))
		return;
	entry = head.next;
	while (entry != t->robust_list && limit--) {
		/* Bit 0 of a link marks a PI lock; the link itself is the entry's first word. */
		bool bad = aspace_read(p->as, entry & ~1ULL, &next, sizeof(next)) != 0;

		if ((entry & ~1ULL) != (head.list_op_pending & ~1ULL))
			futex_owner_died(p, t->tid, (entry & ~1ULL) + (uint64_t)head.futex_offset,
					 entry & 1, false);
		if (bad)
			break;
		entry = next;
	}
	if (head.list_op_pending)
		futex_owner_died(p, t->tid,
				 (head.list_op_pending & ~1ULL) + (uint64_t)head.futex_offset,
				 head.list_op_pending & 1, true);
	t->robust_list = 0;
}
