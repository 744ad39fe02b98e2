// SPDX-License-Identifier: GPL-2.0
/*
 * cove destroy ID: stop an enclave (its jobs with it) and give its CPUs and
 * memory back to Linux. Works on a failed enclave too: that is how its
 * resources come back.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include "cove.h"

static int destroy_main(int argc, char **argv)
{
	uint32_t id = args_only_enclave_id(argc, argv);
	int fd = cove_open();
	if (ioctl(fd, COVE_IOC_DESTROY, &id))
		cove_ioctl_fail(errno, id, "destroying");
	return 0;
}

const struct cove_cmd cmd_destroy = {
	.name = "destroy",
	.fn = destroy_main,
	.summary = "stop an enclave and give its CPUs and memory back to Linux",
	.root_only = "destroy an enclave",
	.usage =
	"Usage: cove destroy ID\n"
	"\n"
	"Stop enclave ID, its jobs with it, and give its CPUs and memory back to Linux.\n"
	"\n"
	"  -h, --help  this text\n",
};
