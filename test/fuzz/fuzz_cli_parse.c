// SPDX-License-Identifier: GPL-2.0
/*
 * The cove CLI's parsers (linux/tools/cli_parse.c): CPU lists, sizes and
 * numbers from the command line, the jobs= line it builds for Cove, the
 * JSON it prints from enclave-written text, owners (USER[:GROUP]) and the
 * /etc/passwd-style text names are looked up in (the input itself). Checked against Cove's own
 * parsers (kernel/job_parse.c, kernel/cmdline.c): a line the CLI builds must
 * read back in Cove as exactly the job that was asked for.
 *
 * Input: one byte of flags (which options, how many environment words),
 * eight bytes of numbers, then NUL-separated words: path, cwd, CPU list,
 * environment, arguments.
 */
#include <cove/cmdline.h>
#include <cove/errno.h>
#include <cove/job.h>
#include "../../linux/tools/cli_parse.h"
#include "fuzz.h"

#define FUZZ_WORDS 96

struct fuzz_back {		/* what Cove read from the line */
	char tok[JOB_LINE_MAX];
	char env_tok[JOB_LINE_MAX];
	const char *env[JOB_ARGS_MAX];
	int nenv;
	const char *ranks, *threads, *cpus, *heap, *stack, *pagesize, *cwd, *ncpus, *share;
	const char *argv0;
	struct job_spec spec;
};

static void fuzz_cpulist(const char *s)
{
	uint64_t mask[CLI_CPU_WORDS], again[CLI_CPU_WORDS];
	char list[700], err[128];	/* cmd_run.c's cpu_list */
	struct cpumask km;
	int rc = cli_parse_cpulist(s, mask);

	FUZZ_ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc)
		return;
	FUZZ_ASSERT(cli_cpu_count(mask) > 0 && cli_cpu_first(mask) >= 0);
	FUZZ_ASSERT(cli_format_cpulist(mask, list, sizeof(list)));
	FUZZ_ASSERT(cli_parse_cpulist(list, again) == 0 && !memcmp(mask, again, sizeof(mask)));
	/* Cove reads the formatted list as the same CPUs. */
	FUZZ_ASSERT(job_parse_cpulist(list, &km, err, sizeof(err)) == 0);
	for (unsigned int c = 0; c < CLI_CPU_MAX; c++)
		FUZZ_ASSERT(cpumask_test(&km, c) == !!(mask[c / 64] & (1ULL << (c % 64))));
}

static void fuzz_numbers(const char *s)
{
	uint64_t v, k;
	char buf[32];
	int rc = cli_parse_size(s, &v);

	FUZZ_ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (!rc) {
		FUZZ_ASSERT(v);
		cli_format_size(v, buf, sizeof(buf));
		FUZZ_ASSERT(cmdline_parse_size(buf, &k) == 0 && k == v);
	}
	rc = cli_parse_uint(s, 1, 255, &v);
	FUZZ_ASSERT(rc ? rc == -EINVAL || rc == -ERANGE : v >= 1 && v <= 255);
}

/* An owner splits into valid parts that join back into the same owner. */
static void fuzz_owner(const char *s)
{
	char user[CLI_NAME_MAX], group[CLI_NAME_MAX], joined[2 * CLI_NAME_MAX + 2];
	char u2[CLI_NAME_MAX], g2[CLI_NAME_MAX];
	uint32_t id;
	int rc = cli_split_owner(s, user, group);

	FUZZ_ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc) {
		FUZZ_ASSERT(!user[0] && !group[0]);
		return;
	}
	FUZZ_ASSERT(user[0] || group[0]);
	FUZZ_ASSERT(!user[0] || cli_valid_name(user) || !cli_parse_id(user, &id));
	FUZZ_ASSERT(!group[0] || cli_valid_name(group) || !cli_parse_id(group, &id));
	snprintf(joined, sizeof(joined), "%s%s%s", user, group[0] ? ":" : "", group);
	FUZZ_ASSERT(!strcmp(joined, s));
	FUZZ_ASSERT(!cli_split_owner(joined, u2, g2) && !strcmp(u2, user) && !strcmp(g2, group));
}

/* Lookups in the input as account text: what one finds, the other finds back. */
static void fuzz_db(const char *db, size_t len, const char *name)
{
	char found[CLI_NAME_MAX];
	uint32_t id, id2;

	if (!cli_db_id(db, len, name, &id)) {
		FUZZ_ASSERT(cli_valid_name(name));
		FUZZ_ASSERT(!cli_db_name(db, len, id, found, sizeof(found)));
	}
	if (cli_parse_id(name, &id) || cli_db_name(db, len, id, found, sizeof(found)))
		return;
	FUZZ_ASSERT(cli_valid_name(found) && strlen(found) < sizeof(found));
	FUZZ_ASSERT(!cli_db_id(db, len, found, &id2));
}

