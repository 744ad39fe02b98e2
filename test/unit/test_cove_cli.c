// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the cove CLI's pure parsers (linux/tools/cli_parse.c): CPU
 * lists, sizes, JSON escaping, and job lines, which are read back here with
 * Cove's own job-line functions (kernel/job/job_parse.c, kernel/cmdline.c)
 * the way kernel/job/job.c does, so the CLI and the kernel cannot drift apart.
 */
#include <errno.h>
#include <string.h>
#include <cove/cmdline.h>
#include <cove/job.h>
#include "../../linux/tools/cli_parse.h"
#include "unit.h"

_Static_assert(CLI_JOB_LINE_MAX == JOB_LINE_MAX, "job line limits differ");
_Static_assert(CLI_JOB_ARGS_MAX == JOB_ARGS_MAX, "job argv limits differ");
_Static_assert(CLI_JOB_PATH_MAX == sizeof(((struct job_spec *)0)->path), "path limits differ");

static bool cpus_are(const char *s, const char *want)
{
	uint64_t m[CLI_CPU_WORDS];
	char out[128];

	return !cli_parse_cpulist(s, m) && cli_format_cpulist(m, out, sizeof(out)) &&
	       !strcmp(out, want);
}

TEST(cpulist_good)
{
	uint64_t m[CLI_CPU_WORDS];

	CHECK(cpus_are("2-3", "2-3"));
	CHECK(cpus_are("2,5,7-9", "2,5,7-9"));
	CHECK(cpus_are("3,1,2", "1-3"));
	CHECK(cpus_are("0", "0"));
	CHECK(cpus_are("255", "255"));
	CHECK(cpus_are("0-255", "0-255"));
	CHECK(cpus_are("5-5,5", "5"));
	CHECK_EQ(cli_parse_cpulist("2,5,7-9", m), 0);
	CHECK_EQ(cli_cpu_count(m), 5);
	CHECK_EQ(cli_cpu_first(m), 2);
	CHECK_EQ(m[0], (1ULL << 2) | (1ULL << 5) | (7ULL << 7));
	CHECK(cpus_are("64,128,192", "64,128,192"));
}

