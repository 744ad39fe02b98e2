// SPDX-License-Identifier: GPL-2.0
/*
 * The job runner: in bare mode jobs from the command line or a job file,
 * run one after another; each rank's end is reported, and after the last
 * job the machine powers off with a status saying whether every rank
 * succeeded. In co-kernel mode, one job at a time as the host launches it.
 */
#include <cove/cmdline.h>
#include <cove/errno.h>
#include <cove/exec.h>
#include <cove/exit.h>
#include <cove/file.h>
#include <cove/host.h>
#include <cove/hostfile.h>
#include <cove/hostfs.h>
#include <cove/job.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/options.h>
#include <cove/percpu.h>
#include <cove/pisces_abi.h>
#include <cove/signal.h>
#include <cove/smp.h>
#include <cove/string.h>
#include <cove/task.h>

#define JOB_MAX_RANKS 256

/*
 * The running job. Written by whoever starts a job (the boot CPU, or the
 * task whose exit ended the previous job) and by rank exits, under job_lock.
 */
static struct job_spec job_spec;
static uint32_t job_ranks_running;
static uint32_t job_number;
static uint32_t job_failed;
static char *job_file;			/* remaining lines of the job file */
static spinlock_t job_lock = SPINLOCK_INIT;
static bool job_rank_failed;		/* some rank of the running job failed */
/* Co-kernel: the host's id for the running job (0 = a bare-mode job). */
static uint32_t job_host_id;
static int job_wait_status;		/* wait(2) status of the first failed rank */

static void job_spec_defaults(struct job_spec *spec)
{
	const struct kernel_options *o = &kernel_options;

	memset(spec, 0, sizeof(*spec));
	spec->ranks = o->job_ranks ? (uint32_t)o->job_ranks : 1;
	spec->threads = (uint32_t)o->job_threads;
	spec->heap_size = o->job_heap;
	spec->stack_size = o->job_stack;
	spec->page_size = o->job_pagesize == 0 ? PAGE_SIZE :
			  o->job_pagesize == 2 ? PAGE_SIZE_1G : PAGE_SIZE_2M;
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		if (percpu_of(c) && percpu_of(c)->online)
			cpumask_set(&spec->cpus, c);
	}
}

/* Rank r's CPUs: the r-th equal slice of the job's CPU list. */
static void job_rank_cpus(const struct job_spec *spec, uint32_t r, struct cpumask *m)
{
	uint32_t per = cpumask_weight(&spec->cpus) / spec->ranks, idx = 0;

	cpumask_clear(m);
	for (uint32_t c = 0; c < CPUMASK_BITS; c++) {
		if (!cpumask_test(&spec->cpus, c))
			continue;
		if (idx >= r * per && idx < (r + 1) * per)
			cpumask_set(m, c);
		idx++;
	}
}

/* envp: the job's own variables, then the ones Cove adds if absent. */
static void job_build_env(struct job_spec *spec, const char *env, uint32_t rank, char *extra,
			  size_t extra_len, const struct cpumask *cpus)
{
	char *out = spec->env_buf, *end = spec->env_buf + sizeof(spec->env_buf);
	const char *tok;
	uint32_t n = 0;
	bool has_omp = false;
	int off = 0;

	while (env && n < JOB_ARGS_MAX - 4 && (tok = job_next_token(&env, &out, end))) {
		spec->envp[n++] = tok;
		has_omp |= !strncmp(tok, "OMP_NUM_THREADS=", 16);
	}
	if (!has_omp) {
		spec->envp[n++] = extra + off;
		off += ksnprintf(extra + off, extra_len - off, "OMP_NUM_THREADS=%u",
				 spec->threads ? spec->threads : cpumask_weight(cpus)) + 1;
	}
	spec->envp[n++] = extra + off;
	off += ksnprintf(extra + off, extra_len - off, "COVE_RANK=%u", rank) + 1;
	spec->envp[n++] = extra + off;
	off += ksnprintf(extra + off, extra_len - off, "COVE_NRANKS=%u", spec->ranks) + 1;
	spec->envp[n++] = "PATH=/bin:/usr/bin";
	spec->envp[n] = NULL;
}

