// SPDX-License-Identifier: GPL-2.0
/*
 * Co-kernel mode after boot: the boot CPU serves the host's control channel
 * from its idle loop; jobs the host launches run like bare-mode jobs, several
 * at once, with their output and end sent back to the host instead of the
 * console.
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
#include <cove/offload.h>
#include <cove/partition.h>
#include <cove/pisces_abi.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/smp.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/vmm.h>
#include <cove/xemem.h>

/* Set by the control handler, acted on once its reply is out. */
static volatile bool cokernel_shutdown_requested;

/*
 * Launches accepted but not started: starting needs long calls (the
 * executable is read from the host), which each launcher serves only after
 * its launch request has been answered. An MPI launcher starts all its
 * ranks' `cove run` at once, so several may wait here. The control handler
 * (the boot CPU, from its doorbell or its idle loop) adds at the head; the
 * idle work takes from the tail; both under cokernel_launch_lock.
 */
#define COKERNEL_LAUNCH_QUEUE 16
struct cokernel_launch {
	uint32_t job;			/* the host's id; 0 for a local job */
	bool local;			/* from the initramfs, output on the console */
	bool killed;			/* killed before it started */
	char line[JOB_LINE_MAX];
};
static struct cokernel_launch cokernel_launches[COKERNEL_LAUNCH_QUEUE];
static uint32_t cokernel_launch_head, cokernel_launch_tail;
static spinlock_t cokernel_launch_lock = SPINLOCK_INIT;

/* The oldest waiting launch, copied out, or false. */
static bool cokernel_launch_take(struct cokernel_launch *out)
{
	unsigned long flags = spin_lock_irqsave(&cokernel_launch_lock);
	bool any = cokernel_launch_tail != cokernel_launch_head;

	if (any) {
		*out = cokernel_launches[cokernel_launch_tail % COKERNEL_LAUNCH_QUEUE];
		cokernel_launch_tail++;
	}
	spin_unlock_irqrestore(&cokernel_launch_lock, flags);
	return any;
}

static int cokernel_launch_add(uint32_t job, bool local, const char *line, uint32_t len)
{
	unsigned long flags = spin_lock_irqsave(&cokernel_launch_lock);
	struct cokernel_launch *l;
	int rc = -EBUSY;

	if (cokernel_launch_head - cokernel_launch_tail < COKERNEL_LAUNCH_QUEUE) {
		l = &cokernel_launches[cokernel_launch_head % COKERNEL_LAUNCH_QUEUE];
		l->job = job;
		l->local = local;
		l->killed = false;
		memcpy(l->line, line, len);
		l->line[len] = 0;
		cokernel_launch_head++;
		rc = 0;
	}
	spin_unlock_irqrestore(&cokernel_launch_lock, flags);
	return rc;
}

/* A kill for a job still waiting to start: it will not. */
static bool cokernel_launch_kill(uint32_t job)
{
	unsigned long flags = spin_lock_irqsave(&cokernel_launch_lock);
	bool found = false;

	for (uint32_t i = cokernel_launch_tail; i != cokernel_launch_head; i++) {
		struct cokernel_launch *l = &cokernel_launches[i % COKERNEL_LAUNCH_QUEUE];

		if (l->job == job) {
			l->killed = true;
			found = true;
		}
	}
	spin_unlock_irqrestore(&cokernel_launch_lock, flags);
	return found;
}

/* The partition description; set once by cokernel_init. */
static struct boot_info *cokernel_bi;

/* Serve the control channel; from the idle loop or the doorbell. */
static bool cokernel_serve(void)
{
	bool any = host_serve_control();

	if (cokernel_shutdown_requested)
		kernel_exit(EXIT_OK);
	return any;
}

/* The boot CPU's idle work: requests, then the jobs they queued (long calls: never in IRQ). */
static bool cokernel_idle_work(void)
{
	bool any = cokernel_serve();

	for (;;) {
		static struct cokernel_launch l;	/* boot CPU's idle work only */

		if (!cokernel_launch_take(&l))
			break;
		if (l.local)
			job_start_local(l.line);
		else if (l.killed)
			job_refuse_host(l.job, "killed before it started", SIGKILL);
		else
			job_start_host(l.job, l.line);
		any = true;
	}
	return any;
}

/* The host rang (interrupt context, boot CPU). */
static void cokernel_doorbell(void)
{
	/*
	 * Requests are served from the boot CPU's idle loop. Those that must
	 * not wait for a running job (kill, a signal -- its threads may be
	 * waiting for the host on this very core -- shutdown, and a launch,
	 * which only queues the job while another may run here) are cheap and
	 * safe here.
	 */
	sched_idle_work_kick();
	if (host_control_urgent())
		cokernel_serve();
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
		/* Whether its cores are free is decided when it starts, in order. */
		if (!arg[0] || arg[0] > UINT32_MAX)
			return cokernel_reply(payload, len, cap, -EINVAL, "bad job id");
		if (*len >= JOB_LINE_MAX)
			return cokernel_reply(payload, len, cap, -E2BIG, "job line too long");
		if (cokernel_launch_add((uint32_t)arg[0], false, payload, *len))
			return cokernel_reply(payload, len, cap, -EBUSY,
					      "too many jobs waiting to start");
		sched_idle_work_kick();
		return cokernel_reply(payload, len, cap, 0, "");
	case HOST_CTL_LAUNCH_LOCAL:
		if (*len >= JOB_LINE_MAX)
			return cokernel_reply(payload, len, cap, -E2BIG, "job line too long");
		if (cokernel_launch_add(0, true, payload, *len))
			return cokernel_reply(payload, len, cap, -EBUSY,
					      "too many jobs waiting to start");
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
		if (op == COVE_CTL_KILL && cokernel_launch_kill((uint32_t)arg[0]))
			return cokernel_reply(payload, len, cap, 0, "");
		rc = job_signal_host((uint32_t)arg[0], op == COVE_CTL_KILL ? SIGKILL : (int)arg[1]);
		if (rc == -ESRCH)	/* a forked process's own proxy: that process alone */
			rc = offload_signal_forked((uint32_t)arg[0],
						   op == COVE_CTL_KILL ? SIGKILL : (int)arg[1]);
		return cokernel_reply(payload, len, cap, rc, rc < 0 ? "no such job running" : "");
	case COVE_CTL_JOB_USAGE: {
		uint32_t nr = 0;

		rc = arg[0] > UINT32_MAX || arg[1] > UINT32_MAX ? -EINVAL :
		     job_usage_host((uint32_t)arg[0], (uint32_t)arg[1],
				    (struct cove_rank_usage *)payload,
				    cap / (uint32_t)sizeof(struct cove_rank_usage), &nr);
		if (rc < 0)
			return cokernel_reply(payload, len, cap, rc, "no such job running");
		*len = nr * (uint32_t)sizeof(struct cove_rank_usage);
		return rc;
	}
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
