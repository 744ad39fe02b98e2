// SPDX-License-Identifier: GPL-2.0
/*
 * Futexes. Waiters hang off a hashed bucket keyed by (address space, user
 * address); the value check and the enqueue happen under the bucket lock,
 * so a wake that follows a user-space store can never be missed.
 *
 * A futex without FUTEX_PRIVATE_FLAG in shared memory (cove/shmem.h) is
 * keyed by the physical address of its word instead, as Linux keys it by
 * the page: two processes mapping the segment anywhere meet on it, which
 * PTHREAD_PROCESS_SHARED locks need. Pages never move in Cove, so the
 * physical address is stable while the word is mapped. Private futexes,
 * and shared ones in private memory, keep the cheap key: no region lookup.
 */
#include <cove/arch.h>
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

int futex_key_of(struct process *p, uint64_t uaddr, bool shared, struct futex_key *k)
{
	struct vm_region *r;
	unsigned long flags;
	uint64_t size;
	phys_addr_t pa;
	int rc = 0;

	k->space = p->as;
	k->addr = uaddr;
	if (!shared)
		return 0;
	flags = spin_lock_irqsave(&p->as->lock);
	r = aspace_find(p->as, uaddr);
	if (r && r->shm) {
		if (arch_aspace_translate(&p->as->arch, uaddr, &pa, &size)) {
			rc = -EFAULT;
		} else {
			/* Bit 0 set: never 0, the "not queued" mark, even at physical 0. */
			k->space = NULL;
			k->addr = pa | 1;
		}
	}
	spin_unlock_irqrestore(&p->as->lock, flags);
	return rc;
}

static bool futex_key_match(const struct task *t, const struct futex_key *k)
{
	return t->wait_key == k->addr && t->wait_space == k->space;
}

static struct futex_bucket *futex_bucket_of(const struct futex_key *k)
{
	uint64_t h = ((uint64_t)k->space >> 6) ^ (k->addr >> 2);

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

int futex_wait(struct process *p, uint64_t uaddr, bool shared, uint32_t val,
	       uint64_t deadline_ns, uint32_t bitset)
{
	struct task *t = task_current();
	struct futex_bucket *b;
	struct futex_key k;
	unsigned long flags;
	uint32_t cur;
	int rc;

	if (uaddr & 3)
		return -EINVAL;
	if (!bitset)
		return -EINVAL;
	rc = futex_key_of(p, uaddr, shared, &k);
	if (rc)
		return rc;
	b = futex_bucket_of(&k);
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
	t->wait_key = k.addr;
	t->wait_space = k.space;
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

int futex_wake_bitset(struct process *p, uint64_t uaddr, bool shared, int n, uint32_t bitset)
{
	struct futex_bucket *b;
	struct futex_key k;
	unsigned long flags;
	struct task **pp;
	int woken = 0;
	int rc = futex_key_of(p, uaddr, shared, &k);

	if (rc)
		return rc;
	b = futex_bucket_of(&k);
	flags = spin_lock_irqsave(&b->lock);
	pp = &b->waiters;

	while (*pp && woken < n) {
		struct task *t = *pp;

		if (futex_key_match(t, &k) && (t->wait_bitset & bitset)) {
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

int futex_wake(struct process *p, uint64_t uaddr, bool shared, int n)
{
	return futex_wake_bitset(p, uaddr, shared, n, FUTEX_BITSET_ANY);
}

int futex_requeue(struct process *p, uint64_t uaddr, bool shared, int n, uint64_t uaddr2, int n2,
		  bool cmp, uint32_t val)
{
	struct futex_bucket *b1, *b2, *first, *second;
	struct futex_key k1, k2;
	unsigned long flags;
	struct task **pp;
	int done = 0, moved = 0;
	uint32_t cur;

	if (futex_key_of(p, uaddr, shared, &k1) || futex_key_of(p, uaddr2, shared, &k2))
		return -EFAULT;
	b1 = futex_bucket_of(&k1);
	b2 = futex_bucket_of(&k2);
	first = b1 < b2 ? b1 : b2;
	second = b1 < b2 ? b2 : b1;
	flags = spin_lock_irqsave(&first->lock);
	if (second != first)
		spin_lock(&second->lock);
	if (cmp && (aspace_read(p->as, uaddr, &cur, sizeof(cur)) || cur != val)) {
		done = -EAGAIN;
		goto out;
	}
	pp = &b1->waiters;
	while (*pp) {
		struct task *t = *pp;

		if (!futex_key_match(t, &k1)) {
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
			t->wait_key = k2.addr;
			t->wait_space = k2.space;
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
