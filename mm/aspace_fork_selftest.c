// SPDX-License-Identifier: GPL-2.0
/* Self-test of fork's eager copy: same regions, same bytes, large pages kept, no sharing. */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/string.h>

/* Warm the heap with the objects a clone allocates, so free memory compares pages only. */
static void aspace_clone_warm_heap(void)
{
	void *objs[12];

	for (int i = 0; i < 12; i++)
		objs[i] = kzalloc(i < 4 ? sizeof(struct aspace) : i < 8 ? sizeof(struct vm_region) :
				  2 * sizeof(struct vm_region));
	for (int i = 0; i < 12; i++)
		kfree(objs[i]);
}

SELFTEST(aspace_clone_copies_eagerly)
{
	struct pmem_stats before, after;
	struct vm_file_name *name = vm_file_name_create("/bin/forked");
	struct aspace *as, *copy;
	uint64_t va = 0x40000000, len = 4 * PAGE_SIZE_2M, word = 0xf0f0, got = 0, size = 0;
	phys_addr_t pa, pa_copy;
	int err = 0;

	SELFTEST_CHECK(name);
	aspace_clone_warm_heap();
	pmem_get_stats(&before);
	as = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(as);
	SELFTEST_CHECK(aspace_map_anon(as, va, len, VM_READ | VM_WRITE, VM_HEAP) == 0);
	SELFTEST_CHECK(aspace_map_file(as, va + len + PAGE_SIZE_2M, 3 * PAGE_SIZE, VM_READ,
				       VM_IMAGE, name, PAGE_SIZE) == 0);
	as->brk_base = va;
	as->brk_cur = va + PAGE_SIZE;
	as->brk_limit = va + len;
	SELFTEST_CHECK(aspace_write(as, va + len - 8, &word, 8) == 0);

	copy = aspace_clone(as, &err);
	SELFTEST_CHECK(copy && err == 0);
	/* The same regions, rights, file names and brk. */
	SELFTEST_CHECK(aspace_find(copy, va)->kind == VM_HEAP);
	SELFTEST_CHECK(aspace_find(copy, va + len + PAGE_SIZE_2M)->prot == VM_READ);
	SELFTEST_CHECK(aspace_find(copy, va + len + PAGE_SIZE_2M)->file == name);
	SELFTEST_CHECK(aspace_find(copy, va + len + PAGE_SIZE_2M)->file_off == PAGE_SIZE);
	SELFTEST_CHECK(copy->brk_cur == as->brk_cur && copy->brk_limit == as->brk_limit);
	/* Its own memory, in 2 MiB pages like the original's, holding the same bytes. */
	SELFTEST_CHECK(copy->populated[1] == 4);
	SELFTEST_CHECK(arch_aspace_translate(&copy->arch, va, &pa_copy, &size) == 0 &&
		       size == PAGE_SIZE_2M);
	SELFTEST_CHECK(arch_aspace_translate(&as->arch, va, &pa, &size) == 0 && pa != pa_copy);
	SELFTEST_CHECK(aspace_read(copy, va + len - 8, &got, 8) == 0 && got == word);
	/* A write to one is not seen by the other. */
	word = 0x0f0f;
	SELFTEST_CHECK(aspace_write(copy, va + len - 8, &word, 8) == 0);
	SELFTEST_CHECK(aspace_read(as, va + len - 8, &got, 8) == 0 && got == 0xf0f0);
	aspace_put(copy);
	aspace_put(as);
	vm_file_name_put(name);
	pmem_get_stats(&after);
	SELFTEST_CHECK(after.free_bytes == before.free_bytes);
	return 0;
}
