// SPDX-License-Identifier: GPL-2.0
/*
 * Cove's job-line words (kernel/job_parse.c): what `cove run` and job files
 * hand the kernel. The first byte sizes the word buffer; the rest is the
 * line. The buffer ends its allocation, so one byte past it is an ASan
 * report, which is how the "" after a full buffer bug shows.
 */
#include <cove/errno.h>
#include <cove/job.h>
#include "fuzz.h"

static void fuzz_tokens(const char *line, size_t bufsize)
{
	char *buf = malloc(bufsize), *out = buf, *end = buf + bufsize;
	const char *s = line, *tok;

	if (!buf)
		abort();
	while ((tok = job_next_token(&s, &out, end))) {
		FUZZ_ASSERT(tok >= buf && out <= end && tok < out);
		FUZZ_ASSERT(strlen(tok) == (size_t)(out - tok - 1));
		FUZZ_ASSERT(!strchr(tok, '\n') && !strchr(tok, '"'));
	}
	FUZZ_ASSERT(s >= line && s <= line + strlen(line));
	free(buf);
}

static void fuzz_argv(const char *line)
{
	struct job_spec *spec = malloc(sizeof(*spec));
	char err[128];
	int rc, n = 0;

	if (!spec)
		abort();
	memset(spec, 0x5a, sizeof(*spec));
	err[0] = 0;
	rc = job_parse_argv(spec, "/bin/x", line, err, sizeof(err));
	/* Nothing written outside args_buf and argv. */
	for (size_t i = 0; i < sizeof(spec->envp); i++)
		FUZZ_ASSERT(((const uint8_t *)spec->envp)[i] == 0x5a);
	if (rc) {
		FUZZ_ASSERT(rc == -E2BIG && err[0]);
	} else {
		FUZZ_ASSERT(!strcmp(spec->argv[0], "/bin/x"));
		for (n = 1; spec->argv[n]; n++) {
			const char *a = spec->argv[n];

			FUZZ_ASSERT(n < JOB_ARGS_MAX);
			FUZZ_ASSERT(a >= spec->args_buf &&
				    a < spec->args_buf + sizeof(spec->args_buf));
			FUZZ_ASSERT(strnlen(a, (size_t)(spec->args_buf + sizeof(spec->args_buf) - a)) <
				    (size_t)(spec->args_buf + sizeof(spec->args_buf) - a));
		}
	}
	free(spec);
}

static void fuzz_cpulist(const char *line)
{
	struct cpumask m;
	char err[64];

	if (job_parse_cpulist(line, &m, err, sizeof(err)) == 0)
		FUZZ_ASSERT(cpumask_weight(&m) > 0);
	else
		FUZZ_ASSERT(strstr(err, "not a CPU list") || strlen(err) == sizeof(err) - 1);
}

/*
 * An environment as a proxy sends it (any bytes), and as env= words: a
 * block job_env_check accepts is one the job's envp can be built from.
 */
static void fuzz_env(const uint8_t *data, size_t size, const char *line)
{
	char err[128], *block = malloc(size + 1);
	int n = job_env_check((const char *)data, size, err, sizeof(err)), len;

	if (n >= 0) {
		size_t at = 0;
		int vars = 0;

		FUZZ_ASSERT(n <= JOB_ENV_VARS_MAX && size <= JOB_ENV_MAX);
		while (at < size) {
			const char *e = (const char *)data + at;

			FUZZ_ASSERT(e[0] != '=' && strchr(e, '=') && at + strlen(e) < size);
			at += strlen(e) + 1;
			vars++;
		}
		FUZZ_ASSERT(vars == n);
	} else {
		FUZZ_ASSERT(err[0]);
	}
	if (!block)
		abort();
	len = job_env_from_words(line, block, size + 1, err, sizeof(err));
	FUZZ_ASSERT(len < 0 ? err[0] != 0 : job_env_check(block, (size_t)len, err, sizeof(err)) >= 0);
	free(block);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bufsize = 1 + fuzz_byte(&data, &size);
	char *line = fuzz_cstr(data, size);

	fuzz_tokens(line, bufsize);
	fuzz_argv(line);
	fuzz_cpulist(line);
	fuzz_env(data, size, line);
	free(line);
	return 0;
}
