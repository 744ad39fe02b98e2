// SPDX-License-Identifier: GPL-2.0
/*
 * Regions by name. An address in words a user can act on: which file (or kind of memory)
 * holds it, and at what offset, as Linux's "segfault at ... in libc.so.6"
 * lines say. `addr2line -e FILE OFFSET` on the host then names the code:
 * in the shared objects and programs toolchains make, text sits at the
 * same offset in the file as in its first segment.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/kvsnprintf.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/vm_file_name.h>
#include "aspace_internal.h"

void aspace_describe(struct aspace *as, uint64_t va, char *buf, size_t len)
{
	unsigned long flags;
	struct vm_region *r;

	if (!len)
		return;
	buf[0] = 0;
	if (!as)
		return;
	flags = spin_lock_irqsave(&as->lock);
	r = aspace_find(as, va);
	if (!r) {
		ksnprintf(buf, len, "unmapped");
	} else if (r->file) {
		const char *base = r->file->path;

		for (const char *c = base; *c; c++) {
			if (*c == '/' && c[1])
				base = c + 1;
		}
		ksnprintf(buf, len, "%s+%#lx", base, va - r->start + r->file_off);
	} else {
		ksnprintf(buf, len, "%s+%#lx", r->shm ? "shared memory" : "anonymous memory",
			  va - r->start);
	}
	spin_unlock_irqrestore(&as->lock, flags);
}

int aspace_name(struct aspace *as, uint64_t va, const char *path, uint64_t off, bool writeback)
{
	struct vm_file_name *name = vm_file_name_create(path);
	uint64_t end = va;
	unsigned long flags;
	struct vm_region *r;

	if (!name)
		return -ENOMEM;	/* unnamed, as before: only /proc/self/maps is poorer */
	name->writeback = writeback;
	flags = spin_lock_irqsave(&as->lock);
	r = aspace_find(as, va);
	if (r && r->start == va && !r->file) {
		r->file = name;
		r->file_off = off;
		end = r->end;
		name = NULL;
		as->writeback_maps += writeback;
	}
	spin_unlock_irqrestore(&as->lock, flags);
	if (name) {
		vm_file_name_put(name);
		return -ENOMEM;
	}
	if (writeback)
		aspace_writeback_clean(as, va, end);
	return 0;
}
