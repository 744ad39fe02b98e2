// SPDX-License-Identifier: GPL-2.0
/*
 * The channels: control requests from the host (launch, add, remove,
 * shutdown) and long calls from Cove's jobs, served by whoever waits for
 * that job on /dev/cove. A poll thread per enclave watches Cove's state,
 * the protection layer's fault report and the long-call channel.
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cove.h"

/*
 * Send one request and wait for Cove's answer. Returns Cove's result (0, a
 * count, or -errno), -EIO if the enclave is not running, -ETIMEDOUT. With
 * reply, up to reply_cap bytes of the answer's payload are copied there,
 * once, and *reply_len says how many: the enclave's length, cut to the
 * slot and to reply_cap, never trusted further.
 */
int cove_ctl_call(struct cove_enclave *e, u32 op, const u64 *args, unsigned int nargs,
		  const void *payload, u32 len, void *reply, u32 reply_cap, u32 *reply_len,
		  unsigned int timeout_ms)
{
	struct cove_msg *m;
	unsigned long deadline;
	unsigned int i;
	u64 seq;
	int ret;

	if (len > COVE_CTL_SLOT_SIZE - sizeof(*m) || nargs > ARRAY_SIZE(m->arg))
		return -EINVAL;
	mutex_lock(&e->ctl_lock);
	if (READ_ONCE(e->state) != COVE_ENCLAVE_READY || e->dead) {
		ret = -EIO;
		goto out;
	}
	m = cove_chan_slot(&e->ctl, e->ctl_head);
	if (READ_ONCE(m->seq) != READ_ONCE(m->done)) {
		pr_err("cove %u: control channel full (Cove is not answering)\n", e->id);
		ret = -EBUSY;
		goto out;
	}
	seq = e->ctl_head + 1;
	m->done = 0;
	m->op = op;
	m->result = 0;
	m->len = len;
	m->job = (op == COVE_CTL_LAUNCH || op == COVE_CTL_KILL) && nargs ? args[0] : 0;
	for (i = 0; i < ARRAY_SIZE(m->arg); i++)
		m->arg[i] = i < nargs ? args[i] : 0;
	if (len)
		memcpy(m + 1, payload, len);
	if (len < COVE_CTL_SLOT_SIZE - sizeof(*m))
		((char *)(m + 1))[len] = '\0';
	wmb();
	WRITE_ONCE(m->seq, seq);
	wmb();
	e->ctl_head = seq;
	WRITE_ONCE(e->ctl.hdr->head, seq);
	cove_doorbell(e);

	deadline = jiffies + msecs_to_jiffies(timeout_ms);
	while (READ_ONCE(m->done) != seq) {
		if (READ_ONCE(e->state) != COVE_ENCLAVE_READY) {
			ret = -EIO;
			goto out;
		}
		if (time_after(jiffies, deadline)) {
			pr_err("cove %u: no answer to control request %u within %u ms\n",
			       e->id, op, timeout_ms);
			ret = -ETIMEDOUT;
			goto out;
		}
		usleep_range(200, 1000);
	}
	rmb();
	ret = READ_ONCE(m->result);
	if (ret < -MAX_ERRNO)
		ret = -EIO;
	if (reply) {
		*reply_len = min3(READ_ONCE(m->len), (u32)(COVE_CTL_SLOT_SIZE - sizeof(*m)),
				  reply_cap);
		memcpy(reply, m + 1, *reply_len);
	}
out:
	mutex_unlock(&e->ctl_lock);
	return ret;
}

int cove_ctl_send(struct cove_enclave *e, u32 op, const u64 *args, unsigned int nargs,
		  const void *payload, u32 len, unsigned int timeout_ms)
{
	return cove_ctl_call(e, op, args, nargs, payload, len, NULL, 0, NULL, timeout_ms);
}

struct cove_job *cove_job_find(struct cove_enclave *e, u32 id)
{
	struct cove_job *j;

	list_for_each_entry(j, &e->jobs, node)
		if (j->id == id)
			return j;
	return NULL;
}

