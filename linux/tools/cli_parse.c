// SPDX-License-Identifier: GPL-2.0
/*
 * Pure parsers and formatters of the cove CLI (see cli_parse.h). Nothing
 * here prints or exits: callers turn a negative errno into their message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli_parse.h"

/* Digits at *s into *v, advancing *s; -ERANGE past max (digits still eaten). */
static int parse_digits(const char **s, uint64_t max, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	bool big = false;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (big || d > max || x > (max - d) / 10)
			big = true;
		else
			x = x * 10 + d;
	}
	*s = p;
	*v = x;
	return big ? -ERANGE : 0;
}

int cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	int rc = parse_digits(&s, max, &v);

	if (rc == -EINVAL || *s)
		return -EINVAL;
	if (rc || v < min)
		return -ERANGE;
	*out = v;
	return 0;
}

int cli_parse_cpulist(const char *s, uint64_t mask[CLI_CPU_WORDS])
{
	const char *p = s;
	int range_err = 0;

	memset(mask, 0, CLI_CPU_WORDS * sizeof(mask[0]));
	if (!*p)
		return -EINVAL;
	for (;;) {
		uint64_t lo, hi;
		int rc = parse_digits(&p, UINT64_MAX, &lo), rc_hi = rc;

		if (rc == -EINVAL)
			return -EINVAL;
		hi = lo;
		if (*p == '-') {
			p++;
			rc_hi = parse_digits(&p, UINT64_MAX, &hi);
			if (rc_hi == -EINVAL || (!rc && !rc_hi && hi < lo))
				return -EINVAL;
		}
		/* Keep checking the syntax: "999,x" is bad syntax, not a bad CPU. */
		if (rc || rc_hi || hi >= CLI_CPU_MAX)
			range_err = -ERANGE;
		for (uint64_t c = lo; !range_err && c <= hi; c++)
			mask[c / 64] |= 1ULL << (c % 64);
		if (!*p)
			break;
		if (*p++ != ',' || !*p)
			return -EINVAL;
	}
	return range_err;
}

static bool cpu_isset(const uint64_t mask[CLI_CPU_WORDS], unsigned int c)
{
	return c < CLI_CPU_MAX && (mask[c / 64] >> (c % 64)) & 1;
}

unsigned int cli_cpu_count(const uint64_t mask[CLI_CPU_WORDS])
{
	unsigned int n = 0;

	for (int i = 0; i < CLI_CPU_WORDS; i++)
		n += (unsigned int)__builtin_popcountll(mask[i]);
	return n;
}

int cli_cpu_first(const uint64_t mask[CLI_CPU_WORDS])
{
	for (unsigned int c = 0; c < CLI_CPU_MAX; c++) {
		if (cpu_isset(mask, c))
			return (int)c;
	}
	return -1;
}

bool cli_format_cpulist(const uint64_t mask[CLI_CPU_WORDS], char *buf, size_t len)
{
	size_t pos = 0;

	if (!len)
		return false;
	buf[0] = 0;
	for (unsigned int c = 0; c < CLI_CPU_MAX; c++) {
		unsigned int end = c;
		int n;

		if (!cpu_isset(mask, c))
			continue;
		while (cpu_isset(mask, end + 1))
			end++;
		if (end == c)
			n = snprintf(buf + pos, len - pos, "%s%u", pos ? "," : "", c);
		else
			n = snprintf(buf + pos, len - pos, "%s%u-%u", pos ? "," : "", c, end);
		if (n < 0 || (size_t)n >= len - pos)
			return false;
		pos += (size_t)n;
		c = end;
	}
	if (!pos)
		return (size_t)snprintf(buf, len, "none") < len;
	return true;
}

int cli_parse_size(const char *s, uint64_t *bytes)
{
	unsigned int shift = 0;
	uint64_t v;
	int rc = parse_digits(&s, UINT64_MAX, &v);

	if (rc == -EINVAL)
		return rc;
	switch (*s) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	}
	if (shift)
		s++;
	if (*s)
		return -EINVAL;
	if (rc || v > (UINT64_MAX >> shift))
		return -ERANGE;
	if (!v)
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

