// SPDX-License-Identifier: GPL-2.0
/* The command-line parser: every value type, the exact messages, and hostile input. */
#include <string.h>
#include "unit.h"
#include <cove/cmdline.h>
#include <cove/errno.h>

#define LOG_MAX 8

struct log {
	int nr_err, nr_unk;
	char err[LOG_MAX][256];
	char unk[LOG_MAX][256];
};

static void log_err(void *ctx, const char *msg)
{
	struct log *l = ctx;

	if (l->nr_err < LOG_MAX)
		snprintf(l->err[l->nr_err], sizeof(l->err[0]), "%s", msg);
	l->nr_err++;
}

static void log_unk(void *ctx, const char *msg)
{
	struct log *l = ctx;

	if (l->nr_unk < LOG_MAX)
		snprintf(l->unk[l->nr_unk], sizeof(l->unk[0]), "%s", msg);
	l->nr_unk++;
}

static const char *const panic_choices[] = { "pagefault", "gp", "ud", "divide", "panic", NULL };

/* What a handful of subsystems would declare, gathered in one place. */
struct opts {
	bool quiet, selftest;
	uint64_t cpus, mem, heap, hz;
	int panic_test;
	char init[16];
	bool quiet_seen, cpus_seen, init_seen;
	struct log log;
};

static int parse(struct opts *o, const char *cmdline)
{
	const struct cmdline_opt table[] = {
		{ .name = "quiet", .type = CMDLINE_FLAG, .dest = &o->quiet,
		  .seen = &o->quiet_seen },
		{ .name = "selftest", .type = CMDLINE_BOOL, .dest = &o->selftest },
		{ .name = "cpus", .type = CMDLINE_UINT, .dest = &o->cpus, .min = 1, .max = 256,
		  .seen = &o->cpus_seen },
		{ .name = "mem", .type = CMDLINE_SIZE, .dest = &o->mem },
		{ .name = "heap", .type = CMDLINE_SIZE, .dest = &o->heap, .min = MiB, .max = GiB },
		{ .name = "hz", .type = CMDLINE_UINT, .dest = &o->hz, .min = 10 },
		{ .name = "panic_test", .type = CMDLINE_CHOICE, .dest = &o->panic_test,
		  .choices = panic_choices },
		{ .name = "init", .type = CMDLINE_STRING, .dest = o->init,
		  .dest_size = sizeof(o->init), .seen = &o->init_seen },
	};

	return cmdline_parse(cmdline, table, ARRAY_SIZE(table), log_err, log_unk, &o->log);
}

static void opts_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cpus = 7;
	o->panic_test = -1;
	strcpy(o->init, "default");
}

/* Parses a line expected to give exactly one error, and returns its text. */
static const char *one_error(struct opts *o, const char *cmdline)
{
	opts_init(o);
	if (parse(o, cmdline) != 1 || o->log.nr_err != 1 || o->log.nr_unk != 0)
		return "(not exactly one error)";
	return o->log.err[0];
}

