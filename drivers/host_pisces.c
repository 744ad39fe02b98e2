// SPDX-License-Identifier: GPL-2.0
/*
 * Serving a Pisces host's control buffer: the enclave side of Pisces's
 * xbuf protocol (include/cove/pisces_abi.h), each Pisces command mapped
 * onto Cove's own control handler, each answered with Pisces's status
 * convention (0, or -1). The host wrote every byte here, so each length is
 * bounded by our own copy of the buffer's size, never by its header.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/job.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/pisces_abi.h>
#include <cove/pisces_job.h>
#include <cove/string.h>

#include "host_pisces.h"

/* How long to wait for a host's next chunk before the command is dropped. */
#define HOST_PISCES_SPINS (1UL << 26)
/* The largest command Cove takes (a LAUNCH_JOB is 877 bytes). */
#define HOST_PISCES_MSG_MAX 4096

/* Set once by host_pisces_init (boot CPU); then the boot CPU's serving alone. */
static struct pisces_xbuf *pisces_ctl;
static uint32_t pisces_ctl_cap;		/* our copy of total_size */
static volatile uint64_t *pisces_flags;
static uint8_t pisces_msg[HOST_PISCES_MSG_MAX];
static char pisces_line[JOB_LINE_MAX];

static void xbuf_raise(uint64_t f)
{
	__atomic_fetch_or(&pisces_ctl->flags, f, __ATOMIC_SEQ_CST);
}

static void xbuf_lower(uint64_t f)
{
	__atomic_fetch_and(&pisces_ctl->flags, ~f, __ATOMIC_SEQ_CST);
}

static uint64_t xbuf_flags(void)
{
	return __atomic_load_n(&pisces_ctl->flags, __ATOMIC_ACQUIRE);
}

int host_pisces_init(const struct boot_info *bi, void (*doorbell)(void))
{
	struct pisces_xbuf *x = phys_to_virt(bi->control_chan.base);
	uint64_t cap = bi->control_chan.size - PISCES_XBUF_HDR;	/* boot checked the size */

	pisces_ctl_cap = (uint32_t)MIN(cap, (uint64_t)UINT32_MAX);
	pisces_flags = bi->host_ready_flag ? phys_to_virt(bi->host_ready_flag) : NULL;
	x->enclave_cpu = bi->cpus[0].apic_id;
	x->enclave_vector = HOST_PISCES_VECTOR;
	x->total_size = pisces_ctl_cap;
	x->data_len = 0;
	pisces_ctl = x;
	__atomic_store_n(&x->flags, PISCES_XBUF_READY, __ATOMIC_RELEASE);
	if (arch_doorbell_init(HOST_PISCES_VECTOR, doorbell)) {
		pr_err("host: vector %#x for the Pisces control buffer is taken\n",
		       HOST_PISCES_VECTOR);
		return -EBUSY;
	}
	return 0;
}