/*
 * How long the boot core may go without a heartbeat, though rung, before
 * the enclave counts as hung. It advances the heartbeat whenever it takes
 * the doorbell, so a busy kernel answers the probe the poll thread sends
 * once half of this has passed in silence: a job's boot core takes one
 * interrupt per hang_ms / 2 at most, and only when nothing else came.
 * The default leaves a healthy kernel's boot core ample room for any
 * stretch it spends with interrupts off.
 */
static unsigned int hang_ms = 10000;
/*
 * How long a hung kernel's NMI report (every core's registers and
 * backtrace) may take to reach its console: Cove says it stopped once
 * done, emulators are slow.
 */
#define COVE_HUNG_DUMP_MS 6000
/* Enough of the console for the report of a few cores and what came before it. */
#define COVE_HUNG_TAIL_BYTES 8192
module_param(hang_ms, uint, 0644);
MODULE_PARM_DESC(hang_ms, "ms without a heartbeat before an enclave is hung (0: never)");

/* Until Cove says it stopped (any state past running), or ms have passed. */
static void cove_wait_stopped(struct cove_enclave *e, unsigned int ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);

	while (READ_ONCE(e->bp->tail.state) < COVE_STATE_STOPPED &&
	       time_before(jiffies, deadline))
		msleep(20);
}

static void cove_watch_heartbeat(struct cove_enclave *e)
{
	u32 hb = READ_ONCE(e->bp->tail.heartbeat);
	unsigned int limit = READ_ONCE(hang_ms), quiet;
	char why[128];

	if (hb != e->hb_seen || !e->hb_since || !limit) {
		e->hb_seen = hb;
		e->hb_since = jiffies;
		e->hb_probed = false;
		return;
	}
	quiet = jiffies_to_msecs(jiffies - e->hb_since);
	if (quiet >= limit) {
		snprintf(why, sizeof(why), "hung: the kernel did not answer the host's doorbell "
			 "for %u ms (heartbeat %u)", quiet, hb);
		/*
		 * Where is it stuck? An NMI reaches a core with interrupts off,
		 * and Cove answers it with the core's registers and backtrace
		 * on its console: the tail below then shows the place.
		 */
		cove_nmi_boot_core(e);
		cove_wait_stopped(e, COVE_HUNG_DUMP_MS);
		pr_err("cove %u: %s; the end of its console:\n", e->id, why);
		cove_console_tail(e, COVE_HUNG_TAIL_BYTES);
		cove_hung(e, why);
	} else if (!e->hb_probed && quiet >= limit / 2) {
		e->hb_probed = true;
		cove_doorbell(e);
	}
}

/*
 * COVE_LC_JOB_START: where a job runs, as Cove tells it for `cove status`.
 * The header copy is checked against the host's own view (only the
 * enclave's own cores, no more ranks than cores) and a bad one is refused.
 */
static int cove_job_started(struct cove_enclave *e, const struct cove_msg *m)
{
	unsigned int nr = READ_ONCE(e->nr_cpus), weight = 0, i;
	u64 ranks = m->arg[4], number = m->arg[5] & U32_MAX;
	bool shared = m->arg[5] & COVE_JOB_START_SHARED;
	struct cove_job *j;
	int err = -EINVAL;

	BUILD_BUG_ON(COVE_CPUMASK_WORDS > ARRAY_SIZE(m->arg) - 2);
	for (i = 0; i < COVE_CPUMASK_WORDS; i++)
		weight += hweight64(m->arg[i]);
	for (i = nr; i < COVE_CPUMASK_WORDS * 64; i++)
		if ((m->arg[i / 64] >> (i % 64)) & 1)
			return -EINVAL;
	if (!weight || !ranks || ranks > weight ||
	    (m->arg[5] & ~(COVE_JOB_START_SHARED | U32_MAX)))
		return -EINVAL;
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, m->job);
	if (j && !j->finished) {
		for (i = 0; i < COVE_CPUMASK_WORDS; i++)
			j->cpus[i] = m->arg[i];
		j->ranks = ranks;
		j->number = number;
		j->shared = shared;
		j->running = true;
		err = 0;
	}
	spin_unlock(&e->lc_lock);
	return err;
}

