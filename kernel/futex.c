// SPDX-License-Identifier: GPL-2.0
/*
 * Futexes. Waiters hang off a hashed bucket keyed by (address space, user
 * address); the value check and the enqueue happen under the bucket lock,
 * so a wake that follows a user-space store can never be missed.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/futex.h>
#include <cove/sched.h>
#include <cove/task.h>

#define FUTEX_BUCKETS 256

struct futex_bucket {
	spinlock_t lock;
	struct task *waiters;
};

/* Shared by every CPU; each bucket is under its own lock. */
static struct futex_bucket futex_table[FUTEX_BUCKETS];

static struct futex_bucket *futex_bucket_of(struct aspace *as, uint64_t uaddr)
{
	uint64_t h = ((uint64_t)as >> 6) ^ (uaddr >> 2);

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return &futex_table[(h >> 32) % FUTEX_BUCKETS];
}

static void futex_unlink(struct futex_bucket *b, struct task *t)
{
	for (struct task **pp = &b->waiters; *pp; pp = &(*pp)->wait_next) {
		if (*pp == t) {
			*pp = t->wait_next;
			break;
		}
	}
	t->wait_next = NULL;
	t->wait_key = 0;
}

int futex_wait(struct process *p, uint64_t uaddr, uint32_t val, uint64_t deadline_ns,
	       uint32_t bitset)
{
	struct futex_bucket *b = futex_bucket_of(p->as, uaddr);
	struct task *t = task_current();
	unsigned long flags;
	uint32_t cur;

	if (uaddr & 3)
		return -EINVAL;
	if (!bitset)
		return -EINVAL;
	flags = spin_lock_irqsave(&b->lock);
	if (aspace_read(p->as, uaddr, &cur, sizeof(cur))) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EFAULT;
	}
	if (cur != val) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EAGAIN;
	}
	if (p->kill_signal) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EINTR;
	}
	t->wait_key = uaddr;
	t->wait_bucket = b;
	t->wait_bitset = bitset;
	t->wait_next = b->waiters;
	b->waiters = t;
	t->wake_reason = 0;
	t->state = TASK_BLOCKED;
	sched_block_until(&b->lock, flags, deadline_ns);

	/* Timed out or interrupted: we may still be queued (perhaps requeued). */
	if (t->wake_reason) {
		b = t->wait_bucket;
		flags = spin_lock_irqsave(&b->lock);
		if (t->wait_key && t->wait_bucket == b)
			futex_unlink(b, t);
		spin_unlock_irqrestore(&b->lock, flags);
	}
	return t->wake_reason;
}

int futex_wake_bitset(struct process *p, uint64_t uaddr, int n, uint32_t bitset)
{
	struct futex_bucket *b = futex_bucket_of(p->as, uaddr);
	unsigned long flags = spin_lock_irqsave(&b->lock);
	struct task **pp = &b->waiters;
	int woken = 0;

	while (*pp && woken < n) {
		struct task *t = *pp;

		if (t->wait_key == uaddr && t->proc->as == p->as && (t->wait_bitset & bitset)) {
			*pp = t->wait_next;
			t->wait_next = NULL;
			t->wait_key = 0;
			if (sched_wake(t, 0))
				woken++;
			continue;
		}
		pp = &t->wait_next;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return woken;
}

int futex_wake(struct process *p, uint64_t uaddr, int n)
{
	return futex_wake_bitset(p, uaddr, n, FUTEX_BITSET_ANY);
}

int futex_requeue(struct process *p, uint64_t uaddr, int n, uint64_t uaddr2, int n2, bool cmp,
		  uint32_t val)
{
	struct futex_bucket *b1 = futex_bucket_of(p->as, uaddr);
	struct futex_bucket *b2 = futex_bucket_of(p->as, uaddr2);
	struct futex_bucket *first = b1 < b2 ? b1 : b2, *second = b1 < b2 ? b2 : b1;
	unsigned long flags = spin_lock_irqsave(&first->lock);
	struct task **pp;
	int done = 0, moved = 0;
	uint32_t cur;

	if (second != first)
		spin_lock(&second->lock);
	if (cmp && (aspace_read(p->as, uaddr, &cur, sizeof(cur)) || cur != val)) {
		done = -EAGAIN;
		goto out;
	}
	pp = &b1->waiters;
	while (*pp) {
		struct task *t = *pp;

		if (t->wait_key != uaddr || t->proc->as != p->as) {
			pp = &t->wait_next;
			continue;
		}
		*pp = t->wait_next;
		if (done < n) {
			t->wait_next = NULL;
			t->wait_key = 0;
			if (sched_wake(t, 0))
				done++;
		} else if (moved < n2) {
			t->wait_key = uaddr2;
			t->wait_bucket = b2;
			t->wait_next = b2->waiters;
			b2->waiters = t;
			moved++;
		} else {
			/* Put it back where it was and stop. */
			t->wait_next = *pp;
			*pp = t;
			break;
		}
	}
	done += moved;
out:
	if (second != first)
		spin_unlock(&second->lock);
	spin_unlock_irqrestore(&first->lock, flags);
	return done;
}
