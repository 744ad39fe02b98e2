// SPDX-License-Identifier: GPL-2.0
/*
 * What a job's ranks used and did (issue 19): Cove sends each rank's user
 * and system time, peak memory, minor faults and its counts (switches,
 * migrations, kernel entries, offloaded calls) with the job's end
 * (COVE_JOB_EXIT_COUNTS; COVE_JOB_EXIT_USAGE from an older Cove). The figures are the enclave's word, so they are
 * copied once and checked against the host's own clock since the launch,
 * the job's cores and the enclave's memory (cove_usage_check.c); a report
 * that fails is dropped whole, logged with the reason, and the job's end
 * goes on as if it had none. `cove status` reads what held
 * (COVE_IOC_JOB_USAGE).
 */
#include <linux/bitops.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cove.h"
#include "cove_usage_check.h"

/* The enclave's memory now, in KiB: its ranges as the host gave them. */
static u64 cove_usage_mem_kib(struct cove_enclave *e)
{
	/*
	 * Read without e->lock, which the poll thread may not take here
	 * (lock -> lc_take): a range added or removed meanwhile only moves
	 * a bound, never an index past mem[].
	 */
	unsigned int nr = min_t(unsigned int, READ_ONCE(e->nr_mem), COVE_MAX_RANGES), i;
	u64 kib = 0;

	for (i = 0; i < nr; i++)
		kib += READ_ONCE(e->mem[i].size) >> 10;
	return kib;
}

/* e->lc_lock held: the host's own bounds on j's figures, its wall time since launch and cores. */
static void cove_usage_bounds_of(const struct cove_job *j, u64 now, struct cove_usage_bounds *b)
{
	unsigned int i;

	b->wall_ns = now - j->launch_ns;
	b->cores = 0;
	for (i = 0; i < COVE_CPUMASK_WORDS; i++)
		b->cores += hweight64(j->cpus[i]);
}

/*
 * e->lc_lock held: whether a JOB_EXIT is news for j. Its end, once: also
 * when its `cove run` is gone already (it ends at once on a signal that
 * ends the job, and may close before Cove's word arrives); a late report
 * (COVE_JOB_EXIT_LATE) only for a job whose end said figures would follow.
 */
static bool cove_usage_expected(const struct cove_job *j, bool late)
{
	if (!j || j->fork_root)
		return false;
	return late ? j->finished && (j->usage_flags & COVE_JOB_USAGE_PENDING) : !j->exited;
}

bool cove_usage_is_late(const struct cove_msg *m)
{
	return m->op == COVE_LC_JOB_EXIT && m->arg[3] == COVE_JOB_EXIT_LATE;
}

void cove_usage_take(struct cove_enclave *e, u64 seq, const struct cove_msg *m)
{
	struct cove_rank_usage *usage = NULL, total;
	struct cove_usage_bounds b = { 0 };
	bool late = cove_usage_is_late(m);
	bool launched = false, unreadable = false;
	u32 flags = 0, nr = 0;
	struct cove_job *j;
	char why[160];
	void *payload;
	u64 now = ktime_get_ns();
	int err;

	/* What the host knows of the job, from its own records only. */
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, m->job);
	if (cove_usage_expected(j, late)) {
		launched = true;
		cove_usage_bounds_of(j, now, &b);
		b.ranks = j->running ? j->ranks : 0;
	}
	spin_unlock(&e->lc_lock);
	/* A forked process's end, or an older Cove's: nothing to keep. */
	if (!launched || !m->arg[1])
		goto record;
	b.mem_kib = cove_usage_mem_kib(e);
	usage = kcalloc(COVE_USAGE_MAX_RANKS, sizeof(*usage), GFP_KERNEL);
	payload = kmalloc(COVE_USAGE_MAX_RANKS * sizeof(*usage), GFP_KERNEL);
	if (!usage || !payload) {
		kfree(payload);
		kfree(usage);
		usage = NULL;
		goto record;
	}
	/*
	 * Only as much as a true report can hold is read from the slot: a
	 * longer one matches no rank count and is refused unread.
	 */
	if (m->len <= COVE_USAGE_MAX_RANKS * sizeof(*usage) &&
	    cove_lc_payload(e, seq, payload, m->len))
		unreadable = true;
	err = unreadable ? -EINVAL :
	      cove_usage_check(m->arg[1], m->arg[2], payload, m->len, &b, usage, &total, why,
			       sizeof(why));
	if (unreadable)
		snprintf(why, sizeof(why), "a payload of %u bytes it cannot hold", m->len);
	kfree(payload);
	if (err) {
		pr_err_ratelimited("cove %u: job %u: its usage report is refused: %s\n", e->id,
				   m->job, why);
		kfree(usage);
		usage = NULL;
		flags = COVE_JOB_USAGE_REFUSED;
	} else {
		/* Kept as long as the job's entry (until the enclave goes): only its ranks. */
		struct cove_rank_usage *kept = kmemdup(usage, b.ranks * sizeof(*usage),
						       GFP_KERNEL);

		kfree(usage);
		usage = kept;
		flags = !usage ? 0 : m->arg[1] == COVE_JOB_EXIT_COUNTS ?
			COVE_JOB_USAGE | COVE_JOB_COUNTS : COVE_JOB_USAGE;
		nr = b.ranks;
	}
