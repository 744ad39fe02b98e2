// SPDX-License-Identifier: GPL-2.0
/*
 * cove run ID [options] -- EXE ARGS...: launch a host program as a Cove job
 * and stay with it. The program is read, and its files opened, by this
 * process through long calls (lcall.c), so the job sees the host's files
 * and its output is ours; our exit status is the job's. Those files are
 * opened with our own rights, the caller's: root's job runs as root, the
 * enclave owner's as the owner (the module decides who may launch).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include "cove.h"
#include "gdb_stub.h"
#include "lcall.h"
#include "proxy.h"

struct run_args {
	uint32_t id;
	bool have_id;
	struct cli_job job;
	uint64_t cpus[CLI_CPU_WORDS];
	char cpu_list[700];
	char **env;
	char exe[PATH_MAX];
	uint16_t gdb_port;		/* --gdb: 0 none */
	bool times;			/* --times: what the ranks used, once it ended */
	bool perf;			/* --perf: what they did, counted, once it ended */
};

static const char *parse_pagesize(const char *s)
{
	static const char *const ok[] = { "4K", "2M", "1G" };

	for (unsigned int i = 0; i < 3; i++) {
		if (!strcasecmp(s, ok[i]))
			return ok[i];
	}
	usage_error("--pagesize '%s': use 4K, 2M or 1G", s);
}

static void parse_option(struct run_args *a, int c)
{
	switch (c) {
	case 'n':
		a->job.ranks = (uint32_t)arg_uint("--ranks", optarg, 1, CLI_JOB_RANKS_MAX);
		break;
	case 't':
		a->job.threads = (uint32_t)arg_uint("--threads", optarg, 1, CLI_JOB_COUNT_MAX);
		break;
	case 'c':
		arg_cpulist("--cpus", optarg, a->cpus);
		cli_format_cpulist(a->cpus, a->cpu_list, sizeof(a->cpu_list));
		a->job.cpus = a->cpu_list;
		break;
	case 'H':
		a->job.heap = arg_size("--heap", optarg);
		break;
	case 'S':
		a->job.stack = arg_size("--stack", optarg);
		break;
	case 'L':
		a->job.pagesize = "1G";
		break;
	case 'P':
		a->job.pagesize = parse_pagesize(optarg);
		break;
	case 'e':
		a->env[a->job.nenv++] = optarg;
		break;
	case 's':
		a->job.share = true;
		break;
	case 'T':
		a->times = true;
		break;
	case 'p':
		a->perf = true;
		break;
	case 'g':
		a->gdb_port = (uint16_t)arg_uint("--gdb", optarg, 1, 65535);
		a->job.gdb = true;
		break;
	}
}

/*
 * "auto" for ID: the enclave a batch system's prolog made for this job,
 * so that ranks need not know its number. $COVE_ENCLAVE if set (Slurm's
 * task prolog in linux/slurm/ exports it), else the one enclave whose
 * owner is the caller; none or several is an error naming them.
 */
static uint32_t auto_enclave_id(void)
{
	const char *env = getenv("COVE_ENCLAVE");
	struct cove_status st;
	char mine[4 * COVE_MAX_ENCLAVES] = "";
	uint32_t found = 0, n = 0;
	size_t len = 0;
	int fd;

	if (env && *env) {
		uint64_t id;

		if (cli_parse_uint(env, 1, COVE_MAX_ENCLAVES, &id))
			usage_error("COVE_ENCLAVE='%s' is not an enclave id (1 to %d)", env,
				    COVE_MAX_ENCLAVES);
		return (uint32_t)id;
	}
	fd = cove_open();
	for (uint32_t id = 1; id <= COVE_MAX_ENCLAVES; id++) {
		if (!cove_status(fd, id, &st) || !(st.owner.flags & COVE_OWNER_UID) ||
		    st.owner.uid != geteuid())
			continue;
		len += (size_t)snprintf(mine + len, sizeof(mine) - len, "%s%u", n ? ", " : "", id);
		found = id;
		n++;
	}
	close(fd);
	if (n == 1)
		return found;
	if (!n)
		fail("no enclave belongs to you: name one, or set COVE_ENCLAVE");
	fail("enclaves %s all belong to you: name one, or set COVE_ENCLAVE", mine);
}

/*
 * Options may come before or after ID; the first word after ID (or
 * anything after "--") is the program, and what follows is its own.
 */
