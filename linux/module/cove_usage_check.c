// SPDX-License-Identifier: GPL-2.0
/* A job's usage report, checked figure by figure (cove_usage_check.h). */
#ifndef COVE_USAGE_USER
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#endif
#include "cove_usage_check.h"

/*
 * Cove measures with its own calibration of the cycle counter, the host
 * with its clock: grant a rank this much more than the wall time allows
 * (an eighth, and 50 ms for a job too short for a fraction to matter).
 */
#define USAGE_SLACK_NS 50000000ULL
/* A minor fault costs far more than this; more faults than that per core is a lie. */
#define USAGE_FAULT_NS 100ULL
#define USAGE_FAULTS_FREE 10000ULL

static int cove_usage_bad(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cove_usage_bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* CPU time the job's cores give in its wall time, slack included, capped far from overflow. */
static u64 cove_usage_cpu_limit(const struct cove_usage_bounds *b)
{
	const u64 cap = ~0ULL / (4 * COVE_USAGE_MAX_RANKS);
	u64 wall = b->wall_ns + b->wall_ns / 8 + USAGE_SLACK_NS;

	if (wall < b->wall_ns || wall > cap / b->cores)
		return cap;
	return wall * b->cores;
}

int cove_usage_check(u64 marker, u64 nr, const void *payload, u32 len,
		     const struct cove_usage_bounds *b, struct cove_rank_usage *out,
		     struct cove_rank_usage *total, char *why, size_t whylen)
{
	u64 limit, faults, cpu = 0;
	u32 i;

	if (marker != COVE_JOB_EXIT_USAGE)
		return cove_usage_bad(why, whylen, "unknown report kind %#llx",
				      (unsigned long long)marker);
	if (!b->ranks || !b->cores || b->ranks > COVE_USAGE_MAX_RANKS)
		return cove_usage_bad(why, whylen, "the job never said it started");
	if (nr != b->ranks)
		return cove_usage_bad(why, whylen, "%llu ranks reported, the job started %u",
				      (unsigned long long)nr, b->ranks);
	if (len != nr * sizeof(*out))
		return cove_usage_bad(why, whylen, "%u bytes for %u ranks (%zu each)", len,
				      b->ranks, sizeof(*out));
	/* One copy: the enclave may rewrite the slot while we look. */
	memcpy(out, payload, len);
	limit = cove_usage_cpu_limit(b);
	faults = limit / USAGE_FAULT_NS + USAGE_FAULTS_FREE;
	memset(total, 0, sizeof(*total));
	for (i = 0; i < b->ranks; i++) {
		const struct cove_rank_usage *r = &out[i];

		if (r->utime_ns > limit || r->stime_ns > limit ||
		    r->utime_ns + r->stime_ns > limit)
			return cove_usage_bad(why, whylen, "rank %u: CPU time %llu + %llu ns, more "
					      "than %u cores give in %llu ns", i,
					      (unsigned long long)r->utime_ns,
					      (unsigned long long)r->stime_ns, b->cores,
					      (unsigned long long)b->wall_ns);
		if (r->maxrss_kib > b->mem_kib)
			return cove_usage_bad(why, whylen, "rank %u: peak memory %llu KiB, more "
					      "than the enclave's %llu KiB", i,
					      (unsigned long long)r->maxrss_kib,
					      (unsigned long long)b->mem_kib);
		if (r->minflt > faults)
			return cove_usage_bad(why, whylen, "rank %u: %llu page faults in %llu ns",
					      i, (unsigned long long)r->minflt,
					      (unsigned long long)b->wall_ns);
		cpu += r->utime_ns + r->stime_ns;
		total->utime_ns += r->utime_ns;
		total->stime_ns += r->stime_ns;
		total->minflt += r->minflt;
		if (r->maxrss_kib > total->maxrss_kib)
			total->maxrss_kib = r->maxrss_kib;
	}
	/* Each rank had the job's cores to itself at most; all of them together, too. */
	if (cpu > limit)
		return cove_usage_bad(why, whylen, "CPU time of all ranks %llu ns, more than %u "
				      "cores give in %llu ns", (unsigned long long)cpu, b->cores,
				      (unsigned long long)b->wall_ns);
	if (total->minflt > faults)
		return cove_usage_bad(why, whylen, "%llu page faults in all in %llu ns",
				      (unsigned long long)total->minflt,
				      (unsigned long long)b->wall_ns);
	return 0;
}
