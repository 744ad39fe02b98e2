// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven command-line parser. The command line is never modified or
 * copied whole: each token is scanned in place and only its name, and a
 * short value for the scalar types, are unquoted into small stack buffers,
 * so arbitrarily long tokens cost nothing and cannot overflow anything.
 */
#include <cove/cmdline.h>
#include <cove/errno.h>
#include <cove/kvsnprintf.h>
#include <cove/string.h>

/* Longer names cannot match any option; longer scalar values are errors. */
#define CMDLINE_NAME_MAX 48
#define CMDLINE_VALUE_MAX 64
#define CMDLINE_MSG_MAX 256
#define CMDLINE_BOOL_HELP "use on/off, yes/no, 1/0, true/false"

struct cmdline_tok {
	char name[CMDLINE_NAME_MAX];
	size_t name_len;		/* unquoted length, even if cut short */
	const char *val_raw;		/* after '=', quotes still in; NULL without '=' */
	const char *end;
	char val[CMDLINE_VALUE_MAX];
	size_t val_len;			/* unquoted length, even if cut short */
};

struct cmdline_state {
	cmdline_report_fn report_error;
	cmdline_report_fn report_unknown;
	void *ctx;
	int errors;
};

static bool cmdline_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies [s, end) minus quotes, cut to fit; returns the uncut length. */
static size_t cmdline_unquote(const char *s, const char *end, char *dst, size_t size)
{
	size_t n = 0;

	for (; s < end; s++) {
		if (*s == '"')
			continue;
		if (n + 1 < size)
			dst[n] = *s;
		n++;
	}
	if (size)
		dst[n < size ? n : size - 1] = '\0';
	return n;
}

/*
 * Finds the next token at or after p; returns its end, or NULL when none is
 * left. Whitespace inside quotes belongs to the token; an unterminated quote
 * runs to the end of the line.
 */
static const char *cmdline_next(const char *p, const char **start, const char **eq)
{
	bool in_quote = false;

	while (cmdline_is_space(*p))
		p++;
	if (!*p)
		return NULL;
	*start = p;
	*eq = NULL;
	for (; *p; p++) {
		if (*p == '"')
			in_quote = !in_quote;
		else if (!in_quote && cmdline_is_space(*p))
			break;
		else if (*p == '=' && !*eq)
			*eq = p;
	}
	return p;
}

/* Digits in base 10 or (after 0x) 16; keeps consuming digits on overflow. */
static int cmdline_parse_digits(const char *s, const char **end, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	bool overflow = false;
	const char *first;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (first = s;; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		else
			v = v * base + d;
	}
	*end = s;
	if (s == first)
		return -EINVAL;
	*out = v;
	return overflow ? -ERANGE : 0;
}

int cmdline_parse_uint(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int ret = cmdline_parse_digits(s, &end, &v);

	/* Garbage outranks overflow: "99999999999999999999x" is not a number. */
	if (ret == -EINVAL || *end)
		return -EINVAL;
	if (ret == 0)
		*out = v;
	return ret;
}

int cmdline_parse_size(const char *s, uint64_t *out)
{
	const char *end;
	unsigned int shift = 0;
	uint64_t v;
	int ret = cmdline_parse_digits(s, &end, &v);

	if (ret == -EINVAL)
		return ret;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	}
	if (shift)
		end++;
	if (*end)
		return -EINVAL;
	if (ret == -ERANGE || v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

static int cmdline_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "on", "yes", "1", "true" };
	static const char *const no[] = { "off", "no", "0", "false" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Appends to a NUL-terminated message, cutting it at size. */
static void __printf(3, 4) cmdline_append(char *msg, size_t size, const char *fmt, ...)
{
	size_t used = strlen(msg);
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg + used, size - used, fmt, ap);
	va_end(ap);
}

/* Reports "name=value: <why>", or "name: <why>" when there was no value. */
static void __printf(3, 4) cmdline_error(struct cmdline_state *st, const struct cmdline_tok *t,
					 const char *fmt, ...)
{
	char msg[CMDLINE_MSG_MAX];
	va_list ap;

	if (t->val_raw)
		ksnprintf(msg, sizeof(msg), "%s=%s%s: ", t->name, t->val,
			  t->val_len >= sizeof(t->val) ? "..." : "");
	else
		ksnprintf(msg, sizeof(msg), "%s: ", t->name);
	va_start(ap, fmt);
	kvsnprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), fmt, ap);
	va_end(ap);
	st->errors++;
	if (st->report_error)
		st->report_error(st->ctx, msg);
}

/* Sizes are shown the way a user would type them: 16M rather than 16777216. */
static void cmdline_fmt_size(char *buf, size_t size, uint64_t v)
{
	static const char suffix[] = "GMK";

	for (int i = 0; i < 3; i++) {
		unsigned int shift = 30 - 10 * i;

		if (v && !(v & ((1ULL << shift) - 1))) {
			ksnprintf(buf, size, "%llu%c", (unsigned long long)(v >> shift),
				  suffix[i]);
			return;
		}
	}
	ksnprintf(buf, size, "%llu", (unsigned long long)v);
}