/* Only K, M and G: Cove's own size parser (heap=, stack=) knows no T. */
void cli_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "GMK";
	unsigned int shift = 30;

	for (const char *u = units; *u; u++, shift -= 10) {
		if (bytes && !(bytes & ((1ULL << shift) - 1))) {
			snprintf(buf, len, "%llu%c", (unsigned long long)(bytes >> shift), *u);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

/* The blanks Cove's tokenizer splits on (job_is_space). */
static bool job_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool has_blank(const char *s)
{
	for (; *s; s++) {
		if (job_blank(*s))
			return true;
	}
	return false;
}

/*
 * A word Cove can read back: quotes only group (there is no escape), and a
 * newline ends the line, so neither can be inside a word.
 */
static bool word_carriable(const char *w, const char *what, char *err, size_t errlen)
{
	const char *bad = strpbrk(w, "\"\n");

	if (!bad)
		return true;
	snprintf(err, errlen, "%s '%.40s' contains a %s, which a Cove job line cannot carry",
		 what, w, *bad == '"' ? "double quote" : "newline");
	return false;
}

struct line {
	char *buf;
	size_t len, pos;
	size_t opt_bytes;	/* Cove's token buffer: options and path, NULs included */
	bool full;
};

static void line_put(struct line *l, const char *s, bool quote)
{
	int n;

	if (l->full)
		return;
	n = snprintf(l->buf + l->pos, l->len - l->pos, "%s%s%s%s", l->pos ? " " : "",
		     quote ? "\"" : "", s, quote ? "\"" : "");
	if (n < 0 || (size_t)n >= l->len - l->pos)
		l->full = true;
	else
		l->pos += (size_t)n;
}

/* An option word "key=value", counted against Cove's token buffer. */
static void line_opt(struct line *l, const char *key, const char *val, bool quote)
{
	char word[CLI_JOB_LINE_MAX + 16];

	snprintf(word, sizeof(word), "%s=%s%s%s", key, quote ? "\"" : "", val, quote ? "\"" : "");
	l->opt_bytes += strlen(key) + 1 + strlen(val) + 1;
	line_put(l, word, false);
}

static int build_env(const struct cli_job *job, char *env, size_t envlen, char *err,
		     size_t errlen)
{
	size_t pos = 0;

	env[0] = 0;
	if (job->nenv > CLI_JOB_ENV_MAX) {
		snprintf(err, errlen, "more than %d environment variables", CLI_JOB_ENV_MAX);
		return -1;
	}
	for (int i = 0; i < job->nenv; i++) {
		const char *e = job->env[i];
		const char *eq = strchr(e, '=');

		if (!eq || eq == e) {
			snprintf(err, errlen, "environment variable '%.40s' is not NAME=VALUE", e);
			return -1;
		}
		if (!word_carriable(e, "environment variable", err, errlen))
			return -1;
		/* env="A=1 B=2" is split on blanks again inside Cove. */
		if (has_blank(e)) {
			snprintf(err, errlen, "environment variable '%.40s' contains a blank, "
				 "which a Cove job line cannot carry", e);
			return -1;
		}
		if (pos + strlen(e) + 2 > envlen) {
			snprintf(err, errlen, "environment longer than %zu bytes", envlen - 1);
			return -1;
		}
		pos += (size_t)snprintf(env + pos, envlen - pos, "%s%s", pos ? " " : "", e);
	}
	return 0;
}

static int check_program(const struct cli_job *job, char *err, size_t errlen)
{
	size_t bytes = 0;

	if (!job->path || job->path[0] != '/') {
		snprintf(err, errlen, "the program path must be absolute");
		return -1;
	}
	if (strlen(job->path) >= CLI_JOB_PATH_MAX) {
		snprintf(err, errlen, "program path longer than %d bytes", CLI_JOB_PATH_MAX - 1);
		return -1;
	}
	if (!word_carriable(job->path, "program path", err, errlen))
		return -1;
	if (job->argv0 && (!job->argv0[0] || strlen(job->argv0) >= CLI_JOB_PATH_MAX)) {
		snprintf(err, errlen, "the program name is empty or longer than %d bytes",
			 CLI_JOB_PATH_MAX - 1);
		return -1;
	}
	if (job->argv0 && !word_carriable(job->argv0, "program name", err, errlen))
		return -1;
	if (job->argc > CLI_JOB_ARGS_MAX - 1) {
		snprintf(err, errlen, "more than %d arguments", CLI_JOB_ARGS_MAX - 1);
		return -1;
	}
	for (int i = 0; i < job->argc; i++) {
		if (!word_carriable(job->argv[i], "argument", err, errlen))
			return -1;
		bytes += strlen(job->argv[i]) + 1;
	}
	if (bytes > CLI_JOB_LINE_MAX) {
		snprintf(err, errlen, "arguments longer than %d bytes", CLI_JOB_LINE_MAX);
		return -1;
	}
	return 0;
}

int cli_build_job_line(const struct cli_job *job, char *out, size_t len, char *err,
		       size_t errlen)
{
	struct line l = { .buf = out, .len = len };
	char env[CLI_JOB_LINE_MAX], num[32];
	uint64_t ncpus = 0;

	if (!len)
		return -1;
	out[0] = 0;
	env[0] = 0;
	if (check_program(job, err, errlen) ||
	    (!job->env_size && build_env(job, env, sizeof(env), err, errlen)))
		return -1;
	if (job->env_size > CLI_ENV_BYTES_MAX || (job->env_size && !job->proxy)) {
		snprintf(err, errlen, "an environment from the proxy needs one, of at most %d bytes",
			 CLI_ENV_BYTES_MAX);
		return -1;
	}
	if (job->ranks > CLI_JOB_RANKS_MAX || job->threads > CLI_JOB_COUNT_MAX) {
		snprintf(err, errlen, "%s out of range", job->ranks > CLI_JOB_RANKS_MAX ?
			 "ranks" : "threads");
		return -1;
	}
	/* Without a CPU list: ranks x threads free cores, 1 for whichever is not given. */
	if (!job->cpus && (job->ncpus || job->ranks || job->threads))
		ncpus = job->ncpus ? job->ncpus : (uint64_t)(job->ranks ? job->ranks : 1) *
						  (job->threads ? job->threads : 1);
	if (ncpus > CLI_CPU_MAX) {
		snprintf(err, errlen, "%llu CPUs (ranks x threads): more than an enclave can have "
			 "(%d)", (unsigned long long)ncpus, CLI_CPU_MAX);
		return -1;
	}
	if ((job->heap && job->heap < 4096) || (job->stack && job->stack < 4096)) {
		snprintf(err, errlen, "%s smaller than a page (4K)", job->heap && job->heap < 4096 ?
			 "heap" : "stack");
		return -1;
	}
	if (job->ranks) {
		snprintf(num, sizeof(num), "%u", job->ranks);
		line_opt(&l, "ranks", num, false);
	}
	if (job->threads) {
		snprintf(num, sizeof(num), "%u", job->threads);
		line_opt(&l, "threads", num, false);
	}
	if (job->cpus) {
		line_opt(&l, "cpus", job->cpus, false);
	} else if (ncpus) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)ncpus);
		line_opt(&l, "ncpus", num, false);
	}
	if (job->share)
		line_opt(&l, "share", "1", false);
	if (job->heap) {
		cli_format_size(job->heap, num, sizeof(num));
		line_opt(&l, "heap", num, false);
	}
	if (job->stack) {
		cli_format_size(job->stack, num, sizeof(num));
		line_opt(&l, "stack", num, false);
	}
	if (job->pagesize)
		line_opt(&l, "pagesize", job->pagesize, false);
	/* argv[0] as it was given, where it is not the path Cove opens. */
	if (job->argv0 && strcmp(job->argv0, job->path))
		line_opt(&l, "argv0", job->argv0, has_blank(job->argv0));
	if (job->cwd && job->cwd[0] == '/' && strlen(job->cwd) < CLI_JOB_CWD_MAX &&
	    !strpbrk(job->cwd, "\"\n"))
		line_opt(&l, "cwd", job->cwd, has_blank(job->cwd));
	if (job->proxy)
		line_opt(&l, "proxy", "1", false);
	if (job->gdb)
		line_opt(&l, "gdb", "1", false);
	if (job->env_size) {
		snprintf(num, sizeof(num), "%u", job->env_size);
		line_opt(&l, "envsize", num, false);
	} else if (env[0]) {
		line_opt(&l, "env", env, true);
	}
	l.opt_bytes += strlen(job->path) + 1;
	line_put(&l, job->path, has_blank(job->path));
	if (l.opt_bytes > CLI_JOB_LINE_MAX) {
		snprintf(err, errlen, "options and program path longer than %d bytes",
			 CLI_JOB_LINE_MAX);
		return -1;
	}
	for (int i = 0; i < job->argc; i++)
		line_put(&l, job->argv[i], !job->argv[i][0] || has_blank(job->argv[i]));
	if (l.full) {
		snprintf(err, errlen, "job line longer than %zu bytes", len - 1);
		out[0] = 0;
		return -1;
	}
	return (int)l.pos;
}

