// SPDX-License-Identifier: GPL-2.0
/*
 * The job runner: in bare mode jobs from the command line or a job file,
 * run one after another; each rank's end is reported, and after the last
 * job the machine powers off with a status saying whether every rank
 * succeeded. In co-kernel mode, each job as the host launches it, several
 * at once, each on cores of its own (job_cpus.c) or shared where it asks.
 */
#include <cove/acct.h>
#include <cove/aspace.h>
#include <cove/cmdline.h>
#include <cove/errno.h>
#include <cove/exec.h>
#include <cove/timer.h>
#include <cove/exit.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/host.h>
#include <cove/hostfile.h>
#include <cove/hostfs.h>
#include <cove/job.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/offload.h>
#include <cove/options.h>
#include <cove/percpu.h>
#include <cove/pisces_abi.h>
#include <cove/signal.h>
#include <cove/smp.h>
#include <cove/string.h>
#include <cove/task.h>

#define JOB_MAX_RANKS 256
/* Jobs at once in one enclave: one per core, and room for some that share. */
#define JOB_MAX_JOBS 64
/* Long enough for a few GiB to go back under an emulator; a job would rather wait than fail. */
#define JOB_WAIT_EMPTIED_MS 10000

/*
 * A process's job_rank tells ranks of different jobs apart: the job's slot
 * in job_table, then the rank. What a rank forks inherits it (job_rank_of).
 */
#define JOB_RANK_ID(slot, r) ((((uint32_t)(slot) + 1) << 16) | ((uint32_t)(r) + 1))
#define JOB_RANK_SLOT(id) (((id) >> 16) - 1)
#define JOB_RANK_NUM(id) (((id) & 0xffff) - 1)

struct job {
	uint32_t slot;			/* its index in job_table */
	uint32_t number;		/* Cove's number for it, in console lines */
	uint32_t host_id;		/* co-kernel: the host's id for it; 0 = a bare-mode job */
	bool local;			/* co-kernel, from the initramfs: its end ends nothing */
	/* Under job_lock: */
	uint32_t count;			/* processes running, + 1 while it is being started */
	bool rank_failed;		/* some rank ended badly */
	int wait_status;		/* wait(2) status of the first failed rank */
	bool launched;			/* its ranks were started: signals go to them */
	/*
	 * The host heard of its end already: a signal from the host that
	 * ends every rank is told as it is sent (job_signal_host), and the
	 * ranks' exits, memory and cores follow; the next job may wait.
	 */
	bool host_told;
	int pending_signal;		/* one that came before: sent once they are */
	/* Set before its ranks start, read-only after: */
	bool holds_cpus;		/* spec.cpus are counted in job_cpu_use */
	struct job_spec spec;
	/* With a proxy: each rank's host id, its own proxy's (rank 0's is host_id). */
	uint32_t rank_host[JOB_MAX_RANKS];
	char *env;			/* "NAME=VALUE\0"..., env_len bytes; NULL: none */
	uint32_t env_len;
	uint64_t irqs_at_start[MAX_CPUS];	/* per-CPU user-mode interrupts at its start */
	/*
	 * Co-kernel: every rank started and the host was told so; then what
	 * each rank used goes to the host with the job's end. Set by the
	 * starter before it drops its count; each rank writes its own usage[]
	 * entry at its end, read by whoever ends the job (job_lock orders them).
	 */
	bool whole;
	struct cove_rank_usage usage[JOB_MAX_RANKS];
	/* Under job_lock: usage[r] is rank r's final figure (a live query reads it then). */
	bool usage_final[JOB_MAX_RANKS];
};

/*
 * The jobs that run. job_lock guards the table, each job's fields marked
 * so, the core table and the counters. A slot is filled by whoever starts
 * a job -- host jobs: the boot CPU's idle work; bare-mode jobs (one at a
 * time): the boot CPU, or the task whose exit ended the previous job --
 * and emptied by whoever drops its count to nothing. A job is not freed
 * while a process counts in it, so a process may find its job unlocked.
 */
static spinlock_t job_lock = SPINLOCK_INIT;
static struct job *job_table[JOB_MAX_JOBS];
static struct job_cpu_use job_cpu_use;
static uint32_t job_number;		/* jobs begun so far */
static uint32_t job_failed;		/* jobs with a failed rank (bare mode's status) */
/* Bare mode: the job file's remaining lines; only the one running job's end reads it. */
static char *job_file;

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
}

