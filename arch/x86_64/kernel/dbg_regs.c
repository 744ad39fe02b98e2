// SPDX-License-Identifier: GPL-2.0
/* A thread's registers for a debugger (arch/dbg_regs.h): to and from its user frame. */
#include <arch/dbg_regs.h>
#include <arch/trap.h>

void arch_dbg_regs_get(const struct trap_frame *f, uint64_t fs_base, uint64_t gs_base,
		       struct dbg_regs *r)
{
	*r = (struct dbg_regs){
		.rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rdx = f->rdx,
		.rsi = f->rsi, .rdi = f->rdi, .rbp = f->rbp, .rsp = f->rsp,
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
		.r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
		.rip = f->rip, .eflags = (uint32_t)f->rflags,
		.cs = (uint32_t)f->cs, .ss = (uint32_t)f->ss,
		/* Null in 64-bit user code, as Linux shows them. */
		.ds = 0, .es = 0, .fs = 0, .gs = 0,
		.orig_rax = f->vector == VEC_SYSCALL ? f->error_code : ~0ULL,
		.fs_base = fs_base, .gs_base = gs_base,
	};
}

void arch_dbg_regs_set(struct trap_frame *f, const struct dbg_regs *r)
{
	f->rax = r->rax;
	f->rbx = r->rbx;
	f->rcx = r->rcx;
	f->rdx = r->rdx;
	f->rsi = r->rsi;
	f->rdi = r->rdi;
	f->rbp = r->rbp;
	f->rsp = r->rsp;
	f->r8 = r->r8;
	f->r9 = r->r9;
	f->r10 = r->r10;
	f->r11 = r->r11;
	f->r12 = r->r12;
	f->r13 = r->r13;
	f->r14 = r->r14;
	f->r15 = r->r15;
	f->rip = r->rip;
	f->rflags = (f->rflags & ~DBG_RFLAGS_USER) | (r->eflags & DBG_RFLAGS_USER);
	/* Not in a system call any more: nothing to restart (Linux's orig_ax = -1). */
	if (f->vector == VEC_SYSCALL)
		f->error_code = ~0ULL;
}

void arch_dbg_single_step(struct trap_frame *f, bool on)
{
	if (on)
		f->rflags |= DBG_RFLAGS_TF;
	else
		f->rflags &= ~DBG_RFLAGS_TF;
}

void arch_dbg_breakpoint_rewind(struct trap_frame *f)
{
	f->rip--;
}
