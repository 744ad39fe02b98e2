// SPDX-License-Identifier: GPL-2.0
/* The kernel's hypercall under the SVM back end (guest side). */
#include <cove/vmm.h>

int64_t svm_hypercall(uint64_t nr, uint64_t a, uint64_t b)
{
	int64_t ret;

	__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
	return ret;
}
