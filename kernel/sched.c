// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler: one run queue per CPU, tasks pinned to their CPU, round
 * robin only while a CPU is shared, and no timer at all otherwise.
 */
#include <cove/acct.h>
#include <cove/arch.h>
#include <cove/coredump.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kprintf.h>
#include <cove/ktimer.h>
#include <cove/panic.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/task.h>
#include <cove/timer.h>

/* One per CPU; every field is under its lock. */
static struct runqueue sched_rqs[MAX_CPUS];

struct runqueue *sched_rq(uint32_t cpu)
{
	return &sched_rqs[cpu];
}

static void rq_push(struct runqueue *rq, struct task *t)
{
	t->rq_next = NULL;
	if (rq->tail)
		rq->tail->rq_next = t;
	else
		rq->head = t;
	rq->tail = t;
	rq->nr_queued++;
	t->on_rq = true;
}

static struct task *rq_pop(struct runqueue *rq)
{
	struct task *t = rq->head;

	if (!t)
		return NULL;
	rq->head = t->rq_next;
	if (!rq->head)
		rq->tail = NULL;
	rq->nr_queued--;
	t->on_rq = false;
	return t;
}

static void sleepers_remove(struct runqueue *rq, struct task *t)
{
	for (struct task **pp = &rq->sleepers; *pp; pp = &(*pp)->rq_next) {
		if (*pp == t) {
			*pp = t->rq_next;
			break;
		}
	}
	t->sleeping = false;
}

/* Arm the local timer for the earliest thing due on this CPU, if any. */
static void sched_program_timer(struct runqueue *rq)
{
	uint64_t next = rq->slice_end, now, kt = ktimer_next_deadline(this_cpu_id());

	if (rq->sleepers && (!next || rq->sleepers->deadline < next))
		next = rq->sleepers->deadline;
	if (kt && (!next || kt < next))
		next = kt;
	if (!next) {
		arch_timer_oneshot(0);
		return;
	}
	now = time_now_ns();
	arch_timer_oneshot(next > now + 1000 ? next - now : 1000);
}

void sched_timer_reprogram(void)
{
	struct runqueue *rq = this_cpu()->rq;
	unsigned long flags;

	if (!rq)
		return;
	flags = spin_lock_irqsave(&rq->lock);
	sched_program_timer(rq);
	spin_unlock_irqrestore(&rq->lock, flags);
}

void sched_init_cpu(void)
{
	struct percpu *pc = this_cpu();
	struct runqueue *rq = &sched_rqs[pc->cpu];
	struct task *idle = kzalloc(sizeof(*idle));

	if (!idle)
		panic("sched: no memory for cpu%u's idle task", pc->cpu);
	idle->is_idle = true;
	idle->state = TASK_RUNNING;
	idle->cpu = pc->cpu;
	idle->on_cpu = 1;
	idle->kstack_top = pc->kstack_top;
	idle->run_since = time_now_ns();	/* idle time counts from here */
	rq->idle = idle;
	pc->rq = rq;
	pc->current = idle;
}

/* Runs in the task that was switched to, once the old one is off its stack. */
static void sched_finish_switch(void)
{
	struct percpu *pc = this_cpu();
	struct task *from = pc->switched_from;
	struct task *mover = pc->migrating;

	pc->switched_from = NULL;
	pc->migrating = NULL;
	if (!from)
		return;
	__atomic_store_n(&from->on_cpu, 0, __ATOMIC_RELEASE);
	if (from->state == TASK_DEAD)
		task_free(from);
	if (mover)
		sched_enqueue(mover);
}

/* CPU time for /proc: what prev ran until now, and when next starts. */
static void sched_account(struct task *prev, struct task *next)
{
	uint64_t now = time_now_ns();

	if (prev->run_since)
		__atomic_store_n(&prev->run_ns, prev->run_ns + (now - MIN(prev->run_since, now)),
				 __ATOMIC_RELAXED);
	__atomic_store_n(&next->run_since, now, __ATOMIC_RELAXED);
	acct_switch(prev, next);
}

