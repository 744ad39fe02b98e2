// SPDX-License-Identifier: GPL-2.0
/*
 * What an ended job's ranks used and did, as the module kept it
 * (COVE_IOC_JOB_USAGE), for `cove status`, `cove run --times` and
 * `--perf`: user and system CPU time, peak memory and minor faults, and the
 * counts (switches, migrations, kernel entries, offloaded calls), each
 * rank's and the job's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include "cove.h"

bool job_usage_get(int fd, uint32_t id, uint32_t job, struct job_usage *out)
{
	memset(out, 0, sizeof(*out));
	out->u.id = id;
	out->u.job = job;
	out->u.nr = USAGE_RANKS_MAX;
	out->u.buf_ptr = (uintptr_t)out->rank;
	out->u.counts_ptr = (uintptr_t)out->counts;
	if (ioctl(fd, COVE_IOC_JOB_USAGE, &out->u)) {
		memset(out, 0, sizeof(*out));
		return false;	/* gone, or a module before it (ENOTTY) */
	}
	/* More ranks than we gave room for: the rest are not ours to read. */
	if (out->u.nr > USAGE_RANKS_MAX)
		out->u.nr = USAGE_RANKS_MAX;
	if (!(out->u.flags & COVE_JOB_USAGE)) {
		out->u.nr = 0;
		out->u.flags &= ~COVE_JOB_COUNTS;
	}
	return true;
}

/* Seconds with microseconds, as JSON and people read them. */
static void usage_seconds(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, (uint64_t)(ns / 1000000000U),
		 (uint64_t)(ns % 1000000000U / 1000U));
}

static void usage_json_times(const struct cove_rank_times *t)
{
	char u[32], s[32];

	usage_seconds(u, sizeof(u), t->user_ns);
	usage_seconds(s, sizeof(s), t->system_ns);
	printf("\"user_s\": %s, \"system_s\": %s, \"maxrss_kib\": %" PRIu64 ", \"minflt\": %"
	       PRIu64, u, s, (uint64_t)t->maxrss_kib, (uint64_t)t->minflt);
}

/* The counts' members, null when Cove sent none (c NULL). */
static void usage_json_counts(const struct cove_rank_counts *c)
{
	if (!c) {
		printf(", \"switches\": null, \"migrations\": null, \"kernel_entries\": null, "
		       "\"offloaded\": null");
		return;
	}
	printf(", \"switches\": %" PRIu64 ", \"migrations\": %" PRIu64 ", \"kernel_entries\": %"
	       PRIu64 ", \"offloaded\": %" PRIu64, (uint64_t)c->switches, (uint64_t)c->migrations,
	       (uint64_t)c->kentries, (uint64_t)c->offloaded);
}

const char *job_usage_state(const struct job_usage *ju)
{
	return ju->u.flags & COVE_JOB_USAGE_SO_FAR ? "so far" :
	       ju->u.flags & COVE_JOB_USAGE ? "reported" :
	       ju->u.flags & COVE_JOB_USAGE_REFUSED ? "refused" :
	       ju->u.flags & COVE_JOB_USAGE_PENDING ? "pending" : "none";
}

void job_usage_json(const struct job_usage *ju)
{
	bool counted = ju->u.flags & COVE_JOB_COUNTS;
	char wall[32];

	usage_seconds(wall, sizeof(wall), ju->u.wall_ns);
	printf("\"wall_s\": %s, \"usage\": \"%s\", ", wall, job_usage_state(ju));
	if (!(ju->u.flags & COVE_JOB_USAGE)) {
		printf("\"user_s\": null, \"system_s\": null, \"maxrss_kib\": null, "
		       "\"minflt\": null");
		usage_json_counts(NULL);
		printf(", \"rank_usage\": []");
		return;
	}
	usage_json_times(&ju->u.total);
	usage_json_counts(counted ? &ju->u.counts_total : NULL);
	printf(", \"rank_usage\": [");
	for (uint32_t r = 0; r < ju->u.nr; r++) {
		printf("%s{\"rank\": %u, ", r ? ", " : "", r);
		usage_json_times(&ju->rank[r]);
		usage_json_counts(counted ? &ju->counts[r] : NULL);
		printf("}");
	}
	printf("]");
}

typedef void usage_line_fn(FILE *f, const char *what, const struct cove_rank_times *t,
			   const struct cove_rank_counts *c);

static void usage_text_times(FILE *f, const char *what, const struct cove_rank_times *t,
			     const struct cove_rank_counts *c)
{
	char u[32], s[32];

	(void)c;
	usage_seconds(u, sizeof(u), t->user_ns);
	usage_seconds(s, sizeof(s), t->system_ns);
	fprintf(f, "%suser %s s, system %s s, peak memory %" PRIu64 " KiB, %" PRIu64
		" minor faults\n", what, u, s, (uint64_t)t->maxrss_kib, (uint64_t)t->minflt);
}

static void usage_text_counts(FILE *f, const char *what, const struct cove_rank_times *t,
			      const struct cove_rank_counts *c)
{
	uint64_t us = (t->user_ns + t->system_ns) / 1000U;

	fprintf(f, "%stask-clock %" PRIu64 ".%03u ms, %" PRIu64 " context switches, %" PRIu64
		" CPU migrations, %" PRIu64 " page faults, %" PRIu64 " kernel entries, %" PRIu64
		" offloaded calls\n", what, us / 1000U, (unsigned int)(us % 1000U),
		(uint64_t)c->switches, (uint64_t)c->migrations, (uint64_t)t->minflt,
		(uint64_t)c->kentries, (uint64_t)c->offloaded);
}

/*
 * The job's line ("all ranks") and, with more than one rank, each rank's,
 * by line(); or why there are none, when flag is not in the report.
 */
static void usage_text_lines(FILE *f, const char *prefix, const struct job_usage *ju,
			     uint32_t flag, const char *none, usage_line_fn *line)
{
	char what[96];

	if (!(ju->u.flags & flag)) {
		fprintf(f, "%s%s\n", prefix, ju->u.flags & COVE_JOB_USAGE_REFUSED ?
			"Cove's usage report was refused (the kernel log says why)" :
			ju->u.flags & COVE_JOB_USAGE_PENDING ?
			"not reported yet: a signal ended the job while its ranks were ending "
			"(cove status shows them once they are gone)" : none);
		return;
	}
	snprintf(what, sizeof(what), "%sall ranks: ", prefix);
	line(f, what, &ju->u.total, &ju->u.counts_total);
	for (uint32_t r = 0; ju->u.nr > 1 && r < ju->u.nr; r++) {
		snprintf(what, sizeof(what), "%srank %u: ", prefix, r);
		line(f, what, &ju->rank[r], &ju->counts[r]);
	}
}

void job_usage_text(FILE *f, const char *prefix, const struct job_usage *ju)
{
	usage_text_lines(f, prefix, ju, COVE_JOB_USAGE, "no usage reported (an older Cove)",
			 usage_text_times);
}

void job_counts_text(FILE *f, const char *prefix, const struct job_usage *ju)
{
	usage_text_lines(f, prefix, ju, COVE_JOB_COUNTS,
			 "no counts reported (an older Cove or cove module)", usage_text_counts);
}