static size_t cli_count_list(const char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return n;
}

/* Whether entry "NAME=VALUE" names name_of's NAME ("NAME=..." or a bare "NAME"). */
static bool env_same_name(const char *entry, const char *name_of)
{
	size_t n = strcspn(name_of, "=");

	return !strncmp(entry, name_of, n) && entry[n] == '=';
}

static bool env_named_in(const char *entry, char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (env_same_name(entry, list[i]))
			return true;
	return false;
}

bool cli_env_lookup(char *const *set, int nset, const char *name)
{
	for (int i = 0; i < nset; i++)
		if (env_same_name(set[i], name))
			return true;
	return false;
}

long cli_env_block(char *const *set, int nset, char *const *environ_, const char *const *drop,
		   char *out, size_t cap, char *err, size_t errlen)
{
	size_t pos = 0, vars = 0;

	if (cap > CLI_ENV_BYTES_MAX)
		cap = CLI_ENV_BYTES_MAX;
	for (int pass = 0; pass < 2; pass++) {
		char *const *list = pass ? environ_ : set;

		for (int i = 0; list && (pass || i < nset) && list[i]; i++) {
			const char *e = list[i];
			const char *eq = strchr(e, '=');
			size_t l = strlen(e) + 1;

			if (!eq || eq == e) {
				if (!pass) {
					snprintf(err, errlen, "environment variable '%.40s' is not "
						 "NAME=VALUE", e);
					return -1;
				}
				continue;	/* not a variable a program could read */
			}
			if (pass && env_named_in(e, set, nset))
				continue;
			if (pass && drop && env_named_in(e, (char *const *)drop,
							 (int)cli_count_list(drop)))
				continue;
			if (++vars > CLI_ENV_VARS_MAX) {
				snprintf(err, errlen, "more than %d environment variables (Cove's "
					 "limit for a job)", CLI_ENV_VARS_MAX);
				return -1;
			}
			if (l > cap - pos) {
				snprintf(err, errlen, "environment longer than %zu bytes (Cove's limit "
					 "for a job)", cap);
				return -1;
			}
			memcpy(out + pos, e, l);
			pos += l;
		}
	}
	return (long)pos;
}