TEST(cpulist_bad)
{
	uint64_t m[CLI_CPU_WORDS];

	CHECK_EQ(cli_parse_cpulist("", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("3-2", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("a", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("1-", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("-1", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("1,", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist(",1", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("1,,2", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("1 2", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("2x", m), -EINVAL);
	CHECK_EQ(cli_parse_cpulist("256", m), -ERANGE);
	CHECK_EQ(cli_parse_cpulist("0-256", m), -ERANGE);
	CHECK_EQ(cli_parse_cpulist("99999999999999999999999", m), -ERANGE);
	CHECK_EQ(cli_parse_cpulist("1-99999999999999999999999", m), -ERANGE);
	/* Bad syntax is reported as such even after an out-of-range CPU. */
	CHECK_EQ(cli_parse_cpulist("300,x", m), -EINVAL);
}

TEST(cpulist_format_limits)
{
	uint64_t m[CLI_CPU_WORDS] = { 0 };
	char buf[5];

	CHECK(cli_format_cpulist(m, buf, 5));
	CHECK(!strcmp(buf, "none"));
	CHECK(!cli_format_cpulist(m, buf, 4));	/* "none" needs 5 bytes */
	m[0] = 0x5555;				/* "0,2,4,...": does not fit */
	CHECK(!cli_format_cpulist(m, buf, sizeof(buf)));
	CHECK(!cli_format_cpulist(m, buf, 0));
}

TEST(size_good)
{
	uint64_t v;

	CHECK_EQ(cli_parse_size("512M", &v), 0);
	CHECK_EQ(v, 512ULL << 20);
	CHECK_EQ(cli_parse_size("1G", &v), 0);
	CHECK_EQ(v, 1ULL << 30);
	CHECK_EQ(cli_parse_size("1g", &v), 0);
	CHECK_EQ(v, 1ULL << 30);
	CHECK_EQ(cli_parse_size("4096", &v), 0);
	CHECK_EQ(v, 4096);
	CHECK_EQ(cli_parse_size("64K", &v), 0);
	CHECK_EQ(v, 65536);
	CHECK_EQ(cli_parse_size("2T", &v), 0);
	CHECK_EQ(v, 2ULL << 40);
	CHECK_EQ(cli_parse_size("18446744073709551615", &v), 0);
	CHECK_EQ(v, UINT64_MAX);
}

TEST(size_bad)
{
	uint64_t v = 7;

	CHECK_EQ(cli_parse_size("", &v), -EINVAL);
	CHECK_EQ(cli_parse_size("12X", &v), -EINVAL);
	CHECK_EQ(cli_parse_size("0", &v), -EINVAL);
	CHECK_EQ(cli_parse_size("0M", &v), -EINVAL);
	CHECK_EQ(cli_parse_size("M", &v), -EINVAL);
	CHECK_EQ(cli_parse_size("1MB", &v), -EINVAL);
	CHECK_EQ(cli_parse_size("-1", &v), -EINVAL);
	CHECK_EQ(cli_parse_size(" 1", &v), -EINVAL);
	CHECK_EQ(cli_parse_size("18446744073709551616", &v), -ERANGE);
	CHECK_EQ(cli_parse_size("16777216T", &v), -ERANGE);
	CHECK_EQ(cli_parse_size("17179869184G", &v), -ERANGE);
	CHECK_EQ(v, 7);	/* untouched on error */
}

TEST(size_format)
{
	char b[32];

	cli_format_size(1ULL << 30, b, sizeof(b));
	CHECK(!strcmp(b, "1G"));
	cli_format_size(1536ULL << 20, b, sizeof(b));
	CHECK(!strcmp(b, "1536M"));
	cli_format_size(4096, b, sizeof(b));
	CHECK(!strcmp(b, "4K"));
	cli_format_size(4097, b, sizeof(b));
	CHECK(!strcmp(b, "4097"));
	cli_format_size(2ULL << 40, b, sizeof(b));
	CHECK(!strcmp(b, "2048G"));	/* Cove's parser knows no T */
	cli_format_size(0, b, sizeof(b));
	CHECK(!strcmp(b, "0"));
}

TEST(uint_bounds)
{
	uint64_t v;

	CHECK_EQ(cli_parse_uint("7", 0, 7, &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(cli_parse_uint("8", 0, 7, &v), -ERANGE);
	CHECK_EQ(cli_parse_uint("9", 0, 7, &v), -ERANGE);
	CHECK_EQ(cli_parse_uint("0", 1, 7, &v), -ERANGE);
	CHECK_EQ(cli_parse_uint("", 0, 7, &v), -EINVAL);
	CHECK_EQ(cli_parse_uint("1x", 0, 7, &v), -EINVAL);
	CHECK_EQ(cli_parse_uint("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE);
}

/* What Cove makes of a job line: kernel/job/job.c's job_parse_line, step by step. */
struct parsed {
	struct job_spec spec;
	char tok[JOB_LINE_MAX], env[JOB_LINE_MAX];
	const char *envp[JOB_ARGS_MAX];
	int nenv;
	char ranks[16], threads[16], cpus[64], heap[32], stack[32], pagesize[8];
	char ncpus[16], share[4];
	char cwd[CLI_JOB_CWD_MAX];
};

static int parse_back(const char *line, struct parsed *p)
{
	char *out = p->tok, err[128];
	const char *s = line, *t;

	memset(p, 0, sizeof(*p));
	while ((t = job_next_token(&s, &out, p->tok + sizeof(p->tok)))) {
		const char *v = strchr(t, '=');
		struct { const char *key; char *dst; size_t len; } opts[] = {
			{ "ranks=", p->ranks, sizeof(p->ranks) },
			{ "threads=", p->threads, sizeof(p->threads) },
			{ "cpus=", p->cpus, sizeof(p->cpus) },
			{ "ncpus=", p->ncpus, sizeof(p->ncpus) },
			{ "share=", p->share, sizeof(p->share) },
			{ "heap=", p->heap, sizeof(p->heap) },
			{ "stack=", p->stack, sizeof(p->stack) },
			{ "pagesize=", p->pagesize, sizeof(p->pagesize) },
			{ "cwd=", p->cwd, sizeof(p->cwd) },
			{ "argv0=", p->spec.argv0, sizeof(p->spec.argv0) },
		};
		bool known = false;

		if (t[0] == '/' || !v) {
			memcpy(p->spec.path, t, strlen(t) + 1);
			return job_parse_argv(&p->spec, p->spec.argv0[0] ? p->spec.argv0 :
						p->spec.path, s, err, sizeof(err));
		}
		if (!strncmp(t, "env=", 4)) {
			int n = job_env_from_words(v + 1, p->env, sizeof(p->env), err, sizeof(err));

			for (int at = 0; n > 0 && at < n; at += (int)strlen(p->env + at) + 1)
				p->envp[p->nenv++] = p->env + at;
			if (n < 0)
				return -1;
			continue;
		}
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
			if (!strncmp(t, opts[i].key, strlen(opts[i].key))) {
				snprintf(opts[i].dst, opts[i].len, "%s", v + 1);
				known = true;
			}
		}
		if (!known)
			return -1;
	}
	return -1;
}

static int build(const struct cli_job *job, char *line, size_t len, char *err)
{
	return cli_build_job_line(job, line, len, err, 128);
}

/* A program run by a link's name keeps that name as argv[0]: busybox's applets. */
TEST(job_line_keeps_the_name_it_was_run_by)
{
	static struct parsed p;
	char *argv[] = { "-c", "echo hi" };
	struct cli_job job = { .path = "/bin/busybox", .argv0 = "/bin/sh", .argv = argv,
			       .argc = 2 };
	char line[512], err[128];

	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "argv0=/bin/sh /bin/busybox -c \"echo hi\""));
	CHECK_EQ(parse_back(line, &p), 0);
	CHECK(!strcmp(p.spec.path, "/bin/busybox"));
	CHECK(!strcmp(p.spec.argv[0], "/bin/sh"));
	CHECK(!strcmp(p.spec.argv[2], "echo hi"));
	/* The same name as the path: not repeated. */
	job.argv0 = "/bin/busybox";
	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strstr(line, "argv0="));
	/* A blank in it is quoted; a double quote cannot be carried. */
	job.argv0 = "my prog";
	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strncmp(line, "argv0=\"my prog\" ", 16));
	job.argv0 = "a\"b";
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	CHECK(strstr(err, "program name") != NULL);
	job.argv0 = "";
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
}

TEST(job_line_plain)
{
	static struct parsed p;
	char *argv[] = { "-x", "data/in.txt" };
	struct cli_job job = { .path = "/opt/bin/cg", .argv = argv, .argc = 2 };
	char line[512], err[128];

	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "/opt/bin/cg -x data/in.txt"));
	CHECK_EQ(parse_back(line, &p), 0);
	CHECK(!strcmp(p.spec.argv[0], "/opt/bin/cg"));
	CHECK(!strcmp(p.spec.argv[1], "-x"));
	CHECK(!strcmp(p.spec.argv[2], "data/in.txt"));
	CHECK(p.spec.argv[3] == NULL);
}

TEST(job_line_options_round_trip)
{
	static struct parsed p;
	char *env[] = { "A=1", "OMP_PROC_BIND=true", "EMPTY=" };
	struct cli_job job = {
		.path = "/bin/stream", .env = env, .nenv = 3, .cpus = "0-3,6", .ranks = 2,
		.threads = 3, .heap = 1ULL << 30, .stack = 8ULL << 20, .pagesize = "1G",
	};
	char line[512], err[128];
	uint64_t size;
	struct cpumask m;

	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "ranks=2 threads=3 cpus=0-3,6 heap=1G stack=8M pagesize=1G "
		      "env=\"A=1 OMP_PROC_BIND=true EMPTY=\" /bin/stream"));
	CHECK_EQ(parse_back(line, &p), 0);
	CHECK(!strcmp(p.spec.path, "/bin/stream"));
	CHECK(p.spec.argv[1] == NULL);
	CHECK(!strcmp(p.ranks, "2"));
	CHECK(!strcmp(p.threads, "3"));
	CHECK(!strcmp(p.pagesize, "1G"));
	CHECK_EQ(cmdline_parse_size(p.heap, &size), 0);
	CHECK_EQ(size, 1ULL << 30);
	CHECK_EQ(cmdline_parse_size(p.stack, &size), 0);
	CHECK_EQ(size, 8ULL << 20);
	CHECK_EQ(job_parse_cpulist(p.cpus, &m, err, sizeof(err)), 0);
	CHECK_EQ(cpumask_weight(&m), 5);
	CHECK_EQ(p.nenv, 3);
	CHECK(!strcmp(p.envp[0], "A=1"));
	CHECK(!strcmp(p.envp[1], "OMP_PROC_BIND=true"));
	CHECK(!strcmp(p.envp[2], "EMPTY="));
}

/* Without a CPU list, ranks x threads free cores; nothing given: every free core. */
TEST(job_line_asks_for_free_cores)
{
	static struct parsed p;
	struct cli_job job = { .path = "/bin/app", .ranks = 2, .threads = 3, .share = true };
	struct cli_job one = { .path = "/bin/app", .ranks = 1 };
	struct cli_job all = { .path = "/bin/app" };
	struct cli_job huge = { .path = "/bin/app", .ranks = 256, .threads = 2 };
	char line[512], err[128];

	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "ranks=2 threads=3 ncpus=6 share=1 /bin/app"));
	CHECK_EQ(parse_back(line, &p), 0);
	CHECK(!strcmp(p.ncpus, "6"));
	CHECK(!strcmp(p.share, "1"));
	CHECK(build(&one, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "ranks=1 ncpus=1 /bin/app"));
	CHECK(build(&all, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "/bin/app"));
	CHECK_EQ(build(&huge, line, sizeof(line), err), -1);
	CHECK(strstr(err, "512 CPUs (ranks x threads): more than an enclave can have (256)") != NULL);
}

TEST(env_block_is_the_environment_with_env_options_first)
{
	char *set[] = { "OMP_NUM_THREADS=2", "B=with blanks \"and quotes\"" };
	char *env[] = { "PATH=/usr/bin", "B=old", "junk", "=nothing", "PMIX_SERVER_URI=a;b c",
			"OMP_NUM_THREADS=8", "OMP_PLACES=cores", NULL };
	const char *const drop[] = { "OMP_PLACES", NULL };
	static const char want[] = "OMP_NUM_THREADS=2\0B=with blanks \"and quotes\"\0"
				   "PATH=/usr/bin\0PMIX_SERVER_URI=a;b c\0";
	char out[256], err[128];
	long n = cli_env_block(set, 2, env, drop, out, sizeof(out), err, sizeof(err));

	CHECK_EQ(n, (long)sizeof(want) - 1);
	CHECK(!memcmp(out, want, sizeof(want) - 1));
	CHECK(cli_env_lookup(set, 2, "B"));
	CHECK(!cli_env_lookup(set, 2, "OMP"));
	CHECK(!cli_env_lookup(set, 1, "B"));
	/* Nothing given, nothing inherited: an empty environment, not an error. */
	CHECK_EQ(cli_env_block(NULL, 0, NULL, NULL, out, sizeof(out), err, sizeof(err)), 0);
}

TEST(env_block_limits)
{
	static char big[CLI_ENV_BYTES_MAX + 16], out[CLI_ENV_BYTES_MAX];
	static char *many[CLI_ENV_VARS_MAX + 2];
	char *bad[] = { "NOEQUALS" }, *env[] = { big, NULL }, err[128];

	CHECK_EQ(cli_env_block(bad, 1, NULL, NULL, out, sizeof(out), err, sizeof(err)), -1);
	CHECK(strstr(err, "'NOEQUALS' is not NAME=VALUE") != NULL);
	memset(big, 'x', sizeof(big) - 1);
	big[0] = 'V';
	big[1] = '=';
	CHECK_EQ(cli_env_block(NULL, 0, env, NULL, out, sizeof(out), err, sizeof(err)), -1);
	CHECK(strstr(err, "environment longer than 65536 bytes") != NULL);
	for (int i = 0; i <= CLI_ENV_VARS_MAX; i++)
		many[i] = "A=1";
	many[CLI_ENV_VARS_MAX + 1] = NULL;
	CHECK_EQ(cli_env_block(NULL, 0, many, NULL, out, sizeof(out), err, sizeof(err)), -1);
	CHECK(strstr(err, "more than 1024 environment variables") != NULL);
	many[CLI_ENV_VARS_MAX] = NULL;
	CHECK_EQ(cli_env_block(NULL, 0, many, NULL, out, sizeof(out), err, sizeof(err)),
		 4 * CLI_ENV_VARS_MAX);
	/* A short buffer is refused, never overrun. */
	CHECK_EQ(cli_env_block(NULL, 0, many, NULL, out, 10, err, sizeof(err)), -1);
}

TEST(job_line_with_env_from_proxy)
{
	struct cli_job job = { .path = "/bin/app", .proxy = true, .env_size = 4242 };
	char *env[] = { "A=1" };
	char line[256], err[128];

	job.env = env;
	job.nenv = 1;	/* not on the line: the proxy has it */
	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "proxy=1 envsize=4242 /bin/app"));
	job.proxy = false;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	job.proxy = true;
	job.env_size = CLI_ENV_BYTES_MAX + 1;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
}

