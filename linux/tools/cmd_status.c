// SPDX-License-Identifier: GPL-2.0
/*
 * cove status [ID] [--json]: what each enclave holds, how it is doing, and
 * whose it is. There is no "list" ioctl: ids are few (COVE_MAX_ENCLAVES),
 * so we ask for each and skip the absent ones (ENOENT). Anyone may ask;
 * physical addresses and fault reports come only to root (the module
 * withholds them and says so: COVE_STATUS_REDACTED). Each enclave's jobs
 * come from a second request (COVE_IOC_JOBS), listed under the table; the
 * last few that ended, with what their ranks used (COVE_IOC_JOB_USAGE),
 * in --json and the one-enclave view.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include "cove.h"

#define JOBS_MAX 256		/* listed per enclave: one per core */

/* Running jobs whose figures so far one view asks for (each asking interrupts Cove). */
#define JOBS_SO_FAR_MAX 16

/*
 * An enclave's jobs, oldest first: what the module knows of them. Those
 * that ended (COVE_JOB_ENDED) have their usage in ended[], in list order;
 * the first running ones their figures so far in running[], when asked.
 */
struct job_list {
	uint32_t n, total, nended, nrunning;
	struct cove_job_info job[JOBS_MAX];
	struct job_usage ended[COVE_JOBS_ENDED_MAX];
	struct job_usage running[JOBS_SO_FAR_MAX];
};

static bool job_ended(const struct cove_job_info *j)
{
	return j->flags & COVE_JOB_ENDED;
}

/* so_far: also the running jobs' figures (the owner and root get them). */
static void jobs_get(int fd, uint32_t id, struct job_list *l, bool so_far)
{
	struct cove_jobs req = {
		.id = id, .nr = JOBS_MAX, .flags = COVE_JOBS_ENDED, .buf_ptr = (uintptr_t)l->job,
	};

	l->n = l->total = l->nended = l->nrunning = 0;
	if (ioctl(fd, COVE_IOC_JOBS, &req)) {
		if (errno != ENOENT && errno != ENOTTY)	/* gone, or an older module */
			warn("jobs of enclave %u: %s", id, strerror(errno));
		return;
	}
	l->n = req.nr < JOBS_MAX ? req.nr : JOBS_MAX;	/* never trust a count */
	l->total = req.total;
	for (uint32_t i = 0; i < l->n; i++) {
		/* Never more than the module lists; any past that are not shown. */
		if (job_ended(&l->job[i]) && l->nended < COVE_JOBS_ENDED_MAX)
			job_usage_get(fd, id, l->job[i].job, &l->ended[l->nended++]);
		else if (so_far && !job_ended(&l->job[i]) && l->nrunning < JOBS_SO_FAR_MAX)
			job_usage_get(fd, id, l->job[i].job, &l->running[l->nrunning++]);
	}
}

/* The figures so far of the k-th running job in the list, NULL if none were asked. */
static const struct job_usage *job_so_far(const struct job_list *l, unsigned int k)
{
	return k < l->nrunning ? &l->running[k] : NULL;
}

/* One job's columns: its cores are the enclave's own numbers, as --cpus takes them. */
struct job_row {
	char enclave[12], job[12], user[CLI_NAME_MAX + 12], cpus[700], ranks[12];
	char cmd[COVE_JOB_CMD_MAX];
};

static void job_format(uint32_t id, const struct cove_job_info *j, struct job_row *r)
{
	uint64_t cpus[CLI_CPU_WORDS];
	char name[CLI_NAME_MAX + 12];

	snprintf(r->enclave, sizeof(r->enclave), "%u", id);
	snprintf(r->job, sizeof(r->job), "%u", j->job);
	snprintf(r->user, sizeof(r->user), "%s", user_name(j->uid, name, sizeof(name)));
	if (j->flags & COVE_JOB_RUNNING) {
		MASK_COPY(cpus, j->cpus);
		cli_format_cpulist(cpus, r->cpus, sizeof(r->cpus));
		if (j->flags & COVE_JOB_SHARED)
			strncat(r->cpus, " shared", sizeof(r->cpus) - strlen(r->cpus) - 1);
		snprintf(r->ranks, sizeof(r->ranks), "%u", j->ranks);
	} else {
		snprintf(r->cpus, sizeof(r->cpus), "starting");
		snprintf(r->ranks, sizeof(r->ranks), "-");
	}
	if (j->flags & COVE_JOB_ORPHAN)
		strncat(r->cpus, " killed", sizeof(r->cpus) - strlen(r->cpus) - 1);
	cli_job_line_command(j->cmd, sizeof(j->cmd), r->cmd, sizeof(r->cmd));
}

