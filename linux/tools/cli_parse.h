/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsers and formatters of the cove CLI: CPU lists, sizes, job
 * lines, JSON strings. No I/O and no global state, so the host unit tests
 * (test/unit/test_cove_cli.c) can run them under ASan and UBSan.
 */
#ifndef COVE_CLI_PARSE_H
#define COVE_CLI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Same as the uapi's COVE_CPUMASK_WORDS (cove.c checks they agree). */
#define CLI_CPU_WORDS 4
#define CLI_CPU_MAX (CLI_CPU_WORDS * 64)

/*
 * Limits of Cove's job-line parser (include/cove/job.h, kernel/job/job.c): a
 * line we build must fit each one, or Cove would cut or refuse it.
 */
#define CLI_JOB_LINE_MAX 1024	/* JOB_LINE_MAX: args, env and option words */
#define CLI_JOB_ARGS_MAX 64	/* JOB_ARGS_MAX: argv entries, path included */
#define CLI_JOB_ENV_MAX 60	/* variables an env= word carries (short lines only) */
#define CLI_ENV_BYTES_MAX 65536	/* JOB_ENV_MAX: an environment from the proxy, NULs included */
#define CLI_ENV_VARS_MAX 1024	/* JOB_ENV_VARS_MAX */
#define CLI_JOB_PATH_MAX 256	/* sizeof(job_spec.path), NUL included */
#define CLI_JOB_RANKS_MAX 256	/* JOB_MAX_RANKS */
#define CLI_JOB_COUNT_MAX 100000	/* job_parse_uint's ceiling */

/* "2-3,5" into a bit mask of CPUs 0..CLI_CPU_MAX-1; -EINVAL or -ERANGE. */
int cli_parse_cpulist(const char *s, uint64_t mask[CLI_CPU_WORDS]);
/* The shortest list for a mask ("0-3,8"), or "none"; false if len is too small. */
bool cli_format_cpulist(const uint64_t mask[CLI_CPU_WORDS], char *buf, size_t len);
unsigned int cli_cpu_count(const uint64_t mask[CLI_CPU_WORDS]);
/* Lowest CPU set, or -1. */
int cli_cpu_first(const uint64_t mask[CLI_CPU_WORDS]);

/* "512M", "1G", "4096" (K, M, G, T: powers of 1024) into bytes, never 0. */
int cli_parse_size(const char *s, uint64_t *bytes);
/* Bytes as the largest exact unit: 1073741824 -> "1G", 4097 -> "4097". */
void cli_format_size(uint64_t bytes, char *buf, size_t len);

/* A decimal number in [min, max] with nothing after it. */
int cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* What `cove run` asks for; zero/NULL fields mean Cove's default. */
struct cli_job {
	const char *path;		/* absolute program path on the host */
	const char *argv0;		/* argv[0] when not path (the name it was run by), or NULL */
	char *const *argv;		/* its arguments, argv[0] excluded */
	int argc;
	char *const *env;		/* "K=V" each */
	int nenv;
	const char *cpus;		/* a CPU list, already checked */
	uint32_t ranks, threads;
	uint32_t ncpus;			/* free cores to take (0: ranks x threads if given) */
	bool share;			/* may share cores with other jobs that share */
	uint64_t heap, stack;
	const char *pagesize;		/* "4K", "2M" or "1G" */
	const char *cwd;		/* the host directory it starts in, or NULL */
	bool proxy;			/* its launcher serves offloaded calls (proxy=1) */
	uint32_t env_size;		/* >0: its environment, that many bytes, is the
					 * proxy's to give (envsize=); env is not used */
	bool gdb;			/* rank 0 stops for the launcher's gdb server (gdb=1) */
};

/* Longest cwd Cove keeps for a job, NUL included (its HOSTFILE_PATH_MAX). */
#define CLI_JOB_CWD_MAX 256