static bool cmdline_set_number(struct cmdline_state *st, const struct cmdline_opt *o,
			       const struct cmdline_tok *t)
{
	bool is_size = o->type == CMDLINE_SIZE;
	char lo[24], hi[24];
	uint64_t v;
	int ret;

	if (is_size)
		ret = cmdline_parse_size(t->val, &v);
	else
		ret = cmdline_parse_uint(t->val, &v);
	/* Garbage in the part kept is still garbage; digits that long are too many. */
	if (t->val_len >= sizeof(t->val) && ret == 0)
		ret = -ERANGE;

	if (ret == -EINVAL) {
		if (is_size)
			cmdline_error(st, t, "not a size (use a number with an optional K, M or G "
				      "suffix, e.g. 512M)");
		else
			cmdline_error(st, t, "not a number (use decimal or 0x-prefixed hex)");
		return false;
	}
	if (ret == 0 && v >= o->min && (!o->max || v <= o->max)) {
		*(uint64_t *)o->dest = v;
		return true;
	}

	if (is_size) {
		cmdline_fmt_size(lo, sizeof(lo), o->min);
		cmdline_fmt_size(hi, sizeof(hi), o->max);
	} else {
		ksnprintf(lo, sizeof(lo), "%llu", (unsigned long long)o->min);
		ksnprintf(hi, sizeof(hi), "%llu", (unsigned long long)o->max);
	}
	if (o->max)
		cmdline_error(st, t, "must be between %s and %s", lo, hi);
	else if (ret == 0)
		cmdline_error(st, t, "must be at least %s", lo);
	else
		cmdline_error(st, t, "too large (does not fit in 64 bits)");
	return false;
}

static bool cmdline_set_choice(struct cmdline_state *st, const struct cmdline_opt *o,
			       const struct cmdline_tok *t)
{
	char msg[CMDLINE_MSG_MAX];
	int i;

	for (i = 0; o->choices && o->choices[i]; i++) {
		if (t->val_len < sizeof(t->val) && !strcmp(t->val, o->choices[i])) {
			*(int *)o->dest = i;
			return true;
		}
	}

	msg[0] = '\0';
	for (i = 0; o->choices && o->choices[i]; i++)
		cmdline_append(msg, sizeof(msg), "%s%s", i ? ", " : "", o->choices[i]);
	cmdline_error(st, t, "unknown value (choose one of: %s)", msg);
	return false;
}

static bool cmdline_set_string(struct cmdline_state *st, const struct cmdline_opt *o,
			       const struct cmdline_tok *t)
{
	size_t len = cmdline_unquote(t->val_raw, t->end, NULL, 0);

	/* Rejected whole: a cut path or argument would do the wrong thing. */
	if (len >= o->dest_size) {
		cmdline_error(st, t, "too long (at most %zu characters)",
			      o->dest_size ? o->dest_size - 1 : 0);
		return false;
	}
	cmdline_unquote(t->val_raw, t->end, o->dest, o->dest_size);
	return true;
}

static bool cmdline_set(struct cmdline_state *st, const struct cmdline_opt *o,
			const struct cmdline_tok *t)
{
	bool b;

	if (!t->val_raw && o->type == CMDLINE_FLAG) {
		*(bool *)o->dest = true;
		return true;
	}
	if (!t->val_raw) {
		if (o->type == CMDLINE_BOOL)
			cmdline_error(st, t, "needs a value (" CMDLINE_BOOL_HELP ")");
		else
			cmdline_error(st, t, "needs a value (%s=...)", t->name);
		return false;
	}

	switch (o->type) {
	case CMDLINE_FLAG:
	case CMDLINE_BOOL:
		if (t->val_len >= sizeof(t->val) || cmdline_parse_bool(t->val, &b)) {
			cmdline_error(st, t, "not a boolean (" CMDLINE_BOOL_HELP ")");
			return false;
		}
		*(bool *)o->dest = b;
		return true;
	case CMDLINE_UINT:
	case CMDLINE_SIZE:
		return cmdline_set_number(st, o, t);
	case CMDLINE_CHOICE:
		return cmdline_set_choice(st, o, t);
	case CMDLINE_STRING:
		return cmdline_set_string(st, o, t);
	}
	return false;
}

static void cmdline_handle(struct cmdline_state *st, const struct cmdline_opt *opts,
			   size_t nr_opts, struct cmdline_tok *t)
{
	char msg[CMDLINE_MSG_MAX];

	for (size_t i = 0; i < nr_opts; i++) {
		if (t->name_len >= sizeof(t->name) || strcmp(opts[i].name, t->name))
			continue;
		if (cmdline_set(st, &opts[i], t) && opts[i].seen)
			*opts[i].seen = true;
		return;
	}
	if (st->report_unknown) {
		ksnprintf(msg, sizeof(msg), "ignoring unknown option \"%s%s\"", t->name,
			  t->name_len >= sizeof(t->name) ? "..." : "");
		st->report_unknown(st->ctx, msg);
	}
}

int cmdline_parse(const char *cmdline, const struct cmdline_opt *opts, size_t nr_opts,
		  cmdline_report_fn report_error, cmdline_report_fn report_unknown, void *ctx)
{
	struct cmdline_state st = {
		.report_error = report_error,
		.report_unknown = report_unknown,
		.ctx = ctx,
	};
	struct cmdline_tok t;
	const char *p = cmdline ? cmdline : "";
	const char *start, *eq;

	while ((t.end = cmdline_next(p, &start, &eq))) {
		p = t.end;
		t.name_len = cmdline_unquote(start, eq ? eq : t.end, t.name, sizeof(t.name));
		t.val_raw = eq ? eq + 1 : NULL;
		t.val[0] = '\0';
		t.val_len = eq ? cmdline_unquote(eq + 1, t.end, t.val, sizeof(t.val)) : 0;
		/* A token of nothing but quotes, "", says nothing. */
		if (!eq && !t.name_len)
			continue;
		cmdline_handle(&st, opts, nr_opts, &t);
	}
	return st.errors;
}
