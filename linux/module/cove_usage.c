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

void cove_usage_take(struct cove_enclave *e, u64 seq, const struct cove_msg *m)
{
	struct cove_rank_usage *usage = NULL, total;
	struct cove_usage_bounds b = { 0 };
	bool launched = false, unreadable = false;
	u32 flags = 0, nr = 0;
	struct cove_job *j;
	char why[160];
	void *payload;
	u64 now = ktime_get_ns();
	unsigned int i;
	int err;

	/* What the host knows of the job, from its own records only. */
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, m->job);
	if (j && !j->finished && !j->fork_root) {
		launched = true;
		b.wall_ns = now - j->launch_ns;
		b.ranks = j->running ? j->ranks : 0;
		for (i = 0; i < COVE_CPUMASK_WORDS; i++)
			b.cores += hweight64(j->cpus[i]);
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
	if (j && !j->finished && !j->fork_root) {
		j->exited = true;
		j->status = (int)(m->arg[0] & 0xffff);
		j->wall_ns = now - j->launch_ns;
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

int cove_job_usage(struct cove_enclave *e, struct cove_job_usage *req)
{
	u32 room = min_t(u32, req->nr, COVE_USAGE_MAX_RANKS), n = 0, i;
	struct cove_rank_counts *counts;
	struct cove_rank_times *out;
	struct cove_job *j;
	int err = 0;

	out = kcalloc(COVE_USAGE_MAX_RANKS, sizeof(*out), GFP_KERNEL);
	counts = kcalloc(COVE_USAGE_MAX_RANKS, sizeof(*counts), GFP_KERNEL);
	if (!out || !counts) {
		kfree(counts);
		kfree(out);
		return -ENOMEM;
	}
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, req->job);
	if (!j || j->fork_root) {
		err = -ENOENT;
	} else {
		req->flags = (j->exited ? COVE_JOB_ENDED : 0) | j->usage_flags;
		req->wall_ns = j->exited ? j->wall_ns : 0;
		req->nr = j->usage ? j->usage_nr : 0;
		memset(&req->total, 0, sizeof(req->total));
		memset(&req->counts_total, 0, sizeof(req->counts_total));
		if (j->usage) {
			cove_usage_counts(&req->counts_total, &j->usage_total);
			req->total.user_ns = j->usage_total.utime_ns;
			req->total.system_ns = j->usage_total.stime_ns;
			req->total.maxrss_kib = j->usage_total.maxrss_kib;
			req->total.minflt = j->usage_total.minflt;
			n = min(room, j->usage_nr);
			for (i = 0; i < n; i++) {
				out[i].user_ns = j->usage[i].utime_ns;
				out[i].system_ns = j->usage[i].stime_ns;
				out[i].maxrss_kib = j->usage[i].maxrss_kib;
				out[i].minflt = j->usage[i].minflt;
				cove_usage_counts(&counts[i], &j->usage[i]);
			}
		}
	}
	spin_unlock(&e->lc_lock);
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
