// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of fork's eager copy: same regions, same bytes, large pages
 * kept, no sharing; and of the heap's exception, copied to the break only.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/string.h>

SELFTEST(aspace_clone_copies_eagerly)
{
	struct pmem_stats before, after;
	struct vm_file_name *name = vm_file_name_create("/bin/forked");
	struct aspace *as, *copy;
	uint64_t va = 0x40000000, len = 4 * PAGE_SIZE_2M, word = 0xf0f0, got = 0, size = 0;
	uint64_t heap = 0x80000000, stack = 0xc0000000, sp = stack + PAGE_SIZE_2M / 2;
	phys_addr_t pa, pa_copy;
	int err = 0;

	SELFTEST_CHECK(name);
	selftest_warm_heap();
	pmem_get_stats(&before);
	as = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(as);
	SELFTEST_CHECK(aspace_map_anon(as, va, len, VM_READ | VM_WRITE, VM_ANON) == 0);
	SELFTEST_CHECK(aspace_map_file(as, va + len + PAGE_SIZE_2M, 3 * PAGE_SIZE, VM_READ,
				       VM_IMAGE, name, PAGE_SIZE) == 0);
	/* A heap of 8 MiB whose break lies a little past its first page. */
	SELFTEST_CHECK(aspace_map_anon(as, heap, len, VM_READ | VM_WRITE, VM_HEAP) == 0);
	as->brk_base = heap;
	as->brk_cur = heap + PAGE_SIZE + 16;
	as->brk_limit = as->brk_mapped = heap + len;
	SELFTEST_CHECK(aspace_write(as, va + len - 8, &word, 8) == 0);
	SELFTEST_CHECK(aspace_write(as, heap + PAGE_SIZE + 8, &word, 8) == 0);

	/* A stack of 2 MiB, its pointer 1 MiB down, a live word just above it. */
	SELFTEST_CHECK(aspace_map_anon(as, stack, PAGE_SIZE_2M, VM_READ | VM_WRITE, VM_STACK) == 0);
	SELFTEST_CHECK(aspace_write(as, sp + 8, &word, 8) == 0);

	copy = aspace_clone(as, sp, &err);
	SELFTEST_CHECK(copy && err == 0);
	/* The heap: populated to the page holding the break, bytes below it copied. */
	SELFTEST_CHECK(copy->brk_mapped == heap + 2 * PAGE_SIZE);
	SELFTEST_CHECK(aspace_read(copy, heap + PAGE_SIZE + 8, &got, 8) == 0 && got == word);
	SELFTEST_CHECK(arch_aspace_translate(&copy->arch, heap + 2 * PAGE_SIZE, &pa, &size) != 0);
	/* The stack: from sp up, 64 KiB more below, the rest reserved until touched. */
	SELFTEST_CHECK(copy->stack_floor == stack);
	SELFTEST_CHECK(aspace_read(copy, sp + 8, &got, 8) == 0 && got == word);
	SELFTEST_CHECK(aspace_find(copy, sp - 64 * KiB - 8));
	SELFTEST_CHECK(!aspace_find(copy, sp - 128 * KiB));
	SELFTEST_CHECK(aspace_stack_grow(copy, sp - 128 * KiB) == 0);
	SELFTEST_CHECK(aspace_find(copy, sp - 128 * KiB)->kind == VM_STACK);
	SELFTEST_CHECK(aspace_stack_grow(copy, stack - 8) == -EFAULT);
	SELFTEST_CHECK(aspace_stack_grow(copy, heap + 4 * PAGE_SIZE) == -EFAULT);
	got = 0;
	/* The same regions, rights, file names and brk. */
	SELFTEST_CHECK(aspace_find(copy, va)->kind == VM_ANON);
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