/* Take every new long call from the channel and queue it for its job. */
static void cove_lc_take(struct cove_enclave *e)
{
	struct cove_msg m;
	struct cove_lreq *r;
	struct cove_job *j;
	u64 head, seq;
	int err;

	if (cove_lc_head(e, &head))
		return;
	while (e->lc_tail != head) {
		seq = e->lc_tail + 1;
		err = cove_lc_take_one(e, seq, &m);
		if (err == -EAGAIN || err == -EIO)
			break;
		e->lc_tail = seq;
		WRITE_ONCE(e->lc.hdr->tail, seq);
		if (err == -ENOENT)
			continue;
		if (err) {
			pr_err_ratelimited("cove %u: refused long call (op %u, job %u, len %u)\n",
					   e->id, m.op, m.job, m.len);
			cove_lc_answer(e, seq, -EINVAL, NULL, 0);
			continue;
		}
		if (m.op == COVE_LC_JOB_START) {
			/* For us, not the job's launcher: posted, nobody waits for it. */
			err = cove_job_started(e, &m);
			if (err)
				pr_err_ratelimited("cove %u: refused job start report (job %u)\n",
						   e->id, m.job);
			cove_lc_answer(e, seq, err, NULL, 0);
			continue;
		}
		if (cove_xemem_lcall(e, seq, &m))
			continue;	/* the module's own, not the proxy's */
		if (m.op == COVE_LC_JOB_EXIT)
			cove_usage_take(e, seq, &m);	/* before its waiter hears of the end */
		if (cove_usage_is_late(&m)) {
			/* Only figures: the job's end was news already. */
			cove_lc_answer(e, seq, 0, NULL, 0);
			continue;
		}
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (!r) {
			cove_lc_answer(e, seq, -ENOMEM, NULL, 0);
			continue;
		}
		r->seq = seq;
		r->op = m.op;
		r->len = m.op == COVE_LC_JOB_EXIT ? 0 : m.len;
		memcpy(r->arg, m.arg, sizeof(r->arg));

		spin_lock(&e->lc_lock);
		j = cove_job_find(e, m.job);
		if (!j || j->finished || (j->orphan && m.op != COVE_LC_JOB_EXIT)) {
			spin_unlock(&e->lc_lock);
			/*
			 * The end of a process whose proxy died first is no news, nor
			 * a call from a rank whose end Cove told early (killed by a
			 * signal from the host, still on its way out).
			 */
			if (!j)
				pr_err_ratelimited("cove %u: long call %u for job %u, which is not "
						   "running\n", e->id, m.op, m.job);
			kfree(r);
			cove_lc_answer(e, seq, j && j->orphan ? -EIO : -EINVAL, NULL, 0);
			continue;
		}
		if (m.op == COVE_LC_JOB_EXIT)
			j->finished = true;
		list_add_tail(&r->node, &j->pending);
		wake_up_all(&j->wq);
		spin_unlock(&e->lc_lock);
		if (m.op == COVE_LC_JOB_EXIT)
			cove_lc_answer(e, seq, 0, NULL, 0);
	}
}

static void cove_lc_take_now(struct cove_enclave *e)
{
	mutex_lock(&e->lc_take);
	cove_lc_take(e);
	mutex_unlock(&e->lc_take);
}

static void cove_poll_once(struct cove_enclave *e)
{
	struct cove_host_page *h = e->host;
	u32 seq = READ_ONCE(h->fault_seq);
	int st;

	if (seq != e->fault_seen) {
		e->fault_seen = seq;
		memcpy(e->report, h->fault_report, sizeof(e->report));
		e->report[sizeof(e->report) - 1] = '\0';
		pr_err("cove %u: protection fault contained: %.200s\n", e->id, e->report);
		cove_fail(e, NULL);
		return;
	}
	st = cove_shared_check(e);
	if (st < 0)
		return;
	if (st == COVE_STATE_PANIC) {
		e->exit_status = READ_ONCE(e->bp->tail.exit_status);
		pr_err("cove %u: Cove panicked (status %u); the end of its console:\n",
		       e->id, e->exit_status);
		cove_console_tail(e, 1024);
		cove_fail(e, "the Cove kernel panicked");
		return;
	}
	if (st == COVE_STATE_STOPPED) {
		e->exit_status = READ_ONCE(e->bp->tail.exit_status);
		cove_stopped(e);
		return;
	}
	cove_lc_take_now(e);
	cove_watch_heartbeat(e);
}