#define WIDEST(w, s) ((w) = strlen(s) > (w) ? strlen(s) : (w))

/* The running jobs of every enclave listed, under the enclaves' table. */
static void print_jobs(const struct cove_status *st, const struct job_list *jobs,
		       unsigned int n)
{
	static const struct job_row head = { "ENCLAVE", "JOB", "USER", "CPUS", "RANKS", "COMMAND" };
	static struct job_row r;
	size_t w[5] = { 0 };
	unsigned int count = 0;

	for (int pass = 0; pass < 2; pass++) {
		if (pass && !count)
			return;
		if (pass)
			printf("%-*s  %-*s  %-*s  %-*s  %*s  %s\n", (int)w[0], head.enclave,
			       (int)w[1], head.job, (int)w[2], head.user, (int)w[3], head.cpus,
			       (int)w[4], head.ranks, head.cmd);
		WIDEST(w[0], head.enclave);
		WIDEST(w[1], head.job);
		WIDEST(w[2], head.user);
		WIDEST(w[3], head.cpus);
		WIDEST(w[4], head.ranks);
		for (unsigned int e = 0; e < n; e++) {
			for (unsigned int i = 0; i < jobs[e].n; i++) {
				if (job_ended(&jobs[e].job[i]))
					continue;	/* print_ended's */
				job_format(st[e].id, &jobs[e].job[i], &r);
				count++;
				if (pass) {
					printf("%-*s  %-*s  %-*s  %-*s  %*s  %s\n", (int)w[0], r.enclave,
					       (int)w[1], r.job, (int)w[2], r.user, (int)w[3], r.cpus,
					       (int)w[4], r.ranks, r.cmd);
					continue;
				}
				WIDEST(w[0], r.enclave);
				WIDEST(w[1], r.job);
				WIDEST(w[2], r.user);
				WIDEST(w[3], r.cpus);
				WIDEST(w[4], r.ranks);
			}
			if (pass && jobs[e].total > jobs[e].n)
				printf("(enclave %u: %u more jobs not listed)\n", st[e].id,
				       jobs[e].total - jobs[e].n);
		}
	}
}

/* What both JSON job lists print of a job: its command escaped, its cores, its user. */
static void json_job_fields(const struct cove_job_info *j, char *esc, size_t esc_len,
			    char *cpus, size_t cpus_len, char *name, size_t name_len)
{
	static char cmd[COVE_JOB_CMD_MAX];
	uint64_t mask[CLI_CPU_WORDS];

	cli_job_line_command(j->cmd, sizeof(j->cmd), cmd, sizeof(cmd));
	cli_json_escape(cmd, strlen(cmd), esc, esc_len);
	MASK_COPY(mask, j->cpus);
	cli_format_cpulist(mask, cpus, cpus_len);
	user_name(j->uid, name, name_len);
}

/*
 * The last jobs that ended, oldest first, with what their ranks used:
 * "ended_jobs", apart from "jobs" (those running), which keeps its meaning.
 */
