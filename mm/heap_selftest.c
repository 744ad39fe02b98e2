// SPDX-License-Identifier: GPL-2.0
/* Self-tests of the kernel heap. */
#include <cove/heap.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/string.h>

#define HEAP_TEST_OBJS 64

SELFTEST(heap_alloc_free)
{
	static const size_t sizes[] = { 1, 8, 24, 100, 500, 1000, 2000, 4000, 9000, 70000 };
	void *objs[HEAP_TEST_OBJS];
	struct heap_stats before, after;

	heap_get_stats(&before);
	for (int i = 0; i < HEAP_TEST_OBJS; i++) {
		size_t sz = sizes[i % ARRAY_SIZE(sizes)];

		objs[i] = kmalloc(sz);
		SELFTEST_CHECK(objs[i] != NULL);
		SELFTEST_CHECK(((uintptr_t)objs[i] & 15) == 0);
		memset(objs[i], i, sz);
	}
	/* Every object still holds its own pattern: nothing overlapped. */
	for (int i = 0; i < HEAP_TEST_OBJS; i++) {
		size_t sz = sizes[i % ARRAY_SIZE(sizes)];
		const uint8_t *p = objs[i];

		SELFTEST_CHECK(p[0] == (uint8_t)i && p[sz - 1] == (uint8_t)i);
	}
	for (int i = 0; i < HEAP_TEST_OBJS; i++)
		kfree(objs[i]);
	heap_get_stats(&after);
	SELFTEST_CHECK(after.bytes_in_use == before.bytes_in_use);
	SELFTEST_CHECK(after.allocs - before.allocs == HEAP_TEST_OBJS);
	SELFTEST_CHECK(after.frees - before.frees == HEAP_TEST_OBJS);
	SELFTEST_CHECK(kmalloc(0) == NULL);
	SELFTEST_CHECK(kmalloc((size_t)-8) == NULL);
	return 0;
}

SELFTEST(heap_zeroed)
{
	uint8_t *p = kmalloc(256);

	SELFTEST_CHECK(p);
	memset(p, 0xa5, 256);
	kfree(p);
	p = kzalloc(256);
	SELFTEST_CHECK(p);
	for (int i = 0; i < 256; i++)
		SELFTEST_CHECK(p[i] == 0);
	kfree(p);
	return 0;
}
