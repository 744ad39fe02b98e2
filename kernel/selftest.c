// SPDX-License-Identifier: GPL-2.0
/* Runs the self-tests linked into the .selftests section. */
#include <cove/heap.h>
#include <cove/kprintf.h>
#include <cove/selftest.h>

extern const struct selftest __selftests_start[], __selftests_end[];

void selftest_warm_heap(void)
{
	void *objs[8];

	for (size_t size = 16; size <= 2048; size *= 2) {
		for (int i = 0; i < 8; i++)
			objs[i] = kzalloc(size);
		for (int i = 0; i < 8; i++)
			kfree(objs[i]);
	}
}

int selftest_run_all(void)
{
	int passed = 0, failed = 0;

	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		int rc = t->fn();

		kprintf("selftest: %-24s %s\n", t->name, rc ? "FAIL" : "ok");
		if (rc)
			failed++;
		else
			passed++;
	}
	kprintf("selftest: %d passed, %d failed\n", passed, failed);
	return failed;
}
