// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event_open's software counters (cove/perf_event.h). A counter
 * reads its thread's own accounts -- the CPU time of cove/acct.h, the
 * scheduler's switch and migration counts, the faults that populated
 * memory -- when it is enabled and each time it is read, and counts the
 * difference: nothing is added to the paths it counts. A counter of a
 * thread or process that ends keeps the figure it had at the end: the
 * end of each thread updates the counters of it (perf_task_gone), as its
 * execve starts those waiting for it (perf_task_exec).
 */
#include <cove/acct.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/perf_event.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <cove/vfs.h>

/* Linux's PERF_EVENT_IOC_* ('$' ioctls). */
#define PERF_IOC_ENABLE		0x2400
#define PERF_IOC_DISABLE	0x2401
#define PERF_IOC_REFRESH	0x2402
#define PERF_IOC_RESET		0x2403
#define PERF_IOC_PERIOD		0x40082404
#define PERF_IOC_SET_OUTPUT	0x2405
#define PERF_IOC_SET_FILTER	0x40082406
#define PERF_IOC_ID		0x80082407
#define PERF_IOC_SET_BPF	0x40042408

/* What a thread shows: the counted figure, and its CPU time (a counter's "enabled" clock). */
struct perf_figure {
	uint64_t value, run_ns;
};

/*
 * Enabled time is the thread's CPU time while the counter is enabled, as
 * Linux keeps a per-thread counter's: its context's clock runs only while
 * the thread does.
 */
struct perf_counter {
	struct perf_counter *next;	/* perf_counters, under perf_counters_lock */
	spinlock_t lock;		/* everything below */
	struct perf_counter_spec spec;
	uint64_t id;
	bool enabled;
	uint64_t count;			/* counted in earlier enabled stretches */
	uint64_t enabled_ns;		/* their length */
	struct perf_figure base;	/* the thread's when this stretch began */
	struct perf_figure last;	/* the thread's last seen */
};

/* Counter ids (PERF_FORMAT_ID, PERF_EVENT_IOC_ID): counted up with atomics, never reused. */
static uint64_t perf_next_id = 1;

/*
 * Every open counter, for the hooks of execve and of a thread's end. The
 * lock comes before a counter's, which comes before a process's.
 */
static spinlock_t perf_counters_lock = SPINLOCK_INIT;
static struct perf_counter *perf_counters;

static uint64_t perf_task_value(const struct task *t, const struct perf_counter_spec *s,
				const struct acct_times *a)
{
	switch (s->event) {
	case PERF_SW_CPU_CLOCK:
	case PERF_SW_TASK_CLOCK:
		return (s->exclude_user ? 0 : a->utime_ns) + (s->exclude_kernel ? 0 : a->stime_ns);
	case PERF_SW_PAGE_FAULTS:
	case PERF_SW_PAGE_FAULTS_MIN:
		return __atomic_load_n(&t->acct_minflt, __ATOMIC_RELAXED);
	case PERF_SW_CONTEXT_SWITCHES:
		return __atomic_load_n(&t->switches, __ATOMIC_RELAXED);
	case PERF_SW_CPU_MIGRATIONS:
		return __atomic_load_n(&t->migrations, __ATOMIC_RELAXED);
	default:
		return 0;	/* Cove takes no major, alignment or emulation faults */
	}
}

static struct perf_figure perf_task_figure(const struct task *t, const struct perf_counter_spec *s)
{
	struct acct_times a;

	acct_task(t, &a);
	return (struct perf_figure){ perf_task_value(t, s, &a), a.utime_ns + a.stime_ns };
}

/*
 * A whole process's (inherit): its threads, live and ended, and the
 * children it collected, as wait kept them.
 */