void host_pisces_set_up(bool up)
{
	if (!pisces_flags)
		return;
	if (up)
		__atomic_fetch_or(pisces_flags, PISCES_FLAG_INITIALIZED, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(pisces_flags, ~PISCES_FLAG_INITIALIZED, __ATOMIC_RELEASE);
}

bool host_pisces_pending(void)
{
	uint64_t f;

	if (!pisces_ctl)
		return false;
	f = xbuf_flags();
	return (f & (PISCES_XBUF_READY | PISCES_XBUF_PENDING | PISCES_XBUF_STAGED)) ==
	       (PISCES_XBUF_READY | PISCES_XBUF_PENDING | PISCES_XBUF_STAGED) &&
	       !(f & (PISCES_XBUF_ACTIVE | PISCES_XBUF_COMPLETE));
}

bool host_pisces_urgent(void)
{
	uint64_t cmd;

	if (!host_pisces_pending())
		return false;
	memcpy(&cmd, pisces_ctl->data, sizeof(cmd));
	return cmd == PISCES_CMD_SHUTDOWN || cmd == PISCES_CMD_LAUNCH_JOB;
}

static bool xbuf_wait_staged(void)
{
	for (unsigned long i = 0; i < HOST_PISCES_SPINS; i++) {
		if (xbuf_flags() & PISCES_XBUF_STAGED)
			return true;
		arch_cpu_relax();
	}
	return false;
}

/*
 * Take the message chunk by chunk into pisces_msg; what does not fit is
 * taken and dropped, so the host is never left waiting. Returns the bytes
 * kept, or -E2BIG / -ETIMEDOUT.
 */
static int xbuf_receive(uint32_t *kept)
{
	uint32_t total = __atomic_load_n(&pisces_ctl->data_len, __ATOMIC_ACQUIRE);
	uint32_t left = total, got = 0;

	while (left) {
		uint32_t chunk = MIN(left, pisces_ctl_cap);
		uint32_t room = got < sizeof(pisces_msg) ? (uint32_t)sizeof(pisces_msg) - got : 0;

		if (!xbuf_wait_staged())
			return -ETIMEDOUT;
		memcpy(pisces_msg + got, pisces_ctl->data, MIN(chunk, room));
		got += MIN(chunk, room);
		left -= chunk;
		xbuf_lower(PISCES_XBUF_STAGED);
	}
	*kept = got;
	return total > sizeof(pisces_msg) ? -E2BIG : 0;
}

/* Pisces's answer: a status and no data, staged in one chunk. */
static void xbuf_answer(uint64_t status)
{
	struct pisces_resp resp = { .status = status, .data_len = 0 };

	xbuf_lower(PISCES_XBUF_ACTIVE);
	memcpy(pisces_ctl->data, &resp, PISCES_MSG_HDR);
	pisces_ctl->data_len = PISCES_MSG_HDR;
	xbuf_raise(PISCES_XBUF_STAGED);
	xbuf_raise(PISCES_XBUF_COMPLETE);
}

static const char *pisces_cmd_name(uint64_t cmd)
{
	switch (cmd) {
	case PISCES_CMD_ADD_CPU: return "ADD_CPU";
	case PISCES_CMD_ADD_MEM: return "ADD_MEM";
	case PISCES_CMD_REMOVE_CPU: return "REMOVE_CPU";
	case PISCES_CMD_REMOVE_MEM: return "REMOVE_MEM";
	case PISCES_CMD_LAUNCH_JOB: return "LAUNCH_JOB";
	case PISCES_CMD_LOAD_FILE: return "LOAD_FILE";
	case PISCES_CMD_STORE_FILE: return "STORE_FILE";
	case PISCES_CMD_SHUTDOWN: return "SHUTDOWN";
	default: return "an unknown command";
	}
}

/* One command, as Cove's own request; 0 or -errno, the reason on the console. */
static int32_t pisces_dispatch(host_pisces_control_fn control, uint32_t len)
{
	struct pisces_cmd hdr;
	uint64_t arg[6] = { 0 };
	uint32_t op, plen = 0;
	char err[160];
	int32_t rc;

	memcpy(&hdr, pisces_msg, PISCES_MSG_HDR);
	/* A command's body is what came, whatever its header claims. */
	switch (hdr.cmd) {
	case PISCES_CMD_ADD_MEM:
	case PISCES_CMD_REMOVE_MEM: {
		struct pisces_cmd_mem m;

		if (len < sizeof(m)) {
			ksnprintf(err, sizeof(err), "%u bytes, too short", len);
			goto bad;
		}
		memcpy(&m, pisces_msg, sizeof(m));
		arg[0] = m.phys_addr;
		arg[1] = m.size;
		op = hdr.cmd == PISCES_CMD_ADD_MEM ? COVE_CTL_ADD_MEM : COVE_CTL_REMOVE_MEM;
		break;
	}
	case PISCES_CMD_LAUNCH_JOB: {
		struct pisces_cmd_launch_job lj;

		if (len < sizeof(lj)) {
			ksnprintf(err, sizeof(err), "%u bytes, not a job", len);
			goto bad;
		}
		memcpy(&lj, pisces_msg, sizeof(lj));
		if (pisces_job_line(&lj.spec, pisces_line, sizeof(pisces_line), err, sizeof(err)))
			goto bad;
		kprintf("host: Pisces LAUNCH_JOB %.*s: %s\n", (int)strnlen(lj.spec.name,
			sizeof(lj.spec.name)), lj.spec.name, pisces_line);
		op = HOST_CTL_LAUNCH_LOCAL;
		plen = (uint32_t)strlen(pisces_line);
		break;
	}
	case PISCES_CMD_SHUTDOWN:
		op = COVE_CTL_SHUTDOWN;
		break;
	case PISCES_CMD_ADD_CPU:
		/*
		 * A core Cove adds must already wait in the protection layer's
		 * entry, as only a loader that speaks the extension starts it:
		 * refused at once rather than after the wait for it.
		 */
		ksnprintf(err, sizeof(err), "cores are added only by a loader with Cove's "
			  "extension (they must wait in the protection layer's entry)");
		goto bad;
	case PISCES_CMD_REMOVE_CPU:
		ksnprintf(err, sizeof(err), "Cove does not give cores back while it runs");
		goto bad;
	case PISCES_CMD_LOAD_FILE:
	case PISCES_CMD_STORE_FILE:
		ksnprintf(err, sizeof(err), "files come from the initrd here (no host file "
			  "service without Cove's extension)");
		goto bad;
	default:
		ksnprintf(err, sizeof(err), "command %lu", (unsigned long)hdr.cmd);
		goto bad;
	}
	rc = control(op, arg, 0, pisces_line, &plen, sizeof(pisces_line));
	if (rc < 0)
		pr_err("host: Pisces %s refused: %.*s (%d)\n", pisces_cmd_name(hdr.cmd),
		       (int)MIN(plen, sizeof(pisces_line)), pisces_line, rc);
	return rc;
bad:
	pr_err("host: Pisces %s refused: %s\n", pisces_cmd_name(hdr.cmd), err);
	return -EINVAL;
}

bool host_pisces_serve(host_pisces_control_fn control)
{
	uint32_t len = 0;
	int rc;

	if (!host_pisces_pending())
		return false;
	rc = xbuf_receive(&len);
	xbuf_raise(PISCES_XBUF_ACTIVE);
	if (rc == -ETIMEDOUT) {
		pr_err("host: the Pisces host stopped sending a command midway; dropped\n");
	} else if (rc || len < PISCES_MSG_HDR) {
		pr_err("host: a Pisces command of %u bytes; refused\n", len);
		rc = -EINVAL;
	} else {
		rc = pisces_dispatch(control, len);
	}
	xbuf_answer(rc < 0 ? PISCES_STATUS_ERR : PISCES_STATUS_OK);
	return true;
}
