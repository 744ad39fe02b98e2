// SPDX-License-Identifier: GPL-2.0
/* Host tests of job-line parsing: words, quotes, argv, CPU lists. */
#include <string.h>
#include <cove/errno.h>
#include <cove/job.h>
#include "unit.h"

TEST(tokens_blanks_and_quotes)
{
	char buf[64], *out = buf;
	const char *s = "  a\\tb  \"c d\"e  \"\"  \\n ignored";
	const char *t;

	/* "\\t" above is a backslash and a t, not a tab: one word. */
	t = job_next_token(&s, &out, buf + sizeof(buf));
	CHECK(t && !strcmp(t, "a\\tb"));
	t = job_next_token(&s, &out, buf + sizeof(buf));
	CHECK(t && !strcmp(t, "c de"));
	t = job_next_token(&s, &out, buf + sizeof(buf));
	CHECK(t && !strcmp(t, ""));
	t = job_next_token(&s, &out, buf + sizeof(buf));
	CHECK(t && !strcmp(t, "\\n"));
	t = job_next_token(&s, &out, buf + sizeof(buf));
	CHECK(t && !strcmp(t, "ignored"));
	CHECK(job_next_token(&s, &out, buf + sizeof(buf)) == NULL);
	CHECK(*s == 0);
}

TEST(tokens_stop_at_newline)
{
	char buf[32], *out = buf;
	const char *s = "one\ntwo";

	CHECK(!strcmp(job_next_token(&s, &out, buf + sizeof(buf)), "one"));
	CHECK(job_next_token(&s, &out, buf + sizeof(buf)) == NULL);
	CHECK(*s == '\n');
}

TEST(tokens_overflow_is_reported)
{
	char buf[8], *out = buf;
	const char *s = "0123456789";

	CHECK(job_next_token(&s, &out, buf + sizeof(buf)) == NULL);
	CHECK(*s == '0');	/* not at the end: the caller sees it did not fit */
}

/* A word that fills the buffer, then "": no room for the empty word's NUL. */
TEST(tokens_empty_word_after_full_buffer)
{
	char buf[16], *out = buf, *end = buf + 8;
	const char *s = "0123456 \"\"";

	memset(buf, 'Z', sizeof(buf));
	CHECK(!strcmp(job_next_token(&s, &out, end), "0123456"));
	CHECK(out == end);
	CHECK(job_next_token(&s, &out, end) == NULL);
	CHECK(*s && *s != '\n');	/* not at the end: reported as too long */
	CHECK_EQ(buf[8], 'Z');
}

TEST(argv_full_buffer_then_empty_word)
{
	struct job_spec spec;
	char err[128], args[JOB_LINE_MAX + 8];

	static const char path[] = "/p";

	memset(&spec, 0, sizeof(spec));
	memset(args, 'a', JOB_LINE_MAX - 1);
	strcpy(args + JOB_LINE_MAX - 1, " \"\"");
	CHECK_EQ(job_parse_argv(&spec, path, args, err, sizeof(err)), -E2BIG);
	CHECK(strstr(err, "longer than"));
	/* argv follows args_buf: a NUL past its end would have hit argv[0]. */
	CHECK(spec.argv[0] == path);
}

TEST(argv_built_with_path_first)
{
	struct job_spec spec;
	char err[128];

	memset(&spec, 0, sizeof(spec));
	CHECK_EQ(job_parse_argv(&spec, "/bin/x", "a \"b c\"  d", err, sizeof(err)), 0);
	CHECK(!strcmp(spec.argv[0], "/bin/x"));
	CHECK(!strcmp(spec.argv[1], "a"));
	CHECK(!strcmp(spec.argv[2], "b c"));
	CHECK(!strcmp(spec.argv[3], "d"));
	CHECK(spec.argv[4] == NULL);
	/* No arguments at all, or only blanks. */
	CHECK_EQ(job_parse_argv(&spec, "/bin/x", "   ", err, sizeof(err)), 0);
	CHECK(spec.argv[1] == NULL);
	CHECK_EQ(job_parse_argv(&spec, "/bin/x", NULL, err, sizeof(err)), 0);
	CHECK(spec.argv[1] == NULL);
}

