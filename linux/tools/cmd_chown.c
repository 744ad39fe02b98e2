// SPDX-License-Identifier: GPL-2.0
/*
 * cove chown ID USER[:GROUP] | cove chown --none ID: give an enclave to
 * another owner, or back to root alone. Root only: a batch system's prolog
 * hands an enclave it created ahead of time to the job's user, its epilog
 * takes it back.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include "cove.h"

static int chown_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "none", no_argument, NULL, 'n' },
		HELP_OPTION,
		{ 0 },
	};
	struct cove_chown req = { 0 };
	bool none = false;
	int c, fd;

	while ((c = cmd_getopt(argc, argv, ":h", opts)) != -1) {
		if (c == 'n')
			none = true;
	}
	if (none) {
		args_expect(argc, argv, 1, "enclave id");
	} else {
		if (argc - optind == 1)
			usage_error("missing the owner: USER, USER:GROUP or :GROUP (or --none)");
		args_expect(argc, argv, 2, "enclave id and owner");
		arg_owner("owner", argv[optind + 1], &req.owner);
	}
	req.id = arg_enclave_id(argv[optind]);
	fd = cove_open();
	if (ioctl(fd, COVE_IOC_CHOWN, &req)) {
		if (errno == EINVAL)
			fail("the module refused owner '%s' (dmesg has the reason)",
			     none ? "none" : argv[optind + 1]);
		cove_ioctl_fail(errno, req.id, "changing the owner of");
	}
	return 0;
}

const struct cove_cmd cmd_chown = {
	.name = "chown",
	.fn = chown_main,
	.summary = "give an enclave to another user or group, or back to root",
	.root_only = "change an enclave's owner",
	.usage =
	"Usage: cove chown ID USER[:GROUP]\n"
	"       cove chown ID :GROUP\n"
	"       cove chown --none ID\n"
	"\n"
	"Give enclave ID to a user, a group (any member) or both: they may run jobs there\n"
	"and read its console; only root creates, grows, shrinks, restarts and destroys it.\n"
	"Names come from /etc/passwd and /etc/group; give numbers for users only a\n"
	"directory knows. Takes effect at once: a job of the previous owner that is still\n"
	"running loses its host I/O. Root only.\n"
	"\n"
	"  --none      no owner: root only again\n"
	"  -h, --help  this text\n",
};
