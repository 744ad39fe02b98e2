/* SPDX-License-Identifier: GPL-2.0 */
#ifndef COVE_VM_FILE_NAME_H
#define COVE_VM_FILE_NAME_H

#include <cove/types.h>

/*
 * The file a region holds a copy of, by the path it was opened by: what
 * /proc/self/maps shows. Immutable once made and shared, counted, by all
 * the regions one mapping splits into, so a split costs no copy.
 */
struct vm_file_name {
	uint32_t refs;
	/*
	 * A MAP_SHARED mapping that may be written, of a host file: its pages
	 * written since they were read in (their dirty bits) go back to the
	 * file at path (kernel/offload/offload_writeback.c). Set before the
	 * name is shared.
	 */
	bool writeback;
	char path[];
};

/* A counted copy of path (NULL when out of memory); put drops a reference. */
struct vm_file_name *vm_file_name_create(const char *path);
void vm_file_name_get(struct vm_file_name *n);
void vm_file_name_put(struct vm_file_name *n);

#endif /* COVE_VM_FILE_NAME_H */
