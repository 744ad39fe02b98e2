// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions and interrupts. An exception nobody claims is a kernel bug:
 * report it (registers, decoded error, symbolized backtrace) and stop.
 */
#include <cove/acct.h>
#include <cove/aspace_numa.h>
#include <cove/coredump.h>
#include <cove/exit.h>
#include <cove/kprintf.h>
#include <cove/kstack.h>
#include <cove/kvsnprintf.h>
#include <cove/panic.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/task.h>
#include <cove/symbols.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>

/* Set and cleared by the one self-test that faults on purpose. */
static trap_fixup_fn trap_fixup;

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection fault",
	"page fault", "reserved", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization exception",
	"control protection", "reserved", "reserved", "reserved", "reserved", "reserved",
	"reserved", "hypervisor injection", "VMM communication", "security exception",
	"reserved",
};

void trap_set_fixup(trap_fixup_fn fn)
{
	trap_fixup = fn;
}

void trap_dump(const struct trap_frame *f)
{
	uint64_t off, size;
	const char *name = ksym_lookup(ksyms_kernel(), f->rip, &off, &size);

	if (name)
		pr_emerg("RIP: %04lx:%016lx <%s+0x%lx/0x%lx>\n", f->cs, f->rip, name, off, size);
	else
		pr_emerg("RIP: %04lx:%016lx <?>\n", f->cs, f->rip);
	pr_emerg("RSP: %04lx:%016lx RFLAGS: %016lx ERR: %016lx\n", f->ss, f->rsp, f->rflags,
		 f->error_code);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx\n", f->rax, f->rbx, f->rcx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx\n", f->rdx, f->rsi, f->rdi);
	pr_emerg("RBP: %016lx R8:  %016lx R9:  %016lx\n", f->rbp, f->r8, f->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx\n", f->r10, f->r11, f->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx\n", f->r13, f->r14, f->r15);
	pr_emerg("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(),
		 read_cr2(), read_cr3(), read_cr4());
}

static void trap_describe_page_fault(const struct trap_frame *f)
{
	uint64_t e = f->error_code;

	pr_emerg("page fault at address %016lx: %s, %s, %s mode%s%s\n", read_cr2(),
		 (e & 1) ? "protection violation" : "page not present",
		 (e & 16) ? "instruction fetch" : (e & 2) ? "write" : "read",
		 (e & 4) ? "user" : "kernel", (e & 8) ? ", reserved bit set" : "",
		 read_cr2() < 4096 ? " (NULL pointer dereference)" : "");
}

/*
 * Vectors in service and pending at this LAPIC: an interrupt that never
 * got its EOI blocks every vector of its class and below for good.
 */
static void trap_dump_lapic(void)
{
	char isr[128], irr[128];
	int ni = 0, nr = 0;

	isr[0] = irr[0] = 0;
	for (uint32_t w = 1; w < 8; w++) {
		uint32_t in = lapic_read(APIC_REG_ISR + w * 0x10);
		uint32_t pend = lapic_read(APIC_REG_IRR + w * 0x10);

		for (uint32_t b = 0; b < 32; b++) {
			if (((in >> b) & 1) && ni < (int)sizeof(isr) - 6)
				ni += ksnprintf(isr + ni, sizeof(isr) - ni, " %#x", w * 32 + b);
			if (((pend >> b) & 1) && nr < (int)sizeof(irr) - 6)
				nr += ksnprintf(irr + nr, sizeof(irr) - nr, " %#x", w * 32 + b);
		}
	}
	pr_emerg("LAPIC: in service:%s; pending:%s; TPR %#x\n", ni ? isr : " none",
		 nr ? irr : " none", lapic_read(APIC_REG_TPR));
}

/* Where a core of a kernel that stopped answering was: registers, LAPIC, stack. */
static void trap_dump_stuck(const struct trap_frame *f)
{
	trap_dump(f);
	trap_dump_lapic();
	backtrace_print(f->rip, f->rbp, f->rsp);
}

/* A CPU another one stops to report a stuck kernel: where it was, then halt. */
static void __noreturn trap_report_stopped(const struct trap_frame *f)
{
	arch_stop_report_begin();
	/* This CPU may have been stopped inside a print: the reporter waits meanwhile. */
	klog_bust_locks();
	pr_emerg("\ncpu %u was here when stopped:\n", this_cpu_id());
	trap_dump_stuck(f);
	arch_stop_report_end();
	arch_halt_forever();
}

/*
 * The host's NMI to a kernel that stopped answering: this CPU's report,
 * then every other CPU's, as the stuck one may be any of them.
 */
