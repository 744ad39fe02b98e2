// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the accounts cove/acct.h keeps: a thread's, a process's (its
 * ended threads folded in when they are freed), and its collected
 * children's (folded in by wait), in nanoseconds.
 */
#include <cove/acct.h>
#include <cove/aspace.h>
#include <cove/percpu.h>
#include <cove/spinlock.h>
#include <cove/timer.h>
#include <cove/vdso_data.h>

uint64_t acct_cycles_ns(uint64_t cycles)
{
	return vdso_cycles_to_ns(cycles, arch_cycles_per_ms());
}

/*
 * Cycles, the stretch since t's last crossing included when it is on a CPU:
 * read between two equal even values of its sequence count (cove/acct.h).
 */
static void acct_task_cycles(const struct task *t, uint64_t *u, uint64_t *s)
{
	uint64_t seq, mark, now;

	for (;;) {
		seq = __atomic_load_n(&t->acct_seq, __ATOMIC_ACQUIRE);
		if (seq & 1) {
			arch_cpu_relax();
			continue;
		}
		mark = __atomic_load_n(&t->acct_mark, __ATOMIC_RELAXED);
		*u = __atomic_load_n(&t->acct_utime, __ATOMIC_RELAXED);
		*s = __atomic_load_n(&t->acct_stime, __ATOMIC_RELAXED);
		now = arch_cycles();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&t->acct_seq, __ATOMIC_RELAXED) == seq)
			break;
	}
	/* The current thread is in the kernel: asking is system time. */
	if (mark && now > mark)
		*((seq & 2) ? s : u) += now - mark;
}

void acct_task(const struct task *t, struct acct_times *out)
{
	uint64_t u, s;

	acct_task_cycles(t, &u, &s);
	out->utime_ns = acct_cycles_ns(u);
	out->stime_ns = acct_cycles_ns(s);
}

void acct_process(struct process *p, struct acct_times *out)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	uint64_t u = p->acct_dead_utime, s = p->acct_dead_stime, tu, ts;

	for (struct task *t = p->threads; t; t = t->thread_next) {
		acct_task_cycles(t, &tu, &ts);
		u += tu;
		s += ts;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	out->utime_ns = acct_cycles_ns(u);
	out->stime_ns = acct_cycles_ns(s);
}

void acct_children(struct process *p, struct acct_times *out)
{
	out->utime_ns = acct_cycles_ns(__atomic_load_n(&p->acct_child_utime, __ATOMIC_RELAXED));
	out->stime_ns = acct_cycles_ns(__atomic_load_n(&p->acct_child_stime, __ATOMIC_RELAXED));
}

static void acct_counts_add(struct acct_counts *sum, const struct acct_counts *c)
{
	sum->switches += c->switches;
	sum->migrations += c->migrations;
	sum->kentries += c->kentries;
	sum->offloaded += c->offloaded;
}

/* A thread's, read racily when it is another CPU's: each figure only grows. */
static void acct_task_counts(const struct task *t, struct acct_counts *out)
{
	out->switches = __atomic_load_n(&t->switches, __ATOMIC_RELAXED);
	out->migrations = __atomic_load_n(&t->migrations, __ATOMIC_RELAXED);
	out->kentries = __atomic_load_n(&t->kentries, __ATOMIC_RELAXED);
	out->offloaded = __atomic_load_n(&t->offloaded, __ATOMIC_RELAXED);
}

/* Its threads', live and ended (caller holds p->lock). */
static void acct_threads_counts(struct process *p, struct acct_counts *out)
{
	struct acct_counts one;

	*out = p->acct_dead_counts;
	for (struct task *t = p->threads; t; t = t->thread_next) {
		acct_task_counts(t, &one);
		acct_counts_add(out, &one);
	}
}

void acct_process_counts(struct process *p, struct acct_counts *out)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);

	acct_threads_counts(p, out);
	spin_unlock_irqrestore(&p->lock, flags);
	acct_counts_add(out, &p->acct_child_counts);
}

void acct_task_gone(struct process *p, const struct task *t)
{
	struct acct_counts c;

	p->acct_dead_utime += t->acct_utime;
	p->acct_dead_stime += t->acct_stime;
	p->acct_dead_minflt += t->acct_minflt;
	acct_task_counts(t, &c);
	acct_counts_add(&p->acct_dead_counts, &c);
}

void acct_child_usage(struct process *c, struct process_wait_result *res)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	uint64_t u = c->acct_dead_utime + c->acct_child_utime;
	uint64_t s = c->acct_dead_stime + c->acct_child_stime;
	uint64_t flt = c->acct_dead_minflt + c->acct_child_minflt, tu, ts;

	/* A thread whose last switch has not freed it yet still counts. */
	for (struct task *t = c->threads; t; t = t->thread_next) {
		acct_task_cycles(t, &tu, &ts);
		u += tu;
		s += ts;
		flt += t->acct_minflt;
	}
	acct_threads_counts(c, &res->counts);
	spin_unlock_irqrestore(&c->lock, flags);
	acct_counts_add(&res->counts, &c->acct_child_counts);
	res->utime_ns = acct_cycles_ns(u);
	res->stime_ns = acct_cycles_ns(s);
	res->minflt = flt;
	res->maxrss = MAX(c->as ? c->as->peak_bytes : 0, c->acct_child_maxrss);
	/* In cycles too, so the parent's sums do not round twice. */
	res->utime_cycles = u;
	res->stime_cycles = s;
}

void acct_reaped(struct process *parent, const struct process_wait_result *res)
{
	parent->acct_child_utime += res->utime_cycles;
	parent->acct_child_stime += res->stime_cycles;
	parent->acct_child_minflt += res->minflt;
	parent->acct_child_maxrss = MAX(parent->acct_child_maxrss, res->maxrss);
	acct_counts_add(&parent->acct_child_counts, &res->counts);
}