static void job_online_cpus(struct cpumask *m)
{
	cpumask_clear(m);
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		if (percpu_of(c) && percpu_of(c)->online)
			cpumask_set(m, c);
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

/*
 * envp: the job's own variables (checked by job_env_check: at most
 * JOB_ENV_VARS_MAX), then the ones Cove adds if absent.
 */
static void job_build_env(struct job_spec *spec, const struct job *j, uint32_t rank, char *extra,
			  size_t extra_len, const struct cpumask *cpus)
{
	uint32_t n = 0;
	bool has_omp = false, has_path = false;
	int off = 0;

	for (uint32_t at = 0; j->env && at < j->env_len; at += strlen(j->env + at) + 1) {
		const char *e = j->env + at;

		spec->envp[n++] = e;
		has_omp |= !strncmp(e, "OMP_NUM_THREADS=", 16);
		has_path |= !strncmp(e, "PATH=", 5);
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
	if (!has_path)
		spec->envp[n++] = "PATH=/bin:/usr/bin";
	spec->envp[n] = NULL;
}

/* A free slot and a number for a new job; NULL with a message if there is none. */
static struct job *job_alloc(uint32_t host_id, char *err, size_t errlen)
{
	struct job *j = kzalloc(sizeof(*j));
	unsigned long flags;

	if (!j) {
		ksnprintf(err, errlen, "out of kernel memory for the job");
		return NULL;
	}
	j->host_id = host_id;
	j->count = 1;		/* the starter's own count */
	flags = spin_lock_irqsave(&job_lock);
	for (j->slot = 0; j->slot < JOB_MAX_JOBS && job_table[j->slot]; j->slot++)
		;
	if (j->slot < JOB_MAX_JOBS) {
		job_table[j->slot] = j;
		j->number = ++job_number;
	}
	spin_unlock_irqrestore(&job_lock, flags);
	if (j->slot == JOB_MAX_JOBS) {
		ksnprintf(err, errlen, "%d jobs already run in this enclave", JOB_MAX_JOBS);
		kfree(j);
		return NULL;
	}
	return j;
}

static void job_free(struct job *j)
{
	unsigned long flags = spin_lock_irqsave(&job_lock);

	if (j->holds_cpus)
		job_cpus_release(&job_cpu_use, &j->spec.cpus, j->spec.share);
	job_table[j->slot] = NULL;
	spin_unlock_irqrestore(&job_lock, flags);
	kfree(j->env);
	kfree(j);
}

/* The job's cores, from those no other job holds (or shares, if it shares). */
/* job_lock held: some job whose end the host heard of still holds cores. */
static bool job_ending_holds_cpus(void)
{
	for (uint32_t s = 0; s < JOB_MAX_JOBS; s++) {
		if (job_table[s] && job_table[s]->host_told && job_table[s]->holds_cpus)
			return true;
	}
	return false;
}

/*
 * Cores for j. Those of a job the host already saw end (killed by its
 * launcher's signal) are about to be free: for them it waits, a while.
 */
static int job_take_cpus(struct job *j, char *err, size_t errlen)
{
	uint64_t deadline = arch_cycles() + JOB_WAIT_EMPTIED_MS * arch_cycles_per_ms();
	struct cpumask online, cpus;
	unsigned long flags;
	bool wait;
	int rc;

	for (;;) {
		job_online_cpus(&online);
		flags = spin_lock_irqsave(&job_lock);
		rc = job_cpus_pick(&job_cpu_use, &online,
				   j->spec.cpus_given ? &j->spec.cpus : NULL, j->spec.ncpus,
				   j->spec.share, &cpus, err, errlen);
		if (!rc) {
			job_cpus_hold(&job_cpu_use, &cpus, j->spec.share);
			j->spec.cpus = cpus;
			j->holds_cpus = true;
		}
		wait = rc && job_ending_holds_cpus() && arch_cycles() < deadline;
		spin_unlock_irqrestore(&job_lock, flags);
		if (!wait)
			return rc;
		arch_cpu_relax();
	}
}

static struct job *job_of(uint32_t rank_id)
{
	uint32_t slot = JOB_RANK_SLOT(rank_id);

	return rank_id && slot < JOB_MAX_JOBS ? job_table[slot] : NULL;
}

static void job_count_up(struct job *j)
{
	unsigned long flags = spin_lock_irqsave(&job_lock);

	j->count++;
	spin_unlock_irqrestore(&job_lock, flags);
}

/* Drop one count of j, noting a failed rank's status; true if it was the last. */
static bool job_count_down(struct job *j, int failed_status)
{
	unsigned long flags = spin_lock_irqsave(&job_lock);
	bool last = --j->count == 0;

	if (failed_status) {
		j->rank_failed = true;
		if (!j->wait_status)
			j->wait_status = failed_status;
	}
	spin_unlock_irqrestore(&job_lock, flags);
	return last;
}

static bool job_has_proxy(const struct job *j)
{
	return j->spec.proxy && j->host_id;
}

/*
 * A host job with a proxy: ranks are processes of their own, so each gets
 * a proxy of its own -- its own mirror of its own memory, its own host
 * descriptor table -- as McKernel gives each process its own mcexec. Rank
 * 0 has `cove run`; the others get proxies forked from it, all before any
 * rank runs, so each starts with `cove run`'s descriptors, cwd and limits
 * and with nothing another rank did. One proxy for all would let two
 * ranks' calls swap its one mirror under each other and one rank's execve
 * close every rank's close-on-exec files.
 */
static int job_rank_proxies(struct job *j, char *err, size_t errlen)
{
	struct job_spec *spec = &j->spec;
	int rc;

	for (uint32_t r = 0; r < spec->ranks; r++)
		j->rank_host[r] = j->host_id;	/* without a proxy: the host job's stdio */
	if (!job_has_proxy(j))
		return 0;
	for (uint32_t r = 1; r < spec->ranks; r++) {
		rc = offload_rank_proxy(j->host_id, &j->rank_host[r]);
		if (!rc)
			continue;
		while (--r > 0)
			offload_rank_proxy_drop(j->rank_host[r]);
		ksnprintf(err, errlen, "no host proxy for each of its %u ranks: %s", spec->ranks,
			  rc == -EAGAIN ? "more than the cove module allows per job "
					  "(its parameter fork_max)" :
			  rc == -ENOSYS ? "this cove run cannot fork one" : "the host refused");
		return rc;
	}
	return 0;
}

static int job_launch(struct job *j, char *err, size_t errlen)
{
	struct job_spec *spec = &j->spec;
	uint32_t ncpus = cpumask_weight(&spec->cpus);
	char extra[128];
	int rc;

	if (spec->ranks > ncpus || spec->ranks > JOB_MAX_RANKS) {
		ksnprintf(err, errlen, "%u ranks but only %u CPUs for them", spec->ranks, ncpus);
		return -EINVAL;
	}
	/*
	 * The ranks of a job that just ended may still be giving their memory
	 * back (their ends reach the host first, kernel/task.c): this job's
	 * would not fit meanwhile. Bounded: after that, it tries as it is.
	 */
	aspace_wait_emptied(JOB_WAIT_EMPTIED_MS);
	rc = job_rank_proxies(j, err, errlen);
	if (rc)
		return rc;
	/*
	 * A rank may run and even exit before exec_spawn returns: it is counted
	 * first. The caller holds one more count, so no rank's exit can end
	 * the job while ranks are being started.
	 */
	for (uint32_t r = 0; r < spec->ranks; r++) {
		struct exec_params ep = {
			.path = spec->path, .argv = spec->argv, .envp = spec->envp,
			.heap_size = spec->heap_size, .stack_size = spec->stack_size,
			.page_size = spec->page_size,
			.job_rank = (void *)(uintptr_t)JOB_RANK_ID(j->slot, r),
			.host_job = j->rank_host[r],
			.host_cwd = spec->host_cwd[0] ? spec->host_cwd : NULL,
			.proxy = spec->proxy,
			.proxy_forked = r > 0,
			.debug = spec->gdb && r == 0,
		};
		struct process *p;

		job_rank_cpus(spec, r, &ep.cpus);
		job_build_env(spec, j, r, extra, sizeof(extra), &ep.cpus);
		job_count_up(j);
		rc = exec_spawn(&ep, &p, err, errlen);
		if (rc) {
			job_count_down(j, 0);
			/*
			 * Ranks already started run on and are reported; the
			 * proxies of this one (exec_spawn ended nothing) and the
			 * rest end.
			 */
			for (uint32_t k = r ? r : 1; job_has_proxy(j) && k < spec->ranks; k++)
				offload_rank_proxy_drop(j->rank_host[k]);
			return rc;
		}
	}
	return 0;
}

static void job_all_done(void)
{
	kprintf("cove: all jobs done: %u run, %u failed\n", job_number, job_failed);
	kernel_exit(job_failed ? EXIT_JOB_FAILED : EXIT_OK);
}

/* Room for j's environment, size bytes, in place of any it had; 0 or -ENOMEM. */
static int job_env_alloc(struct job *j, size_t size, char *err, size_t errlen)
{
	kfree(j->env);
	j->env_len = 0;
	j->env = kmalloc(size);
	if (j->env)
		return 0;
	ksnprintf(err, errlen, "out of kernel memory for an environment of %zu bytes", size);
	return -ENOMEM;
}

/* env="A=1 B=2" of a job line: j's environment. */
static int job_env_words(struct job *j, const char *words, char *err, size_t errlen)
{
	size_t cap = strlen(words) + 1;
	int len = job_env_alloc(j, cap, err, errlen);

	if (len)
		return len;
	len = job_env_from_words(words, j->env, cap, err, errlen);
	if (len < 0)
		return len;
	j->env_len = (uint32_t)len;
	return 0;
}

/* envsize=N: the environment `cove run` was started with, from its proxy. */
static int job_env_fetch(struct job *j, char *err, size_t errlen)
{
	uint32_t size = j->spec.env_size;
	int rc = job_env_alloc(j, size, err, errlen);

	if (!rc)
		rc = offload_env_fetch(j->host_id, j->env, size, err, errlen);
	if (!rc)
		j->env_len = size;
	return rc;
}

/* Parse one job line's "key=value" options, then path and args, into j. */
static int job_parse_line(const char *line, struct job *j, char *err, size_t errlen)
{
	char tokbuf[JOB_LINE_MAX], *tout = tokbuf;
	const char *p = line, *tok;
	struct job_spec *spec = &j->spec;

	job_spec_defaults(spec);
	while ((tok = job_next_token(&p, &tout, tokbuf + sizeof(tokbuf)))) {
		const char *v = strchr(tok, '=');
		uint32_t n;

		if (tok[0] == '/' || !v) {
			if (strnlen(tok, sizeof(spec->path)) >= sizeof(spec->path)) {
				ksnprintf(err, errlen, "program path too long");
				return -EINVAL;
			}
			memcpy(spec->path, tok, strlen(tok) + 1);
			if (spec->env_size && !spec->proxy) {
				ksnprintf(err, errlen, "envsize= needs proxy=1");
				return -EINVAL;
			}
			return job_parse_argv(spec, spec->argv0[0] ? spec->argv0 : spec->path, p, err,
					      errlen);
		}
		v++;
		if (!strncmp(tok, "ranks=", 6) || !strncmp(tok, "threads=", 8)) {
			if (job_parse_uint(&v, &n) || *v || (tok[0] == 'r' && !n)) {
				ksnprintf(err, errlen, "%s: not a valid count", tok);
				return -EINVAL;
			}
			*(tok[0] == 'r' ? &spec->ranks : &spec->threads) = n;
		} else if (!strncmp(tok, "ncpus=", 6)) {
			if (job_parse_uint(&v, &n) || *v || !n || n > CPUMASK_BITS) {
				ksnprintf(err, errlen, "%s: not a CPU count (1-%d)", tok, CPUMASK_BITS);
				return -EINVAL;
			}
			spec->ncpus = n;
		} else if (!strncmp(tok, "cpus=", 5)) {
			if (job_parse_cpulist(v, &spec->cpus, err, errlen))
				return -EINVAL;
			spec->cpus_given = true;
		} else if (!strncmp(tok, "heap=", 5) || !strncmp(tok, "stack=", 6)) {
			uint64_t size;

			if (cmdline_parse_size(v, &size) || size < PAGE_SIZE) {
				ksnprintf(err, errlen, "%s: not a size (e.g. 64M, 1G)", tok);
				return -EINVAL;
			}
			*(tok[0] == 'h' ? &spec->heap_size : &spec->stack_size) = size;
		} else if (!strncmp(tok, "pagesize=", 9)) {
			if (!strcmp(v, "4K"))
				spec->page_size = PAGE_SIZE;
			else if (!strcmp(v, "2M"))
				spec->page_size = PAGE_SIZE_2M;
			else if (!strcmp(v, "1G"))
				spec->page_size = PAGE_SIZE_1G;
			else {
				ksnprintf(err, errlen, "%s: use 4K, 2M or 1G", tok);
				return -EINVAL;
			}
		} else if (!strncmp(tok, "argv0=", 6)) {
			/* A multi-call program (busybox) or xzcat, a link to xz, go by it. */
			if (!*v || strlen(v) >= sizeof(spec->argv0)) {
				ksnprintf(err, errlen, "argv0=: empty, or not shorter than %zu bytes",
					  sizeof(spec->argv0));
				return -EINVAL;
			}
			memcpy(spec->argv0, v, strlen(v) + 1);
		} else if (!strncmp(tok, "cwd=", 4)) {
			if (v[0] != '/' || strlen(v) >= sizeof(spec->host_cwd)) {
				ksnprintf(err, errlen, "cwd=: not an absolute path shorter than %d bytes",
					  HOSTFILE_PATH_MAX);
				return -EINVAL;
			}
			hostfile_path_join("/", v, spec->host_cwd, sizeof(spec->host_cwd));
		} else if (!strncmp(tok, "proxy=", 6) || !strncmp(tok, "share=", 6) ||
			   !strncmp(tok, "gdb=", 4)) {
			if (strcmp(v, "0") && strcmp(v, "1")) {
				ksnprintf(err, errlen, "%s: use 0 or 1", tok);
				return -EINVAL;
			}
			*(tok[0] == 'p' ? &spec->proxy : tok[0] == 's' ? &spec->share : &spec->gdb) =
				v[0] == '1';
		} else if (!strncmp(tok, "env=", 4)) {
			int rc = job_env_words(j, v, err, errlen);

			if (rc)
				return rc;
		} else if (!strncmp(tok, "envsize=", 8)) {
			if (job_parse_uint(&v, &n) || *v || !n || n > JOB_ENV_MAX) {
				ksnprintf(err, errlen, "%s: not a size of environment (1-%d)", tok,
					  JOB_ENV_MAX);
				return -EINVAL;
			}
			spec->env_size = n;
		} else {
			ksnprintf(err, errlen, "unknown job option '%s' (ranks= threads= cpus= ncpus= "
				  "share= heap= stack= pagesize= env= envsize= argv0= cwd= proxy= gdb=)",
				  tok);
			return -EINVAL;
		}
	}
	ksnprintf(err, errlen, "no program to run");
	return -EINVAL;
}

/* A JOB_EXIT with no figures; kind (arg3): 0, or COVE_JOB_EXIT_FOLLOWS. */
static void job_host_post_exit(uint32_t host_job, int status, uint64_t kind)
{
	struct host_call c = {
		.op = COVE_LC_JOB_EXIT, .job = host_job, .arg = { (uint64_t)status, 0, 0, kind },
	};

	host_post(&c);
}

/* Whether what j's ranks used can ride with its end: all of them ran, and it fits a slot. */
static bool job_usage_fits(const struct job *j)
{
	return j->whole && j->spec.ranks * sizeof(j->usage[0]) <= host_call_payload_max();
}

/*
 * The end of a job whose ranks all ran: their usage rides with it (`cove
 * status`). kind: 0, or COVE_JOB_EXIT_LATE after an early end
 * (job_tell_end_now), when only the figures are news.
 */
static void job_host_post_end(const struct job *j, uint64_t kind)
{
	struct host_call c = {
		.op = COVE_LC_JOB_EXIT, .job = j->host_id,
		.arg = { (uint64_t)j->wait_status, COVE_JOB_EXIT_COUNTS, j->spec.ranks, kind },
		.in = j->usage, .in_len = j->spec.ranks * (uint32_t)sizeof(j->usage[0]),
	};

	if (job_usage_fits(j))
		host_post(&c);
	else if (!kind)
		job_host_post_exit(j->host_id, j->wait_status, 0);
}

/*
 * Co-kernel: tell the host where the job runs, for `cove status`. Posted
 * before the starter's count is dropped, so it always precedes the end.
 */
static void job_host_post_start(const struct job *j)
{
	struct host_call c = { .op = COVE_LC_JOB_START, .job = j->host_id };

	for (int w = 0; w < CPUMASK_WORDS && w < 4; w++)
		c.arg[w] = j->spec.cpus.bits[w];
	c.arg[4] = j->spec.ranks;
	c.arg[5] = j->number | (j->spec.share ? COVE_JOB_START_SHARED : 0);
	host_post(&c);
}

void job_refuse_host(uint32_t host_job, const char *why, int status)
{
	char line[320];
	int n = ksnprintf(line, sizeof(line), "cove: cannot start the job: %s\n", why);

	pr_err("job for the host: cannot start: %s\n", why);
	host_stream_write(host_job, 2, line, (size_t)MIN(n, (int)sizeof(line) - 1));
	job_host_post_exit(host_job, status, 0);
}

static void job_note_start(struct job *j)
{
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		if (percpu_of(c))
			j->irqs_at_start[c] = percpu_of(c)->user_irqs;
	}
}

/*
 * A job from a line of the enclave's own (jobs=, or a Pisces LAUNCH_JOB):
 * parse it, give it its cores and start its ranks; 0, or -errno with the
 * reason on the console.
 */
static int job_begin(struct job *j, const char *line)
{
	char err[192];
	int rc = job_parse_line(line, j, err, sizeof(err));

	if (!rc && j->spec.env_size) {
		ksnprintf(err, sizeof(err), "envsize=: a job of the enclave's own has no proxy");
		rc = -EINVAL;
	}
	if (!rc)
		rc = job_take_cpus(j, err, sizeof(err));
	if (!rc) {
		kprintf("job %u: %s (%u rank%s)\n", j->number, line, j->spec.ranks,
			j->spec.ranks == 1 ? "" : "s");
		job_note_start(j);
		rc = job_launch(j, err, sizeof(err));
	}
	if (rc)
		pr_err("job %u: cannot start: %s\n", j->number, err);
	return rc;
}

/*
 * OS noise seen by the job: interrupts that stopped its code, per CPU. A
 * thread alone on its core should see none (no tick, no IPIs).
 */
static void job_report_noise(const struct job *j)
{
	char line[256];
	int n = 0;

	for (uint32_t c = 0; c < MAX_CPUS && n < (int)sizeof(line) - 24; c++) {
		if (!cpumask_test(&j->spec.cpus, c) || !percpu_of(c))
			continue;
		n += ksnprintf(line + n, sizeof(line) - n, "%scpu%u %lu", n ? ", " : "", c,
			       percpu_of(c)->user_irqs - j->irqs_at_start[c]);
	}
	kprintf("job %u: interrupts in user mode: %s\n", j->number, n ? line : "none");
}

/* Its last process ended (or none started): report it, free its cores and slot. */
static void job_finish(struct job *j, bool started)
{
	unsigned long flags;
	bool told;

	if (started)
		job_report_noise(j);
	flags = spin_lock_irqsave(&job_lock);
	if (j->rank_failed)
		job_failed++;
	/* Either the host hears of the end here, or job_tell_end_now told it. */
	told = j->host_told;
	j->host_told = true;
	spin_unlock_irqrestore(&job_lock, flags);
	if (started && j->host_id) {
		if (!told)
			kprintf("job %u: done, status %#x for the host\n", j->number,
				j->wait_status);
		job_host_post_end(j, told ? COVE_JOB_EXIT_LATE : 0);
	}
	if (started && j->local)
		kprintf("job %u: done, status %#x\n", j->number, j->wait_status);
	job_free(j);
}

/* Bare mode: start jobs from the file until one is running; power off after the last. */
static void job_run_next(void)
{
	char err[192];

	for (;;) {
		char *line = job_file;
		struct job *j;
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
		j = job_alloc(0, err, sizeof(err));
		if (!j) {
			unsigned long flags = spin_lock_irqsave(&job_lock);

			job_failed++;
			spin_unlock_irqrestore(&job_lock, flags);
			pr_err("job: cannot start: %s\n", err);
			continue;
		}
		rc = job_begin(j, line);
		/* Ranks still running: the last one to end continues from here. */
		if (!job_count_down(j, rc ? 127 << 8 : 0))
			return;
		job_finish(j, true);
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
	struct job *j = job_of(child->job_rank_of);

	if (j)
		job_count_up(j);
}

/* A count of the job dropped to nothing: the job is over. */
static void job_ended(struct job *j)
{
	bool bare = !j->host_id && !j->local;

	job_finish(j, true);
	if (bare)
		job_run_next();
}

/*
 * What a rank used and did so far, with what it forked and collected, as
 * time(1) counts: user and system CPU time, its peak memory, faults,
 * switches, migrations, kernel entries and offloaded calls. Takes p's lock
 * and reads its address space's figures: never blocks.
 */
static void job_rank_usage(struct process *p, struct cove_rank_usage *out)
{
	struct acct_times self, children;
	struct acct_counts counts;
	uint64_t peak = p->as ? p->as->peak_bytes : 0, flt;
	unsigned long flags;

	acct_process(p, &self);
	acct_children(p, &children);
	flags = spin_lock_irqsave(&p->lock);
	flt = p->acct_dead_minflt + p->acct_child_minflt;
	for (struct task *t = p->threads; t; t = t->thread_next)
		flt += t->acct_minflt;
	spin_unlock_irqrestore(&p->lock, flags);
	peak = MAX(peak, p->acct_child_maxrss);
	acct_process_counts(p, &counts);
	*out = (struct cove_rank_usage){
		.utime_ns = self.utime_ns + children.utime_ns,
		.stime_ns = self.stime_ns + children.stime_ns,
		.maxrss_kib = peak >> 10, .minflt = flt,
		.switches = counts.switches, .migrations = counts.migrations,
		.kentries = counts.kentries, .offloaded = counts.offloaded,
	};
}

/* A rank's end: its figures are final, for the job's report and the console. */
static void job_report_usage(struct job *j, uint32_t id, struct process *p)
{
	struct cove_rank_usage r;
	uint32_t rank = JOB_RANK_NUM(id);
	unsigned long flags;
	uint64_t u, s;

	job_rank_usage(p, &r);
	if (rank < JOB_MAX_RANKS) {
		flags = spin_lock_irqsave(&job_lock);
		j->usage[rank] = r;
		j->usage_final[rank] = true;
		spin_unlock_irqrestore(&job_lock, flags);
	}
	u = r.utime_ns / NSEC_PER_MSEC;
	s = r.stime_ns / NSEC_PER_MSEC;
	kprintf("job %u: rank %u used: user %lu.%03lu s, system %lu.%03lu s, peak memory %lu KiB; "
		"%lu context switches, %lu CPU migrations, %lu kernel entries, %lu offloaded calls\n",
		j->number, rank, u / 1000, u % 1000, s / 1000, s % 1000, r.maxrss_kib,
		r.switches, r.migrations, r.kentries, r.offloaded);
}

/* A live query's gathering: the job's slot, ranks [first, end) into out. */
struct job_usage_query {
	uint32_t slot, first, end;
	struct cove_rank_usage *out;
};

/* job_lock held: the slot of the job the host knows as host_job, or JOB_MAX_JOBS. */
static uint32_t job_slot_of_host(uint32_t host_job)
{
	for (uint32_t s = 0; s < JOB_MAX_JOBS; s++) {
		if (job_table[s] && job_table[s]->host_id == host_job)
			return s;
	}
	return JOB_MAX_JOBS;
}

/* process_with's callback: p's figures, if p is one of the job's ranks. */
static int job_usage_of_rank(struct process *p, void *ctx)
{
	struct job_usage_query *q = ctx;
	uint32_t id = (uint32_t)(uintptr_t)p->job_rank, r;

	if (!id || JOB_RANK_SLOT(id) != q->slot)
		return 0;
	r = JOB_RANK_NUM(id);
	if (r >= q->first && r < q->end)
		job_rank_usage(p, &q->out[r - q->first]);
	return 0;
}

int job_usage_host(uint32_t host_job, uint32_t first, struct cove_rank_usage *out,
		   uint32_t room, uint32_t *nr)
{
	/* Static, not on the stack: only the control server (one request at a time) asks. */
	static struct job_usage_query q;
	static uint32_t pids[256];
	unsigned long flags;
	uint32_t n, ranks = 0;
	bool found = false;

	if (!host_job)
		return -ESRCH;
	memset(&q, 0, sizeof(q));
	q.out = out;
	flags = spin_lock_irqsave(&job_lock);
	q.slot = job_slot_of_host(host_job);
	found = q.slot < JOB_MAX_JOBS && job_table[q.slot]->launched;
	if (found)
		ranks = MIN(job_table[q.slot]->spec.ranks, (uint32_t)JOB_MAX_RANKS);
	spin_unlock_irqrestore(&job_lock, flags);
	if (!found)
		return -ESRCH;
	q.first = MIN(first, ranks);
	q.end = q.first + MIN(room, ranks - q.first);
	*nr = q.end - q.first;
	memset(out, 0, *nr * sizeof(*out));
	n = process_list_pids(pids, ARRAY_SIZE(pids));
	for (uint32_t i = 0; i < n; i++)
		process_with(pids[i], job_usage_of_rank, &q);
	/* An ended rank's final figure; its process may be gone already. */
	flags = spin_lock_irqsave(&job_lock);
	if (job_table[q.slot] && job_table[q.slot]->host_id == host_job) {
		for (uint32_t r = q.first; r < q.end; r++)
			if (job_table[q.slot]->usage_final[r])
				out[r - q.first] = job_table[q.slot]->usage[r];
	}
	spin_unlock_irqrestore(&job_lock, flags);
	return (int)ranks;
}

/* The process exit hook: every process ends here, ranks or not. */
static void job_process_exited(struct process *p)
{
	uint32_t id = (uint32_t)(uintptr_t)p->job_rank;
	struct job *j = job_of(p->job_rank_of);
	int status;

	if (!j)
		return;
	if (!id) {
		/* A rank's descendant: collected by its parent (kernel/task.c). */
		if (job_count_down(j, 0))
			job_ended(j);
		return;
	}
	p->reaped = true;	/* the job collects every rank itself */
	/*
	 * Nobody is left to wait for what the rank forked and did not wait
	 * for: Linux would hand those to init; a job's end takes them along.
	 */
	process_kill_descendants(id);
	if (p->term_signal && p->dumped)
		pr_err("job %u: rank %u (pid %u, %s): killed by signal %d (%s) (core dumped: "
		       "core, %lu bytes)\n", j->number, JOB_RANK_NUM(id), p->pid, p->name,
		       p->term_signal, signal_name(p->term_signal), p->core_bytes);
	else if (p->term_signal)
		pr_err("job %u: rank %u (pid %u, %s): killed by signal %d (%s)%s%s%s\n", j->number,
		       JOB_RANK_NUM(id), p->pid, p->name, p->term_signal,
		       signal_name(p->term_signal), p->core_note ? "; no core file (" : "",
		       p->core_note ? p->core_note : "", p->core_note ? ")" : "");
	else
		kprintf("job %u: rank %u (pid %u, %s): exited with status %d\n", j->number,
			JOB_RANK_NUM(id), p->pid, p->name, p->exit_code);
	job_report_usage(j, id, p);
	status = p->term_signal ? (p->term_signal & 0x7f) | (p->dumped ? 0x80 : 0) :
				  (p->exit_code & 0xff) << 8;
	if (job_count_down(j, status))
		job_ended(j);
}

void job_start_host(uint32_t host_job, const char *line)
{
	struct job *j;
	char err[192];
	unsigned long flags;
	int rc, sig;

	j = job_alloc(host_job, err, sizeof(err));
	if (!j) {
		job_refuse_host(host_job, err, 127 << 8);
		return;
	}
	rc = job_parse_line(line, j, err, sizeof(err));
	if (!rc && j->spec.env_size)
		rc = job_env_fetch(j, err, sizeof(err));
	if (!rc)
		rc = job_take_cpus(j, err, sizeof(err));
	if (!rc)
		rc = hostfs_stage(j->spec.path, host_job, err, sizeof(err));
	if (rc) {
		job_free(j);
		job_refuse_host(host_job, err, 127 << 8);
		return;
	}
	kprintf("job %u: %s (%u rank%s on %u CPU%s, for host job %u)\n", j->number, line,
		j->spec.ranks, j->spec.ranks == 1 ? "" : "s", cpumask_weight(&j->spec.cpus),
		cpumask_weight(&j->spec.cpus) == 1 ? "" : "s", host_job);
	job_note_start(j);
	rc = job_launch(j, err, sizeof(err));
	if (rc) {
		pr_err("job %u: cannot start: %s\n", j->number, err);
	} else {
		job_host_post_start(j);
		j->whole = true;
	}
	/* A signal that came while it started reaches the ranks now. */
	flags = spin_lock_irqsave(&job_lock);
	j->launched = true;
	sig = j->pending_signal;
	spin_unlock_irqrestore(&job_lock, flags);
	if (sig)
		job_signal_host(host_job, sig);
	/* Ranks still running: the last one to end reports to the host. */
	if (!job_count_down(j, rc ? 127 << 8 : 0))
		return;
	if (rc) {		/* nothing runs: the launch itself failed */
		job_finish(j, false);
		job_refuse_host(host_job, err, 127 << 8);
	} else {
		job_finish(j, true);
	}
}

void job_start_local(const char *line)
{
	struct job *j;
	char err[192];
	int rc;

	j = job_alloc(0, err, sizeof(err));
	if (!j) {
		pr_err("job: cannot start: %s\n", err);
		return;
	}
	j->local = true;
	rc = job_begin(j, line);
	if (job_count_down(j, rc ? 127 << 8 : 0))
		job_finish(j, true);
}

/*
 * Every rank of the job in slot dies of sig, which the host sent: tell the
 * host now, as Linux's processes die at once. Their exits (memory first)
 * take a while under an emulator, and an MPI launcher, seeing one rank's
 * `cove run` end of Ctrl-C, SIGKILLs every other still running: those
 * would report SIGKILL, not the launcher's own signal.
 */
static bool job_tell_end_now(uint32_t slot, uint32_t host_job, int sig)
{
	unsigned long flags = spin_lock_irqsave(&job_lock);
	struct job *j = job_table[slot];
	bool tell = j && j->host_id == host_job && j->whole && !j->host_told;
	uint32_t number = j ? j->number : 0;
	bool follows = tell && job_usage_fits(j);

	if (tell)
		j->host_told = true;
	spin_unlock_irqrestore(&job_lock, flags);
	if (!tell)
		return false;
	kprintf("job %u: its ranks die of signal %d (%s); the host is told now\n", number,
		sig, signal_name(sig));
	job_host_post_exit(host_job, sig & 0x7f, follows ? COVE_JOB_EXIT_FOLLOWS : 0);
	return true;
}

int job_signal_host(uint32_t host_job, int sig)
{
	/* Its own copy: the doorbell may signal while the idle work does. */
	uint32_t pids[256];
	unsigned long flags;
	bool found = false, now = false;
	uint32_t n, slot, ranks = 0, ends = 0;

	if (!host_job)
		return -ESRCH;
	flags = spin_lock_irqsave(&job_lock);
	slot = job_slot_of_host(host_job);
	found = slot < JOB_MAX_JOBS;
	if (found) {
		struct job *j = job_table[slot];

		now = j->launched;
		if (!now && (sig == SIGKILL || !j->pending_signal))
			j->pending_signal = sig;
	}
	spin_unlock_irqrestore(&job_lock, flags);
	if (!found)
		return -ESRCH;
	if (!now)
		return 0;	/* job_start_host sends it once the ranks exist */
	n = process_list_pids(pids, ARRAY_SIZE(pids));
	for (uint32_t i = 0; i < n; i++) {
		struct process *p = process_find(pids[i]);

		/* Its ranks by job, not host id: each rank may have a proxy of its own. */
		if (!p || !p->job_rank || p->exited ||
		    JOB_RANK_SLOT((uint32_t)(uintptr_t)p->job_rank) != slot)
			continue;
		ranks++;
		ends += signal_ends_process(p, sig);
		if (sig == SIGKILL)
			process_kill(p, SIGKILL, false);
		else
			signal_send(p, sig);
	}
	if (ranks && ends == ranks && job_tell_end_now(slot, host_job, sig))
		return COVE_SIGNAL_ENDS_JOB;
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