/*
 * Long calls wake the thread through the doorbell; the slow tick is the
 * watchdog for what Cove does not ring for (its state word, the layer's
 * fault report, an enclave that died without a word). Without a doorbell
 * the tick is all there is, so it is short.
 */
#define COVE_POLL_DOORBELL_MS 20

static int cove_poll_fn(void *arg)
{
	struct cove_enclave *e = arg;
	bool doorbell = cove_doorbell_present();
	int seen = 0;

	while (!kthread_should_stop()) {
		if (READ_ONCE(e->state) == COVE_ENCLAVE_READY)
			cove_poll_once(e);
		if (doorbell)
			cove_doorbell_wait(&seen, COVE_POLL_DOORBELL_MS);
		else
			usleep_range(1000, 2000);	/* finer than a jiffy */
	}
	return 0;
}

int cove_poll_start(struct cove_enclave *e)
{
	struct task_struct *t;

	t = kthread_run(cove_poll_fn, e, "cove%u", e->id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	e->poll = t;
	return 0;
}

void cove_poll_stop(struct cove_enclave *e)
{
	if (e->poll)
		kthread_stop(e->poll);
	e->poll = NULL;
}

void cove_jobs_free(struct cove_enclave *e)
{
	struct cove_lreq *r, *rn;
	struct cove_job *j, *jn;

	list_for_each_entry_safe(j, jn, &e->jobs, node) {
		list_for_each_entry_safe(r, rn, &j->pending, node)
			kfree(r);
		list_for_each_entry_safe(r, rn, &j->serving, node)
			kfree(r);
		kfree(j->usage);
		kfree(j);
	}
	INIT_LIST_HEAD(&e->jobs);
}

static bool cove_gone(struct cove_enclave *e)
{
	u32 st = READ_ONCE(e->state);

	return e->dead || st == COVE_ENCLAVE_FAILED || st == COVE_ENCLAVE_STOPPED ||
	       st == COVE_ENCLAVE_HUNG;
}

int cove_launch(struct cove_enclave *e, struct cove_launch *req, const void *owner)
{
	struct cove_job *j;
	char *spec;
	u64 arg;
	int ret;

	if (!req->spec_len || req->spec_len > COVE_UAPI_JOB_MAX ||
	    req->spec_len > COVE_CTL_SLOT_SIZE - sizeof(struct cove_msg) - 1) {
		pr_err_ratelimited("cove: job line of %llu bytes (1..%zu)\n", req->spec_len,
				   COVE_CTL_SLOT_SIZE - sizeof(struct cove_msg) - 1);
		return -EINVAL;
	}
	spec = memdup_user(u64_to_user_ptr(req->spec_ptr), req->spec_len);
	if (IS_ERR(spec))
		return PTR_ERR(spec);
	j = kzalloc(sizeof(*j), GFP_KERNEL);
	if (!j) {
		ret = -ENOMEM;
		goto out_free;
	}
	INIT_LIST_HEAD(&j->pending);
	INIT_LIST_HEAD(&j->serving);
	init_waitqueue_head(&j->wq);
	j->owner = owner;
	j->uid = current_uid();
	j->launch_ns = ktime_get_ns();
	memcpy(j->cmd, spec, min_t(u64, req->spec_len, sizeof(j->cmd) - 1));
	spin_lock(&e->lc_lock);
	j->id = ++e->next_job;
	list_add_tail(&j->node, &e->jobs);
	spin_unlock(&e->lc_lock);

	arg = j->id;
	ret = cove_ctl_send(e, COVE_CTL_LAUNCH, &arg, 1, spec, req->spec_len,
			    COVE_LAUNCH_TIMEOUT_MS);
	if (ret < 0) {
		if (ret == -EIO)
			pr_err("cove %u: enclave is not running\n", e->id);
		else
			pr_err("cove %u: launch refused (%d)\n", e->id, ret);
		spin_lock(&e->lc_lock);
		j->finished = true;	/* kept until the enclave goes: a waiter may hold it */
		spin_unlock(&e->lc_lock);
		goto out_free;
	}
	req->job = j->id;
	ret = 0;
out_free:
	kfree(spec);
	return ret;
}

int cove_kill(struct cove_enclave *e, struct cove_launch *req)
{
	u64 arg = req->job;
	int ret;

	ret = cove_ctl_send(e, COVE_CTL_KILL, &arg, 1, NULL, 0, COVE_LAUNCH_TIMEOUT_MS);
	return ret < 0 ? ret : 0;
}

/* A job that ended after it was launched, kept for `cove status` (not a forked process's id). */
static bool cove_job_ended(const struct cove_job *j)
{
	return j->exited && !j->fork_root;
}

/* The list `cove status` shows: module memory only, nothing read from the enclave. */
int cove_jobs_list(struct cove_enclave *e, struct cove_jobs *req)
{
	u32 room = min_t(u32, req->nr, COVE_JOBS_LIST_MAX), n = 0, total = 0, skip = 0;
	bool ended = req->flags & COVE_JOBS_ENDED;
	struct cove_job_info *out = NULL;
	struct cove_job *j;
	int err = 0;

	if (room) {
		out = kvcalloc(room, sizeof(*out), GFP_KERNEL);
		if (!out)
			return -ENOMEM;
	}
	spin_lock(&e->lc_lock);
	/* Ended jobs stay until the enclave goes: only the last few are listed. */
	list_for_each_entry(j, &e->jobs, node)
		skip += ended && cove_job_ended(j);
	skip = skip > COVE_JOBS_ENDED_MAX ? skip - COVE_JOBS_ENDED_MAX : 0;
	list_for_each_entry(j, &e->jobs, node) {
		struct cove_job_info *o = &out[n];
		bool gone = ended && cove_job_ended(j);

		if (gone && skip) {
			skip--;
			continue;
		}
		/* A forked process's own id (cove_fork.c) is part of its job, not one. */
		if ((j->finished && !gone) || j->fork_root)
			continue;
		total++;
		if (n == room)
			continue;
		o->job = j->id;
		o->uid = from_kuid_munged(current_user_ns(), j->uid);
		memcpy(o->cmd, j->cmd, sizeof(o->cmd));
		o->flags = j->orphan ? COVE_JOB_ORPHAN : 0;
		if (gone) {
			o->flags |= COVE_JOB_ENDED;
			o->status = j->status;
		}
		if (j->running) {
			o->flags |= (gone ? 0 : COVE_JOB_RUNNING) | (j->shared ? COVE_JOB_SHARED : 0);
			o->number = j->number;
			o->ranks = j->ranks;
			memcpy(o->cpus, j->cpus, sizeof(o->cpus));
		}
		n++;
	}
	spin_unlock(&e->lc_lock);
	req->nr = n;
	req->total = total;
	if (n && copy_to_user(u64_to_user_ptr(req->buf_ptr), out, n * sizeof(*out)))
		err = -EFAULT;
	kvfree(out);
	return err;
}

bool cove_job_launched_by(struct cove_enclave *e, u32 id, const void *file)
{
	struct cove_job *j;
	bool ours;

	spin_lock(&e->lc_lock);
	j = cove_job_find(e, id);
	ours = j && j->owner == file && !j->finished && !j->orphan;
	spin_unlock(&e->lc_lock);
	return ours;
}

bool cove_job_uid(struct cove_enclave *e, u32 id, kuid_t *uid)
{
	struct cove_job *j;
	bool ok;

	/* Under lc_lock a job not orphaned has its launcher's file open. */
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, id);
	ok = j && !j->finished && !j->orphan;
	if (ok)
		*uid = ((const struct file *)j->owner)->f_cred->fsuid;
	spin_unlock(&e->lc_lock);
	return ok;
}

