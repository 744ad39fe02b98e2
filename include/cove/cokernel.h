/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Co-kernel mode: what this kernel does for its host once it is up (serve
 * the control channel, run the jobs the host launches, report their ends).
 */
#ifndef COVE_COKERNEL_H
#define COVE_COKERNEL_H

#include <cove/types.h>

struct boot_info;

/* After boot: tell the host we are ready and serve it forever. */
void cokernel_main(struct boot_info *bi) __noreturn;
/* The host rang (interrupt context, boot CPU). */
void cokernel_doorbell(void);
/*
 * One control request (COVE_CTL_*): result >= 0 or -errno; a reply
 * payload (an error message) may replace the request's, *len updated.
 */
int32_t cokernel_control(uint32_t op, const uint64_t arg[6], uint32_t job, char *payload,
			 uint32_t *len, uint32_t cap);
/* The run ends: tell the host, stop every CPU where the host can take it back. */
void cokernel_exit(int status) __noreturn;

/*
 * init/job.c: start host job host_job (not 0). One that cannot start (busy,
 * bad line, no such program) ends at once: the reason on its stderr, 127.
 */
void job_start_host(uint32_t host_job, const char *line);
/* Whether a host job is running. */
bool job_host_busy(void);
/* Kill the running host job's ranks (SIGKILL); -ESRCH if it is not running. */
int job_kill_host(uint32_t host_job);

#endif /* COVE_COKERNEL_H */