static void parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{ "ranks", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "heap", required_argument, NULL, 'H' },
		{ "stack", required_argument, NULL, 'S' },
		{ "large-pages", no_argument, NULL, 'L' },
		{ "pagesize", required_argument, NULL, 'P' },
		{ "env", required_argument, NULL, 'e' },
		{ "share", no_argument, NULL, 's' },
		{ "gdb", required_argument, NULL, 'g' },
		{ "times", no_argument, NULL, 'T' },
		{ "perf", no_argument, NULL, 'p' },
		HELP_OPTION,
		{ 0 },
	};
	int c;

	a->env = calloc((size_t)argc + 1, sizeof(*a->env));
	if (!a->env)
		fail("out of memory");
	a->job.env = a->env;
	for (;;) {
		const char *w = optind < argc ? argv[optind] : NULL;

		if (!w)
			break;
		if (!strcmp(w, "--")) {
			optind++;
			break;
		}
		if (w[0] != '-' || !w[1]) {
			if (a->have_id)
				break;	/* the program */
			a->id = strcmp(w, "auto") ? arg_enclave_id(w) : auto_enclave_id();
			a->have_id = true;
			optind++;
			continue;
		}
		/* "+": stop at the first word that is not an option, handled above. */
		c = cmd_getopt(argc, argv, "+:n:t:c:e:h", opts);
		if (c == -1)
			break;
		parse_option(a, c);
	}
	if (!a->have_id)
		usage_error("missing enclave id");
	if (optind >= argc)
		usage_error("missing the program to run (cove run ID [options] -- EXE ARGS...)");
	if (a->gdb_port && a->job.ranks > 1)
		usage_error("--gdb debugs one process: not with --ranks %u", a->job.ranks);
	if (a->job.ranks && a->job.cpus && a->job.ranks > cli_cpu_count(a->cpus))
		usage_error("--ranks %u but only %u CPUs in --cpus %s", a->job.ranks,
			    cli_cpu_count(a->cpus), a->cpu_list);
}

/*
 * Under an MPI launcher, every rank is a `cove run` of its own that asks for
 * nothing: each takes an equal share of the enclave's cores (at least one)
 * rather than all of them, as mOS's yod does. The launcher says how many
 * ranks share this node: Hydra (MPICH) in MPI_LOCALNRANKS, Open MPI in
 * OMPI_COMM_WORLD_LOCAL_SIZE.
 */
static bool share_among_local_ranks(struct run_args *a, int fd)
{
	static const char *const vars[] = { "MPI_LOCALNRANKS", "OMPI_COMM_WORLD_LOCAL_SIZE" };
	struct cove_status st;
	uint64_t cpus[CLI_CPU_WORDS], local = 0;
	unsigned int n;

	if (a->job.cpus || a->job.ranks || a->job.threads)
		return false;	/* the user said what the job needs */
	for (unsigned int i = 0; i < 2 && !local; i++) {
		const char *v = getenv(vars[i]);

		if (v && cli_parse_uint(v, 1, CLI_CPU_MAX, &local))
			local = 0;	/* not a count we understand: ignore it */
	}
	if (!local || !cove_status(fd, a->id, &st))
		return false;
	MASK_COPY(cpus, st.cpus);
	n = cli_cpu_count(cpus);
	a->job.ranks = 1;
	a->job.ncpus = n / local ? n / (unsigned int)local : 1;
	return true;
}

/*
 * The job's environment is ours, as a task's is srun's or mpiexec's: what
 * a launcher told this rank (PMI_FD, PMIX_*, OMPI_MCA_*, SLURM_PROCID...)
 * reaches it whole, however long. --env adds or replaces; --threads sets
 * OMP_NUM_THREADS, so an inherited one would only contradict it. Cove
 * fetches it from us (COVE_LC_ENV) as the job starts.
 */
