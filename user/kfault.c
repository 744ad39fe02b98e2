// SPDX-License-Identifier: GPL-2.0
/*
 * kfault KIND [ADDR]: ask the kernel to misbehave now (Cove's test-only
 * cove_fault_inject call; the kernel must run with fault_inject=on_request).
 * Co-kernel tests use it so the host can first set up what it watches, e.g.
 * a page of its own memory at PHYS for a wild write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <cove/fault_kinds.h>

const char *prog = "kfault";	/* common.c names us in its messages */

/* The last kind, on_request, is the kernel's switch, not a fault. */
#define KIND_NAME(kind) #kind,
static const char *const kinds[] = { COVE_FAULT_KINDS(KIND_NAME) };

int main(int argc, char **argv)
{
	unsigned long long addr = 0;
	long kind = -1;
	long rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: kfault KIND [PHYS]\n");
		return 2;
	}
	for (size_t i = 1; i + 1 < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[1], kinds[i]))
			kind = (long)i;
	if (kind < 0) {
		fprintf(stderr, "kfault: unknown kind '%s'\n", argv[1]);
		return 2;
	}
	if (argc == 3)
		addr = strtoull(argv[2], NULL, 0);
	printf("kfault: asking the kernel for %s%s%s\n", argv[1], argc == 3 ? " at " : "",
	       argc == 3 ? argv[2] : "");
	fflush(stdout);
	rc = syscall(COVE_SYS_FAULT_INJECT, kind, addr);
	printf("kfault: the kernel returned %ld and carried on\n", rc);
	return rc ? 1 : 0;
}
