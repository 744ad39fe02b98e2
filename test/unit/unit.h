/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny host unit-test harness. Tests register themselves with TEST(); the
 * runner in unit_main.c prints one "PASS suite.name" or "FAIL suite.name" line
 * per test, which test/run.sh counts.
 */
#ifndef COVE_UNIT_H
#define COVE_UNIT_H

#include <stdio.h>
#include <stdint.h>

typedef void (*unit_fn)(void);
void unit_register(const char *name, unit_fn fn);
void unit_fail(const char *file, int line, const char *expr);

#define TEST(name)                                                      \
	static void name(void);                                         \
	__attribute__((constructor)) static void unit_reg_##name(void)  \
	{                                                               \
		unit_register(#name, name);                             \
	}                                                               \
	static void name(void)

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond))                                            \
			unit_fail(__FILE__, __LINE__, #cond);           \
	} while (0)

#define CHECK_EQ(a, b)                                                  \
	do {                                                            \
		unsigned long long _a = (unsigned long long)(a);        \
		unsigned long long _b = (unsigned long long)(b);        \
		if (_a != _b) {                                         \
			char _m[256];                                   \
			snprintf(_m, sizeof(_m), "%s == %s (0x%llx != 0x%llx)", \
				 #a, #b, _a, _b);                       \
			unit_fail(__FILE__, __LINE__, _m);              \
		}                                                       \
	} while (0)

#endif /* COVE_UNIT_H */
