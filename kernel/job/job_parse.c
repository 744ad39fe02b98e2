// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing what a job line says: words with "double quotes", argv, CPU lists.
 * Pure logic (no kernel state), host-tested in test/unit/test_job_parse.c.
 */
#include <cove/errno.h>
#include <cove/job.h>
#include <cove/kvsnprintf.h>
#include <cove/string.h>

bool job_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next whitespace-separated token of *s, with "double quotes"; copied into out. */
const char *job_next_token(const char **s, char **out, char *end)
{
	const char *p = *s;
	char *start = *out;
	bool quoted = false;

	while (job_is_space(*p))
		p++;
	if (!*p || *p == '\n') {
		*s = p;		/* at the end: callers can tell this from overflow */
		return NULL;
	}
	while (*p && *p != '\n' && (quoted || !job_is_space(*p))) {
		if (*p == '"') {
			quoted = !quoted;
			p++;
			continue;
		}
		if (*out + 1 >= end)
			return NULL;
		*(*out)++ = *p++;
	}
	/* The NUL needs room too: "" after a word that filled the buffer has none. */
	if (*out >= end)
		return NULL;
	*(*out)++ = 0;
	*s = p;
	return start;
}

int job_parse_argv(struct job_spec *spec, const char *argv0, const char *args, char *err,
		   size_t errlen)
{
	char *out = spec->args_buf, *end = spec->args_buf + sizeof(spec->args_buf);
	const char *tok;
	uint32_t n = 0;

	spec->argv[n++] = argv0;
	while (args && (tok = job_next_token(&args, &out, end))) {
		if (n == JOB_ARGS_MAX) {
			ksnprintf(err, errlen, "more than %d arguments", JOB_ARGS_MAX - 1);
			return -E2BIG;
		}
		spec->argv[n++] = tok;
	}
	if (args && *args && *args != '\n') {
		ksnprintf(err, errlen, "arguments longer than %d bytes", JOB_LINE_MAX);
		return -E2BIG;
	}
	spec->argv[n] = NULL;
	return 0;
}

int job_env_check(const char *block, size_t len, char *err, size_t errlen)
{
	size_t at = 0;
	int n = 0;

	if (len > JOB_ENV_MAX) {
		ksnprintf(err, errlen, "environment of %zu bytes (at most %d)", len, JOB_ENV_MAX);
		return -EINVAL;
	}
	while (at < len) {
		const char *e = block + at;
		size_t l = strnlen(e, len - at);

		if (l == len - at) {
			ksnprintf(err, errlen, "environment not ended by a NUL");
			return -EINVAL;
		}
		if (!l || e[0] == '=' || !strchr(e, '=')) {
			ksnprintf(err, errlen, "environment entry %d is not NAME=VALUE", n);
			return -EINVAL;
		}
		if (++n > JOB_ENV_VARS_MAX) {
			ksnprintf(err, errlen, "more than %d environment variables",
				  JOB_ENV_VARS_MAX);
			return -EINVAL;
		}
		at += l + 1;
	}
	return n;
}

int job_env_from_words(const char *words, char *block, size_t cap, char *err, size_t errlen)
{
	char *out = block;
	const char *p = words;

	while (job_next_token(&p, &out, block + cap))
		;
	if (*p && *p != '\n') {
		ksnprintf(err, errlen, "env= longer than %zu bytes", cap);
		return -E2BIG;
	}
	if (job_env_check(block, (size_t)(out - block), err, errlen) < 0)
		return -EINVAL;
	return (int)(out - block);
}

int job_parse_uint(const char **s, uint32_t *v)
{
	const char *p = *s;
	uint32_t x = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		x = x * 10 + (uint32_t)(*p++ - '0');
		if (x > 100000)
			return -EINVAL;
	}
	*s = p;
	*v = x;
	return 0;
}

int job_parse_cpulist(const char *s, struct cpumask *out, char *err, size_t errlen)
{
	const char *p = s;

	cpumask_clear(out);
	while (*p) {
		uint32_t lo, hi;

		if (job_parse_uint(&p, &lo))
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (job_parse_uint(&p, &hi) || hi < lo)
				goto bad;
		}
		if (hi >= CPUMASK_BITS)
			goto bad;
		for (uint32_t c = lo; c <= hi; c++)
			cpumask_set(out, c);
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	if (cpumask_weight(out))
		return 0;
bad:
	ksnprintf(err, errlen, "cpus=%s: not a CPU list (use e.g. 0-3 or 1,3,5)", s);
	return -EINVAL;
}