TEST(job_line_command_for_status)
{
	const char *line = "ranks=1 ncpus=1 cwd=\"/tmp/a b\" env=\"A=1 B=2\" /bin/app x=1 \"y z\"";
	char out[64], small[8];

	cli_job_line_command(line, strlen(line), out, sizeof(out));
	CHECK(!strcmp(out, "/bin/app x=1 \"y z\""));
	cli_job_line_command("/bin/true", 9, out, sizeof(out));
	CHECK(!strcmp(out, "/bin/true"));
	cli_job_line_command("ranks=1 /a\x1b[2J", 17, out, sizeof(out));
	CHECK(!strcmp(out, "/a?[2J"));
	cli_job_line_command("ranks=1 /bin/app long", 21, small, sizeof(small));
	CHECK(!strcmp(small, "/bin/ap"));
	cli_job_line_command("ranks=1 cpus=2", 14, out, sizeof(out));
	CHECK(!strcmp(out, ""));
	/* Not NUL-terminated within n: never read past it. */
	cli_job_line_command("/bin/xyz", 4, out, sizeof(out));
	CHECK(!strcmp(out, "/bin"));
}

TEST(job_line_carries_the_cwd)
{
	static struct parsed p;
	static char longdir[CLI_JOB_CWD_MAX + 1];
	struct cli_job job = { .path = "/bin/pwd", .cwd = "/scratch/my run" };
	char line[512], err[128];

	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "cwd=\"/scratch/my run\" /bin/pwd"));
	CHECK_EQ(parse_back(line, &p), 0);
	CHECK(!strcmp(p.cwd, "/scratch/my run"));
	/* What the line cannot carry is left out, not refused. */
	job.cwd = "/tmp/say \"hi\"";
	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "/bin/pwd"));
	memset(longdir, 'd', CLI_JOB_CWD_MAX);
	longdir[0] = '/';
	job.cwd = longdir;
	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(!strcmp(line, "/bin/pwd"));
	longdir[CLI_JOB_CWD_MAX - 1] = 0;
	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK(strstr(line, "cwd=/ddd") == line);
}