/*
 * Build the jobs= line Cove's parser reads back into exactly this job:
 * "[opt=val]... /path arg...", words quoted only where they need it. A
 * value the syntax cannot carry (a double quote, a newline, a blank in an
 * environment variable) or a limit Cove would exceed is refused with a
 * message in err, never cut; returns the line length or -1. The one
 * exception is cwd: a directory the line cannot carry is left out, and the
 * job then sees "/" as its directory (its relative paths still work).
 * Without a CPU list, a job that gives ranks or threads (or ncpus) asks for
 * that many free cores, ranks x threads (ncpus=); one that gives none of
 * them takes every free core.
 */
int cli_build_job_line(const struct cli_job *job, char *out, size_t len, char *err,
		       size_t errlen);

/* Whether one of the nset "NAME=VALUE" of set is named name. */
bool cli_env_lookup(char *const *set, int nset, const char *name);
/*
 * The environment `cove run` gives its job, as srun and mpiexec give theirs
 * to a task: the nset "NAME=VALUE" of --env first, then each variable of
 * environ ("NAME=VALUE" each, NULL-ended) not set there, in order, except
 * those named in drop (NULL-ended list of names; e.g. OMP_NUM_THREADS when
 * --threads said how many). Entries of environ without '=' are skipped.
 * Written to out as "NAME=VALUE\0" each: its length in bytes, or -1 with
 * a message in err (a bad --env, more than CLI_ENV_VARS_MAX variables or
 * CLI_ENV_BYTES_MAX bytes, or more than cap).
 */
long cli_env_block(char *const *set, int nset, char *const *environ_, const char *const *drop,
		   char *out, size_t cap, char *err, size_t errlen);

/*
 * The command of a job line: from the program word on (the options before
 * it skipped, quotes kept as written), control characters shown as '?',
 * cut to fit len. "" if the line names no program.
 */
void cli_job_line_command(const char *line, size_t n, char *out, size_t len);

/*
 * Owners (cove create --owner, cove chown): "USER[:GROUP]" or ":GROUP",
 * each part a name or a number. A number is a uid or gid up to
 * CLI_ID_MAX ((uint32_t)-1 names nobody); a name is what /etc/passwd and
 * /etc/group hold: 1 to 32 of A-Z a-z 0-9 . _ -, not starting with '-',
 * perhaps ending in '$'. All digits is a number, never a name.
 */
#define CLI_NAME_MAX 33			/* a name and its NUL */
#define CLI_ID_MAX 4294967294U
bool cli_valid_name(const char *s);
/* A uid or gid in decimal: 0, -EINVAL (not a number), -ERANGE (over CLI_ID_MAX). */
int cli_parse_id(const char *s, uint32_t *id);
/*
 * Split an owner into its parts ("" for a part not given): 0, or -EINVAL
 * for "", ":", "USER:", two colons, or a part that is neither a name nor
 * a number (-ERANGE: a number over CLI_ID_MAX).
 */
int cli_split_owner(const char *s, char user[CLI_NAME_MAX], char group[CLI_NAME_MAX]);
/*
 * Look a name up in the text of /etc/passwd or /etc/group ("name:x:id:...",
 * a line each; lines not of that form, or whose name is not a valid name,
 * are skipped): the id of the first line with that name, or the name of
 * the first line with that id. 0, -ENOENT, or -ENOSPC (the name does not
 * fit in nlen).
 */
int cli_db_id(const char *db, size_t len, const char *name, uint32_t *id);
int cli_db_name(const char *db, size_t len, uint32_t id, char *name, size_t nlen);

/*
 * s[0..n) as the inside of a JSON string (no quotes added): control
 * characters, '"' and '\' escaped, bytes that are not UTF-8 replaced by
 * U+FFFD, so the result is valid JSON whatever the input. Returns the
 * length written (NUL not counted) or -1 if it does not fit in len.
 */
int cli_json_escape(const char *s, size_t n, char *out, size_t len);

#endif /* COVE_CLI_PARSE_H */
