// SPDX-License-Identifier: GPL-2.0
/* A thread's registers in the order gdb reads them from NT_PRSTATUS. */
#include <cove/task.h>
#include <arch/core_arch.h>
#include <arch/trap.h>

void arch_core_regs(const struct task *t, const struct trap_frame *f, uint64_t regs[CORE_NREGS])
{
	uint64_t r[CORE_NREGS] = {
		f->r15, f->r14, f->r13, f->r12, f->rbp, f->rbx, f->r11, f->r10,
		f->r9, f->r8, f->rax, f->rcx, f->rdx, f->rsi, f->rdi,
		/* orig_rax: the call it was in, else -1 (gdb's restart logic reads it). */
		f->vector == VEC_SYSCALL ? f->error_code : ~0ULL,
		f->rip, f->cs, f->rflags, f->rsp, f->ss,
		t->fs_base, t->gs_base,
		0, 0, 0, 0,			/* ds, es, fs, gs selectors: null in 64-bit user code */
	};

	for (int i = 0; i < CORE_NREGS; i++)
		regs[i] = r[i];
}