TEST(job_line_blanks_are_quoted)
{
	static struct parsed p;
	char *argv[] = { "hello world", "", "tab\there", "cr\rx", "a=b", "'single'", "x\\y" };
	struct cli_job job = { .path = "/home/me/my prog", .argv = argv, .argc = 7 };
	char line[512], err[128];

	CHECK(build(&job, line, sizeof(line), err) > 0);
	CHECK_EQ(parse_back(line, &p), 0);
	CHECK(!strcmp(p.spec.path, "/home/me/my prog"));
	for (int i = 0; i < 7; i++)
		CHECK(p.spec.argv[i + 1] && !strcmp(p.spec.argv[i + 1], argv[i]));
	CHECK(p.spec.argv[8] == NULL);
}

TEST(job_line_refuses_what_it_cannot_carry)
{
	char *quote[] = { "say \"hi\"" }, *nl[] = { "two\nlines" };
	char *env_blank[] = { "A=x y" }, *env_noeq[] = { "A" }, *env_empty_name[] = { "=1" };
	char *env_quote[] = { "A=\"" };
	struct cli_job job = { .path = "/bin/echo" };
	char line[512], err[128];

	job.argv = quote;
	job.argc = 1;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	CHECK(strstr(err, "double quote") != NULL);
	CHECK(line[0] == 0);
	job.argv = nl;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	CHECK(strstr(err, "newline") != NULL);
	job.argc = 0;
	job.nenv = 1;
	job.env = env_blank;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	CHECK(strstr(err, "blank") != NULL);
	job.env = env_noeq;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	job.env = env_empty_name;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	job.env = env_quote;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	job.nenv = 0;
	job.path = "relative/prog";
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	job.path = "/bin/a\"b";
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	job.path = "/bin/echo";
	job.heap = 100;
	CHECK_EQ(build(&job, line, sizeof(line), err), -1);
	CHECK(strstr(err, "heap") != NULL);
}

