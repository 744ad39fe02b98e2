// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/cove: opening it and turning its errors into sentences. The module
 * logs the precise reason for a refusal in dmesg; here we say what it
 * means for what the user asked. Anyone may open it; the module decides
 * per request (root, the enclave's owner, everyone: cove(1) PERMISSIONS).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cove.h"

_Static_assert(CLI_CPU_WORDS == COVE_CPUMASK_WORDS, "CPU masks of the CLI and the uapi differ");

const char *cove_device(void)
{
	/* Tests and odd setups point the CLI elsewhere; the module's node is the default. */
	const char *dev = getenv("COVE_DEVICE");

	return dev && *dev ? dev : COVE_DEVICE;
}

/* What cove_open() gave: cove_ioctl_fail() asks it whose an enclave is. */
static int cove_fd = -1;

void cove_moved(int fd)
{
	cove_fd = fd;
}

int cove_open(void)
{
	const char *dev = cove_device();
	int fd;

	/* A job's files are opened with our rights: they must be the caller's own. */
	if (getuid() != geteuid() || getgid() != getegid())
		fail("cove must not run setuid or setgid: it acts with the rights of whoever "
		     "runs it");
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		cove_fd = fd;
		return fd;
	}
	if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
		fail("the cove module is not loaded (modprobe cove): no %s", dev);
	if (errno == EACCES || errno == EPERM)
		fail("cannot open %s: permission denied (a cove module older than uapi 2 lets "
		     "only root in)", dev);
	fail("cannot open %s: %s", dev, strerror(errno));
}

/*
 * The module said EPERM: name who may, and who asked. A root-only command
 * says so; anything else names the enclave's owner, as status tells it.
 */
static void __attribute__((noreturn)) refused(uint32_t id, const char *what)
{
	struct cove_status st;
	char me[CLI_NAME_MAX + 16], owner[2 * CLI_NAME_MAX + 32];

	caller_name(me, sizeof(me));
	if (geteuid() != 0 && cove_current && cove_current->root_only)
		fail("only root may %s; you are %s", cove_current->root_only, me);
	memset(&st, 0, sizeof(st));
	st.id = id;
	if (geteuid() != 0 && cove_fd >= 0 && !ioctl(cove_fd, COVE_IOC_STATUS, &st)) {
		if (!(st.owner.flags & (COVE_OWNER_UID | COVE_OWNER_GID)))
			fail("enclave %u has no owner: only root may use it; you are %s", id, me);
		owner_describe(&st.owner, owner, sizeof(owner));
		fail("enclave %u belongs to %s; you are %s", id, owner, me);
	}
	fail("%s enclave %u: permission denied (dmesg has the module's reason)", what, id);
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
		refused(id, what);
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
