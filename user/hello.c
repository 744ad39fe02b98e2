// SPDX-License-Identifier: GPL-2.0
/*
 * hello: the smallest check that the kernel loaded a static binary, handed
 * it a well-formed stack (argc, argv, envp) and lets it write and exit.
 */
#include <stdio.h>
#include <unistd.h>

#include "common.h"

#ifndef LIBC_NAME
#error "LIBC_NAME must be defined by the Makefile (\"glibc\" or \"musl\")"
#endif

const char *prog = "hello";

extern char **environ;

int main(int argc, char **argv)
{
	int envc = 0;
	int i;

	/* Walking both arrays to their NULL proves the loader ended them. */
	while (environ && environ[envc])
		envc++;
	if (argc < 1 || argv[argc] != NULL)
		die("argv is not NULL-terminated at argc=%d", argc);

	printf("hello from %s pid %d argc %d envc %d\n", LIBC_NAME, (int)getpid(),
	       argc, envc);
	/* argv[0] is left out: it names the path, which differs per harness. */
	for (i = 1; i < argc; i++)
		printf("hello: argv[%d]=%s\n", i, argv[i]);
	return 0;
}
