/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Jobs: what Cove is for. A job is one executable run as N ranks (processes)
 * on a set of CPUs; each rank's threads stay on its share of those CPUs.
 * In bare mode jobs come from the command line (job=...) or from a job file
 * (jobs=...), run one after another, and Cove powers off after the last.
 */
#ifndef COVE_JOB_H
#define COVE_JOB_H

#include <cove/cpumask.h>
#include <cove/hostfile.h>
#include <cove/types.h>

struct cove_rank_usage;

#define JOB_ARGS_MAX 64
#define JOB_LINE_MAX 1024
/*
 * A job's environment: what env= on its line says, or, for `cove run`,
 * the host process's own (envsize=), fetched from its proxy. As on Linux
 * it must fit the new stack's argument area with argv (EXEC_ARGS_MAX).
 */
#define JOB_ENV_MAX 65536		/* bytes, each variable's NUL included */
#define JOB_ENV_VARS_MAX 1024

struct job_spec {
	char path[256];
	/* argv0=: argv[0] when it is not path (a program run by a link's name); "" else */
	char argv0[256];
	char args_buf[JOB_LINE_MAX];	/* argv strings, NUL-separated */
	const char *argv[JOB_ARGS_MAX + 1];
	/* The job's variables, then the 4 Cove adds if absent, then NULL. */
	const char *envp[JOB_ENV_VARS_MAX + 5];
	uint32_t ranks;
	uint32_t threads;		/* OMP_NUM_THREADS per rank; 0 = its CPUs */
	struct cpumask cpus;		/* cpus=, or once started the cores it was given */
	bool cpus_given;		/* cpus= named them */
	uint32_t ncpus;			/* ncpus=: how many free cores; 0 = every free one */
	bool share;			/* share=1: it may share cores with other such jobs */
	uint64_t heap_size, stack_size, page_size;
	char host_cwd[HOSTFILE_PATH_MAX];	/* cwd=: a host job's starting directory */
	bool proxy;			/* proxy=1: its `cove run` serves offloaded calls */
	uint32_t env_size;		/* envsize=: bytes of environment its proxy holds */
	bool gdb;			/* gdb=1: rank 0 stops for a debugger (cove/jobdbg.h) */
};

bool job_is_space(char c);
/*
 * The next blank-separated word of *s ("double quotes" group, and are
 * dropped), copied to *out (advanced past its NUL, never beyond end).
 * NULL at the end of the line (*s then points there) or when the word
 * does not fit (*s still points at it).
 */
const char *job_next_token(const char **s, char **out, char *end);
/* A decimal count at *s (at most 100000), advancing *s; -EINVAL if none. */
int job_parse_uint(const char **s, uint32_t *v);
/* Parse "1-3,5" into a mask; -EINVAL with a message for anything else. */
int job_parse_cpulist(const char *s, struct cpumask *out, char *err, size_t errlen);
/*
 * env="A=1 B=2" of a job line into block as "A=1\0B=2\0" (at most cap
 * bytes): its length, or -EINVAL/-E2BIG with a message.
 */
int job_env_from_words(const char *words, char *block, size_t cap, char *err, size_t errlen);
/*
 * Whether block (len bytes, e.g. from a host proxy) is an environment: up
 * to JOB_ENV_VARS_MAX "NAME=VALUE\0" entries, NAME not empty, nothing after
 * the last NUL. Its count of variables, or -EINVAL with a message.
 */
int job_env_check(const char *block, size_t len, char *err, size_t errlen);
/* Split "a b \"c d\"" into spec->argv, after argv0 (the path, or argv0= of the line). */
int job_parse_argv(struct job_spec *spec, const char *argv0, const char *args, char *err,
		   size_t errlen);

/*
 * Which jobs use each core (kernel/job/job_cpus.c); the caller owns and
 * locks the table.
 */
struct job_cpu_use {
	uint16_t users[CPUMASK_BITS];	/* jobs holding each core */
	struct cpumask alone;		/* held by a job that did not ask to share */
};

/*
 * The cores for a job: the ones it named (named, checked), else n of the
 * cores it may have (0: all of them), highest numbers first and, when it
 * shares, the least used first. -EINVAL (never possible) or -EBUSY (not
 * now) with a message saying how many are free.
 */
int job_cpus_pick(const struct job_cpu_use *use, const struct cpumask *online,
		  const struct cpumask *named, uint32_t n, bool share, struct cpumask *out,
		  char *err, size_t errlen);
void job_cpus_hold(struct job_cpu_use *use, const struct cpumask *m, bool share);
void job_cpus_release(struct job_cpu_use *use, const struct cpumask *m, bool share);

/* Boot CPU, before any process runs: hear of every process's end. */
void job_init(void);
/* Start the jobs the command line asked for; false if there are none. */
bool job_start_from_cmdline(void);

/*
 * Co-kernel: start host job host_job (not 0) beside those running. One
 * that cannot start (too few free cores, bad line, no such program) ends
 * at once: the reason on its stderr, 127.
 */
void job_start_host(uint32_t host_job, const char *line);
/*
 * Co-kernel: start a job from the enclave's own initramfs beside those
 * running (a Pisces host's LAUNCH_JOB); its output and end go to the
 * console, and its end does not end the run.
 */
void job_start_local(const char *line);
/* A host job that never started: the reason on its stderr, then status (wait(2) form). */
void job_refuse_host(uint32_t host_job, const char *why, int status);
/*
 * Send sig to each rank of host job host_job (as kill(2)); -ESRCH if it is
 * not running; COVE_SIGNAL_ENDS_JOB if every rank dies of it (its end is
 * posted to the host already), else 0.
 */
int job_signal_host(uint32_t host_job, int sig);
/*
 * What host job host_job's ranks used and did so far (COVE_CTL_JOB_USAGE):
 * ranks first.. into out[] (room of them, *nr filled), a running rank's
 * figures as they are now, an ended one's final. Its ranks in all, or
 * -ESRCH if it is not running. Only the control server calls it.
 */
int job_usage_host(uint32_t host_job, uint32_t first, struct cove_rank_usage *out,
		   uint32_t room, uint32_t *nr);

#endif /* COVE_JOB_H */
