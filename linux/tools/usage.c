// SPDX-License-Identifier: GPL-2.0
/*
 * What an ended job's ranks used, as the module kept it (COVE_IOC_JOB_USAGE),
 * for `cove status` and `cove run --times`: user and system CPU time, peak
 * memory and minor faults, each rank's and the job's.
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
	if (ioctl(fd, COVE_IOC_JOB_USAGE, &out->u)) {
		memset(out, 0, sizeof(*out));
		return false;	/* gone, or a module before it (ENOTTY) */
	}
	/* More ranks than we gave room for: the rest are not ours to read. */
	if (out->u.nr > USAGE_RANKS_MAX)
		out->u.nr = USAGE_RANKS_MAX;
	if (!(out->u.flags & COVE_JOB_USAGE))
		out->u.nr = 0;
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

const char *job_usage_state(const struct job_usage *ju)
{
	return ju->u.flags & COVE_JOB_USAGE ? "reported" :
	       ju->u.flags & COVE_JOB_USAGE_REFUSED ? "refused" : "none";
}

void job_usage_json(const struct job_usage *ju)
{
	char wall[32];

	usage_seconds(wall, sizeof(wall), ju->u.wall_ns);
	printf("\"wall_s\": %s, \"usage\": \"%s\", ", wall, job_usage_state(ju));
	if (!(ju->u.flags & COVE_JOB_USAGE)) {
		printf("\"user_s\": null, \"system_s\": null, \"maxrss_kib\": null, "
		       "\"minflt\": null, \"rank_usage\": []");
		return;
	}
	usage_json_times(&ju->u.total);
	printf(", \"rank_usage\": [");
	for (uint32_t r = 0; r < ju->u.nr; r++) {
		printf("%s{\"rank\": %u, ", r ? ", " : "", r);
		usage_json_times(&ju->rank[r]);
		printf("}");
	}
	printf("]");
}

static void usage_text_times(FILE *f, const char *what, const struct cove_rank_times *t)
{
	char u[32], s[32];

	usage_seconds(u, sizeof(u), t->user_ns);
	usage_seconds(s, sizeof(s), t->system_ns);
	fprintf(f, "%suser %s s, system %s s, peak memory %" PRIu64 " KiB, %" PRIu64
		" minor faults\n", what, u, s, (uint64_t)t->maxrss_kib, (uint64_t)t->minflt);
}

void job_usage_text(FILE *f, const char *prefix, const struct job_usage *ju)
{
	char what[96];

	if (!(ju->u.flags & COVE_JOB_USAGE)) {
		fprintf(f, "%s%s\n", prefix, ju->u.flags & COVE_JOB_USAGE_REFUSED ?
			"Cove's usage report was refused (the kernel log says why)" :
			"no usage reported (an older Cove)");
		return;
	}
	snprintf(what, sizeof(what), "%sall ranks: ", prefix);
	usage_text_times(f, what, &ju->u.total);
	for (uint32_t r = 0; ju->u.nr > 1 && r < ju->u.nr; r++) {
		snprintf(what, sizeof(what), "%srank %u: ", prefix, r);
		usage_text_times(f, what, &ju->rank[r]);
	}
}