static int job_launch(struct job_spec *spec, const char *env, char *err, size_t errlen)
{
	uint32_t ncpus = cpumask_weight(&spec->cpus);
	char extra[128];

	if (spec->ranks > ncpus || spec->ranks > JOB_MAX_RANKS) {
		ksnprintf(err, errlen, "%u ranks but only %u CPUs for them", spec->ranks, ncpus);
		return -EINVAL;
	}
	for (uint32_t c = 0; c < CPUMASK_BITS; c++) {
		if (cpumask_test(&spec->cpus, c) && (!percpu_of(c) || !percpu_of(c)->online)) {
			ksnprintf(err, errlen, "CPU %u is not in the partition", c);
			return -EINVAL;
		}
	}
	/*
	 * A rank may run and even exit before exec_spawn returns: it is counted
	 * first. The caller holds one more count (job_ranks_running starts at
	 * 1), so no rank's exit can end the job while ranks are being started.
	 */
	for (uint32_t r = 0; r < spec->ranks; r++) {
		struct exec_params ep = {
			.path = spec->path, .argv = spec->argv, .envp = spec->envp,
			.heap_size = spec->heap_size, .stack_size = spec->stack_size,
			.page_size = spec->page_size, .job_rank = (void *)(uintptr_t)(r + 1),
			.host_job = job_host_id,
			.host_cwd = spec->host_cwd[0] ? spec->host_cwd : NULL,
			.proxy = spec->proxy,
		};
		struct process *p;
		unsigned long flags;
		int rc;

		job_rank_cpus(spec, r, &ep.cpus);
		job_build_env(spec, env, r, extra, sizeof(extra), &ep.cpus);
		flags = spin_lock_irqsave(&job_lock);
		job_ranks_running++;
		spin_unlock_irqrestore(&job_lock, flags);
		rc = exec_spawn(&ep, &p, err, errlen);
		if (rc) {
			flags = spin_lock_irqsave(&job_lock);
			job_ranks_running--;
			spin_unlock_irqrestore(&job_lock, flags);
			return rc;	/* ranks already started run on and are reported */
		}
	}
	return 0;
}

static void job_all_done(void)
{
	kprintf("cove: all jobs done: %u run, %u failed\n", job_number, job_failed);
	kernel_exit(job_failed ? EXIT_JOB_FAILED : EXIT_OK);
}