record:
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, m->job);
	if (cove_usage_expected(j, late)) {
		/* A late report brings figures only: the end is as the host saw it. */
		if (!late) {
			j->exited = true;
			j->status = (int)(m->arg[0] & 0xffff);
			j->wall_ns = now - j->launch_ns;
			if (!m->arg[1] && m->arg[3] == COVE_JOB_EXIT_FOLLOWS)
				flags = COVE_JOB_USAGE_PENDING;
		}
		j->usage_flags = flags;
		if (usage) {
			j->usage_nr = nr;
			j->usage_total = total;
			swap(j->usage, usage);
		}
	}
	spin_unlock(&e->lc_lock);
	kfree(usage);
}

static void cove_usage_counts(struct cove_rank_counts *c, const struct cove_rank_usage *u)
{
	c->switches = u->switches;
	c->migrations = u->migrations;
	c->kentries = u->kentries;
	c->offloaded = u->offloaded;
}

static void cove_usage_times(struct cove_rank_times *t, const struct cove_rank_usage *u)
{
	t->user_ns = u->utime_ns;
	t->system_ns = u->stime_ns;
	t->maxrss_kib = u->maxrss_kib;
	t->minflt = u->minflt;
}

/* How long a running job's figures may take to come: Cove answers from an interrupt. */
#define COVE_USAGE_LIVE_MS 5000

/*
 * A running job's figures so far, asked of Cove (COVE_CTL_JOB_USAGE) a
 * slot-full of ranks at a time and checked as an end's report is, against
 * the host's clock since the launch (b). 0 with usage[] and *total filled,
 * -ESRCH if the job ended meanwhile, else -EIO (logged).
 */
static int cove_usage_live(struct cove_enclave *e, u32 job, const struct cove_usage_bounds *b,
			   struct cove_rank_usage *usage, struct cove_rank_usage *total)
{
	const u32 each = sizeof(*usage), cap = COVE_CTL_SLOT_SIZE;
	u32 got = 0, len = 0;
	u8 *reply, *all;
	char why[160];
	int n, err = 0;

	reply = kmalloc(cap, GFP_KERNEL);
	all = kmalloc_array(COVE_USAGE_MAX_RANKS, each, GFP_KERNEL);
	if (!reply || !all) {
		err = -ENOMEM;
		goto out;
	}
	while (got < b->ranks) {
		const u64 args[2] = { job, got };

		n = cove_ctl_call(e, COVE_CTL_JOB_USAGE, args, 2, NULL, 0, reply, cap, &len,
				  COVE_USAGE_LIVE_MS);
		if (n == -ESRCH || n == -EIO || n == -ETIMEDOUT || n == -EINVAL) {
			err = n == -ESRCH ? -ESRCH : -EIO;	/* -EINVAL: an older Cove */
			goto out;
		}
		/* Each answer: the job's rank count, and whole records from rank got on. */
		if (n != (int)b->ranks || !len || len % each || len / each > b->ranks - got) {
			snprintf(why, sizeof(why), "an answer of %d ranks, %u bytes, from rank %u",
				 n, len, got);
			err = -EINVAL;
			break;
		}
		memcpy(all + (size_t)got * each, reply, len);
		got += len / each;
	}
	if (!err)
		err = cove_usage_check(COVE_JOB_EXIT_COUNTS, b->ranks, all, b->ranks * each, b,
				       usage, total, why, sizeof(why));
	if (err) {
		pr_err_ratelimited("cove %u: job %u: its figures so far are refused: %s\n", e->id,
				   job, why);
		err = -EIO;
	}
out:
	kfree(all);
	kfree(reply);
	return err;
}

