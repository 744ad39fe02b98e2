/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The co-kernel's host: the channels a Linux loader set up beside the
 * partition (include/cove/pisces_abi.h). In bare mode there is no host and
 * every call here says so (host_present() is false, calls return -ENODEV).
 */
#ifndef COVE_HOST_H
#define COVE_HOST_H

#include <cove/types.h>

struct boot_info;
struct boot_range;
struct cove_host_page;

/* What serves the host: the co-kernel service registers it (cokernel_init). */
struct host_handlers {
	/* The host rang (interrupt context, boot CPU). */
	void (*doorbell)(void);
	/*
	 * One control request (COVE_CTL_*): result >= 0 or -errno; a reply
	 * payload (an error message) may replace the request's, *len updated.
	 */
	int32_t (*control)(uint32_t op, const uint64_t arg[6], uint32_t job, char *payload,
			   uint32_t *len, uint32_t cap);
};

/*
 * A control request of Cove's own making, never on the wire: a job from
 * the enclave's initramfs (a Pisces host's LAUNCH_JOB), output on the
 * console; payload: its job line.
 */
#define HOST_CTL_LAUNCH_LOCAL 0x100

/* Boot CPU, before host_init: h serves the host from then on. */
void host_set_handlers(const struct host_handlers *h);
/* Map the channels and arm the doorbell; 0, or -EINVAL if they are malformed. */
int host_init(const struct boot_info *bi);
bool host_present(void);
/* The host's page (read-only to this kernel), or NULL in bare mode. */
const struct cove_host_page *host_page_view(void);
/* Copy the host page's grants (at most max) into out; returns how many. */
uint32_t host_page_grants(const struct cove_host_page *hp, struct boot_range *out, uint32_t max);
/* Co-kernel: re-read what the host grants into bi->granted (no-op when bare). */
void host_refresh_grants(struct boot_info *bi);

/* Publish COVE_STATE_* (and the exit status) for the host to read. */
void host_set_state(uint32_t state, uint32_t exit_status);

/* A long call's inputs and results (COVE_LC_* ops). */
struct host_call {
	uint32_t op;
	uint32_t job;
	uint64_t arg[6];		/* in, and out when the host sets them */
	const void *in;			/* request payload */
	uint32_t in_len;
	void *out;			/* reply payload */
	uint32_t out_cap;
	uint32_t out_len;		/* out */
};

/* Largest payload either way in one call. */
uint32_t host_call_payload_max(void);
/* Ask the host and wait for its answer: result >= 0, or -errno. */
int64_t host_call(struct host_call *c);
/*
 * The same, but once give_up() says so while waiting, tell the host with
 * a COVE_LC_CANCEL naming this call (it still answers, sooner).
 */
int64_t host_call_cancellable(struct host_call *c, bool (*give_up)(void));
/* Tell the host without waiting for its answer (job exit). */
int host_post(struct host_call *c);

/*
 * The boot CPU, from its idle loop: handle control requests the doorbell
 * announced. Returns true if there was anything to do.
 */
bool host_serve_control(void);
/* Whether the next control request must not wait for idle (kill, signal, shutdown, launch). */
bool host_control_urgent(void);

#endif /* COVE_HOST_H */
