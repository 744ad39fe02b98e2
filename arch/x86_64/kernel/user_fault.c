// SPDX-License-Identifier: GPL-2.0
/*
 * A CPU exception raised by user code: it ends that process with the
 * signal Linux would send, and a line saying where, as Linux prints it.
 */
#include <cove/aspace.h>
#include <cove/kprintf.h>
#include <cove/signal.h>
#include <cove/task.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define USER_STACK_GUARD_ZONE (1 * MiB)

static int user_fault_signal(uint64_t vector)
{
	switch (vector) {
	case EXC_DIVIDE:
	case 16:	/* x87 */
	case 19:	/* SIMD */
		return SIGFPE;
	case EXC_INVALID_OPCODE:
		return SIGILL;
	case EXC_BREAKPOINT:
	case EXC_DEBUG:
		return SIGTRAP;
	case 17:	/* alignment check */
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/* True if addr is just below the stack region: the stack overflowed. */
static bool user_fault_is_stack_overflow(struct aspace *as, uint64_t addr)
{
	for (struct vm_region *r = as->regions; r; r = r->next) {
		if (r->kind == VM_STACK && addr < r->start && r->start - addr <= USER_STACK_GUARD_ZONE)
			return true;
	}
	return false;
}

void user_fault(struct trap_frame *f)
{
	struct task *t = task_current();
	struct process *p = t->proc;
	int sig = user_fault_signal(f->vector);

	arch_irq_enable();
	if (!p) {
		/* Cannot happen: only tasks with a process run in user mode. */
		task_exit(128 + sig);
	}
	if (f->vector == EXC_PAGE_FAULT) {
		uint64_t addr = read_cr2();

		pr_err("%s[%u]: segfault at %lx ip %016lx sp %016lx error %lx%s\n", p->name, t->tid,
		       addr, f->rip, f->rsp, f->error_code,
		       user_fault_is_stack_overflow(p->as, addr) ? " (stack overflow)" : "");
	} else {
		pr_err("%s[%u]: %s ip %016lx sp %016lx error %lx\n", p->name, t->tid,
		       sig == SIGFPE ? "divide error" : sig == SIGILL ? "invalid opcode" :
		       sig == SIGTRAP ? "trap" : sig == SIGBUS ? "bus error" : "general protection",
		       f->rip, f->rsp, f->error_code);
	}
	process_exit(p, 0, sig, signal_dumps_core(sig));
}