/* Ctrl-C and friends on `cove run`: only the job's own launcher may send them. */
int cove_signal(struct cove_enclave *e, struct cove_signal *req, const void *file)
{
	u64 args[2] = { req->job, req->sig };
	struct cove_job *j;
	int ret;

	if (!req->sig || req->sig > 64)
		ret = -EINVAL;
	else if (!cove_job_launched_by(e, req->job, file))
		ret = -ESRCH;
	else
		ret = cove_ctl_send(e, COVE_CTL_SIGNAL, args, 2, NULL, 0, COVE_LAUNCH_TIMEOUT_MS);
	if (ret != COVE_SIGNAL_ENDS_JOB)
		return ret < 0 ? ret : 0;
	/*
	 * Its launcher leaves now: the job is over for the host (its exit
	 * message, already posted, brings the status), so that file's going
	 * neither kills it again nor calls it lost.
	 */
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, req->job);
	if (j && !j->finished) {
		j->finished = true;
		wake_up_all(&j->wq);
	}
	spin_unlock(&e->lc_lock);
	return COVE_SIGNAL_ENDS_JOB;
}

void cove_lc_drop(struct cove_enclave *e, struct list_head *list)
{
	struct cove_lreq *r, *rn;

	list_for_each_entry_safe(r, rn, list, node) {
		if (r->op != COVE_LC_JOB_EXIT && !e->dead && e->map)
			cove_lc_answer(e, r->seq, -EIO, NULL, 0);
		list_del(&r->node);
		kfree(r);
	}
}

