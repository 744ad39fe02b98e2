// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/cove: opening it and turning its errors into sentences. The module
 * logs the precise reason for a refusal in dmesg; here we say what it
 * means for what the user asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cove.h"

_Static_assert(CLI_CPU_WORDS == COVE_CPUMASK_WORDS, "CPU masks of the CLI and the uapi differ");

static const char *cove_device(void)
{
	/* Tests and odd setups point the CLI elsewhere; the module's node is the default. */
	const char *dev = getenv("COVE_DEVICE");

	return dev && *dev ? dev : COVE_DEVICE;
}

int cove_open(void)
{
	const char *dev = cove_device();
	int fd;

	if (geteuid() != 0)
		fail("must be run as root");
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
		fail("the cove module is not loaded (modprobe cove): no %s", dev);
	fail("cannot open %s: %s", dev, strerror(errno));
}

bool cove_status(int fd, uint32_t id, struct cove_status *st)
{
	memset(st, 0, sizeof(*st));
	st->id = id;
	if (!ioctl(fd, COVE_IOC_STATUS, st))
		return true;
	if (errno == ENOENT)
		return false;
	cove_ioctl_fail(errno, id, "status of");
}

void cove_ioctl_fail(int err, uint32_t id, const char *what)
{
	switch (err) {
	case ENOENT:
		fail("no enclave %u", id);
	case ENOTTY:
		fail("the cove module does not know this request (module and CLI from "
		     "different versions?)");
	case EPERM:
	case EACCES:
		fail("%s enclave %u: permission denied", what, id);
	case EIO:
		fail("%s enclave %u: the enclave has failed (see 'cove status %u')", what, id, id);
	default:
		fail("%s enclave %u: %s (dmesg has the module's reason)", what, id,
		     strerror(err));
	}
}

const char *state_name(uint32_t state)
{
	static const char *const names[] = {
		[COVE_ENCLAVE_FREE] = "free",
		[COVE_ENCLAVE_BOOTING] = "booting",
		[COVE_ENCLAVE_READY] = "ready",
		[COVE_ENCLAVE_FAILED] = "failed",
		[COVE_ENCLAVE_STOPPED] = "stopped",
		[COVE_ENCLAVE_HUNG] = "hung",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

const char *guard_name(uint32_t guarded)
{
	return guarded == 1 ? "svm" : guarded == 2 ? "vmx" : "no";
}
