// SPDX-License-Identifier: GPL-2.0
/*
 * The one place Cove populates user memory late: the stack of a fork
 * child. exec populates a whole stack (8 MiB by default) up front, as
 * every other region; a fork child gets only the part its parent was
 * using, plus a margin, because populating and zeroing the rest would
 * cost more than the fork itself (shells and system() fork often and use
 * a few KiB of stack). Below that part the stack stays reserved; a touch
 * there, by the child or by a system call writing for it, populates the
 * next stretch here. HPC ranks do not fork, and their stacks never take
 * this path.
 */
#include <cove/aspace.h>
#include <cove/errno.h>

/* Populated per growth: a fault per 64 KiB of stack a child goes deeper. */
#define STACK_GROW_CHUNK (64 * KiB)

/*
 * [*from, *to): the hole holding addr, between the stack floor (or the
 * region below) and the stack region above it. False unless the region
 * right above the hole is stack: only a stack grows down into a hole.
 */
static bool aspace_stack_hole(struct aspace *as, uint64_t addr, uint64_t *from, uint64_t *to)
{
	uint64_t below = as->stack_floor;

	if (!below || addr < below)
		return false;
	for (struct vm_region *r = as->regions; r; r = r->next) {
		if (r->end <= addr) {
			below = MAX(below, r->end);
			continue;
		}
		if (r->start <= addr || r->kind != VM_STACK)
			return false;
		*to = r->start;
		*from = MAX(below, ALIGN_DOWN(addr, PAGE_SIZE) -
				   MIN(ALIGN_DOWN(addr, PAGE_SIZE), STACK_GROW_CHUNK - PAGE_SIZE));
		return true;
	}
	return false;
}

int aspace_stack_grow(struct aspace *as, uint64_t addr)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	uint64_t from = 0, to = 0;
	bool hole = aspace_stack_hole(as, addr, &from, &to);
	int rc;

	spin_unlock_irqrestore(&as->lock, flags);
	if (!hole)
		return -EFAULT;
	rc = aspace_map_anon(as, from, to - from, VM_READ | VM_WRITE, VM_STACK);
	/* -EEXIST: another thread of the child grew it meanwhile; retrying sees that. */
	return rc == -EEXIST ? 0 : rc;
}