TEST(argv_limits)
{
	struct job_spec spec;
	char err[128], args[4 * JOB_ARGS_MAX + 8], big[JOB_LINE_MAX + 64];

	memset(&spec, 0, sizeof(spec));
	args[0] = 0;
	for (int i = 0; i < JOB_ARGS_MAX; i++)
		strcat(args, "x ");
	CHECK_EQ(job_parse_argv(&spec, "/p", args, err, sizeof(err)), -E2BIG);
	CHECK(strstr(err, "more than"));
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	CHECK_EQ(job_parse_argv(&spec, "/p", big, err, sizeof(err)), -E2BIG);
	CHECK(strstr(err, "longer than"));
}

TEST(cpulists)
{
	struct cpumask m;
	char err[128];

	CHECK_EQ(job_parse_cpulist("0-3", &m, err, sizeof(err)), 0);
	CHECK_EQ(cpumask_weight(&m), 4);
	CHECK(cpumask_test(&m, 0) && cpumask_test(&m, 3) && !cpumask_test(&m, 4));
	CHECK_EQ(job_parse_cpulist("1,3,5-6", &m, err, sizeof(err)), 0);
	CHECK_EQ(cpumask_weight(&m), 4);
	CHECK(cpumask_test(&m, 5) && cpumask_test(&m, 6) && !cpumask_test(&m, 2));
	CHECK_EQ(job_parse_cpulist("255", &m, err, sizeof(err)), 0);
	CHECK(cpumask_test(&m, 255));
	static const char *const bad[] = { "", "a", "3-1", "1,,2", "1-", "-1", "256", "1 2", "0x3" };

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(job_parse_cpulist(bad[i], &m, err, sizeof(err)), -EINVAL);
		CHECK(strstr(err, "not a CPU list"));
	}
}

TEST(counts)
{
	const char *s = "42rest";
	uint32_t v = 0;

	CHECK_EQ(job_parse_uint(&s, &v), 0);
	CHECK_EQ(v, 42);
	CHECK(!strcmp(s, "rest"));
	s = "x";
	CHECK_EQ(job_parse_uint(&s, &v), -EINVAL);
	s = "9999999";
	CHECK_EQ(job_parse_uint(&s, &v), -EINVAL);
}

TEST(env_from_words)
{
	char block[64], err[96];
	static const char want[] = "A=1\0B=two words\0";

	CHECK_EQ(job_env_from_words("A=1 \"B=two words\"", block, sizeof(block), err, sizeof(err)),
		 (int)sizeof(want) - 1);
	CHECK(!memcmp(block, want, sizeof(want) - 1));
	CHECK_EQ(job_env_from_words("", block, sizeof(block), err, sizeof(err)), 0);
	CHECK_EQ(job_env_from_words("A=1 NOVALUE", block, sizeof(block), err, sizeof(err)),
		 -EINVAL);
	CHECK(strstr(err, "entry 1 is not NAME=VALUE") != NULL);
	CHECK_EQ(job_env_from_words("=x", block, sizeof(block), err, sizeof(err)), -EINVAL);
	CHECK_EQ(job_env_from_words("A=0123456789 B=0123456789", block, 16, err, sizeof(err)),
		 -E2BIG);
}

TEST(env_check_refuses_what_a_proxy_must_not_send)
{
	char err[96];
	static char many[4 * (JOB_ENV_VARS_MAX + 1)];

	CHECK_EQ(job_env_check("A=1\0B=\0", 7, err, sizeof(err)), 2);
	CHECK_EQ(job_env_check("", 0, err, sizeof(err)), 0);
	CHECK_EQ(job_env_check("A=1", 3, err, sizeof(err)), -EINVAL);	/* no NUL at the end */
	CHECK(strstr(err, "not ended by a NUL") != NULL);
	CHECK_EQ(job_env_check("A=1\0\0", 5, err, sizeof(err)), -EINVAL);	/* empty entry */
	CHECK_EQ(job_env_check("AB\0", 3, err, sizeof(err)), -EINVAL);
	CHECK_EQ(job_env_check(many, JOB_ENV_MAX + 1, err, sizeof(err)), -EINVAL);
	for (int i = 0; i <= JOB_ENV_VARS_MAX; i++)
		memcpy(many + 4 * i, "A=1", 4);
	CHECK_EQ(job_env_check(many, sizeof(many), err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "more than 1024") != NULL);
	CHECK_EQ(job_env_check(many, sizeof(many) - 4, err, sizeof(err)), JOB_ENV_VARS_MAX);
}