TEST(cmdline_parse_uint_values)
{
	uint64_t v = 99;

	CHECK_EQ(cmdline_parse_uint("0", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(cmdline_parse_uint("42", &v), 0);
	CHECK_EQ(v, 42);
	CHECK_EQ(cmdline_parse_uint("010", &v), 0);
	CHECK_EQ(v, 10);
	CHECK_EQ(cmdline_parse_uint("0x1F", &v), 0);
	CHECK_EQ(v, 0x1f);
	CHECK_EQ(cmdline_parse_uint("0XfF", &v), 0);
	CHECK_EQ(v, 0xff);
	CHECK_EQ(cmdline_parse_uint("18446744073709551615", &v), 0);
	CHECK_EQ(v, UINT64_MAX);
	CHECK_EQ(cmdline_parse_uint("0xffffffffffffffff", &v), 0);
	CHECK_EQ(v, UINT64_MAX);

	v = 99;
	CHECK_EQ(cmdline_parse_uint("18446744073709551616", &v), -ERANGE);
	CHECK_EQ(cmdline_parse_uint("0x10000000000000000", &v), -ERANGE);
	CHECK_EQ(cmdline_parse_uint("99999999999999999999x", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("0x", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("-1", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("+1", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("12a", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint(" 1", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("1 ", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("1K", &v), -EINVAL);
	CHECK_EQ(v, 99);
}

TEST(cmdline_parse_size_values)
{
	uint64_t v = 99;

	CHECK_EQ(cmdline_parse_size("4096", &v), 0);
	CHECK_EQ(v, 4096);
	CHECK_EQ(cmdline_parse_size("64k", &v), 0);
	CHECK_EQ(v, 64 * KiB);
	CHECK_EQ(cmdline_parse_size("64K", &v), 0);
	CHECK_EQ(v, 64 * KiB);
	CHECK_EQ(cmdline_parse_size("512M", &v), 0);
	CHECK_EQ(v, 512 * MiB);
	CHECK_EQ(cmdline_parse_size("2g", &v), 0);
	CHECK_EQ(v, 2 * GiB);
	CHECK_EQ(cmdline_parse_size("0x10M", &v), 0);
	CHECK_EQ(v, 16 * MiB);
	CHECK_EQ(cmdline_parse_size("0", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(cmdline_parse_size("17179869183G", &v), 0);
	CHECK_EQ(v, 17179869183ULL << 30);

	v = 99;
	CHECK_EQ(cmdline_parse_size("17179869184G", &v), -ERANGE);
	CHECK_EQ(cmdline_parse_size("99999999999999999999", &v), -ERANGE);
	CHECK_EQ(cmdline_parse_size("99999999999999999999K", &v), -ERANGE);
	CHECK_EQ(cmdline_parse_size("99999999999999999999X", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_size("", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_size("M", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_size("5MB", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_size("5T", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_size("1.5G", &v), -EINVAL);
	CHECK_EQ(cmdline_parse_size("-1M", &v), -EINVAL);
	CHECK_EQ(v, 99);
}

TEST(cmdline_every_type_parses)
{
	struct opts o;

	opts_init(&o);
	CHECK_EQ(parse(&o, "quiet selftest=on cpus=0x10 mem=512M heap=2M hz=100 "
		       "panic_test=divide init=/sbin/init"), 0);
	CHECK_EQ(o.log.nr_err + o.log.nr_unk, 0);
	CHECK(o.quiet && o.quiet_seen);
	CHECK(o.selftest);
	CHECK_EQ(o.cpus, 16);
	CHECK(o.cpus_seen);
	CHECK_EQ(o.mem, 512 * MiB);
	CHECK_EQ(o.heap, 2 * MiB);
	CHECK_EQ(o.hz, 100);
	CHECK_EQ(o.panic_test, 3);
	CHECK(!strcmp(o.init, "/sbin/init") && o.init_seen);

	/* Bounds are inclusive. */
	opts_init(&o);
	CHECK_EQ(parse(&o, "cpus=1 heap=1G"), 0);
	CHECK_EQ(o.cpus, 1);
	CHECK_EQ(o.heap, GiB);
	CHECK_EQ(parse(&o, "cpus=256 heap=1024K"), 0);
	CHECK_EQ(o.cpus, 256);
	CHECK_EQ(o.heap, MiB);

	/* Nothing given: nothing touched. */
	opts_init(&o);
	CHECK_EQ(parse(&o, "panic_test=pagefault init="), 0);
	CHECK_EQ(o.panic_test, 0);
	CHECK(!strcmp(o.init, ""));
	CHECK(!o.quiet_seen && !o.cpus_seen);
	CHECK_EQ(o.cpus, 7);
}

TEST(cmdline_booleans_and_flags)
{
	static const char *const yes[] = { "on", "yes", "1", "true" };
	static const char *const no[] = { "off", "no", "0", "false" };
	char line[64];
	struct opts o;

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		opts_init(&o);
		snprintf(line, sizeof(line), "selftest=%s quiet=%s", yes[i], yes[i]);
		CHECK_EQ(parse(&o, line), 0);
		CHECK(o.selftest && o.quiet);
		snprintf(line, sizeof(line), "selftest=%s quiet=%s", no[i], no[i]);
		CHECK_EQ(parse(&o, line), 0);
		CHECK(!o.selftest && !o.quiet && o.quiet_seen);
	}

	CHECK(!strcmp(one_error(&o, "selftest=maybe"),
		      "selftest=maybe: not a boolean (use on/off, yes/no, 1/0, true/false)"));
	CHECK(!strcmp(one_error(&o, "selftest=ON"),
		      "selftest=ON: not a boolean (use on/off, yes/no, 1/0, true/false)"));
	CHECK(!strcmp(one_error(&o, "selftest"),
		      "selftest: needs a value (use on/off, yes/no, 1/0, true/false)"));
	CHECK(!strcmp(one_error(&o, "quiet="),
		      "quiet=: not a boolean (use on/off, yes/no, 1/0, true/false)"));
	CHECK(!o.quiet && !o.quiet_seen);
}

TEST(cmdline_exact_messages)
{
	struct opts o;

	CHECK(!strcmp(one_error(&o, "mem=abc"), "mem=abc: not a size (use a number with an "
		      "optional K, M or G suffix, e.g. 512M)"));
	CHECK(!strcmp(one_error(&o, "cpus=0"), "cpus=0: must be between 1 and 256"));
	CHECK_EQ(o.cpus, 7);
	CHECK(!o.cpus_seen);
	CHECK(!strcmp(one_error(&o, "cpus=257"), "cpus=257: must be between 1 and 256"));
	CHECK(!strcmp(one_error(&o, "cpus=99999999999999999999"),
		      "cpus=99999999999999999999: must be between 1 and 256"));
	CHECK(!strcmp(one_error(&o, "panic_test=foo"), "panic_test=foo: unknown value "
		      "(choose one of: pagefault, gp, ud, divide, panic)"));
	CHECK_EQ(o.panic_test, -1);
	CHECK(!strcmp(one_error(&o, "cpus=abc"),
		      "cpus=abc: not a number (use decimal or 0x-prefixed hex)"));
	CHECK(!strcmp(one_error(&o, "cpus="),
		      "cpus=: not a number (use decimal or 0x-prefixed hex)"));
	CHECK(!strcmp(one_error(&o, "cpus"), "cpus: needs a value (cpus=...)"));
	CHECK(!strcmp(one_error(&o, "init"), "init: needs a value (init=...)"));
	CHECK(!strcmp(one_error(&o, "heap=512K"), "heap=512K: must be between 1M and 1G"));
	CHECK(!strcmp(one_error(&o, "heap=1073741825"),
		      "heap=1073741825: must be between 1M and 1G"));
	CHECK(!strcmp(one_error(&o, "hz=5"), "hz=5: must be at least 10"));
	CHECK(!strcmp(one_error(&o, "mem=99999999999999999999"),
		      "mem=99999999999999999999: too large (does not fit in 64 bits)"));
	CHECK(!strcmp(one_error(&o, "init=/a/path/too/long"),
		      "init=/a/path/too/long: too long (at most 15 characters)"));
	CHECK(!strcmp(o.init, "default"));
	CHECK(!o.init_seen);
}

TEST(cmdline_quotes_and_whitespace)
{
	struct opts o;

	opts_init(&o);
	CHECK_EQ(parse(&o, "  \t init=\"/bin/sh -l\"\t\tquiet  \n"), 0);
	CHECK(!strcmp(o.init, "/bin/sh -l"));
	CHECK(o.quiet);

	opts_init(&o);
	CHECK_EQ(parse(&o, "\"cpus=8\" panic_test=\"ud\" \"\" init=a\"b c\"d"), 0);
	CHECK_EQ(o.cpus, 8);
	CHECK_EQ(o.panic_test, 2);
	CHECK(!strcmp(o.init, "ab cd"));
	CHECK_EQ(o.log.nr_unk, 0);

	/* An unterminated quote runs to the end of the line. */
	opts_init(&o);
	CHECK_EQ(parse(&o, "quiet init=\"x y  cpus=3"), 0);
	CHECK(!strcmp(o.init, "x y  cpus=3"));
	CHECK_EQ(o.cpus, 7);

	/* The first '=' splits; later ones belong to the value. */
	opts_init(&o);
	CHECK_EQ(parse(&o, "init=a=b"), 0);
	CHECK(!strcmp(o.init, "a=b"));

	opts_init(&o);
	CHECK_EQ(parse(&o, ""), 0);
	CHECK_EQ(parse(&o, " \t \t "), 0);
	CHECK_EQ(parse(&o, NULL), 0);
	CHECK_EQ(o.log.nr_err + o.log.nr_unk, 0);
	CHECK(!o.quiet_seen);
}

TEST(cmdline_later_overrides_earlier)
{
	struct opts o;

	opts_init(&o);
	CHECK_EQ(parse(&o, "cpus=2 quiet cpus=8 quiet=off init=a init=b"), 0);
	CHECK_EQ(o.cpus, 8);
	CHECK(!o.quiet);
	CHECK(!strcmp(o.init, "b"));

	/* A bad later value keeps the earlier good one. */
	opts_init(&o);
	CHECK_EQ(parse(&o, "cpus=2 cpus=0 cpus=x"), 2);
	CHECK_EQ(o.cpus, 2);
	CHECK(o.cpus_seen);
}

TEST(cmdline_unknown_options)
{
	struct opts o;
	int ret;

	opts_init(&o);
	CHECK_EQ(parse(&o, "foo=bar quiet baz =5 Quiet"), 0);
	CHECK(o.quiet);
	CHECK_EQ(o.log.nr_err, 0);
	CHECK_EQ(o.log.nr_unk, 4);
	CHECK(!strcmp(o.log.unk[0], "ignoring unknown option \"foo\""));
	CHECK(!strcmp(o.log.unk[1], "ignoring unknown option \"baz\""));
	CHECK(!strcmp(o.log.unk[2], "ignoring unknown option \"\""));
	CHECK(!strcmp(o.log.unk[3], "ignoring unknown option \"Quiet\""));

	/* Both callbacks may be left out; errors are still counted. */
	const struct cmdline_opt table[] = {
		{ .name = "cpus", .type = CMDLINE_UINT, .dest = &o.cpus, .min = 1, .max = 4 },
	};
	ret = cmdline_parse("x cpus=9 cpus=3", table, ARRAY_SIZE(table), NULL, NULL, NULL);
	CHECK_EQ(ret, 1);
	CHECK_EQ(o.cpus, 3);
	CHECK_EQ(cmdline_parse("cpus=1", NULL, 0, NULL, NULL, NULL), 0);
}

TEST(cmdline_long_tokens_are_safe)
{
	static char line[8192];
	struct opts o;
	size_t n;

	/* A huge unknown name is shown cut short. */
	memset(line, 'n', 5000);
	strcpy(line + 5000, "=1 quiet");
	opts_init(&o);
	CHECK_EQ(parse(&o, line), 0);
	CHECK(o.quiet);
	CHECK_EQ(o.log.nr_unk, 1);
	n = strlen(o.log.unk[0]);
	CHECK(n < 100 && !strcmp(o.log.unk[0] + n - 4, "...\""));

	/* A huge value for a string is rejected whole. */
	strcpy(line, "init=");
	memset(line + 5, 'v', 5000);
	strcpy(line + 5005, " cpus=3");
	CHECK(strstr(one_error(&o, line), "...: too long (at most 15 characters)"));
	CHECK(!strcmp(o.init, "default"));
	CHECK_EQ(o.cpus, 3);

	/* Exactly as long as the buffer allows, and one more. */
	opts_init(&o);
	CHECK_EQ(parse(&o, "init=\"123456789 12345\""), 0);
	CHECK(!strcmp(o.init, "123456789 12345"));
	CHECK_EQ(parse(&o, "init=1234567890123456"), 1);
	CHECK(!strcmp(o.init, "123456789 12345"));

	/* Huge scalar values: errors with a readable, bounded message. */
	strcpy(line, "cpus=");
	memset(line + 5, '1', 3000);
	line[3005] = '\0';
	CHECK(strstr(one_error(&o, line), "...: must be between 1 and 256"));
	CHECK(strlen(o.log.err[0]) < 120);
	memcpy(line + 1, "mem=", 4);
	CHECK(strstr(one_error(&o, line + 1), "...: too large (does not fit in 64 bits)"));
	line[2000] = 'x';
	CHECK(strstr(one_error(&o, line + 1), "...: too large (does not fit in 64 bits)"));
	line[20] = 'x';
	CHECK(strstr(one_error(&o, line + 1), "...: not a size (use a number"));
	memcpy(line, "selftest=", 9);
	CHECK(strstr(one_error(&o, line), "...: not a boolean"));
	memcpy(line, "panic_test=", 11);
	CHECK(strstr(one_error(&o, line), "...: unknown value (choose one of: pagefault"));
}
