// SPDX-License-Identifier: GPL-2.0
/*
 * cove restart ID: destroy an enclave and boot it again from what it was
 * created with (cores, boot memory, image, initrd, options), keeping its
 * id: one step for an operator or a Slurm epilog facing a failed or hung
 * enclave. The module does both halves under one lock, so no other create
 * can take the cores in between.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include "cove.h"

static int restart_main(int argc, char **argv)
{
	uint32_t id = args_only_enclave_id(argc, argv);
	int fd = cove_open();
	if (ioctl(fd, COVE_IOC_RESTART, &id)) {
		int err = errno;

		if (err == EIO || err == ETIMEDOUT) {
			report_failure(fd, id);
			fail("enclave %u did not boot again (%s); 'cove console %u' shows why, "
			     "'cove destroy %u' gives its CPUs and memory back", id,
			     err == ETIMEDOUT ? "timed out" : "it failed", id, id);
		}
		cove_ioctl_fail(err, id, "restarting");
	}
	printf("%u\n", id);
	return 0;
}

const struct cove_cmd cmd_restart = {
	.name = "restart",
	.fn = restart_main,
	.summary = "destroy an enclave and boot it again as it was created",
	.root_only = "restart an enclave",
	.usage =
	"Usage: cove restart ID\n"
	"\n"
	"Destroy enclave ID (failed, hung or running: its jobs end) and boot it again on\n"
	"the same CPUs and boot memory, from the same image, initrd and options, as the\n"
	"same ID. Memory added later is given back to Linux. Prints the ID when it is\n"
	"ready again.\n"
	"\n"
	"  -h, --help  this text\n",
};