static void build_job_env(struct run_args *a)
{
	static const char *const drop_omp[] = { "OMP_NUM_THREADS", NULL };
	static char pmix_gds[] = "PMIX_MCA_gds=hash";
	static char block[CLI_ENV_BYTES_MAX];
	char err[200];
	long len;

	/*
	 * A PMIx client (an Open MPI rank) reads its job's data from a store
	 * the PMIx server keeps in shared memory on the host, locked with
	 * process-shared pthread locks: the job's copy of a host mapping
	 * cannot share them. PMIx's "hash" store asks the server over its
	 * socket instead, which offload carries. Unless the user chose one.
	 */
	if (getenv("PMIX_NAMESPACE") && !getenv("PMIX_MCA_gds") &&
	    !cli_env_lookup(a->env, a->job.nenv, "PMIX_MCA_gds"))
		a->env[a->job.nenv++] = pmix_gds;
	len = cli_env_block(a->env, a->job.nenv, environ,
				 a->job.threads ? drop_omp : NULL, block, sizeof(block), err,
				 sizeof(err));

	if (len < 0)
		usage_error("%s", err);
	lcall_set_env(block, (size_t)len);
	a->job.env_size = (uint32_t)len;
}

/* Cove opens the program through us, by host path: make it absolute. */
static void resolve_program(struct run_args *a, const char *exe)
{
	if (!realpath(exe, a->exe))
		fail("%s: %s", exe, strerror(errno));
	if (access(a->exe, X_OK))
		fail("%s is not executable", exe);
	a->job.path = a->exe;
}

static void __attribute__((noreturn)) launch_refused(int fd, int err, const struct run_args *a,
						     const char *line)
{
	(void)fd;
	switch (err) {
	case ENOENT:
		fail("no enclave %u", a->id);
	case EBUSY:
		fail("enclave %u cannot take a job now (still booting, or too many jobs waiting "
		     "to start)", a->id);
	case EINVAL:
		fail("enclave %u refused the job '%s' ('cove console %u' says why)", a->id, line,
		     a->id);
	case EIO:
		report_failure(fd, a->id);
		fail("enclave %u has failed", a->id);
	default:
		cove_ioctl_fail(err, a->id, "launching a job on");
	}
}

/*
 * A job killed by a signal ends `cove run` by the same signal, so that its
 * parent sees what it would see of the program run without Cove: an MPI
 * launcher or srun tells "killed by SIGINT" from "exited 130", and reports
 * and cleans up differently. The job's core file, if any, is written
 * already; this process leaves none of its own.
 */
static void __attribute__((noreturn)) exit_by_signal(int sig)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	fflush(NULL);
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);	/* a signal whose default is not to end the process */
}

/*
 * --times as time(1) does, --perf as `perf stat` does (the software
 * counts), on stderr, once the job ended; the module kept them.
 */
static void print_usage(int fd, uint32_t id, uint32_t job, const struct run_args *a)
{
	struct job_usage ju;
	char prefix[48];
	uint64_t ms;

	fflush(stdout);
	if (!job_usage_get(fd, id, job, &ju) || !(ju.u.flags & COVE_JOB_ENDED)) {
		fprintf(stderr, "cove run: job %u: no usage (the cove module does not keep it)\n",
			job);
		return;
	}
	ms = ju.u.wall_ns / 1000000U;
	snprintf(prefix, sizeof(prefix), "cove run: job %u: ", job);
	fprintf(stderr, "%swall %" PRIu64 ".%03u s\n", prefix, ms / 1000,
		(unsigned int)(ms % 1000));
	if (a->times)
		job_usage_text(stderr, prefix, &ju);
	if (a->perf)
		job_counts_text(stderr, prefix, &ju);
}

static int run_main(int argc, char **argv)
{
	static struct run_args a;
	static char line[COVE_UAPI_JOB_MAX];
	static char cwd[CLI_JOB_CWD_MAX];
	struct cove_launch req;
	char err[256];
	int fd, rc;

	parse_args(argc, argv, &a);
	build_job_env(&a);
	resolve_program(&a, argv[optind]);
	/* The job sees the name it was run by, as exec(3) gives it: /bin/sh, not busybox. */
	a.job.argv0 = argv[optind];
	a.job.argv = argv + optind + 1;
	a.job.argc = argc - optind - 1;
	/* getcwd(3) and relative paths in the job then agree with where it was started. */
	a.job.cwd = getcwd(cwd, sizeof(cwd));
	a.job.proxy = true;
	if (cli_build_job_line(&a.job, line, sizeof(line), err, sizeof(err)) < 0)
		usage_error("%s", err);
	/* The port is taken before the job exists: a busy one fails the command, not the job. */
	if (a.gdb_port)
		gdbstub_listen(a.gdb_port);
	fd = cove_open();
	if (share_among_local_ranks(&a, fd) &&
	    cli_build_job_line(&a.job, line, sizeof(line), err, sizeof(err)) < 0)
		usage_error("%s", err);

	memset(&req, 0, sizeof(req));
	req.id = a.id;
	req.spec_ptr = (uintptr_t)line;
	req.spec_len = strlen(line);
	if (ioctl(fd, COVE_IOC_LAUNCH, &req))
		launch_refused(fd, errno, &a, line);
	/* A closed stdout must fail the job's write, not kill its server. */
	signal(SIGPIPE, SIG_IGN);
	fd = proxy_setup(fd, a.id, req.job);
	gdbstub_start(fd, a.id, req.job);
	rc = lcall_serve(fd, a.id, req.job);
	if (a.times || a.perf)
		print_usage(fd, a.id, req.job, &a);
	if (lcall_term_signal())
		exit_by_signal(lcall_term_signal());
	return rc;
}