static void print_json_ended(const struct job_list *l)
{
	static char esc[COVE_JOB_CMD_MAX * 6 + 1];
	char cpus[700], name[CLI_NAME_MAX + 12];
	unsigned int k = 0;

	printf(", \"ended_jobs\": [");
	for (unsigned int i = 0; i < l->n && k < l->nended; i++) {
		const struct cove_job_info *j = &l->job[i];

		if (!job_ended(j))
			continue;
		json_job_fields(j, esc, sizeof(esc), cpus, sizeof(cpus), name, sizeof(name));
		printf("%s{\"job\": %u, \"uid\": %u, \"user\": \"%s\", \"number\": %u, "
		       "\"ranks\": %u, \"cpu_list\": \"%s\", \"command\": \"%s\", \"status\": %d, ",
		       k ? ", " : "", j->job, j->uid, name, j->number, j->ranks, cpus, esc,
		       j->status);
		job_usage_json(&l->ended[k++]);
		printf("}");
	}
	printf("]");
}

/* The one-enclave view: what its running jobs used so far, for those the caller may see. */
static void print_so_far(const struct job_list *l)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < l->n; i++) {
		const struct cove_job_info *j = &l->job[i];
		const struct job_usage *ju;
		uint64_t ms;

		if (job_ended(j))
			continue;
		ju = job_so_far(l, k++);
		if (!ju || !(ju->u.flags & COVE_JOB_USAGE_SO_FAR))
			continue;
		ms = ju->u.wall_ns / 1000000U;
		printf("job %u so far (%" PRIu64 ".%03u s):\n", j->job, ms / 1000,
		       (unsigned int)(ms % 1000));
		job_usage_text(stdout, "  ", ju);
		job_counts_text(stdout, "  ", ju);
	}
}

/* The one-enclave view: the last jobs that ended and what their ranks used. */
static void print_ended(const struct job_list *l)
{
	static char cmd[COVE_JOB_CMD_MAX];
	char name[CLI_NAME_MAX + 12], wall[32];
	unsigned int k = 0;

	for (unsigned int i = 0; i < l->n && k < l->nended; i++) {
		const struct cove_job_info *j = &l->job[i];
		const struct job_usage *ju;
		uint64_t ms;

		if (!job_ended(j))
			continue;
		ju = &l->ended[k++];
		if (k == 1)
			printf("ended jobs (the last %d at most):\n", COVE_JOBS_ENDED_MAX);
		cli_job_line_command(j->cmd, sizeof(j->cmd), cmd, sizeof(cmd));
		ms = ju->u.wall_ns / 1000000U;
		snprintf(wall, sizeof(wall), "%" PRIu64 ".%03u", ms / 1000, (unsigned int)(ms % 1000));
		printf("job %u (%s, %u rank%s, status %#x, %s s): %s\n", j->job,
		       user_name(j->uid, name, sizeof(name)), j->ranks, j->ranks == 1 ? "" : "s",
		       (unsigned int)j->status, wall, cmd);
		job_usage_text(stdout, "  ", ju);
	}
}

static void print_json_jobs(const struct job_list *l)
{
	static char esc[COVE_JOB_CMD_MAX * 6 + 1];
	char cpus[700], name[CLI_NAME_MAX + 12];
	uint64_t mask[CLI_CPU_WORDS];

	const char *comma = "";

	unsigned int k = 0;

	printf(", \"jobs\": [");
	for (unsigned int i = 0; i < l->n; i++) {
		const struct cove_job_info *j = &l->job[i];
		bool running = j->flags & COVE_JOB_RUNNING;
		const struct job_usage *ju;
		const char *sep = "";

		if (job_ended(j))
			continue;	/* in ended_jobs */
		json_job_fields(j, esc, sizeof(esc), cpus, sizeof(cpus), name, sizeof(name));
		MASK_COPY(mask, j->cpus);	/* the "cpus" array below */
		printf("%s{\"job\": %u, \"uid\": %u, \"user\": \"%s\", \"running\": %s, "
		       "\"number\": %u, \"ranks\": %u, \"shared\": %s, \"killed\": %s, "
		       "\"cpus\": [", comma, j->job, j->uid, name,
		       running ? "true" : "false", j->number, j->ranks,
		       j->flags & COVE_JOB_SHARED ? "true" : "false",
		       j->flags & COVE_JOB_ORPHAN ? "true" : "false");
		for (unsigned int c = 0; running && c < CLI_CPU_MAX; c++) {
			if ((mask[c / 64] >> (c % 64)) & 1) {
				printf("%s%u", sep, c);
				sep = ", ";
			}
		}
		printf("], \"cpu_list\": \"%s\", \"command\": \"%s\"", running ? cpus : "", esc);
		/* What it used so far: "usage" "so far", or "none" (not the caller's to see). */
		ju = job_so_far(l, k++);
		if (ju) {
			printf(", ");
			job_usage_json(ju);
		}
		printf("}");
		comma = ", ";
	}
	printf("], \"jobs_listed_all\": %s", l->total > l->n ? "false" : "true");
	print_json_ended(l);
}

