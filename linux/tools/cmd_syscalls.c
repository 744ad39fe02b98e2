// SPDX-License-Identifier: GPL-2.0
/*
 * cove syscalls [NAME...]: where each Linux system call of a job is served
 * -- by Cove, by the job's host proxy (this command, running `cove run`),
 * by Cove or the proxy depending on what it names, or nowhere. The table
 * is the kernel's own list (arch/x86_64/include/arch/syscall_list.h),
 * compiled into this binary, so it cannot drift from what Cove does.
 */
#include <stdio.h>
#include <string.h>
#define SYSCALL_LIST_ONLY	/* the numbers come from the list itself */
#include <arch/syscall_list.h>
#include "cove.h"

/* What ROUTED lines depend on, in words (cove/syscall.h's kinds). */
#define ROUTE_FD(a) "its descriptor (argument " #a ")"
#define ROUTE_FD2(a, b) "its two descriptors (arguments " #a ", " #b ")"
#define ROUTE_PATH(d, p) "its path (argument " #p ")"
#define ROUTE_POLL "its descriptors"
#define ROUTE_HOST "whether the job has a proxy"
#define ROUTE_SELF "what it names (its own rule)"

struct syscall_row {
	int nr;
	const char *name;
	const char *where;
	const char *route;
};

#define ROW_NATIVE(nr, name, fn) { nr, #name, "cove", "" },
#define ROW_MISSING(nr, name) { nr, #name, "none", "" },
#define ROW_OFFLOAD(nr, name) { nr, #name, "host", "" },
#define ROW_ROUTED(nr, name, fn, route) { nr, #name, "routed", route },
static const struct syscall_row rows[] = {
	SYSCALL_LIST(ROW_NATIVE, ROW_MISSING, ROW_OFFLOAD, ROW_ROUTED)
};

#define NR_ROWS (sizeof(rows) / sizeof(rows[0]))

static void print_row(const struct syscall_row *r)
{
	printf("%4d  %-24s %-7s %s\n", r->nr, r->name, r->where, r->route);
}

static int syscalls_main(int argc, char **argv)
{
	static const struct option opts[] = { HELP_OPTION, { 0 } };
	unsigned int count[4] = { 0 };
	int c;

	while ((c = cmd_getopt(argc, argv, "h", opts)) != -1)
		;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			unsigned int k;

			for (k = 0; k < NR_ROWS && strcmp(rows[k].name, argv[i]); k++)
				;
			if (k == NR_ROWS)
				fail("%s: not a Linux x86-64 system call Cove knows", argv[i]);
			print_row(&rows[k]);
		}
		return 0;
	}
	printf("  NR  NAME                     WHERE   DECIDED BY\n");
	for (unsigned int k = 0; k < NR_ROWS; k++) {
		if (rows[k].nr >= COVE_SYS_FAULT_INJECT)
			continue;	/* Cove's own test hooks, not Linux calls */
		print_row(&rows[k]);
		count[!strcmp(rows[k].where, "cove") ? 0 : !strcmp(rows[k].where, "routed") ? 1 :
		      !strcmp(rows[k].where, "host") ? 2 : 3]++;
	}
	printf("cove %u, routed %u, host %u, none %u\n", count[0], count[1], count[2], count[3]);
	return 0;
}

const struct cove_cmd cmd_syscalls = {
	.name = "syscalls",
	.fn = syscalls_main,
	.summary = "show where each system call of a job is served (Cove or the host)",
	.usage =
	"Usage: cove syscalls [NAME...]\n"
	"\n"
	"For every Linux x86-64 system call (or the ones named), where a job's call is\n"
	"served: cove (natively, in the enclave), host (by the job's proxy, the\n"
	"'cove run' that launched it, as the user who ran it), routed (Cove for the\n"
	"enclave's own files -- /proc, /sys, /dev, descriptors it opened -- and the\n"
	"host for everything else), or none (ENOSYS: a call the proxy would make on\n"
	"itself rather than for the job, such as ptrace or seccomp). In bare mode there\n"
	"is no host: host calls return ENOSYS and routed ones are Cove's.\n"
	"\n"
	"  -h, --help  this text\n",
};