/*
 * The launcher of these jobs closed /dev/cove (it exited or crashed): answer
 * what it left unanswered, and all later calls, with -EIO, so no Cove core
 * waits forever for a reply; and kill the jobs that still run, so their
 * cores are free for the next (a proxy killed with SIGKILL cannot ask).
 */
void cove_orphan_jobs(const void *owner)
{
	struct cove_enclave *e;
	struct cove_job *j;
	LIST_HEAD(drop);
	u32 id, kill[8];
	unsigned int nkill, k;

	for (id = 1; id <= COVE_MAX_ENCLAVES; id++) {
		e = cove_get(id);
		if (!e)
			continue;
		nkill = 0;
		mutex_lock(&e->lock);
		spin_lock(&e->lc_lock);
		list_for_each_entry(j, &e->jobs, node) {
			if (j->owner != owner)
				continue;
			if (!j->finished && !j->orphan && nkill < ARRAY_SIZE(kill))
				kill[nkill++] = j->id;
			j->orphan = true;
			list_splice_tail_init(&j->pending, &drop);
			list_splice_tail_init(&j->serving, &drop);
		}
		spin_unlock(&e->lc_lock);
		cove_lc_drop(e, &drop);
		mutex_unlock(&e->lock);
		for (k = 0; k < nkill; k++) {
			u64 arg = kill[k];

			if (READ_ONCE(e->state) == COVE_ENCLAVE_READY &&
			    cove_ctl_send(e, COVE_CTL_KILL, &arg, 1, NULL, 0, COVE_LAUNCH_TIMEOUT_MS) == 0)
				pr_info("cove %u: job %u lost its launcher; killed\n", e->id, kill[k]);
		}
		cove_put(e);
	}
}

/* Under lc_lock: something for the waiter, or a reason to stop waiting. */
static bool cove_lc_ready(struct cove_enclave *e, struct cove_job *j)
{
	bool ready;

	spin_lock(&e->lc_lock);
	ready = !list_empty(&j->pending) || j->finished;
	spin_unlock(&e->lc_lock);
	return ready || cove_gone(e);
}