static struct perf_figure perf_process_figure(struct process *p, const struct perf_counter_spec *s)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	struct acct_times a = {
		acct_cycles_ns(p->acct_dead_utime + p->acct_child_utime),
		acct_cycles_ns(p->acct_dead_stime + p->acct_child_stime),
	}, one;
	uint64_t counted;

	switch (s->event) {
	case PERF_SW_PAGE_FAULTS:
	case PERF_SW_PAGE_FAULTS_MIN:
		counted = p->acct_dead_minflt + p->acct_child_minflt;
		break;
	case PERF_SW_CONTEXT_SWITCHES:
		counted = p->acct_dead_counts.switches + p->acct_child_counts.switches;
		break;
	case PERF_SW_CPU_MIGRATIONS:
		counted = p->acct_dead_counts.migrations + p->acct_child_counts.migrations;
		break;
	default:
		counted = 0;
		break;
	}
	for (struct task *t = p->threads; t; t = t->thread_next) {
		acct_task(t, &one);
		a.utime_ns += one.utime_ns;
		a.stime_ns += one.stime_ns;
		if (s->event != PERF_SW_CPU_CLOCK && s->event != PERF_SW_TASK_CLOCK)
			counted += perf_task_value(t, s, &one);
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (s->event == PERF_SW_CPU_CLOCK || s->event == PERF_SW_TASK_CLOCK)
		counted = perf_task_value(NULL, s, &a);
	return (struct perf_figure){ counted, a.utime_ns + a.stime_ns };
}

struct perf_lookup {
	const struct perf_counter_spec *spec;
	struct perf_figure figure;
};