/* What one table row shows, formatted. */
struct row {
	char id[12], state[16], cpus[700], mem[512], guard[8], jobs[12], console[24];
	char owner[2 * CLI_NAME_MAX + 2];
};

static bool redacted(const struct cove_status *st)
{
	return st->flags & COVE_STATUS_REDACTED;
}

static unsigned int nr_mem(const struct cove_status *st)
{
	/* The count comes from the module; never index past the array. */
	return st->nr_mem < 16 ? st->nr_mem : 16;
}

static uint64_t mem_total(const struct cove_status *st)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < nr_mem(st); i++)
		total += st->mem[i].size;
	return total;
}

/* "1G (0x100000000-0x13fffffff)": the total first, it is what people look for. */
static void format_mem(const struct cove_status *st, char *buf, size_t len)
{
	size_t pos;

	cli_format_size(mem_total(st), buf, len);
	if (redacted(st))
		return;		/* the ranges are root's to see */
	pos = strlen(buf);
	for (unsigned int i = 0; i < nr_mem(st) && pos < len; i++) {
		int n = snprintf(buf + pos, len - pos, "%s%#" PRIx64 "-%#" PRIx64,
				 i ? ", " : " (", (uint64_t)st->mem[i].base,
				 (uint64_t)(st->mem[i].base + st->mem[i].size - 1));

		if (n < 0)
			return;
		pos += (size_t)n;
	}
	if (nr_mem(st) && pos < len)
		snprintf(buf + pos, len - pos, ")");
}

static void format_row(const struct cove_status *st, struct row *r)
{
	uint64_t cpus[CLI_CPU_WORDS];

	MASK_COPY(cpus, st->cpus);
	snprintf(r->id, sizeof(r->id), "%u", st->id);
	snprintf(r->state, sizeof(r->state), "%s", state_name(st->state));
	cli_format_cpulist(cpus, r->cpus, sizeof(r->cpus));
	format_mem(st, r->mem, sizeof(r->mem));
	snprintf(r->guard, sizeof(r->guard), "%s", guard_name(st->guarded));
	snprintf(r->jobs, sizeof(r->jobs), "%u", st->jobs_running);
	snprintf(r->console, sizeof(r->console), "%" PRIu64, (uint64_t)st->console_bytes);
	owner_format(&st->owner, r->owner, sizeof(r->owner));
}

static void print_table(const struct cove_status *st, unsigned int n)
{
	static const struct row head = {
		"ID", "STATE", "CPUS", "MEMORY", "GUARD", "JOBS", "CONSOLE", "OWNER",
	};
	static struct row rows[COVE_MAX_ENCLAVES];
	size_t w[7] = { 0 };

	for (unsigned int i = 0; i <= n; i++) {
		const struct row *r = i ? &rows[i - 1] : &head;

		if (i)
			format_row(&st[i - 1], &rows[i - 1]);
		WIDEST(w[0], r->id);
		WIDEST(w[1], r->state);
		WIDEST(w[2], r->cpus);
		WIDEST(w[3], r->mem);
		WIDEST(w[4], r->guard);
		WIDEST(w[5], r->jobs);
		WIDEST(w[6], r->console);
	}
	for (unsigned int i = 0; i <= n; i++) {
		const struct row *r = i ? &rows[i - 1] : &head;

		printf("%-*s  %-*s  %-*s  %-*s  %-*s  %*s  %-*s  %s\n", (int)w[0], r->id, (int)w[1],
		       r->state, (int)w[2], r->cpus, (int)w[3], r->mem, (int)w[4], r->guard,
		       (int)w[5], r->jobs, (int)w[6], r->console, r->owner);
	}
}