const struct cove_cmd cmd_run = {
	.name = "run",
	.fn = run_main,
	.summary = "run a host program as a job in an enclave, serving its I/O",
	.usage =
	"Usage: cove run ID [options] [--] EXE [ARGS...]\n"
	"\n"
	"Run the host program EXE (static or dynamic x86-64) as a job in enclave ID.\n"
	"ID 'auto' is $COVE_ENCLAVE if set, else the one enclave you own (as a batch\n"
	"system's prolog leaves it: see linux/slurm/README.md).\n"
	"This command is the job's host proxy: the calls Cove does not serve itself\n"
	"(files, sockets, pipes, ...; see 'cove syscalls') are made here, with the rights\n"
	"of whoever runs it. The job's output is this command's, and this command exits\n"
	"with the job's status, or dies by the signal that killed it (a shell shows\n"
	"128 + N). Ctrl-C and other signals\n"
	"sent here reach the job; Ctrl-C again kills it. Root, and the enclave's owner,\n"
	"may run jobs (see cove chown).\n"
	"\n"
	"Several jobs run at once in an enclave, each on cores of its own: a job takes\n"
	"N x T free cores with -n N and/or -t T (1 each if not given), the cores of\n"
	"--cpus, or, with none of these, every free core (under mpiexec or mpirun: an\n"
	"equal share of the enclave per local rank). A job that cannot have its cores\n"
	"now is not queued: it fails at once (status 127) saying how many are free.\n"
	"Cores are shared, round robin, only among jobs started with --share.\n"
	"\n"
	"Descriptors this command inherited are the job's, at the same numbers (a\n"
	"launcher's PMI socket, say), and so is its environment, as srun's and\n"
	"mpiexec's are their tasks' (up to 1024 variables, 64 KiB).\n"
	"\n"
	"  -n, --ranks N        run N copies (ranks), each on its own share of the cores\n"
	"  -c, --cpus LIST      the job's CPUs, numbered inside the enclave\n"
	"  -t, --threads N      cores and OMP_NUM_THREADS per rank (default 1 with -n,\n"
	"                       else the rank's CPUs)\n"
	"      --share          share cores with other jobs that share (round robin)\n"
	"      --times          once the job ended, print on stderr its wall time and what\n"
	"                       it used as Cove counted it (user and system CPU time, peak\n"
	"                       memory, minor faults), all ranks' and each rank's\n"
	"      --perf           the same for what it did, as perf stat counts: CPU time,\n"
	"                       context switches, CPU migrations, page faults, entries\n"
	"                       into Cove and calls offloaded to this command (Cove\n"
	"                       counts no hardware events yet)\n"
	"      --heap SIZE      heap, mapped whole at start (default 64M)\n"
	"      --stack SIZE     stack (default 8M)\n"
	"      --large-pages    allow 1 GiB pages (same as --pagesize 1G)\n"
	"      --pagesize P     the largest page for the job's memory: 4K, 2M (default), 1G\n"
	"  -e, --env NAME=VALUE set an environment variable for the job (repeatable)\n"
	"      --gdb PORT       debug the job with gdb: it stops before its first\n"
	"                       instruction and this command serves gdb's remote protocol\n"
	"                       on 127.0.0.1:PORT (gdb EXE -ex 'target remote :PORT');\n"
	"                       breakpoints, steps, registers, memory, threads. One\n"
	"                       process: not with --ranks; children it forks are not\n"
	"                       debugged\n"
	"  -h, --help           this text\n",
};
