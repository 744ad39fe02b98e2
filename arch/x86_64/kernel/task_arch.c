// SPDX-License-Identifier: GPL-2.0
/* x86-64 side of tasks: their first stack frame and the switch itself. */
#include <cove/acct.h>
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/percpu.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/syscall.h>
#include <cove/task.h>
#include <arch/asm_offsets.h>
#include <arch/fpu.h>
#include <arch/trap.h>
#include <arch/x86.h>

/* What the system call fast path (syscall_entry.asm) reads and writes directly. */
#define ASM_OFFSET(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), "arch/asm_offsets.h: " #type "." #field)
ASM_OFFSET(struct task, exit_work, TASK_EXIT_WORK);
ASM_OFFSET(struct task, kentries, TASK_KENTRIES);
ASM_OFFSET(struct task, acct_utime, TASK_ACCT_UTIME);
ASM_OFFSET(struct task, acct_stime, TASK_ACCT_STIME);
ASM_OFFSET(struct task, acct_mark, TASK_ACCT_MARK);
ASM_OFFSET(struct task, acct_seq, TASK_ACCT_SEQ);
ASM_OFFSET(struct trap_frame, r10, FRAME_R10);
ASM_OFFSET(struct trap_frame, r9, FRAME_R9);
ASM_OFFSET(struct trap_frame, r8, FRAME_R8);
ASM_OFFSET(struct trap_frame, rdi, FRAME_RDI);
ASM_OFFSET(struct trap_frame, rsi, FRAME_RSI);
ASM_OFFSET(struct trap_frame, rdx, FRAME_RDX);
ASM_OFFSET(struct trap_frame, rbx, FRAME_RBX);
ASM_OFFSET(struct trap_frame, rax, FRAME_RAX);
ASM_OFFSET(struct trap_frame, rip, FRAME_RIP);
ASM_OFFSET(struct trap_frame, rflags, FRAME_RFLAGS);
ASM_OFFSET(struct trap_frame, rsp, FRAME_RSP);
_Static_assert(sizeof(((struct task *)0)->exit_work) == 8,
	       "syscall_entry.asm tests exit_work as a qword");
_Static_assert(SYSCALL_ENTRY_MAX == SYSCALL_MAX && SYSCALL_ENTRY_ERESTARTNOHAND == ERESTARTNOHAND &&
	       ERESTARTSYS == ERESTARTNOHAND - 2,
	       "syscall_entry.asm's table size and restart codes");

void arch_switch_stack(uint64_t *save_rsp, uint64_t next_rsp);
void arch_set_kernel_stack(struct percpu *p, uint64_t top);
extern char task_first_switch[];

struct trap_frame *task_user_frame(struct task *t)
{
	return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

void task_set_user_frame(struct task *t, const struct trap_frame *frame)
{
	struct trap_frame *f = task_user_frame(t);

	*f = *frame;
	f->cs = GDT_USER_CS;
	f->ss = GDT_USER_DS;
	f->rflags = (frame->rflags & 0xcd5) | X86_RFLAGS_IF;	/* user flags only, IF on */
}

void arch_task_init_stack(struct task *t)
{
	uint64_t *sp = (uint64_t *)task_user_frame(t);

	/* What arch_switch_stack pops: r15 r14 r13 r12 rbx rbp, then its return. */
	*--sp = (uint64_t)task_first_switch;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->ksp = (uint64_t)sp;
}

void arch_task_switch(struct task *prev, struct task *next)
{
	struct percpu *pc = this_cpu();

	if (prev->proc)
		fpu_save(prev->fpu);
	if (next->proc) {
		arch_aspace_activate(&next->proc->as->arch);
		fpu_restore(next->fpu);
		wrmsr(MSR_FS_BASE, next->fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
		arch_set_kernel_stack(pc, next->kstack_top);
	} else if ((read_cr3() & ~0xfffULL) != kmap_root()) {
		/* Idle runs on the kernel's tables, so a dead process's can go. */
		write_cr3(kmap_root());
	}
	arch_switch_stack(&prev->ksp, next->ksp);
}

void arch_task_exec_reset(struct task *t)
{
	/* The calling thread's own registers: a new image starts clean. */
	fpu_state_init(t->fpu);
	fpu_restore(t->fpu);
	t->fs_base = 0;
	t->gs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/*
 * A new thread's first way to user mode (task_first_switch): it takes any
 * signal sent before it ever ran, and ends its system time there, which
 * also sets its accounting's side (cove/acct.h) before its first crossing.
 */
void task_first_exit_to_user(struct trap_frame *f)
{
	signal_exit_to_user(f);
	acct_exit_kernel(task_current());
}
