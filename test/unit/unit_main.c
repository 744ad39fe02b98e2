// SPDX-License-Identifier: GPL-2.0
/* Runner for host unit tests: runs every registered test, one line each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#define UNIT_MAX 512

/* Filled by constructors before main(); read only by main(). */
static struct {
	const char *name;
	unit_fn fn;
} unit_tests[UNIT_MAX];
static int unit_count;
static int unit_current_failed;

void unit_register(const char *name, unit_fn fn)
{
	if (unit_count == UNIT_MAX) {
		fprintf(stderr, "unit: too many tests\n");
		exit(2);
	}
	unit_tests[unit_count].name = name;
	unit_tests[unit_count].fn = fn;
	unit_count++;
}

void unit_fail(const char *file, int line, const char *expr)
{
	fprintf(stdout, "  %s:%d: check failed: %s\n", file, line, expr);
	unit_current_failed = 1;
}

int main(int argc, char **argv)
{
	const char *suite = argc > 0 ? strrchr(argv[0], '/') : NULL;
	int failed = 0;

	suite = suite ? suite + 1 : argv[0];
	for (int i = 0; i < unit_count; i++) {
		unit_current_failed = 0;
		unit_tests[i].fn();
		printf("%s %s.%s\n", unit_current_failed ? "FAIL" : "PASS", suite,
		       unit_tests[i].name);
		failed += unit_current_failed;
	}
	return failed ? 1 : 0;
}
