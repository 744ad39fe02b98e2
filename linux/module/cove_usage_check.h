/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a job's ranks used, as Cove reports it with the job's end
 * (COVE_JOB_EXIT_USAGE, pisces_abi.h): every byte enclave-written, so each
 * figure is checked against what the host knows on its own -- its clock
 * since the launch, the job's cores, the enclave's memory -- before the
 * host keeps any. Pure, so the unit test and the fuzz harness run it too.
 */
#ifndef COVE_USAGE_CHECK_H
#define COVE_USAGE_CHECK_H

#ifndef COVE_USAGE_USER
#include <linux/types.h>
#include <cove/pisces_abi.h>
#endif

/* A job's ranks at most: one per enclave core (COVE_LC_JOB_START says no more). */
#define COVE_USAGE_MAX_RANKS COVE_MAX_ENCLAVE_CPUS

/* The host's own view of the job, none of it from the enclave's report. */
struct cove_usage_bounds {
	u64 wall_ns;		/* host time from its launch to its end */
	u32 cores;		/* its cores, as the checked COVE_LC_JOB_START named them */
	u32 ranks;		/* its ranks, the same way */
	u64 mem_kib;		/* the enclave's memory */
};

/*
 * Check a report: arg1 and arg2 of the JOB_EXIT, then len bytes of payload,
 * copied once into out[] (room for COVE_USAGE_MAX_RANKS). 0 with out[0..nr)
 * and *total (sums; maxrss the largest rank's) filled, or -EINVAL with why
 * (whylen bytes) saying what was wrong, naming the rank. Nothing is ever
 * clamped: a report with one impossible figure says nothing true.
 */
int cove_usage_check(u64 marker, u64 nr, const void *payload, u32 len,
		     const struct cove_usage_bounds *b, struct cove_rank_usage *out,
		     struct cove_rank_usage *total, char *why, size_t whylen);

#endif /* COVE_USAGE_CHECK_H */