/* Parse one job file line's "key=value" options, then path and args. */
static int job_parse_line(const char *line, char *env, size_t envlen, char *err, size_t errlen)
{
	char tokbuf[JOB_LINE_MAX], *tout = tokbuf;
	const char *p = line, *tok;

	job_spec_defaults(&job_spec);
	env[0] = 0;
	while ((tok = job_next_token(&p, &tout, tokbuf + sizeof(tokbuf)))) {
		const char *v = strchr(tok, '=');
		uint32_t n;

		if (tok[0] == '/' || !v) {
			if (strnlen(tok, sizeof(job_spec.path)) >= sizeof(job_spec.path)) {
				ksnprintf(err, errlen, "program path too long");
				return -EINVAL;
			}
			memcpy(job_spec.path, tok, strlen(tok) + 1);
			return job_parse_argv(&job_spec, job_spec.path, p, err, errlen);
		}
		v++;
		if (!strncmp(tok, "ranks=", 6) || !strncmp(tok, "threads=", 8)) {
			if (job_parse_uint(&v, &n) || *v || (tok[0] == 'r' && !n)) {
				ksnprintf(err, errlen, "%s: not a valid count", tok);
				return -EINVAL;
			}
			*(tok[0] == 'r' ? &job_spec.ranks : &job_spec.threads) = n;
		} else if (!strncmp(tok, "cpus=", 5)) {
			if (job_parse_cpulist(v, &job_spec.cpus, err, errlen))
				return -EINVAL;
		} else if (!strncmp(tok, "heap=", 5) || !strncmp(tok, "stack=", 6)) {
			uint64_t size;

			if (cmdline_parse_size(v, &size) || size < PAGE_SIZE) {
				ksnprintf(err, errlen, "%s: not a size (e.g. 64M, 1G)", tok);
				return -EINVAL;
			}
			*(tok[0] == 'h' ? &job_spec.heap_size : &job_spec.stack_size) = size;
		} else if (!strncmp(tok, "pagesize=", 9)) {
			if (!strcmp(v, "4K"))
				job_spec.page_size = PAGE_SIZE;
			else if (!strcmp(v, "2M"))
				job_spec.page_size = PAGE_SIZE_2M;
			else if (!strcmp(v, "1G"))
				job_spec.page_size = PAGE_SIZE_1G;
			else {
				ksnprintf(err, errlen, "%s: use 4K, 2M or 1G", tok);
				return -EINVAL;
			}
		} else if (!strncmp(tok, "cwd=", 4)) {
			if (v[0] != '/' || strlen(v) >= sizeof(job_spec.host_cwd)) {
				ksnprintf(err, errlen, "cwd=: not an absolute path shorter than %d bytes",
					  HOSTFILE_PATH_MAX);
				return -EINVAL;
			}
			hostfile_path_join("/", v, job_spec.host_cwd, sizeof(job_spec.host_cwd));
		} else if (!strncmp(tok, "proxy=", 6)) {
			if (strcmp(v, "0") && strcmp(v, "1")) {
				ksnprintf(err, errlen, "proxy=%s: use 0 or 1", v);
				return -EINVAL;
			}
			job_spec.proxy = v[0] == '1';
		} else if (!strncmp(tok, "env=", 4)) {
			size_t l = strnlen(v, envlen - 1);

			memcpy(env, v, l);
			env[l] = 0;
		} else {
			ksnprintf(err, errlen, "unknown job option '%s' (ranks= threads= cpus= heap= "
				  "stack= pagesize= env= cwd= proxy=)", tok);
			return -EINVAL;
		}
	}
	ksnprintf(err, errlen, "no program to run");
	return -EINVAL;
}

static void job_host_post_exit(uint32_t host_job, int status)
{
	struct host_call c = { .op = COVE_LC_JOB_EXIT, .job = host_job, .arg = { (uint64_t)status } };

	host_post(&c);
}

/* Co-kernel: the host job ended; its owner gets the status, then the next may start. */
static void job_host_done(void)
{
	kprintf("job %u: done, status %#x for the host\n", job_number, job_wait_status);
	job_host_post_exit(job_host_id, job_wait_status);
	job_host_id = 0;
}

/* Co-kernel: a host job that never ran: say why on its stderr, end it as 127. */
static void job_host_refuse(uint32_t host_job, const char *why)
{
	char line[224];
	int n = ksnprintf(line, sizeof(line), "cove: cannot start the job: %s\n", why);

	pr_err("job for the host: cannot start: %s\n", why);
	host_stream_write(host_job, 2, line, (size_t)MIN(n, (int)sizeof(line) - 1));
	job_host_post_exit(host_job, 127 << 8);
}

/* Drop one count of the running job; true if it was the last. */
static bool job_drop_count(bool failed)
{
	unsigned long flags = spin_lock_irqsave(&job_lock);
	bool last = --job_ranks_running == 0;

	if (failed)
		job_rank_failed = true;
	spin_unlock_irqrestore(&job_lock, flags);
	return last;
}

/* Per-CPU interrupt counts when the running job started. */
static uint64_t job_user_irqs_at_start[MAX_CPUS];