static void __noreturn trap_report_hung(const struct trap_frame *f)
{
	panic_claim();
	pr_emerg("\nNMI on cpu %u: stopped where it was (a co-kernel host sends one to a "
		 "kernel that stopped answering)\n", this_cpu_id());
	trap_dump_stuck(f);
	arch_stop_other_cpus_reporting();
	klog_bust_locks();
	kernel_exit(EXIT_PANIC);
}

static void __noreturn trap_fatal(struct trap_frame *f)
{
	const char *name = f->vector < 32 ? exception_names[f->vector] : "unexpected interrupt";

	if (f->vector == EXC_NMI)
		trap_report_hung(f);
	panic_begin();
	pr_emerg("\nKERNEL FAULT on cpu %u: %s (vector %lu)\n", this_cpu_id(), name, f->vector);
	/* An overflow faults on the guard page, usually while pushing: #DF. */
	if (kstack_is_guard(f->rsp) || kstack_is_guard(read_cr2()))
		pr_emerg("kernel stack overflow: the stack ran into its guard page at %016lx\n",
			 ALIGN_DOWN(kstack_is_guard(f->rsp) ? f->rsp : read_cr2(), PAGE_SIZE));
	if (f->vector == EXC_PAGE_FAULT)
		trap_describe_page_fault(f);
	trap_dump(f);
	backtrace_print(f->rip, f->rbp, f->rsp);
	kernel_exit(EXIT_PANIC);
}

static bool trap_from_user(const struct trap_frame *f)
{
	return (f->cs & 3) == 3;
}

/*
 * The kernel faulted on a user address while serving a system call: a
 * thread unmapped memory another thread's call was using. That is the
 * program's doing, so the program dies, not the kernel. User memory is
 * only touched with no lock held (see sys_io.c), so this is safe.
 */
static bool trap_kernel_user_access(struct trap_frame *f)
{
	const struct ksiginfo segv = { .signo = SIGSEGV, .code = SI_KERNEL };
	struct task *t = task_current();
	uint64_t addr = read_cr2();

	if (addr >= 0x0000800000000000ULL || !t || !t->proc)
		return false;
	/* A page another thread is moving to another node: copy again once it is back. */
	if (!(f->error_code & PF_ERR_PRESENT) && aspace_moving(t->proc->as, addr))
		return true;
	arch_irq_enable();
	pr_err("%s[%u]: a system call touched unmapped user memory at %lx (ip %016lx); "
	       "killing the process\n", t->proc->name, t->tid, addr, f->rip);
	coredump_and_exit(t->proc, &segv, task_user_frame(t));
}

static void trap_interrupt(struct trap_frame *f)
{
	irq_handler_fn h = irq_handler_of((uint8_t)f->vector);

	this_cpu()->irqs++;
	if (h) {
		h(f);
		return;
	}
	if (f->vector >= VEC_PIC_BASE && f->vector < VEC_PIC_BASE + 16)
		return;		/* spurious from the masked 8259s: no EOI wanted */
	if (f->vector == VEC_SPURIOUS)
		return;
	pr_warn("trap: unexpected interrupt vector %lu on cpu %u\n", f->vector, this_cpu_id());
	lapic_eoi();
}

static void trap_handle(struct trap_frame *f)
{
	if (f->vector < 32) {
		/* The stop NMI (panic, violation, co-kernel shutdown): halt quietly. */
		if (f->vector == EXC_NMI && (panic_in_progress() || arch_cpus_stopping())) {
			if (arch_stop_wants_report())
				trap_report_stopped(f);
			arch_halt_forever();
		}
		/* A fault in a program is the program's signal, never the kernel's end. */
		if (trap_from_user(f) && f->vector != EXC_NMI && f->vector != EXC_MACHINE_CHECK) {
			user_fault(f);
			signal_exit_to_user(f);
			return;
		}
		if (trap_fixup && trap_fixup(f))
			return;
		if (f->vector == EXC_PAGE_FAULT && trap_kernel_user_access(f))
			return;
		trap_fatal(f);
	}
	trap_interrupt(f);
	if (trap_from_user(f)) {
		this_cpu()->user_irqs++;
		if (signal_exit_work(f))
			signal_exit_to_user(f);
	}
}

void trap_dispatch(struct trap_frame *f)
{
	/* User time ends at each entry from user code (an NMI is no user's: it stops the CPU). */
	bool from_user = trap_from_user(f) && f->vector != EXC_NMI;

	if (from_user)
		acct_enter_kernel(this_cpu()->current);
	trap_handle(f);
	if (from_user)
		acct_exit_kernel(this_cpu()->current);
}
