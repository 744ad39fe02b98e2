// SPDX-License-Identifier: GPL-2.0
/*
 * The "#!" line of a script execve runs (kernel/exec_script.c): a file any
 * user may write. The head is copied to an allocation of exactly its
 * length, so a read past it is an ASan report.
 */
#include <cove/errno.h>
#include <cove/exec_script.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct exec_script sc;
	size_t len = size > EXEC_SCRIPT_HEAD ? EXEC_SCRIPT_HEAD : size;
	char *head = malloc(len ? len : 1);
	int rc;

	if (!head)
		abort();
	memcpy(head, data, len);
	rc = exec_script_parse(head, len, &sc);
	FUZZ_ASSERT(rc == 0 || rc == -ENOEXEC);
	if (rc == 0) {
		FUZZ_ASSERT(len >= 3 && head[0] == '#' && head[1] == '!');
		FUZZ_ASSERT(sc.interp[0] && strlen(sc.interp) < len);
		FUZZ_ASSERT(!strpbrk(sc.interp, " \t\n"));
		FUZZ_ASSERT(!strchr(sc.arg, '\n'));
		FUZZ_ASSERT(sc.has_arg == (sc.arg[0] != 0));
		FUZZ_ASSERT(!sc.has_arg || (sc.arg[0] != ' ' && sc.arg[0] != '\t'));
	}
	free(head);
	return 0;
}