static void job_note_start(void)
{
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		if (percpu_of(c))
			job_user_irqs_at_start[c] = percpu_of(c)->user_irqs;
	}
}

/*
 * OS noise seen by the job: interrupts that stopped its code, per CPU. A
 * thread alone on its core should see none (no tick, no IPIs).
 */
static void job_report_noise(void)
{
	char line[256];
	int n = 0;

	for (uint32_t c = 0; c < MAX_CPUS && n < (int)sizeof(line) - 24; c++) {
		if (!cpumask_test(&job_spec.cpus, c) || !percpu_of(c))
			continue;
		n += ksnprintf(line + n, sizeof(line) - n, "%scpu%u %lu", n ? ", " : "", c,
			       percpu_of(c)->user_irqs - job_user_irqs_at_start[c]);
	}
	kprintf("job %u: interrupts in user mode: %s\n", job_number, n ? line : "none");
}

static void job_finish(void)
{
	job_report_noise();
	if (job_rank_failed)
		job_failed++;
	job_rank_failed = false;
}

/* Start jobs until one is running; power off after the last. */
static void job_run_next(void)
{
	char err[192], env[JOB_LINE_MAX];

	for (;;) {
		char *line = job_file;
		int rc;

		if (!line || !*line)
			break;
		job_file = strchr(line, '\n');
		if (job_file)
			*job_file++ = 0;
		while (job_is_space(*line))
			line++;
		if (!*line || *line == '#')
			continue;
		job_number++;
		job_ranks_running = 1;		/* the launcher's own count */
		rc = job_parse_line(line, env, sizeof(env), err, sizeof(err));
		if (!rc) {
			kprintf("job %u: %s (%u rank%s)\n", job_number, line, job_spec.ranks,
				job_spec.ranks == 1 ? "" : "s");
			job_note_start();
			rc = job_launch(&job_spec, env, err, sizeof(err));
		}
		if (rc) {
			pr_err("job %u: cannot start: %s\n", job_number, err);
			job_rank_failed = true;
		}
		/* Ranks still running: the last one to end continues from here. */
		if (!job_drop_count(false))
			return;
		job_finish();
	}
	job_all_done();
}

/*
 * The job's processes are its ranks and whatever they fork: the job ends
 * when all of them have. A fork counts the child in; its end counts it
 * out, and only the ranks' statuses decide whether the job failed.
 */
static void job_process_forked(struct process *child)
{
	unsigned long flags;

	if (!child->job_rank_of)
		return;
	flags = spin_lock_irqsave(&job_lock);
	job_ranks_running++;
	spin_unlock_irqrestore(&job_lock, flags);
}

/* A count of the job dropped to nothing: the job is over. */
static void job_ended(void)
{
	job_finish();
	if (job_host_id)
		job_host_done();
	else
		job_run_next();
}

/* The process exit hook: every process ends here, ranks or not. */
static void job_process_exited(struct process *p)
{
	uint32_t rank = (uint32_t)(uintptr_t)p->job_rank;

	if (!rank) {
		/* A rank's descendant: collected by its parent (kernel/task.c). */
		if (p->job_rank_of && job_drop_count(false))
			job_ended();
		return;
	}
	p->reaped = true;	/* the job collects every rank itself */
	/*
	 * Nobody is left to wait for what the rank forked and did not wait
	 * for: Linux would hand those to init; a job's end takes them along.
	 */
	process_kill_descendants(rank);
	if (p->term_signal)
		pr_err("job %u: rank %u (pid %u, %s): killed by signal %d (%s)%s\n", job_number,
		       rank - 1, p->pid, p->name, p->term_signal, signal_name(p->term_signal),
		       p->dumped ? "; no core file (Cove does not write them yet)" : "");
	else
		kprintf("job %u: rank %u (pid %u, %s): exited with status %d\n", job_number,
			rank - 1, p->pid, p->name, p->exit_code);
	if ((p->term_signal || p->exit_code) && !job_wait_status)
		job_wait_status = p->term_signal ? (p->term_signal & 0x7f) : (p->exit_code & 0xff) << 8;
	if (job_drop_count(p->term_signal || p->exit_code))
		job_ended();
}