/* Whose it is, and what root alone sees: names are cli_valid_name()'s, no escaping needed. */
static void print_json_owner(const struct cove_status *st)
{
	char owner[2 * CLI_NAME_MAX + 2];

	owner_format(&st->owner, owner, sizeof(owner));
	if (st->owner.flags & (COVE_OWNER_UID | COVE_OWNER_GID))
		printf("\"owner\": \"%s\", ", owner);
	else
		printf("\"owner\": null, ");
	if (st->owner.flags & COVE_OWNER_UID)
		printf("\"owner_uid\": %u, ", st->owner.uid);
	else
		printf("\"owner_uid\": null, ");
	if (st->owner.flags & COVE_OWNER_GID)
		printf("\"owner_gid\": %u, ", st->owner.gid);
	else
		printf("\"owner_gid\": null, ");
	printf("\"has_report\": %s, \"redacted\": %s",
	       st->flags & COVE_STATUS_REPORT ? "true" : "false", redacted(st) ? "true" : "false");
}

static void print_json(const struct cove_status *st, const struct job_list *jobs,
		       const char *indent)
{
	static char report[COVE_UAPI_REPORT_MAX * 6 + 1];
	uint64_t mask[CLI_CPU_WORDS];
	char cpus[700];
	const char *sep = "";

	MASK_COPY(mask, st->cpus);
	cli_format_cpulist(mask, cpus, sizeof(cpus));
	cli_json_escape(st->report, strnlen(st->report, sizeof(st->report)), report,
			sizeof(report));
	printf("%s{\"id\": %u, \"state\": \"%s\", \"cpus\": [", indent, st->id,
	       state_name(st->state));
	for (unsigned int c = 0; c < CLI_CPU_MAX; c++) {
		if ((mask[c / 64] >> (c % 64)) & 1) {
			printf("%s%u", sep, c);
			sep = ", ";
		}
	}
	printf("], \"cpu_list\": \"%s\", \"memory\": [", cpus);
	for (unsigned int i = 0; i < nr_mem(st); i++) {
		printf("%s{\"base\": ", i ? ", " : "");
		if (redacted(st))
			printf("null");
		else
			printf("%" PRIu64, (uint64_t)st->mem[i].base);
		printf(", \"size\": %" PRIu64 "}", (uint64_t)st->mem[i].size);
	}
	printf("], \"memory_total\": %" PRIu64 ", \"guarded\": \"%s\", \"jobs_running\": %u, "
	       "\"console_bytes\": %" PRIu64 ", \"exit_status\": %u, \"boot_ns\": %" PRIu64
	       ", \"report\": \"%s\", ", mem_total(st), guard_name(st->guarded), st->jobs_running,
	       (uint64_t)st->console_bytes, st->exit_status, (uint64_t)st->create_ns, report);
	print_json_owner(st);
	print_json_jobs(jobs);
	printf("}");
}

/*
 * The report comes from the enclave: print it with control characters
 * (terminal escapes included) made visible, except newlines and tabs.
 */
static void print_report(FILE *f, const struct cove_status *st)
{
	size_t len = strnlen(st->report, sizeof(st->report));

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)st->report[i];

		fputc(c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f) ? c : '?', f);
	}
	if (len && st->report[len - 1] != '\n')
		fputc('\n', f);
}

/* The one-enclave view adds what does not fit a table row. */
static void print_details(const struct cove_status *st)
{
	size_t len = strnlen(st->report, sizeof(st->report));

	if (st->create_ns)
		printf("booted in %" PRIu64 " ms\n", (uint64_t)st->create_ns / 1000000);
	if (st->state == COVE_ENCLAVE_STOPPED || st->state == COVE_ENCLAVE_FAILED)
		printf("exit status %u\n", st->exit_status);
	if (len) {
		printf("fault report:\n");
		print_report(stdout, st);
	} else if (redacted(st) && (st->flags & COVE_STATUS_REPORT)) {
		printf("fault report: root only (it may name physical addresses)\n");
	}
}

