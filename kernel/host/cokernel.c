// SPDX-License-Identifier: GPL-2.0
/*
 * Co-kernel mode after boot: the boot CPU serves the host's control channel
 * from its idle loop; jobs the host launches run like bare-mode jobs, with
 * their output and end sent back to the host instead of the console.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/cokernel.h>
#include <cove/errno.h>
#include <cove/exit.h>
#include <cove/host.h>
#include <cove/job.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/partition.h>
#include <cove/pisces_abi.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/smp.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/vmm.h>
#include <cove/xemem.h>

/* Set by the control handler, acted on once its reply is out. */
static volatile bool cokernel_shutdown_requested;
/*
 * A launch accepted but not started: starting needs long calls (the
 * executable is read from the host), which the host's launcher serves only
 * after its launch request has been answered. Boot CPU only.
 */
static uint32_t cokernel_launch_job;
static char cokernel_launch_line[JOB_LINE_MAX];
/* The partition description; set once by cokernel_init. */
static struct boot_info *cokernel_bi;

static bool cokernel_idle_work(void)
{
	bool any = host_serve_control();

	if (cokernel_shutdown_requested)
		kernel_exit(EXIT_OK);
	if (cokernel_launch_job) {
		uint32_t job = cokernel_launch_job;

		cokernel_launch_job = 0;
		job_start_host(job, cokernel_launch_line);
	}
	return any;
}

/* The host rang (interrupt context, boot CPU). */
static void cokernel_doorbell(void)
{
	/*
	 * Requests are served from the boot CPU's idle loop. Those that must
	 * not wait for a running job (kill, a signal -- its threads may be
	 * waiting for the host on this very core -- shutdown) are cheap and
	 * safe here.
	 */
	sched_idle_work_kick();
	if (host_control_urgent())
		cokernel_idle_work();
}

static int32_t cokernel_reply(char *payload, uint32_t *len, uint32_t cap, int32_t rc,
			      const char *msg)
{
	*len = (uint32_t)ksnprintf(payload, cap, "%s", msg) + 1;
	if (*len > cap)
		*len = cap;
	return rc;
}

/*
 * One control request (COVE_CTL_*): result >= 0 or -errno; a reply
 * payload (an error message) may replace the request's, *len updated.
 */
static int32_t cokernel_control(uint32_t op, const uint64_t arg[6], uint32_t job,
				char *payload, uint32_t *len, uint32_t cap)
{
	int rc;

	(void)job;
	switch (op) {
	case COVE_CTL_LAUNCH:
		if (!arg[0] || arg[0] > UINT32_MAX)
			return cokernel_reply(payload, len, cap, -EINVAL, "bad job id");
		if (cokernel_launch_job || job_host_busy())
			return cokernel_reply(payload, len, cap, -EBUSY,
					      "another job is running in this enclave");
		if (*len >= sizeof(cokernel_launch_line))
			return cokernel_reply(payload, len, cap, -E2BIG, "job line too long");
		memcpy(cokernel_launch_line, payload, *len);
		cokernel_launch_line[*len] = 0;
		cokernel_launch_job = (uint32_t)arg[0];
		sched_idle_work_kick();
		return cokernel_reply(payload, len, cap, 0, "");
	case COVE_CTL_ADD_MEM:
		rc = partition_grow(cokernel_bi, arg[0], arg[1]);
		return cokernel_reply(payload, len, cap, rc,
				      rc ? "the range was refused (see the console)" : "");
	case COVE_CTL_ADD_CPU:
		rc = smp_add_cpu((uint32_t)arg[0]);
		return cokernel_reply(payload, len, cap, rc,
				      rc ? "the core did not come online (see the console)" : "");
	case COVE_CTL_REMOVE_MEM:
		rc = partition_shrink(cokernel_bi, arg[0], arg[1]);
		return cokernel_reply(payload, len, cap, rc,
				      rc == -EBUSY ? "the memory is in use" :
				      rc ? "the range was refused (see the console)" : "");
	case COVE_CTL_KILL:
	case COVE_CTL_SIGNAL:
		if (op == COVE_CTL_SIGNAL && (!arg[1] || arg[1] > NSIG))
			return cokernel_reply(payload, len, cap, -EINVAL, "bad signal number");
		rc = job_signal_host((uint32_t)arg[0], op == COVE_CTL_KILL ? SIGKILL : (int)arg[1]);
		return cokernel_reply(payload, len, cap, rc, rc ? "no such job running" : "");
	case COVE_CTL_XEMEM_REVOKE:
		rc = xemem_host_revoke((uint32_t)arg[0], arg[1]);
		return cokernel_reply(payload, len, cap, rc, rc ? "the segment is still mapped" : "");
	case COVE_CTL_SHUTDOWN:
		cokernel_shutdown_requested = true;
		return cokernel_reply(payload, len, cap, 0, "");
	default:
		return cokernel_reply(payload, len, cap, -EINVAL, "unknown control request");
	}
}

void cokernel_main(struct boot_info *bi)
{
	sched_set_idle_work(cokernel_idle_work);
	kprintf("cove: enclave %u ready for jobs from the host\n", bi->enclave_id);
	host_set_state(COVE_STATE_READY, 0);
	/* Requests that came before the handler was set. */
	sched_idle_work_kick();
	sched_idle_loop();
}

/* The run ends: tell the host, stop every CPU where the host can take it back. */
static void __noreturn cokernel_exit(int status)
{
	arch_irq_disable();
	arch_stop_other_cpus();
	host_set_state(status == EXIT_OK ? COVE_STATE_STOPPED : COVE_STATE_PANIC, (uint32_t)status);
	/* Leave guest mode where the layer allows it, so INIT from the host works. */
	vmm_park_cpu();
	arch_halt_forever();
}

static const struct host_handlers cokernel_host_handlers = {
	.doorbell = cokernel_doorbell,
	.control = cokernel_control,
};

void cokernel_init(struct boot_info *bi)
{
	cokernel_bi = bi;
	host_set_handlers(&cokernel_host_handlers);
	kernel_exit_set_stop(cokernel_exit);
}
