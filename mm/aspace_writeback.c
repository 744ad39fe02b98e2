// SPDX-License-Identifier: GPL-2.0
/*
 * The pages of write-back mappings (struct vm_file_name) that a job has
 * written, found by their dirty bits. For such a mapping the bits count
 * from the moment the file's bytes were read in (aspace_writeback_clean),
 * or from the last write-back, instead of from zeros as for the rest of
 * memory; fork copies such pages whole (mm/aspace_fork.c) and a discard
 * never zeroes them (a file's copy), so nothing else reads the bits there.
 *
 * A run found is cleaned, every CPU's cached translation dropped and the
 * host's mirror told to look again (it may map the page writable from a
 * proxy's write), all before the caller reads the run out: a write in
 * between goes out with it, or marks the page again for the next time.
 */
#include <cove/aspace.h>
#include <cove/vm_file_name.h>
#include "aspace_internal.h"

/* Cleaned per hold of the lock: a run is at most this long. */
#define WB_RUN_MAX (4ULL << 20)

static bool aspace_region_writes_back(const struct vm_region *r)
{
	return r->file && r->file->writeback && !r->shm && !r->reserved;
}

/*
 * Under as->lock: the dirty pages of r in [from, stop) from the first on,
 * while they follow each other, cleaned; a large page whole (within r), so
 * that no written byte of it is left unmarked. 0 when none is dirty.
 */
static int aspace_writeback_take(struct aspace *as, const struct vm_region *r, uint64_t from,
				 uint64_t stop, struct aspace_wb_run *run)
{
	uint64_t base, size, start, end;

	if (!arch_aspace_find_dirty(&as->arch, from, stop, &base, &size))
		return 0;
	start = MAX(base, r->start);
	end = MIN(base + size, r->end);
	arch_aspace_dirty(&as->arch, base, ASPACE_DIRTY_CLEAR, NULL, NULL);
	while (end < stop && end - start < WB_RUN_MAX &&
	       arch_aspace_find_dirty(&as->arch, end, stop, &base, &size) && base == end) {
		arch_aspace_dirty(&as->arch, base, ASPACE_DIRTY_CLEAR, NULL, NULL);
		end = MIN(base + size, r->end);
	}
	run->va = start;
	run->len = end - start;
	run->off = r->file_off + (start - r->start);
	run->file = r->file;
	vm_file_name_get(r->file);
	return 1;
}

int aspace_writeback_next(struct aspace *as, uint64_t *va, uint64_t end,
			  struct aspace_wb_run *run)
{
	unsigned long flags;
	int found = 0;

	if (!__atomic_load_n(&as->writeback_maps, __ATOMIC_RELAXED))
		return 0;
	flags = spin_lock_irqsave(&as->lock);
	for (struct vm_region *r = as->regions; r && r->start < end && !found; r = r->next) {
		if (r->end <= *va || !aspace_region_writes_back(r))
			continue;
		found = aspace_writeback_take(as, r, MAX(*va, r->start), MIN(end, r->end), run);
	}
	if (found) {
		*va = run->va + run->len;
		as->unmap_gen++;	/* the host's mirror must look again */
	}
	spin_unlock_irqrestore(&as->lock, flags);
	if (found)
		arch_aspace_flush(&as->arch);	/* no CPU writes on through a dirty translation */
	return found;
}

void aspace_writeback_clean(struct aspace *as, uint64_t va, uint64_t end)
{
	struct aspace_wb_run run;

	while (aspace_writeback_next(as, &va, end, &run))
		vm_file_name_put(run.file);
}