TEST(job_line_limits)
{
	static struct parsed p;
	static char big[JOB_LINE_MAX + 8], path[300], *argv[70], *env[70];
	static char out[8192];
	struct cli_job job = { .path = "/bin/echo", .argv = argv };
	char err[128];

	for (int i = 0; i < 70; i++)
		argv[i] = env[i] = "K=v";
	job.argc = JOB_ARGS_MAX - 1;		/* 63 arguments: the most */
	CHECK(build(&job, out, sizeof(out), err) > 0);
	CHECK_EQ(parse_back(out, &p), 0);
	CHECK(p.spec.argv[JOB_ARGS_MAX - 1] && p.spec.argv[JOB_ARGS_MAX] == NULL);
	job.argc = JOB_ARGS_MAX;
	CHECK_EQ(build(&job, out, sizeof(out), err), -1);
	CHECK(strstr(err, "arguments") != NULL);

	/* Argument bytes (NULs included) fill Cove's buffer exactly, then overflow. */
	memset(big, 'a', JOB_LINE_MAX - 1);
	big[JOB_LINE_MAX - 1] = 0;
	argv[0] = big;
	job.argc = 1;
	CHECK(build(&job, out, sizeof(out), err) > 0);
	CHECK_EQ(parse_back(out, &p), 0);
	CHECK_EQ(strlen(p.spec.argv[1]), JOB_LINE_MAX - 1);
	big[JOB_LINE_MAX - 1] = 'a';
	CHECK_EQ(build(&job, out, sizeof(out), err), -1);
	job.argc = 0;

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[255] = 0;
	job.path = path;
	CHECK(build(&job, out, sizeof(out), err) > 0);	/* 255 bytes: fits */
	path[255] = 'p';
	CHECK_EQ(build(&job, out, sizeof(out), err), -1);
	job.path = "/bin/echo";

	job.env = env;
	job.nenv = 60;
	CHECK(build(&job, out, sizeof(out), err) > 0);
	CHECK_EQ(parse_back(out, &p), 0);
	CHECK_EQ(p.nenv, 60);
	job.nenv = 61;
	CHECK_EQ(build(&job, out, sizeof(out), err), -1);
	job.nenv = 0;

	/* The caller's buffer too small: refused, never cut. */
	CHECK_EQ(build(&job, out, 8, err), -1);
	CHECK(out[0] == 0);
}