/* Within process_with: the figure of what spec counts in p, if it is still there. */
static int perf_lookup_figure(struct process *p, void *arg)
{
	struct perf_lookup *lk = arg;
	unsigned long flags;
	int rc = -ESRCH;

	if (lk->spec->inherit) {
		lk->figure = perf_process_figure(p, lk->spec);
		return 0;
	}
	flags = spin_lock_irqsave(&p->lock);
	for (struct task *t = p->threads; t; t = t->thread_next) {
		if (t->tid == lk->spec->tid && t->state != TASK_DEAD) {
			lk->figure = perf_task_figure(t, lk->spec);
			rc = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return rc;
}

/* The counted figure now, or the last one seen if its thread or process has gone (c->lock held). */
static struct perf_figure perf_figure_locked(struct perf_counter *c)
{
	struct task *self = task_current();
	struct perf_lookup lk = { .spec = &c->spec };

	if (!c->spec.inherit && self->tid == c->spec.tid && self->proc &&
	    self->proc->pid == c->spec.pid)
		c->last = perf_task_figure(self, &c->spec);
	else if (process_with(c->spec.pid, perf_lookup_figure, &lk) == 0)
		c->last = lk.figure;
	return c->last;
}

static void perf_enable_locked(struct perf_counter *c)
{
	if (c->enabled)
		return;
	c->base = perf_figure_locked(c);
	c->enabled = true;
}

static void perf_disable_locked(struct perf_counter *c)
{
	struct perf_figure now;

	if (!c->enabled)
		return;
	now = perf_figure_locked(c);
	c->count += now.value - c->base.value;
	c->enabled_ns += now.run_ns - c->base.run_ns;
	c->enabled = false;
}

/* The words read(2) gives, in Linux's order: value, enabled, running, id, lost. */
static unsigned int perf_read_words(struct perf_counter *c, uint64_t w[5])
{
	uint64_t value = c->count, enabled = c->enabled_ns;
	unsigned int n = 0;

	if (c->enabled) {
		struct perf_figure now = perf_figure_locked(c);

		value += now.value - c->base.value;
		enabled += now.run_ns - c->base.run_ns;
	}
	w[n++] = value;
	if (c->spec.read_format & PERF_FORMAT_TOTAL_TIME_ENABLED)
		w[n++] = enabled;
	/* A software counter runs whenever it is enabled: nothing multiplexes it. */
	if (c->spec.read_format & PERF_FORMAT_TOTAL_TIME_RUNNING)
		w[n++] = enabled;
	if (c->spec.read_format & PERF_FORMAT_ID)
		w[n++] = c->id;
	if (c->spec.read_format & PERF_FORMAT_LOST)
		w[n++] = 0;
	return n;
}

static int64_t perf_read(struct file *f, void *buf, size_t len, uint64_t pos)
{
	struct perf_counter *c = f->priv;
	uint64_t w[5];
	unsigned long flags = spin_lock_irqsave(&c->lock);
	unsigned int n = perf_read_words(c, w);

	spin_unlock_irqrestore(&c->lock, flags);
	(void)pos;
	if (len < n * sizeof(w[0]))
		return -ENOSPC;	/* Linux's answer to a buffer short of the format */
	memcpy(buf, w, n * sizeof(w[0]));
	return (int64_t)(n * sizeof(w[0]));
}

static int64_t perf_ioctl(struct file *f, uint64_t req, uint64_t arg)
{
	struct perf_counter *c = f->priv;
	unsigned long flags;
	uint64_t id;

	switch (req) {
	case PERF_IOC_ENABLE:
	case PERF_IOC_DISABLE:
	case PERF_IOC_RESET:
		flags = spin_lock_irqsave(&c->lock);
		if (req == PERF_IOC_ENABLE) {
			perf_enable_locked(c);
		} else if (req == PERF_IOC_DISABLE) {
			perf_disable_locked(c);
		} else {
			/* The count starts again; the enabled time goes on, as Linux's. */
			c->count = 0;
			if (c->enabled)
				c->base.value = perf_figure_locked(c).value;
		}
		spin_unlock_irqrestore(&c->lock, flags);
		return 0;
	case PERF_IOC_ID:
		id = c->id;
		return copy_to_user(arg, &id, sizeof(id)) ? -EFAULT : 0;
	case PERF_IOC_REFRESH:
	case PERF_IOC_PERIOD:
	case PERF_IOC_SET_OUTPUT:
	case PERF_IOC_SET_FILTER:
	case PERF_IOC_SET_BPF:
		return -EINVAL;	/* counting only: no samples, no ring buffer, no filters */
	default:
		return -ENOTTY;
	}
}

static unsigned int perf_poll(struct file *f)
{
	(void)f;
	return 0;	/* no samples: never readable through poll, as Linux's counting events */
}

static void perf_release(struct file *f)
{
	struct perf_counter *c = f->priv;
	unsigned long flags = spin_lock_irqsave(&perf_counters_lock);

	for (struct perf_counter **pc = &perf_counters; *pc; pc = &(*pc)->next) {
		if (*pc == c) {
			*pc = c->next;
			break;
		}
	}
	spin_unlock_irqrestore(&perf_counters_lock, flags);
	kfree(c);
}

static const struct vfs_file_ops perf_file_ops = {
	.name = "perf_event",
	.flags = VFS_STREAM | VFS_SHORT_READ,
	.read = perf_read,
	.ioctl = perf_ioctl,
	.poll = perf_poll,
	.release = perf_release,
};

struct file *perf_counter_file(const struct perf_counter_spec *spec)
{
	struct perf_counter *c = kzalloc(sizeof(*c));
	struct file *f = c ? file_alloc(&perf_file_ops, O_RDWR) : NULL;
	unsigned long flags;

	if (!f) {
		kfree(c);
		return NULL;
	}
	c->spec = *spec;
	c->id = __atomic_fetch_add(&perf_next_id, 1, __ATOMIC_RELAXED);
	f->priv = c;
	if (!spec->disabled) {
		flags = spin_lock_irqsave(&c->lock);
		perf_enable_locked(c);
		spin_unlock_irqrestore(&c->lock, flags);
	}
	flags = spin_lock_irqsave(&perf_counters_lock);
	c->next = perf_counters;
	perf_counters = c;
	spin_unlock_irqrestore(&perf_counters_lock, flags);
	return f;
}

/* Whether c counts t: the thread itself, or (inherit) its process. */
static bool perf_counts(const struct perf_counter *c, const struct process *p,
			const struct task *t)
{
	return c->spec.pid == p->pid && (c->spec.inherit || c->spec.tid == t->tid);
}

void perf_task_exec(struct process *p, struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&perf_counters_lock);

	for (struct perf_counter *c = perf_counters; c; c = c->next) {
		if (!c->spec.enable_on_exec || !perf_counts(c, p, t))
			continue;
		spin_lock(&c->lock);
		c->spec.enable_on_exec = false;	/* once, as Linux's */
		perf_enable_locked(c);
		spin_unlock(&c->lock);
	}
	spin_unlock_irqrestore(&perf_counters_lock, flags);
}

void perf_task_gone(struct process *p, struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&perf_counters_lock);

	for (struct perf_counter *c = perf_counters; c; c = c->next) {
		if (!perf_counts(c, p, t))
			continue;
		spin_lock(&c->lock);
		/* Its accounts moved to the process's ended ones (acct_task_gone). */
		c->last = c->spec.inherit ? perf_process_figure(p, &c->spec) :
					    perf_task_figure(t, &c->spec);
		spin_unlock(&c->lock);
	}
	spin_unlock_irqrestore(&perf_counters_lock, flags);
}
