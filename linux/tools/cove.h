/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the cove commands share: messages and exit statuses, option
 * parsing, the device, enclave ids.
 */
#ifndef COVE_TOOL_H
#define COVE_TOOL_H

#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../module/cove_uapi.h"
#include "cli_parse.h"

#define COVE_VERSION "0.1"

/*
 * The uapi's masks are __u64 (unsigned long long), ours uint64_t (unsigned
 * long): copied, not cast, so no type-punning reaches the optimizer.
 */
#define MASK_COPY(dst, src) \
	do { \
		_Static_assert(sizeof(dst) == sizeof(src), "mask sizes differ"); \
		memcpy((dst), (src), sizeof(dst)); \
	} while (0)

/* Exit statuses: 0 done, 1 the request failed, 2 the command line was wrong. */
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

struct cove_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* synopsis and options, printed by --help */
	const char *summary;	/* one line for `cove --help` */
	/* "destroy an enclave": only root may (the module says so); NULL: owners too. */
	const char *root_only;
};

extern const struct cove_cmd cmd_create, cmd_destroy, cmd_restart, cmd_status, cmd_console,
	cmd_run, cmd_add, cmd_remove, cmd_chown, cmd_syscalls, cmd_xemem;

/* The command running, for messages ("cove create: ..."). */
extern const struct cove_cmd *cove_current;

void __attribute__((format(printf, 1, 2), noreturn)) usage_error(const char *fmt, ...);
/* A crash of cove itself names itself and where on stderr, then dies by its signal. */
void cli_crash_report_install(void);
void __attribute__((format(printf, 1, 2), noreturn)) fail(const char *fmt, ...);
void __attribute__((format(printf, 1, 2))) warn(const char *fmt, ...);

/*
 * getopt_long for the current command, with "-h/--help" handled and each
 * unknown option or missing argument turned into one usage error.
 */
int cmd_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
#define HELP_OPTION { "help", no_argument, NULL, 'h' }

/* Parsers of arguments that end in a usage error naming the option. */
uint32_t arg_enclave_id(const char *s);
void arg_cpulist(const char *opt, const char *s, uint64_t mask[CLI_CPU_WORDS]);
uint64_t arg_size(const char *opt, const char *s);
uint64_t arg_uint(const char *opt, const char *s, uint64_t min, uint64_t max);
/* The positional arguments left after options: exactly n of them. */
void args_expect(int argc, char **argv, int n, const char *what);
/* The arguments of a command that takes -h and one enclave id: that id. */
uint32_t args_only_enclave_id(int argc, char **argv);

/* /dev/cove open for read/write (anyone may); any failure ends the command. */
int cove_open(void);
/* The device cove_open() opens ($COVE_DEVICE, else /dev/cove). */
const char *cove_device(void);
/* The device is at fd now (the proxy moved it out of its job's way). */
void cove_moved(int fd);
/* COVE_IOC_STATUS of one enclave; false if there is no such enclave. */
bool cove_status(int fd, uint32_t id, struct cove_status *st);
/* What an ended job's ranks used (usage.c): one rank per enclave core at most. */
#define USAGE_RANKS_MAX 64
struct job_usage {
	struct cove_job_usage u;	/* nr: ranks in rank[], 0 unless COVE_JOB_USAGE */
	struct cove_rank_times rank[USAGE_RANKS_MAX];
	struct cove_rank_counts counts[USAGE_RANKS_MAX];	/* with COVE_JOB_COUNTS */
};
/* COVE_IOC_JOB_USAGE of job in enclave id; false (all zero) if unknown or not asked. */
bool job_usage_get(int fd, uint32_t id, uint32_t job, struct job_usage *out);
/* "reported", "so far" (a running job's, COVE_JOB_USAGE_SO_FAR), "refused" or "none". */
const char *job_usage_state(const struct job_usage *ju);
/* Its JSON members, from "wall_s" to "rank_usage" (no braces). */
void job_usage_json(const struct job_usage *ju);
/* Lines for people, each starting with prefix: the job's sums, then each rank's. */
void job_usage_text(FILE *f, const char *prefix, const struct job_usage *ju);
/* The same for the counts (`cove run --perf`), CPU time as perf's task-clock. */
void job_counts_text(FILE *f, const char *prefix, const struct job_usage *ju);

/* End the command for an ioctl failure with errno err; what names the request. */
void __attribute__((noreturn)) cove_ioctl_fail(int err, uint32_t id, const char *what);

/*
 * Copy the enclave's console from *pos to the end so far onto out_fd,
 * advancing *pos; with note_lost, say how much the ring dropped. 0 or the
 * ioctl's -errno (-ENOENT once the enclave is gone).
 */
int console_copy(int fd, uint32_t id, uint64_t *pos, int out_fd, bool note_lost);
/* The last bytes of the console, from a line start, to stderr. */
void console_tail(int fd, uint32_t id, uint64_t bytes);
/* The enclave's fault report (if any) to stderr, after a failure. */
void report_failure(int fd, uint32_t id);

/* write(2) until all of buf is out; 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/*
 * SIGINT and SIGTERM counted into cove_interrupts instead of killing us,
 * and without SA_RESTART so a blocking ioctl returns EINTR at once.
 */
extern volatile sig_atomic_t cove_interrupts;
void catch_interrupts(void);
void sleep_ms(unsigned int ms);

/* users.c: names from /etc/passwd and /etc/group, numbers where none is known. */
/* USER, USER:GROUP or :GROUP (names or numbers) into o; a usage error if not. */
void arg_owner(const char *opt, const char *s, struct cove_owner *o);
/* "alice:hpc", "alice", ":hpc", or "-" for no owner: for tables. */
void owner_format(const struct cove_owner *o, char *buf, size_t len);
/* "alice and group hpc", "group hpc", "uid 1234": for sentences. */
void owner_describe(const struct cove_owner *o, char *buf, size_t len);
const char *user_name(uint32_t uid, char *buf, size_t len);
const char *group_name(uint32_t gid, char *buf, size_t len);
/* Who runs this command, for "you are ...". */
const char *caller_name(char *buf, size_t len);

const char *state_name(uint32_t state);
const char *guard_name(uint32_t guarded);

#endif /* COVE_TOOL_H */
