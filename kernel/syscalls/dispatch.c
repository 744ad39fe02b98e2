// SPDX-License-Identifier: GPL-2.0
/* From the SYSCALL instruction to a handler and back. */
#include <cove/acct.h>
#include <cove/arch.h>
#include <cove/errno.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/offload.h>
#include <cove/signal.h>
#include <cove/syscall.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>
#include <arch/trap.h>

/* One bit per syscall number already reported as missing; racy sets are harmless. */
static uint64_t syscall_reported[(SYSCALL_MAX + 63) / 64];

/*
 * Set once by the boot options (strace), before any job runs; read-only
 * after. Tracing sends every call here: the arch entry's table is empty.
 */
bool syscall_tracing;

void syscall_trace_set(bool on)
{
	syscall_tracing = on;
	syscall_fast_path(!on);
}

bool syscall_trace_on(void)
{
	return syscall_tracing;
}

/*
 * One console line per call, after it: the way to see what an unmodified
 * program does in a job when it fails only on Cove. Where it was served
 * (Cove or the host) is `cove syscalls NAME`.
 */
/*
 * What the call took, from its start (syscall_trace_start), for the "="
 * line: wall time and the thread's own system time in it, so a call that
 * waits (asleep, the core free) tells from one that spins.
 */
struct syscall_trace_clock {
	uint64_t wall_ns, stime_ns;
};

static void syscall_trace_now(struct syscall_trace_clock *c)
{
	struct acct_times a;

	acct_task(task_current(), &a);
	c->wall_ns = time_now_ns();
	c->stime_ns = a.stime_ns;
}

static void syscall_trace(uint64_t nr, const char *how, int64_t ret, const uint64_t a[6],
			  const struct syscall_trace_clock *start)
{
	const struct task *t = task_current();
	struct syscall_trace_clock end;
	char took[64] = "";
	const struct syscall_entry_desc *e = nr < SYSCALL_MAX ? &syscall_table[nr] : NULL;
	char path[64] = "";

	/* The path a call names, which its raw pointer does not say. */
	if (e && e->kind == SYSCALL_ROUTE_PATH && *how != '=' &&
	    strncpy_from_user(path, a[e->b], sizeof(path)) < 0)
		path[0] = 0;
	path[sizeof(path) - 1] = 0;
	if (start) {
		syscall_trace_now(&end);
		ksnprintf(took, sizeof(took), " <%lu us, system %lu us>",
			  (end.wall_ns - start->wall_ns) / 1000,
			  (end.stime_ns - start->stime_ns) / 1000);
	}
	pr_info("strace: %u/%u %s(%#lx, %#lx, %#lx, %#lx) %s %ld %s%s\n", t->proc->pid, t->tid,
		e ? syscall_name(nr) : "?", a[0], a[1], a[2], a[3], how, ret, path, took);
}

struct trap_frame *syscall_frame(void)
{
	return task_user_frame(task_current());
}

static void syscall_report_missing(uint64_t nr)
{
	uint64_t bit = 1ULL << (nr % 64);

	if (nr < SYSCALL_MAX && !(__atomic_fetch_or(&syscall_reported[nr / 64], bit,
						    __ATOMIC_RELAXED) & bit))
		pr_warn("syscall: %s (%lu) is not implemented in Cove; returning ENOSYS\n",
			syscall_name(nr), nr);
}

/* Inline in both callers: most calls that are not NATIVE leave through here. */
static inline __attribute__((always_inline)) int syscall_leave(struct trap_frame *f)
{
	struct percpu *pc = this_cpu();
	struct task *t = pc->current;

	/*
	 * Checked with interrupts off, so a signal an interrupt sends from
	 * here on still finds us in user mode (its IPI, or the interrupt's
	 * own way out). The fast path comes here when any of these, or
	 * iret_exit (in its exit_work word), is set.
	 */
	if (pc->need_resched || t->proc->kill_signal || t->exec_exit || t->sig_work ||
	    t->restore_sigmask || errno_is_restart((int64_t)f->rax))
		signal_exit_to_user(f);
	acct_exit_kernel(t);
	/* A rewritten frame (signal handler, sigreturn, restart) leaves by IRET. */
	if (__builtin_expect(t->iret_exit, 0)) {
		t->iret_exit = false;
		return 1;
	}
	/* SYSRET cannot return to a non-canonical address: use IRET then. */
	return ((f->rip | f->rsp) >> 47) != 0;
}

/*
 * The arch entry's fast path (syscall_entry.asm) does the same for a
 * NATIVE call with nothing to do on the way out: it accounts the entry,
 * calls the handler, tests what syscall_leave tests and accounts the exit.
 * Anything else comes here (NATIVE calls only when tracing), or to
 * syscall_exit after the handler, which do it all in full.
 */
int syscall_dispatch(struct trap_frame *f)
{
	uint64_t nr = f->rax;
	const struct syscall_entry_desc *e;
	struct syscall_trace_clock start;
	uint64_t traced[6];

	/* A call that may wait on the host gets a line as it starts, too. */
	if (__builtin_expect(syscall_tracing, 0)) {
		memcpy(traced, (uint64_t[6]){ f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9 },
		       sizeof(traced));
		if (nr < SYSCALL_MAX && syscall_table[nr].kind != SYSCALL_NATIVE)
			syscall_trace(nr, "...", 0, traced, NULL);
		syscall_trace_now(&start);
	}
	e = __builtin_expect(nr < SYSCALL_MAX, 1) ? &syscall_table[nr] : NULL;
	if (e && e->kind == SYSCALL_NATIVE) {
		f->rax = (uint64_t)e->fn(f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
	} else if (e && e->kind != SYSCALL_MISSING) {
		uint64_t args[6] = { f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9 };

		f->rax = (uint64_t)offload_route(e, nr, args);
	} else {
		syscall_report_missing(nr);
		f->rax = (uint64_t)-ENOSYS;
	}
	if (__builtin_expect(syscall_tracing, 0))
		syscall_trace(nr, "=", (int64_t)f->rax, traced, &start);
	arch_irq_disable();
	return syscall_leave(f);
}

int syscall_exit(struct trap_frame *f)
{
	return syscall_leave(f);
}
