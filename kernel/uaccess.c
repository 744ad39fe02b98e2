// SPDX-License-Identifier: GPL-2.0
/* User memory access for system calls; see uaccess.h for the rule. */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/uaccess.h>

bool user_range_ok(uint64_t addr, size_t len, bool write)
{
	struct task *t = task_current();

	if (!t->proc || !len)
		return len == 0;
	if (aspace_check(t->proc->as, addr, len, write ? VM_WRITE : VM_READ))
		return true;
	/* Below a fork child's populated stack, as a touch from user mode would be. */
	return aspace_stack_grow(t->proc->as, addr) == 0 &&
	       aspace_check(t->proc->as, addr, len, write ? VM_WRITE : VM_READ);
}

int copy_from_user(void *dst, uint64_t src, size_t len)
{
	if (!user_range_ok(src, len, false))
		return -EFAULT;
	memcpy(dst, (const void *)src, len);
	return 0;
}

int copy_to_user(uint64_t dst, const void *src, size_t len)
{
	if (!user_range_ok(dst, len, true))
		return -EFAULT;
	memcpy((void *)dst, src, len);
	return 0;
}

int64_t strncpy_from_user(char *dst, uint64_t src, size_t max)
{
	size_t n = 0;

	while (n < max) {
		/* Check one page at a time: the string may end before a hole. */
		uint64_t page_left = PAGE_SIZE - ((src + n) & (PAGE_SIZE - 1));
		size_t chunk = MIN(page_left, max - n);

		if (!user_range_ok(src + n, 1, false))
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++, n++) {
			dst[n] = ((const char *)src)[n];
			if (!dst[n])
				return (int64_t)n;
		}
	}
	return -ENAMETOOLONG;
}