/*
 * A running job whose figures the caller may have now (the owner or root:
 * each asking costs the enclave an interrupt): its bounds, as the host
 * knows them. Anyone else, or a job not yet running, gets none.
 */
static bool cove_usage_live_wanted(struct cove_enclave *e, u32 job, struct cove_usage_bounds *b)
{
	struct cove_job *j;
	bool want = false;

	if (!cove_may_ask(e))
		return false;
	memset(b, 0, sizeof(*b));
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, job);
	if (j && !j->fork_root && !j->exited && j->running && j->ranks) {
		want = true;
		cove_usage_bounds_of(j, ktime_get_ns(), b);
		b->ranks = j->ranks;
	}
	spin_unlock(&e->lc_lock);
	b->mem_kib = cove_usage_mem_kib(e);
	return want && b->cores && b->ranks <= COVE_USAGE_MAX_RANKS;
}

int cove_job_usage(struct cove_enclave *e, struct cove_job_usage *req)
{
	u32 room = min_t(u32, req->nr, COVE_USAGE_MAX_RANKS), n = 0, i;
	struct cove_rank_usage *live = NULL, live_total;
	struct cove_rank_counts *counts;
	struct cove_rank_times *out;
	struct cove_usage_bounds b;
	struct cove_job *j;
	int err = 0;

	out = kcalloc(COVE_USAGE_MAX_RANKS, sizeof(*out), GFP_KERNEL);
	counts = kcalloc(COVE_USAGE_MAX_RANKS, sizeof(*counts), GFP_KERNEL);
	if (!out || !counts) {
		kfree(counts);
		kfree(out);
		return -ENOMEM;
	}
	if (cove_usage_live_wanted(e, req->job, &b)) {
		live = kcalloc(COVE_USAGE_MAX_RANKS, sizeof(*live), GFP_KERNEL);
		if (live && cove_usage_live(e, req->job, &b, live, &live_total)) {
			kfree(live);
			live = NULL;	/* ended meanwhile, or no figures: as before */
		}
	}
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, req->job);
	if (!j || j->fork_root) {
		err = -ENOENT;
	} else if (live && !j->exited) {
		req->flags = COVE_JOB_USAGE | COVE_JOB_COUNTS | COVE_JOB_USAGE_SO_FAR;
		req->wall_ns = b.wall_ns;
		req->nr = b.ranks;
		cove_usage_times(&req->total, &live_total);
		cove_usage_counts(&req->counts_total, &live_total);
		n = min(room, b.ranks);
		for (i = 0; i < n; i++) {
			cove_usage_times(&out[i], &live[i]);
			cove_usage_counts(&counts[i], &live[i]);
		}
	} else {
		req->flags = (j->exited ? COVE_JOB_ENDED : 0) | j->usage_flags;
		req->wall_ns = j->exited ? j->wall_ns : 0;
		req->nr = j->usage ? j->usage_nr : 0;
		memset(&req->total, 0, sizeof(req->total));
		memset(&req->counts_total, 0, sizeof(req->counts_total));
		if (j->usage) {
			cove_usage_times(&req->total, &j->usage_total);
			cove_usage_counts(&req->counts_total, &j->usage_total);
			n = min(room, j->usage_nr);
			for (i = 0; i < n; i++) {
				cove_usage_times(&out[i], &j->usage[i]);
				cove_usage_counts(&counts[i], &j->usage[i]);
			}
		}
	}
	spin_unlock(&e->lc_lock);
	kfree(live);
	if (!err && n && copy_to_user(u64_to_user_ptr(req->buf_ptr), out, n * sizeof(*out)))
		err = -EFAULT;
	/* A caller of version 3 has no counts_ptr: it reads as 0. */
	if (!err && n && req->counts_ptr &&
	    copy_to_user(u64_to_user_ptr(req->counts_ptr), counts, n * sizeof(*counts)))
		err = -EFAULT;
	kfree(counts);
	kfree(out);
	return err;
}