int cove_lcall_wait(struct cove_enclave *e, struct cove_lcall *req, const void *file)
{
	struct cove_lreq *r = NULL;
	struct cove_msg *m;
	struct cove_job *j;
	long left;
	int ret;

	if (req->buf_size < COVE_LCALL_PAYLOAD_MAX) {
		pr_err_ratelimited("cove: long-call buffer of %llu bytes, need %d\n", req->buf_size,
				   COVE_LCALL_PAYLOAD_MAX);
		return -EINVAL;
	}
	spin_lock(&e->lc_lock);
	j = cove_job_find(e, req->job);
	ret = j ? cove_fork_may_serve(e, j, file) : 0;
	spin_unlock(&e->lc_lock);
	if (!j) {
		pr_err_ratelimited("cove %u: no job %u\n", e->id, req->job);
		return -EINVAL;
	}
	if (ret)
		return ret;
	if (req->timeout_ms == COVE_LCALL_POLL) {
		/*
		 * A proxy between calls takes what Cove has published itself,
		 * without the doorbell's round through the poll thread.
		 */
		mutex_lock(&e->lock);
		if (!e->dead && e->map && READ_ONCE(e->state) == COVE_ENCLAVE_READY)
			cove_lc_take_now(e);
		mutex_unlock(&e->lock);
	} else {
		left = wait_event_interruptible_timeout(j->wq, cove_lc_ready(e, j),
			req->timeout_ms ? msecs_to_jiffies(req->timeout_ms) : MAX_SCHEDULE_TIMEOUT);
		if (left < 0)
			return left;
	}
	if (cove_gone(e))
		return -EIO;
	spin_lock(&e->lc_lock);
	if (!list_empty(&j->pending)) {
		r = list_first_entry(&j->pending, struct cove_lreq, node);
		list_del(&r->node);
		if (r->op != COVE_LC_JOB_EXIT)
			list_add_tail(&r->node, &j->serving);
	}
	spin_unlock(&e->lc_lock);
	if (!r)
		return j->finished ? -ESRCH : -ETIMEDOUT;
	req->op = r->op;
	req->token = r->seq;
	memcpy(req->arg, r->arg, sizeof(req->arg));
	req->len = r->len;
	ret = 0;
	if (r->len) {
		mutex_lock(&e->lock);
		if (e->dead || !e->map) {
			ret = -EIO;
		} else {
			m = cove_chan_slot(&e->lc, r->seq - 1);
			if (copy_to_user(u64_to_user_ptr(req->buf_ptr), m + 1, r->len))
				ret = -EFAULT;
		}
		mutex_unlock(&e->lock);
	}
	if (r->op == COVE_LC_JOB_EXIT)
		kfree(r);
	return ret;
}

int cove_lcall_reply(struct cove_enclave *e, const struct cove_lcall *req, const void *file)
{
	struct cove_lreq *r = NULL, *it;
	struct cove_msg *m;
	struct cove_job *j;
	int ret = 0;

	spin_lock(&e->lc_lock);
	j = cove_job_find(e, req->job);
	if (j && !cove_fork_may_serve(e, j, file)) {
		list_for_each_entry(it, &j->serving, node) {
			if (it->seq == req->token) {
				r = it;
				list_del(&r->node);
				break;
			}
		}
	}
	spin_unlock(&e->lc_lock);
	if (!r) {
		pr_err_ratelimited("cove %u: no long call %llu waiting for a reply in job %u\n",
				   e->id, req->token, req->job);
		return -EINVAL;
	}
	mutex_lock(&e->lock);
	if (e->dead || !e->map || cove_gone(e)) {
		ret = -EIO;
	} else if (req->len > cove_chan_payload_max(&e->lc) || req->len > req->buf_size ||
		   req->result < -MAX_ERRNO) {
		/* The call is answered anyway: Cove must not wait for it forever. */
		pr_err_ratelimited("cove %u: bad long-call reply (len %u, result %d)\n", e->id,
				   req->len, req->result);
		ret = -EINVAL;
		cove_lc_answer(e, r->seq, -EIO, NULL, 0);
	} else {
		m = cove_chan_slot(&e->lc, r->seq - 1);
		if (req->len && copy_from_user(m + 1, u64_to_user_ptr(req->buf_ptr), req->len)) {
			ret = -EFAULT;
			cove_lc_answer(e, r->seq, -EFAULT, NULL, 0);
		} else {
			cove_lc_answer(e, r->seq, req->result, req->arg, req->len);
		}
	}
	mutex_unlock(&e->lock);
	kfree(r);
	return ret;
}

/* Log the last bytes Cove wrote to its console, a line at a time. */
void cove_console_tail(struct cove_enclave *e, size_t bytes)
{
	u64 head = READ_ONCE(e->ring->head);
	u64 size = COVE_RING_DATA;
	u64 pos = head > bytes ? head - bytes : 0;
	char line[161];
	size_t n = 0;
	char c;

	if (head - pos > size)
		pos = head - size;
	for (; pos < head; pos++) {
		c = e->ring->data[pos % size];
		if (c == '\n' || n == sizeof(line) - 1) {
			line[n] = '\0';
			pr_err("cove %u: | %s\n", e->id, line);
			n = 0;
			if (c == '\n')
				continue;
		}
		if (c != '\r')
			line[n++] = (c >= 32 && c < 127) ? c : '.';
	}
	if (n) {
		line[n] = '\0';
		pr_err("cove %u: | %s\n", e->id, line);
	}
	if (!head)
		pr_err("cove %u: (the console is empty)\n", e->id);
}
