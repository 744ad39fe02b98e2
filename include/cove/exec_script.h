/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "#!" scripts: the interpreter line of a file execve is given. Pure, so
 * the host tests and fuzzes it (test/unit/test_exec_script.c).
 */
#ifndef COVE_EXEC_SCRIPT_H
#define COVE_EXEC_SCRIPT_H

#include <cove/types.h>

/* How much of a file the line may take, as Linux's BINPRM_BUF_SIZE. */
#define EXEC_SCRIPT_HEAD 256

struct exec_script {
	char interp[EXEC_SCRIPT_HEAD];
	char arg[EXEC_SCRIPT_HEAD];	/* everything after the interpreter: one argument */
	bool has_arg;
};

/*
 * head holds the first len bytes of a file (len <= EXEC_SCRIPT_HEAD).
 * 0 and *out filled if they start "#!" with an interpreter, as Linux reads
 * the line: blanks after "#!" skipped, the interpreter up to a blank, the
 * rest of the line, trimmed, a single argument. -ENOEXEC if the file is no
 * script, or the line names no interpreter or does not end within head.
 */
int exec_script_parse(const char *head, size_t len, struct exec_script *out);

#endif /* COVE_EXEC_SCRIPT_H */