/* Bytes of a valid UTF-8 sequence at s, or 0; written from RFC 3629's table. */
static size_t fuzz_utf8(const unsigned char *s, size_t n)
{
	size_t need = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	uint32_t cp = s[0] & (0x7f >> need);

	if (s[0] < 0xc2 || s[0] > 0xf4 || n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/* out is the inside of a valid JSON string. */
static void fuzz_json_valid(const char *out, size_t n)
{
	const unsigned char *u = (const unsigned char *)out;

	for (size_t i = 0; i < n;) {
		if (u[i] == '\\') {
			FUZZ_ASSERT(i + 1 < n && strchr("\"\\/bfnrtu", u[i + 1]));
			if (u[i + 1] == 'u') {
				FUZZ_ASSERT(i + 5 < n);
				for (int k = 2; k < 6; k++)
					FUZZ_ASSERT(strchr("0123456789abcdefABCDEF", u[i + k]));
				i += 6;
			} else {
				i += 2;
			}
		} else if (u[i] >= 0x80) {
			size_t k = fuzz_utf8(u + i, n - i);

			FUZZ_ASSERT(k);
			i += k;
		} else {
			FUZZ_ASSERT(u[i] >= 0x20 && u[i] != '"' && u[i] != 0x7f);
			i++;
		}
	}
}

static void fuzz_json(const uint8_t *data, size_t size)
{
	size_t len = 6 * size + 1;
	char *out = malloc(len);
	int n;

	if (!out)
		abort();
	n = cli_json_escape((const char *)data, size, out, len);
	FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(out));
	fuzz_json_valid(out, (size_t)n);
	/* Too small a buffer: refused, never cut. */
	if (n > 0) {
		FUZZ_ASSERT(cli_json_escape((const char *)data, size, out, (size_t)n) == -1);
		FUZZ_ASSERT(out[0] == 0);
	}
	free(out);
}

/* Read the line back as init/job.c does: options, the path, then argv. */
static bool fuzz_read_back(const char *line, struct fuzz_back *b)
{
	char *out = b->tok, err[128];
	const char *s = line, *t;

	while ((t = job_next_token(&s, &out, b->tok + sizeof(b->tok)))) {
		const char *v = strchr(t, '=');
		const char **slot = NULL;

		if (t[0] == '/' || !v) {
			if (strlen(t) >= sizeof(b->spec.path))
				return false;
			strcpy(b->spec.path, t);
			return !job_parse_argv(&b->spec, b->argv0 ? b->argv0 : b->spec.path, s, err,
					       sizeof(err));
		}
		v++;
		if (!strncmp(t, "env=", 4)) {
			char *eo = b->env_tok;
			const char *es = v;

			while ((t = job_next_token(&es, &eo, b->env_tok + sizeof(b->env_tok))))
				b->env[b->nenv++] = t;
			if (*es)
				return false;
			continue;
		}
		slot = !strncmp(t, "ranks=", 6) ? &b->ranks : !strncmp(t, "threads=", 8) ? &b->threads :
		       !strncmp(t, "cpus=", 5) ? &b->cpus : !strncmp(t, "heap=", 5) ? &b->heap :
		       !strncmp(t, "stack=", 6) ? &b->stack : !strncmp(t, "pagesize=", 9) ?
		       &b->pagesize : !strncmp(t, "cwd=", 4) ? &b->cwd :
		       !strncmp(t, "ncpus=", 6) ? &b->ncpus : !strncmp(t, "share=", 6) ? &b->share :
		       !strncmp(t, "argv0=", 6) ? &b->argv0 : NULL;
		if (!slot || *slot)
			return false;
		*slot = v;
	}
	return false;
}

static void fuzz_count_same(const char *got, uint64_t want)
{
	uint32_t v;

	if (!want) {
		FUZZ_ASSERT(!got);
		return;
	}
	FUZZ_ASSERT(got && !job_parse_uint(&got, &v) && !*got && v == want);
}

static void fuzz_size_same(const char *got, uint64_t want)
{
	uint64_t v;

	if (!want) {
		FUZZ_ASSERT(!got);
		return;
	}
	FUZZ_ASSERT(got && !cmdline_parse_size(got, &v) && v == want);
}

static void fuzz_job_line(const struct cli_job *job)
{
	static char line[4096];
	static struct fuzz_back b;
	char err[160] = "";
	int n = cli_build_job_line(job, line, sizeof(line), err, sizeof(err));
	bool cwd_kept;

	if (n < 0) {
		FUZZ_ASSERT(err[0] && line[0] == 0);
		return;
	}
	FUZZ_ASSERT((size_t)n == strlen(line));
	memset(&b, 0, sizeof(b));
	FUZZ_ASSERT(fuzz_read_back(line, &b));
	FUZZ_ASSERT(!strcmp(b.spec.path, job->path));
	/* argv[0] is the name it was run by; the line says it only where it is not the path. */
	FUZZ_ASSERT(!strcmp(b.spec.argv[0], job->argv0 ? job->argv0 : job->path));
	FUZZ_ASSERT(!b.argv0 == !(job->argv0 && strcmp(job->argv0, job->path)));
	for (int i = 0; i < job->argc; i++)
		FUZZ_ASSERT(b.spec.argv[i + 1] && !strcmp(b.spec.argv[i + 1], job->argv[i]));
	FUZZ_ASSERT(!b.spec.argv[job->argc + 1]);
	FUZZ_ASSERT(b.nenv == job->nenv);
	for (int i = 0; i < job->nenv; i++)
		FUZZ_ASSERT(!strcmp(b.env[i], job->env[i]));
	fuzz_count_same(b.ranks, job->ranks);
	fuzz_count_same(b.threads, job->threads);
	/* Without a CPU list, ranks x threads free cores (1 for what is not given). */
	fuzz_count_same(b.ncpus, job->cpus ? 0 : job->ncpus ? job->ncpus :
			(job->ranks || job->threads) ?
			(uint64_t)(job->ranks ? job->ranks : 1) * (job->threads ? job->threads : 1) : 0);
	FUZZ_ASSERT(!job->share == !b.share);
	FUZZ_ASSERT(!b.share || !strcmp(b.share, "1"));
	fuzz_size_same(b.heap, job->heap);
	fuzz_size_same(b.stack, job->stack);
	FUZZ_ASSERT(!job->pagesize == !b.pagesize);
	FUZZ_ASSERT(!job->pagesize || !strcmp(job->pagesize, b.pagesize));
	FUZZ_ASSERT(!job->cpus == !b.cpus);
	FUZZ_ASSERT(!job->cpus || !strcmp(job->cpus, b.cpus));
	/* A directory the line cannot carry is dropped; any other arrives as is. */
	cwd_kept = job->cwd && job->cwd[0] == '/' && strlen(job->cwd) < CLI_JOB_CWD_MAX &&
		   !strpbrk(job->cwd, "\"\n");
	FUZZ_ASSERT(cwd_kept == !!b.cwd);
	FUZZ_ASSERT(!cwd_kept || !strcmp(b.cwd, job->cwd));
}

static uint64_t fuzz_u32(const uint8_t **data, size_t *size)
{
	uint64_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | fuzz_byte(data, size);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const pagesizes[] = { "4K", "2M", "1G" };
	static char *words[FUZZ_WORDS];
	static char list[700];
	uint64_t mask[CLI_CPU_WORDS];
	uint8_t flags = fuzz_byte(&data, &size);
	uint64_t a = fuzz_u32(&data, &size), b = fuzz_u32(&data, &size);
	struct cli_job job = { 0 };
	char *text;
	int nw = 0, nenv = flags >> 5;

	fuzz_json(data, size);
	text = fuzz_cstr(data, size);
	/* NULs split the words (fuzz_cstr only added the last one). */
	for (char *p = text; nw < FUZZ_WORDS && p <= text + size; p += strlen(p) + 1)
		words[nw++] = p;
	for (int i = 0; i < nw; i++) {
		fuzz_cpulist(words[i]);
		fuzz_numbers(words[i]);
		fuzz_owner(words[i]);
		fuzz_db((const char *)data, size, words[i]);
	}

	job.path = words[0];
	job.cwd = nw > 1 && words[1][0] ? words[1] : NULL;
	if (nw > 2 && !cli_parse_cpulist(words[2], mask) &&
	    cli_format_cpulist(mask, list, sizeof(list)))
		job.cpus = list;
	job.env = nw > 3 ? words + 3 : NULL;
	job.nenv = nw > 3 ? (nenv < nw - 3 ? nenv : nw - 3) : 0;
	job.argv = nw > 3 + job.nenv ? words + 3 + job.nenv : NULL;
	job.argc = nw > 3 + job.nenv ? nw - 3 - job.nenv : 0;
	job.ranks = flags & 1 ? (uint32_t)(a & 0x1ff) : 0;
	job.threads = flags & 2 ? (uint32_t)(a >> 9) % 200000 : 0;
	job.heap = flags & 4 ? b << (a % 24) : 0;
	job.stack = flags & 8 ? (b >> 7) << 12 : 0;
	job.pagesize = flags & 16 ? pagesizes[b % 3] : NULL;
	job.share = (a ^ b) & 1;
	job.argv0 = (a >> 20) & 1 && nw > 1 ? words[1] : NULL;
	fuzz_job_line(&job);
	free(text);
	return 0;
}