void cli_job_line_command(const char *line, size_t n, char *out, size_t len)
{
	size_t i = 0, o = 0;

	if (!len)
		return;
	/* Options are "key=value" words before the first word that is not one. */
	while (i < n && line[i]) {
		size_t w = i;
		bool quoted = false, option = false;

		while (w < n && line[w] == ' ')
			w++;
		i = w;
		while (i < n && line[i] && (quoted || line[i] != ' ')) {
			if (line[i] == '"')
				quoted = !quoted;
			else if (line[i] == '=' && !quoted && line[w] != '/')
				option = true;
			i++;
		}
		if (!option) {
			i = w;
			break;
		}
	}
	for (; i < n && line[i] && o + 1 < len; i++) {
		unsigned char c = (unsigned char)line[i];

		out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[o] = 0;
}

bool cli_valid_name(const char *s)
{
	size_t n = strlen(s), i;
	bool digits = true;

	if (!n || n >= CLI_NAME_MAX || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '$' && i == n - 1 && i)
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
		digits = digits && c >= '0' && c <= '9';
	}
	return !digits;
}

int cli_parse_id(const char *s, uint32_t *id)
{
	uint64_t v;
	int rc = cli_parse_uint(s, 0, CLI_ID_MAX, &v);

	if (!rc)
		*id = (uint32_t)v;
	return rc;
}

/* One part of an owner: a name or a number; "" stays "". */
static int owner_part(const char *s, size_t n, char out[CLI_NAME_MAX])
{
	uint32_t id;
	int rc;

	out[0] = 0;
	if (!n)
		return 0;
	if (n >= CLI_NAME_MAX)
		return -EINVAL;
	memcpy(out, s, n);
	out[n] = 0;
	if (cli_valid_name(out))
		return 0;
	rc = cli_parse_id(out, &id);
	if (rc)
		out[0] = 0;
	return rc;
}

int cli_split_owner(const char *s, char user[CLI_NAME_MAX], char group[CLI_NAME_MAX])
{
	const char *colon = strchr(s, ':');
	size_t ulen = colon ? (size_t)(colon - s) : strlen(s);
	int rc;

	user[0] = group[0] = 0;
	if (colon && (!colon[1] || strchr(colon + 1, ':')))
		return -EINVAL;
	if (!ulen && !colon)
		return -EINVAL;
	rc = owner_part(s, ulen, user);
	if (!rc && colon)
		rc = owner_part(colon + 1, strlen(colon + 1), group);
	if (rc)
		user[0] = group[0] = 0;
	return rc;
}