static const char *esc(const char *s, size_t n)
{
	static char out[256];

	return cli_json_escape(s, n, out, sizeof(out)) < 0 ? NULL : out;
}

TEST(json_escape)
{
	char small[4];

	CHECK(!strcmp(esc("plain", 5), "plain"));
	CHECK(!strcmp(esc("a\"b\\c", 5), "a\\\"b\\\\c"));
	CHECK(!strcmp(esc("l1\nl2\r\t", 7), "l1\\nl2\\r\\t"));
	CHECK(!strcmp(esc("\x01\x1f\x7f", 3), "\\u0001\\u001f\\u007f"));
	CHECK(!strcmp(esc("a\0b", 3), "a\\u0000b"));
	CHECK(!strcmp(esc("", 0), ""));
	/* UTF-8 passes; anything else becomes U+FFFD, byte by byte. */
	CHECK(!strcmp(esc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14),
		      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
	CHECK(!strcmp(esc("\xff", 1), "\\ufffd"));
	CHECK(!strcmp(esc("\xc3", 1), "\\ufffd"));		/* cut short */
	CHECK(!strcmp(esc("\xc0\xaf", 2), "\\ufffd\\ufffd"));	/* overlong */
	CHECK(!strcmp(esc("\xed\xa0\x80", 3), "\\ufffd\\ufffd\\ufffd"));	/* surrogate */
	CHECK(!strcmp(esc("\xf4\x90\x80\x80", 4), "\\ufffd\\ufffd\\ufffd\\ufffd"));
	CHECK_EQ(cli_json_escape("abc", 3, small, sizeof(small)), 3);
	CHECK_EQ(cli_json_escape("abcd", 4, small, sizeof(small)), -1);
	CHECK_EQ(cli_json_escape("\"", 1, small, 2), -1);
}

/* An owner split into its parts, as "user|group", or NULL if refused. */
static const char *owner_parts(const char *s)
{
	static char out[2 * CLI_NAME_MAX + 1];
	char user[CLI_NAME_MAX], group[CLI_NAME_MAX];

	if (cli_split_owner(s, user, group))
		return NULL;
	snprintf(out, sizeof(out), "%s|%s", user, group);
	return out;
}

TEST(owner_split)
{
	char user[CLI_NAME_MAX], group[CLI_NAME_MAX];

	CHECK(!strcmp(owner_parts("alice"), "alice|"));
	CHECK(!strcmp(owner_parts("alice:hpc"), "alice|hpc"));
	CHECK(!strcmp(owner_parts(":hpc"), "|hpc"));
	CHECK(!strcmp(owner_parts("1000:100"), "1000|100"));
	CHECK(!strcmp(owner_parts("first.last_2-x"), "first.last_2-x|"));
	CHECK(!strcmp(owner_parts("host$"), "host$|"));
	CHECK(!strcmp(owner_parts("4294967294"), "4294967294|"));
	CHECK(!owner_parts(""));
	CHECK(!owner_parts(":"));
	CHECK(!owner_parts("alice:"));		/* chown's "the login group" is not ours */
	CHECK(!owner_parts("a:b:c"));
	CHECK(!owner_parts("-alice"));
	CHECK(!owner_parts("al ice"));
	CHECK(!owner_parts("al\nice"));
	CHECK(!owner_parts("$"));
	CHECK(!owner_parts("a$b"));
	CHECK(!owner_parts("-1"));
	CHECK(!owner_parts("abcdefghijabcdefghijabcdefghijabc"));	/* 33 bytes */
	CHECK(owner_parts("abcdefghijabcdefghijabcdefghijab"));		/* 32 */

	CHECK_EQ(cli_split_owner("4294967295", user, group), -ERANGE);
	CHECK_EQ(cli_split_owner(":99999999999999999999", user, group), -ERANGE);
	CHECK(!user[0] && !group[0]);
}

TEST(owner_ids)
{
	uint32_t id = 7;

	CHECK_EQ(cli_parse_id("0", &id), 0);
	CHECK_EQ(id, 0);
	CHECK_EQ(cli_parse_id("4294967294", &id), 0);
	CHECK_EQ(id, 4294967294U);
	CHECK_EQ(cli_parse_id("4294967295", &id), -ERANGE);	/* (uid_t)-1: nobody */
	CHECK_EQ(cli_parse_id("12a", &id), -EINVAL);
	CHECK_EQ(cli_parse_id("", &id), -EINVAL);
	CHECK(!cli_valid_name("1234"));		/* a number, never a name */
	CHECK(cli_valid_name("a1234"));
}

TEST(owner_db_lookups)
{
	static const char db[] =
		"root:x:0:0:root:/root:/bin/sh\n"
		"broken line\n"
		"bad id:x:12x:0::/:/bin/sh\n"
		":x:5:5::/:/bin/sh\n"
		"we ird:x:6:6::/:/bin/sh\n"
		"alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
		"alias:x:1000:1000::/:/bin/sh\n"
		"alice:x:1001:1001::/:/bin/sh\n"
		"last:x:4294967294:0::/:/bin/sh";		/* no newline at the end */
	char name[CLI_NAME_MAX], tiny[3];
	uint32_t id = 0;

	CHECK_EQ(cli_db_id(db, sizeof(db) - 1, "alice", &id), 0);
	CHECK_EQ(id, 1000);				/* the first line wins */
	CHECK_EQ(cli_db_id(db, sizeof(db) - 1, "root", &id), 0);
	CHECK_EQ(id, 0);
	CHECK_EQ(cli_db_id(db, sizeof(db) - 1, "last", &id), 0);
	CHECK_EQ(id, 4294967294U);
	CHECK_EQ(cli_db_id(db, sizeof(db) - 1, "bob", &id), -ENOENT);
	CHECK_EQ(cli_db_id(db, sizeof(db) - 1, "ali", &id), -ENOENT);
	CHECK_EQ(cli_db_id(db, sizeof(db) - 1, "", &id), -ENOENT);
	CHECK_EQ(cli_db_name(db, sizeof(db) - 1, 1000, name, sizeof(name)), 0);
	CHECK(!strcmp(name, "alice"));
	CHECK_EQ(cli_db_name(db, sizeof(db) - 1, 1001, name, sizeof(name)), 0);
	CHECK(!strcmp(name, "alice"));
	CHECK_EQ(cli_db_name(db, sizeof(db) - 1, 5, name, sizeof(name)), -ENOENT);	/* "" */
	CHECK_EQ(cli_db_name(db, sizeof(db) - 1, 6, name, sizeof(name)), -ENOENT);	/* blank */
	CHECK_EQ(cli_db_name(db, sizeof(db) - 1, 12, name, sizeof(name)), -ENOENT);
	CHECK_EQ(cli_db_name(db, sizeof(db) - 1, 1000, tiny, sizeof(tiny)), -ENOSPC);
	/* Only len bytes are looked at: the last line cut short has no id field. */
	CHECK_EQ(cli_db_id(db, sizeof(db) - 1 - strlen("94:0::/:/bin/sh"), "last", &id), -ENOENT);
	CHECK_EQ(cli_db_id(db, 0, "root", &id), -ENOENT);
}
