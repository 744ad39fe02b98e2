/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel self-tests, run when the command line says "selftest". Each test
 * returns 0 on success or fails through SELFTEST_CHECK, which logs where.
 */
#ifndef COVE_SELFTEST_H
#define COVE_SELFTEST_H

#include <cove/kprintf.h>
#include <cove/types.h>

struct selftest {
	const char *name;
	int (*fn)(void);
};

#define SELFTEST(tname)                                                        \
	static int selftest_##tname(void);                                     \
	static const struct selftest selftest_desc_##tname                     \
		__attribute__((used, section(".selftests"), aligned(8))) = {   \
		.name = #tname, .fn = selftest_##tname };                      \
	static int selftest_##tname(void)

#define SELFTEST_CHECK(cond)                                                   \
	do {                                                                   \
		if (!(cond)) {                                                 \
			pr_err("selftest: check failed: %s (%s:%d)\n", #cond,  \
			       __FILE__, __LINE__);                            \
			return -1;                                             \
		}                                                              \
	} while (0)

/* Runs every test, prints a line each and a summary; returns failures. */
int selftest_run_all(void);
/*
 * Leave a few free objects in every small size class of the kernel heap,
 * so a test comparing free memory before and after sees only pages.
 */
void selftest_warm_heap(void);

#endif /* COVE_SELFTEST_H */
