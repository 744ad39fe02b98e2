// SPDX-License-Identifier: GPL-2.0
/*
 * A CPU exception raised by user code: the signal Linux would send, with
 * the si_code and address it would report. A handler that can take it gets
 * it on the way back to user mode; otherwise the process ends, with a line
 * saying where, as Linux prints it.
 */
#include <cove/aspace.h>
#include <cove/aspace_numa.h>
#include <cove/coredump.h>
#include <cove/jobdbg.h>
#include <cove/kprintf.h>
#include <cove/signal.h>
#include <cove/syscall.h>
#include <cove/string.h>
#include <cove/task.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define USER_STACK_GUARD_ZONE (1 * MiB)

#define EXC_OVERFLOW 4
#define EXC_BOUND 5
#define EXC_SEG_NOT_PRESENT 11
#define EXC_STACK_SEGMENT 12
#define EXC_X87 16
#define EXC_ALIGNMENT 17
#define EXC_SIMD 19

/* Which unmasked floating-point exception it was, as Linux decodes it. */
static int user_fault_fpe_code(uint32_t err)
{
	if (err & 0x001)
		return FPE_FLTINV;
	if (err & 0x004)
		return FPE_FLTDIV;
	if (err & 0x008)
		return FPE_FLTOVF;
	if (err & 0x012)
		return FPE_FLTUND;
	if (err & 0x020)
		return FPE_FLTRES;
	return 0;
}

static int user_fault_x87_code(void)
{
	uint16_t sw, cw;

	__asm__ volatile("fnstsw %0; fnstcw %1" : "=m"(sw), "=m"(cw));
	return user_fault_fpe_code(sw & ~(cw & 0x3f));
}

static int user_fault_simd_code(void)
{
	uint32_t mxcsr;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	return user_fault_fpe_code((mxcsr & 0x3f) & ~((mxcsr >> 7) & 0x3f));
}

/* MAPERR: nothing mapped there; ACCERR: mapped, but not for this access. */
static int user_fault_segv_code(struct aspace *as, uint64_t addr)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	bool mapped = addr < USER_VA_END && aspace_find(as, addr);

	spin_unlock_irqrestore(&as->lock, flags);
	return mapped ? SEGV_ACCERR : SEGV_MAPERR;
}

static void user_fault_info(const struct trap_frame *f, struct aspace *as, uint64_t cr2,
			    struct ksiginfo *info)
{
	memset(info, 0, sizeof(*info));
	info->fault = true;
	switch (f->vector) {
	case EXC_DIVIDE:
		info->signo = SIGFPE;
		info->code = FPE_INTDIV;
		info->value = f->rip;
		break;
	case EXC_X87:
		info->signo = SIGFPE;
		info->code = user_fault_x87_code();
		info->value = f->rip;
		break;
	case EXC_SIMD:
		info->signo = SIGFPE;
		info->code = user_fault_simd_code();
		info->value = f->rip;
		break;
	case EXC_INVALID_OPCODE:
		info->signo = SIGILL;
		info->code = ILL_ILLOPN;
		info->value = f->rip;
		break;
	case EXC_BREAKPOINT:
		info->signo = SIGTRAP;
		info->code = SI_KERNEL;
		break;
	case EXC_DEBUG:
		info->signo = SIGTRAP;
		info->code = TRAP_TRACE;
		info->value = f->rip;
		break;
	case EXC_ALIGNMENT:
		info->signo = SIGBUS;
		info->code = BUS_ADRALN;
		break;
	case EXC_SEG_NOT_PRESENT:
	case EXC_STACK_SEGMENT:
		info->signo = SIGBUS;
		info->code = SI_KERNEL;
		break;
	case EXC_PAGE_FAULT:
		info->signo = SIGSEGV;
		info->code = user_fault_segv_code(as, cr2);
		info->value = cr2;
		break;
	default:	/* #GP, #OF, #BR, ...: no address to report */
		info->signo = SIGSEGV;
		info->code = SI_KERNEL;
		break;
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
	uint64_t cr2 = f->vector == EXC_PAGE_FAULT ? read_cr2() : 0;
	struct ksiginfo info;
	char where[96];
	int sig;

	arch_irq_enable();
	if (!p) {
		/* Cannot happen: only tasks with a process run in user mode. */
		task_exit(128 + SIGSEGV);
	}
	if (__builtin_expect(syscall_trace_on(), 0))
		pr_info("strace: %u/%u fault vector %lu at %lx ip %lx error %lx\n", p->pid, t->tid,
			f->vector, cr2, f->rip, f->error_code);
	/* Not present, in the reserved stack of a fork child: populate it, go on. */
	if (f->vector == EXC_PAGE_FAULT && !(f->error_code & PF_ERR_PRESENT) &&
	    aspace_stack_grow(p->as, cr2) == 0) {
		t->acct_minflt++;
		return;
	}
	/* Not present, being moved to another NUMA node: touch it again when it is back. */
	if (f->vector == EXC_PAGE_FAULT && !(f->error_code & PF_ERR_PRESENT) &&
	    aspace_moving(p->as, cr2))
		return;
	/* Not present, in a shared mapping whose object has grown since: map it. */
	if (f->vector == EXC_PAGE_FAULT && !(f->error_code & PF_ERR_PRESENT) &&
	    aspace_shm_fault(p->as, cr2) == 0) {
		t->acct_minflt++;
		return;
	}
	user_fault_info(f, p->as, cr2, &info);
	/* Under a debugger: a breakpoint or step is its stop, a fault its to pass on or not. */
	if (p->dbg_on && !jobdbg_fault(f, &info))
		return;
	sig = info.signo;
	t->fault_addr = cr2;
	if (signal_fault(&info))
		return;
	aspace_describe(p->as, f->rip, where, sizeof(where));
	if (f->vector == EXC_PAGE_FAULT) {
		pr_err("%s[%u]: segfault at %lx ip %016lx (%s) sp %016lx error %lx%s\n", p->name,
		       t->tid, cr2, f->rip, where, f->rsp, f->error_code,
		       user_fault_is_stack_overflow(p->as, cr2) ? " (stack overflow)" : "");
	} else {
		pr_err("%s[%u]: %s ip %016lx (%s) sp %016lx error %lx\n", p->name, t->tid,
		       sig == SIGFPE ? "divide error" : sig == SIGILL ? "invalid opcode" :
		       sig == SIGTRAP ? "trap" : sig == SIGBUS ? "bus error" : "general protection",
		       f->rip, where, f->rsp, f->error_code);
	}
	if (signal_dumps_core(sig))
		coredump_and_exit(p, &info, f);
	process_exit(p, 0, sig, false);
}