void job_start_host(uint32_t host_job, const char *line)
{
	char env[JOB_LINE_MAX], err[192];
	unsigned long flags;
	bool idle;
	int rc;

	flags = spin_lock_irqsave(&job_lock);
	idle = job_ranks_running == 0 && job_host_id == 0;
	if (idle)
		job_ranks_running = 1;		/* the launcher's own count */
	spin_unlock_irqrestore(&job_lock, flags);
	if (!idle) {
		job_host_refuse(host_job, "another job is running in this enclave");
		return;
	}
	rc = job_parse_line(line, env, sizeof(env), err, sizeof(err));
	if (!rc)
		rc = hostfs_stage(job_spec.path, host_job, err, sizeof(err));
	if (rc) {
		job_drop_count(false);
		job_host_refuse(host_job, err);
		return;
	}
	job_number++;
	job_host_id = host_job;
	job_wait_status = 0;
	kprintf("job %u: %s (%u rank%s, for the host)\n", job_number, line, job_spec.ranks,
		job_spec.ranks == 1 ? "" : "s");
	job_note_start();
	rc = job_launch(&job_spec, env, err, sizeof(err));
	if (rc) {
		pr_err("job %u: cannot start: %s\n", job_number, err);
		job_rank_failed = true;
		if (!job_wait_status)
			job_wait_status = 127 << 8;
	}
	/* Ranks still running: the last one to end reports to the host. */
	if (!job_drop_count(false))
		return;
	job_finish();
	if (rc) {		/* nothing runs: the launch itself failed */
		job_host_id = 0;
		job_host_refuse(host_job, err);
	} else {
		job_host_done();
	}
}

bool job_host_busy(void)
{
	return job_host_id != 0 || job_ranks_running != 0;
}

int job_signal_host(uint32_t host_job, int sig)
{
	static uint32_t pids[256];	/* boot CPU only: the control channel's */
	uint32_t n;

	if (!host_job || job_host_id != host_job)
		return -ESRCH;
	n = process_list_pids(pids, ARRAY_SIZE(pids));
	for (uint32_t i = 0; i < n; i++) {
		struct process *p = process_find(pids[i]);

		if (!p || !p->job_rank || p->exited)
			continue;
		if (sig == SIGKILL)
			process_kill(p, SIGKILL, false);
		else
			signal_send(p, sig);
	}
	return 0;
}

void job_init(void)
{
	process_set_exit_hook(job_process_exited);
	process_set_fork_hook(job_process_forked);
}

bool job_start_from_cmdline(void)
{
	const struct kernel_options *o = &kernel_options;
	static char line_buf[JOB_LINE_MAX * 3];

	if (o->jobs_file[0]) {
		size_t len;
		int rc = vfs_read_file(o->jobs_file, UINT64_MAX, &job_file, &len);

		if (rc) {
			pr_err("jobs=%s: %s\n", o->jobs_file,
			       rc == -ENOENT ? "no such file in the initramfs" : "cannot read it");
			job_number = 1;
			job_failed = 1;
			job_all_done();
		}
	} else if (o->job_path[0]) {
		/* The command-line job is a one-line job file. */
		ksnprintf(line_buf, sizeof(line_buf), "%s%s%s%s %s %s", o->job_cpus[0] ? "cpus=" : "",
			  o->job_cpus, o->job_env[0] ? " env=\"" : "", o->job_env[0] ? o->job_env : "",
			  o->job_env[0] ? "\"" : "", o->job_path);
		size_t n = strlen(line_buf);

		ksnprintf(line_buf + n, sizeof(line_buf) - n, " %s", o->job_args);
		job_file = line_buf;
	} else {
		return false;
	}
	job_run_next();
	return true;
}