void sched_yield_if_queued(void)
{
	struct percpu *pc;

	if (!arch_irqs_on())
		return;
	pc = this_cpu();
	if (!pc->current->is_idle && __atomic_load_n(&pc->rq->nr_queued, __ATOMIC_RELAXED))
		schedule();
}

void schedule(void)
{
	unsigned long flags = arch_irq_save();
	struct percpu *pc = this_cpu();
	struct runqueue *rq = pc->rq;
	struct task *prev = pc->current, *next;

	spin_lock(&rq->lock);
	pc->need_resched = 0;
	/*
	 * A signal (or a kill) that came after the task decided to block but
	 * before it got here found it still running: its wake-up was a kick,
	 * not a wake. Do not sleep through it. The sender set the flag before
	 * taking this lock, so we see it.
	 */
	if (prev->state == TASK_BLOCKED && task_signal_wakes(prev)) {
		if (prev->sleeping)
			sleepers_remove(rq, prev);
		prev->wake_reason = -EINTR;
		prev->state = TASK_RUNNING;
	}
	if (prev->state == TASK_RUNNING && !prev->is_idle) {
		prev->state = TASK_RUNNABLE;
		if (prev->cpu != pc->cpu) {
			pc->migrating = prev;	/* queued on its new CPU after the switch */
			prev->migrations++;
		} else if (!prev->on_rq) {
			rq_push(rq, prev);
		}
	}
	next = rq_pop(rq);
	if (!next)
		next = rq->idle;
	next->state = TASK_RUNNING;
	rq->slice_end = rq->nr_queued ? time_now_ns() + SCHED_SLICE_NS : 0;
	sched_program_timer(rq);
	if (next == prev) {
		spin_unlock(&rq->lock);
		arch_irq_restore(flags);
		return;
	}
	rq->nr_switches++;
	next->switches++;
	/*
	 * A task that just left another CPU may still be on that CPU's stack,
	 * and that CPU's switch may not have closed its accounts yet.
	 */
	while (__atomic_load_n(&next->on_cpu, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	sched_account(prev, next);
	next->on_cpu = 1;
	pc->current = next;
	pc->switched_from = prev;
	spin_unlock(&rq->lock);

	arch_task_switch(prev, next);

	sched_finish_switch();
	arch_irq_restore(flags);
}

/* A new task's first instructions, reached from arch_task_switch. */
void sched_task_first_run(void)
{
	sched_finish_switch();
}

/* How long an idle CPU watches for work before halting (idle= option). */
static uint64_t sched_idle_poll_ns = 1000000;

void sched_set_idle_poll(uint64_t ns)
{
	sched_idle_poll_ns = ns;
}

void sched_kick_cpu(uint32_t cpu)
{
	struct percpu *pc = percpu_of(cpu);

	if (cpu == this_cpu_id()) {
		sched_reschedule_ipi();
		return;
	}
	if (!pc)
		return;
	/*
	 * A polling idle CPU sees need_resched by itself. Store, then load;
	 * the idle loop clears idle_polling, then loads need_resched: one of
	 * the two always sees the other, so no wakeup is lost.
	 */
	if (pc->current->is_idle) {
		__atomic_store_n(&pc->need_resched, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&pc->idle_polling, __ATOMIC_SEQ_CST))
			return;
	}
	arch_send_resched_ipi(pc->apic_id);
}

void sched_enqueue(struct task *t)
{
	struct runqueue *rq = &sched_rqs[t->cpu];
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->state = TASK_RUNNABLE;
	t->started = true;
	if (!t->on_rq)
		rq_push(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
	sched_kick_cpu(t->cpu);
}

/* On the CPU whose queue changed: run it now if idle, else start slicing. */
void sched_reschedule_ipi(void)
{
	struct percpu *pc = this_cpu();
	struct runqueue *rq = pc->rq;
	unsigned long flags;

	if (!rq)
		return;
	flags = spin_lock_irqsave(&rq->lock);
	if (rq->nr_queued) {
		if (pc->current->is_idle) {
			pc->need_resched = 1;
		} else if (!rq->slice_end) {
			rq->slice_end = time_now_ns() + SCHED_SLICE_NS;
			sched_program_timer(rq);
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
}

void timer_interrupt(void)
{
	struct percpu *pc = this_cpu();
	struct runqueue *rq = pc->rq;
	uint64_t now = time_now_ns();

	pc->timer_irqs++;
	if (!rq)
		return;
	/* Before the run queue's lock: timer functions wake tasks. */
	ktimer_run_expired(now);
	spin_lock(&rq->lock);
	rq->nr_timer_events++;
	while (rq->sleepers && rq->sleepers->deadline <= now) {
		struct task *t = rq->sleepers;

		rq->sleepers = t->rq_next;
		t->sleeping = false;
		t->wake_reason = -ETIMEDOUT;
		t->state = TASK_RUNNABLE;
		if (!t->on_rq)
			rq_push(rq, t);
	}
	/*
	 * A sleeper woke beside a running thread: they take turns from now,
	 * as sched_reschedule_ipi starts it for a woken one. Without a slice,
	 * one spinning in user mode kept the core for good (an MPI rank's
	 * thread waiting on a spinlock whose holder slept).
	 */
	if (rq->nr_queued && !pc->current->is_idle && !rq->slice_end)
		rq->slice_end = now + SCHED_SLICE_NS;
	if (rq->nr_queued && (pc->current->is_idle || (rq->slice_end && now >= rq->slice_end)))
		pc->need_resched = 1;
	sched_program_timer(rq);
	spin_unlock(&rq->lock);
}

void sched_block(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	schedule();
	arch_irq_restore(flags);
}

/* Put the current task on its CPU's sleeper list (rq->lock held). */
static void sleepers_add(struct runqueue *rq, struct task *t, uint64_t deadline_ns)
{
	struct task **pp = &rq->sleepers;

	while (*pp && (*pp)->deadline <= deadline_ns)
		pp = &(*pp)->rq_next;
	t->deadline = deadline_ns;
	t->rq_next = *pp;
	*pp = t;
	t->sleeping = true;
	sched_program_timer(rq);
}

void sched_block_until(spinlock_t *lock, unsigned long flags, uint64_t deadline_ns)
{
	struct percpu *pc = this_cpu();
	struct runqueue *rq = pc->rq;

	if (deadline_ns) {
		/* Lock order: the caller's lock (futex bucket), then the run queue. */
		spin_lock(&rq->lock);
		if (pc->current->state == TASK_BLOCKED)
			sleepers_add(rq, pc->current, deadline_ns);
		spin_unlock(&rq->lock);
	}
	sched_block(lock, flags);
}

void sched_sleep_until(uint64_t deadline_ns)
{
	struct percpu *pc = this_cpu();
	struct runqueue *rq = pc->rq;
	struct task *t = pc->current;
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->state = TASK_BLOCKED;
	t->wake_reason = 0;
	if (deadline_ns)
		sleepers_add(rq, t, deadline_ns);
	sched_block(&rq->lock, flags);
}

bool sched_wake(struct task *t, int reason)
{
	struct runqueue *rq = &sched_rqs[t->cpu];
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	if (t->state != TASK_BLOCKED) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return false;
	}
	if (t->sleeping)
		sleepers_remove(rq, t);
	t->wake_reason = reason;
	t->state = TASK_RUNNABLE;
	if (!t->on_rq)
		rq_push(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
	sched_kick_cpu(t->cpu);
	return true;
}

/*
 * Where a new task goes: the CPU with the fewest tasks wanting it now
 * (queued, or running there), then the fewest assigned to it at all. A
 * task blocked for good -- a launcher in wait4, `perf stat` waiting for
 * its workload, an exit still freeing memory -- must not send a
 * workload's second thread onto its first one's CPU while its own idles.
 */
uint32_t sched_pick_cpu(const struct cpumask *mask)
{
	uint64_t best_key = UINT64_MAX;
	uint32_t best = CPUMASK_BITS;

	/* Only the mask's CPUs: every fork, clone and affinity change comes here. */
	for (uint32_t w = 0; w < CPUMASK_WORDS; w++) {
		for (uint64_t bits = mask->bits[w]; bits; bits &= bits - 1) {
			uint32_t cpu = w * 64 + (uint32_t)__builtin_ctzll(bits);
			struct percpu *pc = cpu < MAX_CPUS ? percpu_of(cpu) : NULL;
			struct task *cur;
			uint64_t key;

			if (!pc || !pc->online)
				continue;
			cur = __atomic_load_n(&pc->current, __ATOMIC_RELAXED);
			key = (uint64_t)(__atomic_load_n(&sched_rqs[cpu].nr_queued, __ATOMIC_RELAXED) +
					 (cur && !cur->is_idle)) << 32 |
			      __atomic_load_n(&sched_rqs[cpu].nr_assigned, __ATOMIC_RELAXED);
			if (key < best_key) {
				best = cpu;
				best_key = key;
			}
		}
	}
	return best;
}

void sched_migrate_current(uint32_t cpu)
{
	struct task *t = task_current();

	if (cpu == t->cpu)
		return;
	__atomic_fetch_sub(&sched_rqs[t->cpu].nr_assigned, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sched_rqs[cpu].nr_assigned, 1, __ATOMIC_RELAXED);
	t->cpu = cpu;
	schedule();		/* comes back on the new CPU */
}

void sched_user_return(void)
{
	struct percpu *pc = this_cpu();
	struct task *t = pc->current;

	for (;;) {
		/* Killed, or another thread of the process is replacing its image. */
		if (t->proc && (t->proc->kill_signal || t->exec_exit)) {
			/* Another thread is writing the core file: its registers first. */
			if (__atomic_load_n(&t->proc->core_dumper, __ATOMIC_ACQUIRE) &&
			    t->proc->core_dumper != t)
				coredump_park(t);
			task_exit(0);
		}
		if (!pc->need_resched)
			break;
		schedule();
		pc = this_cpu();
	}
}

/*
 * Work the boot CPU does when idle besides running tasks (the co-kernel's
 * host requests): set once before its idle loop starts, kicked from its
 * interrupt handlers.
 */
static bool (*sched_idle_work)(void);
static volatile uint32_t sched_idle_work_pending;

void sched_set_idle_work(bool (*fn)(void))
{
	sched_idle_work = fn;
}

void sched_idle_work_kick(void)
{
	__atomic_store_n(&sched_idle_work_pending, 1, __ATOMIC_SEQ_CST);
}

static bool sched_idle_has_work(struct percpu *pc)
{
	return __atomic_load_n(&pc->need_resched, __ATOMIC_SEQ_CST) || pc->rq->nr_queued ||
	       (pc->cpu == 0 && __atomic_load_n(&sched_idle_work_pending, __ATOMIC_SEQ_CST));
}

/*
 * Idle: watch for work a little while (waking a halted CPU costs far more
 * than a short poll, in an emulator as on hardware), then halt.
 */
void sched_idle_loop(void)
{
	struct percpu *pc = this_cpu();

	for (;;) {
		uint64_t end = arch_cycles() + sched_idle_poll_ns * arch_cycles_per_ms() / 1000000;

		__atomic_store_n(&pc->idle_polling, 1, __ATOMIC_SEQ_CST);
		while (!sched_idle_has_work(pc) && arch_cycles() < end)
			arch_cpu_relax();
		arch_irq_disable();
		__atomic_store_n(&pc->idle_polling, 0, __ATOMIC_SEQ_CST);
		if (sched_idle_has_work(pc)) {
			arch_irq_enable();
			if (pc->cpu == 0 && sched_idle_work &&
			    __atomic_exchange_n(&sched_idle_work_pending, 0, __ATOMIC_SEQ_CST))
				sched_idle_work();
			schedule();
			continue;
		}
		arch_wait_for_interrupt();
	}
}
