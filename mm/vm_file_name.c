// SPDX-License-Identifier: GPL-2.0
/*
 * The names of mapped files (struct vm_file_name): one allocation per
 * mapping, shared by reference among the regions it is later split into.
 */
#include <cove/heap.h>
#include <cove/string.h>
#include <cove/vm_file_name.h>

struct vm_file_name *vm_file_name_create(const char *path)
{
	size_t len = strlen(path);
	struct vm_file_name *n = kmalloc(sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	n->refs = 1;
	n->writeback = false;
	memcpy(n->path, path, len + 1);
	return n;
}

void vm_file_name_get(struct vm_file_name *n)
{
	if (n)
		__atomic_fetch_add(&n->refs, 1, __ATOMIC_RELAXED);
}

void vm_file_name_put(struct vm_file_name *n)
{
	if (n && !__atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL))
		kfree(n);
}