void report_failure(int fd, uint32_t id)
{
	struct cove_status st;
	size_t len;

	if (!cove_status(fd, id, &st)) {
		warn("enclave %u is gone", id);
		return;
	}
	len = strnlen(st.report, sizeof(st.report));
	fflush(stdout);
	if (len) {
		fprintf(stderr, "enclave %u failed:\n", id);
		print_report(stderr, &st);
	} else if (redacted(&st) && (st.flags & COVE_STATUS_REPORT))
		fprintf(stderr, "enclave %u is %s; its fault report is root's ('cove status %u' "
			"as root shows it)\n", id, state_name(st.state), id);
	else
		fprintf(stderr, "enclave %u is %s (exit status %u); no fault report\n", id,
			state_name(st.state), st.exit_status);
}

static int status_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		HELP_OPTION,
		{ 0 },
	};
	static struct cove_status st[COVE_MAX_ENCLAVES];
	static struct job_list jobs[COVE_MAX_ENCLAVES];
	bool json = false;
	unsigned int n = 0;
	int c, fd;

	while ((c = cmd_getopt(argc, argv, ":h", opts)) != -1) {
		if (c == 'j')
			json = true;
	}
	if (argc - optind > 1)
		usage_error("unexpected argument '%s'", argv[optind + 1]);
	if (argc - optind == 1) {
		uint32_t id = arg_enclave_id(argv[optind]);

		fd = cove_open();
		if (!cove_status(fd, id, &st[0]))
			fail("no enclave %u", id);
		jobs_get(fd, id, &jobs[0], true);
		if (json) {
			print_json(&st[0], &jobs[0], "");
			printf("\n");
		} else {
			print_table(st, 1);
			print_details(&st[0]);
			print_jobs(st, jobs, 1);
			print_so_far(&jobs[0]);
			print_ended(&jobs[0]);
		}
		return 0;
	}
	fd = cove_open();
	for (uint32_t id = 1; id <= COVE_MAX_ENCLAVES; id++) {
		if (cove_status(fd, id, &st[n])) {
			jobs_get(fd, id, &jobs[n], json);
			n++;
		}
	}
	if (json) {
		printf("[");
		for (unsigned int i = 0; i < n; i++) {
			printf("%s\n", i ? "," : "");
			print_json(&st[i], &jobs[i], "  ");
		}
		printf("%s]\n", n ? "\n" : "");
	} else if (n) {
		print_table(st, n);
		print_jobs(st, jobs, n);
	} else {
		printf("no enclaves\n");
	}
	return 0;
}

const struct cove_cmd cmd_status = {
	.name = "status",
	.fn = status_main,
	.summary = "list enclaves, or show one",
	.usage =
	"Usage: cove status [ID] [--json]\n"
	"\n"
	"Show every enclave (or only ID): state, CPUs, memory ranges and total, whether a\n"
	"protection layer guards it (svm, vmx or no), jobs running, console bytes written,\n"
	"owner (USER:GROUP, - for root only). For one enclave, also its boot time, exit\n"
	"status and fault report. Then each running job: its enclave, job id, the user\n"
	"who launched it, its cores (numbered inside the enclave; \"shared\" if it shares\n"
	"them, \"starting\" before it runs), ranks and command. For one enclave, and in\n"
	"JSON (\"ended_jobs\"), also the last 16 jobs that ended: their status, wall time\n"
	"and what their ranks used as Cove counted it (user and system CPU time, peak\n"
	"memory, minor faults) and did (context switches, CPU migrations, kernel\n"
	"entries, offloaded calls), the whole job's and each rank's; and the same so far\n"
	"for running jobs, to the enclave's owner and root (asking interrupts the enclave\n"
	"once per job; the table of all enclaves does not ask). Anyone may ask; memory\n"
	"ranges (physical addresses) and fault reports are shown to root only.\n"
	"\n"
	"  --json      the same as JSON (an array, or one object with ID)\n"
	"  -h, --help  this text\n",
};