/*
 * The line of db starting at *pos: its name (copied) and id, the first and
 * third fields. False at the end; *ok false for a line not of that form or
 * with a name cli_valid_name() refuses (never shown, never matched).
 */
static bool db_line(const char *db, size_t len, size_t *pos, char name[CLI_NAME_MAX],
		    uint32_t *id, bool *ok)
{
	const char *line, *end, *c1, *c2, *c3;
	char num[16];
	size_t n;

	if (*pos >= len)
		return false;
	line = db + *pos;
	end = memchr(line, '\n', len - *pos);
	if (!end)
		end = db + len;
	*pos = (size_t)(end - db) + 1;
	*ok = false;
	c1 = memchr(line, ':', (size_t)(end - line));
	c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
	c3 = c2 ? memchr(c2 + 1, ':', (size_t)(end - c2 - 1)) : NULL;
	if (!c3)
		return true;
	n = (size_t)(c3 - c2 - 1);
	if (!n || n >= sizeof(num) || memchr(c2 + 1, 0, n))
		return true;
	memcpy(num, c2 + 1, n);
	num[n] = 0;
	if (cli_parse_id(num, id))
		return true;
	n = (size_t)(c1 - line);
	if (n >= CLI_NAME_MAX || memchr(line, 0, n))
		return true;
	memcpy(name, line, n);
	name[n] = 0;
	*ok = cli_valid_name(name);
	return true;
}

int cli_db_id(const char *db, size_t len, const char *name, uint32_t *id)
{
	char nm[CLI_NAME_MAX];
	size_t pos = 0;
	uint32_t v;
	bool ok;

	while (db_line(db, len, &pos, nm, &v, &ok)) {
		if (ok && !strcmp(nm, name)) {
			*id = v;
			return 0;
		}
	}
	return -ENOENT;
}

int cli_db_name(const char *db, size_t len, uint32_t id, char *name, size_t nlen)
{
	char nm[CLI_NAME_MAX];
	size_t pos = 0;
	uint32_t v;
	bool ok;

	while (db_line(db, len, &pos, nm, &v, &ok)) {
		if (!ok || v != id)
			continue;
		if (strlen(nm) >= nlen)
			return -ENOSPC;
		memcpy(name, nm, strlen(nm) + 1);
		return 0;
	}
	return -ENOENT;
}

static bool json_put(char *out, size_t len, size_t *pos, const char *s, size_t n)
{
	if (*pos + n >= len)
		return false;
	memcpy(out + *pos, s, n);
	*pos += n;
	return true;
}

/* Bytes of the UTF-8 sequence at s (at most n available), 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xbf;
	size_t need;

	if (b >= 0xc2 && b <= 0xdf)
		need = 2;
	else if (b >= 0xe0 && b <= 0xef)
		need = 3;
	else if (b >= 0xf0 && b <= 0xf4)
		need = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if (b == 0xe0)
		lo = 0xa0;
	else if (b == 0xed)
		hi = 0x9f;
	else if (b == 0xf0)
		lo = 0x90;
	else if (b == 0xf4)
		hi = 0x8f;
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	}
	return need;
}

int cli_json_escape(const char *s, size_t n, char *out, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t pos = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		char esc[8];
		size_t k;
		bool ok;

		if (c >= 0x80) {
			k = utf8_len(u + i, n - i);
			ok = k ? json_put(out, len, &pos, s + i, k) :
				 json_put(out, len, &pos, "\\ufffd", 6);
			i += k ? k : 1;
		} else {
			if (c == '"' || c == '\\')
				snprintf(esc, sizeof(esc), "\\%c", c);
			else if (c == '\n')
				snprintf(esc, sizeof(esc), "\\n");
			else if (c == '\t')
				snprintf(esc, sizeof(esc), "\\t");
			else if (c == '\r')
				snprintf(esc, sizeof(esc), "\\r");
			else if (c < 0x20 || c == 0x7f)
				snprintf(esc, sizeof(esc), "\\u%04x", c);
			else
				snprintf(esc, sizeof(esc), "%c", c);
			ok = json_put(out, len, &pos, esc, strlen(esc));
			i++;
		}
		if (!ok) {
			out[0] = 0;
			return -1;
		}
	}
	out[pos] = 0;
	return (int)pos;
}
