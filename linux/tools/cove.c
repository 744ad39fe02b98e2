// SPDX-License-Identifier: GPL-2.0
/*
 * cove: the host command line of Cove co-kernels. `cove COMMAND ...` runs
 * one command of the table below; each lives in its own cmd_*.c and talks
 * to the loader module through /dev/cove (linux/module/cove_uapi.h).
 */
#include <stdio.h>
#include <string.h>
#include "cove.h"

static const struct cove_cmd *const commands[] = {
	&cmd_create, &cmd_run, &cmd_console, &cmd_status, &cmd_add, &cmd_remove, &cmd_destroy,
	&cmd_restart, &cmd_chown, &cmd_syscalls, &cmd_xemem,
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *f)
{
	fputs("Usage: cove COMMAND [options] [arguments]\n"
	      "       cove COMMAND --help | cove --help | cove --version\n"
	      "\n"
	      "Run Cove, a lightweight HPC kernel, as a co-kernel on host CPUs and memory that\n"
	      "Linux gives up (the cove module, /dev/cove). Root creates, changes and destroys\n"
	      "enclaves; an enclave's owner (cove create --owner, cove chown) runs jobs there\n"
	      "and reads its console; anyone may list them.\n"
	      "\n", f);
	for (unsigned int i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\nExit status: 0 done, 1 the request failed, 2 wrong usage; 'cove run' ends\n"
	      "with the job's status. See cove(1).\n", f);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	cli_crash_report_install();
	if (!name) {
		fputs("cove: missing command (see 'cove --help')\n", stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		print_help(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("cove %s (uapi %d)\n", COVE_VERSION, COVE_UAPI_VERSION);
		return 0;
	}
	for (unsigned int i = 0; i < NR_COMMANDS; i++) {
		if (strcmp(name, commands[i]->name))
			continue;
		cove_current = commands[i];
		/* The command sees itself as argv[0], as getopt expects. */
		return commands[i]->fn(argc - 1, argv + 1);
	}
	usage_error("unknown command '%s' (see 'cove --help')", name);
}
