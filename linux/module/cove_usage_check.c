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
/*
 * A minor fault, a switch, a kernel entry, an offloaded call: each costs
 * far more than this; more of any than that per core is a lie.
 */
#define USAGE_EVENT_NS 100ULL
#define USAGE_EVENTS_FREE 10000ULL

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

/* The first count of r past bound, by name, or NULL. */
static const char *cove_usage_count_over(const struct cove_rank_usage *r, u64 bound)
{
	if (r->switches > bound)
		return "context switches";
	if (r->migrations > bound)
		return "migrations";
	if (r->kentries > bound)
		return "kernel entries";
	if (r->offloaded > bound)
		return "offloaded calls";
	return NULL;
}

static void cove_usage_add(struct cove_rank_usage *total, const struct cove_rank_usage *r)
{
	total->utime_ns += r->utime_ns;
	total->stime_ns += r->stime_ns;
	total->minflt += r->minflt;
	if (r->maxrss_kib > total->maxrss_kib)
		total->maxrss_kib = r->maxrss_kib;
	total->switches += r->switches;
	total->migrations += r->migrations;
	total->kentries += r->kentries;
	total->offloaded += r->offloaded;
}

int cove_usage_check(u64 marker, u64 nr, const void *payload, u32 len,
		     const struct cove_usage_bounds *b, struct cove_rank_usage *out,
		     struct cove_rank_usage *total, char *why, size_t whylen)
{
	u64 limit, events, cpu = 0;
	const char *over;
	size_t each;
	u32 i;

	if (marker == COVE_JOB_EXIT_COUNTS)
		each = sizeof(*out);
	else if (marker == COVE_JOB_EXIT_USAGE)
		each = COVE_RANK_USAGE_V1;
	else
		return cove_usage_bad(why, whylen, "unknown report kind %#llx",
				      (unsigned long long)marker);
	if (!b->ranks || !b->cores || b->ranks > COVE_USAGE_MAX_RANKS)
		return cove_usage_bad(why, whylen, "the job never said it started");
	if (nr != b->ranks)
		return cove_usage_bad(why, whylen, "%llu ranks reported, the job started %u",
				      (unsigned long long)nr, b->ranks);
	if (len != nr * each)
		return cove_usage_bad(why, whylen, "%u bytes for %u ranks (%zu each)", len,
				      b->ranks, each);
	/* One copy: the enclave may rewrite the slot while we look. An older report has no counts. */
	memset(out, 0, nr * sizeof(*out));
	for (i = 0; i < nr; i++)
		memcpy(&out[i], (const u8 *)payload + i * each, each);
	limit = cove_usage_cpu_limit(b);
	events = limit / USAGE_EVENT_NS + USAGE_EVENTS_FREE;
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
		if (r->minflt > events)
			return cove_usage_bad(why, whylen, "rank %u: %llu page faults in %llu ns",
					      i, (unsigned long long)r->minflt,
					      (unsigned long long)b->wall_ns);
		over = cove_usage_count_over(r, events);
		if (over)
			return cove_usage_bad(why, whylen, "rank %u: more %s than %llu ns allow",
					      i, over, (unsigned long long)b->wall_ns);
		cpu += r->utime_ns + r->stime_ns;
		cove_usage_add(total, r);
	}
	/* Each rank had the job's cores to itself at most; all of them together, too. */
	if (cpu > limit)
		return cove_usage_bad(why, whylen, "CPU time of all ranks %llu ns, more than %u "
				      "cores give in %llu ns", (unsigned long long)cpu, b->cores,
				      (unsigned long long)b->wall_ns);
	if (total->minflt > events)
		return cove_usage_bad(why, whylen, "%llu page faults in all in %llu ns",
				      (unsigned long long)total->minflt,
				      (unsigned long long)b->wall_ns);
	over = cove_usage_count_over(total, events);
	if (over)
		return cove_usage_bad(why, whylen, "all ranks: more %s than %llu ns allow", over,
				      (unsigned long long)b->wall_ns);
	return 0;
}
