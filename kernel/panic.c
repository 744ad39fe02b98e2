// SPDX-License-Identifier: GPL-2.0
/* panic() and symbolized backtraces. */
#include <cove/arch.h>
#include <cove/exit.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/panic.h>
#include <cove/percpu.h>
#include <cove/symbols.h>
#include <arch/x86.h>

/* Set by the first CPU to panic; others that panic later just stop. */
static volatile uint32_t panic_cpu_plus1;

bool panic_in_progress(void)
{
	return panic_cpu_plus1 != 0;
}

struct backtrace_state {
	int depth;
	uint64_t last_pc;
	int repeats;		/* frames equal to last_pc not printed yet */
};

static void backtrace_flush_repeats(struct backtrace_state *st)
{
	if (st->repeats)
		pr_emerg("  ... the same frame %d more times\n", st->repeats);
	st->repeats = 0;
}

static void backtrace_print_one(void *ctx, uint64_t pc)
{
	struct backtrace_state *st = ctx;
	uint64_t off, size;
	const char *name;

	/* Deep recursion (a stack overflow) would fill the report with copies. */
	if (st->depth > 1 && pc == st->last_pc) {
		st->repeats++;
		st->depth++;
		return;
	}
	backtrace_flush_repeats(st);
	name = ksym_lookup(ksyms_kernel(), pc, &off, &size);
	if (name)
		pr_emerg("  #%-2d [<%016lx>] %s+0x%lx/0x%lx\n", st->depth, pc, name, off, size);
	else
		pr_emerg("  #%-2d [<%016lx>] ?\n", st->depth, pc);
	st->last_pc = pc;
	st->depth++;
}

void backtrace_print(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	struct backtrace_state st = { 0 };

	pr_emerg("Backtrace:\n");
	arch_backtrace(rip, rbp, rsp, backtrace_print_one, &st);
	backtrace_flush_repeats(&st);
}

void panic_claim(void)
{
	uint32_t me = this_cpu_id() + 1;
	uint32_t expect = 0;

	arch_irq_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu_plus1, &expect, me, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		/* Another CPU is already reporting; a second report would garble it. */
		arch_halt_forever();
	}
	klog_bust_locks();
}

void panic_begin(void)
{
	panic_claim();
	arch_stop_other_cpus();
	klog_bust_locks();
}

void panic(const char *fmt, ...)
{
	uint32_t me = this_cpu_id() + 1;
	char msg[256];
	va_list ap;

	panic_begin();

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	pr_emerg("\nKERNEL PANIC on cpu %u: %s\n", me - 1, msg);
	backtrace_print((uint64_t)panic, (uint64_t)__builtin_frame_address(0), 0);
	kernel_exit(EXIT_PANIC);
}
