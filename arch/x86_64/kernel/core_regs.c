// SPDX-License-Identifier: GPL-2.0
/*
 * A thread's registers as gdb reads them from a core: NT_PRSTATUS in its
 * order, then its FPU state in the notes Linux 6.1 writes.
 */
#include <cove/task.h>
#include <arch/core_arch.h>
#include <arch/fpu.h>
#include <arch/fpu_export.h>
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

/* Linux's types and owners for these notes (its x86 regsets). */
#define NT_PRFPREG 2
#define NT_X86_XSTATE 0x202

unsigned int arch_core_thread_notes(struct core_arch_note notes[CORE_ARCH_NOTES_MAX])
{
	notes[0] = (struct core_arch_note){ "CORE", NT_PRFPREG, FPU_LEGACY_SIZE };
	if (!fpu_has_xsave())
		return 1;
	notes[1] = (struct core_arch_note){ "LINUX", NT_X86_XSTATE, (uint32_t)fpu_state_size() };
	return 2;
}

void arch_core_thread_note(const struct task *t, unsigned int i, void *desc)
{
	struct fpu_format fmt;

	fpu_get_format(&fmt);
	if (i == 0)
		fpu_export_legacy(&fmt, t->fpu, desc);
	else
		fpu_export_xstate(&fmt, t->fpu, desc);
}

void arch_core_save_state(struct task *t)
{
	/* The kernel never uses these registers: they still hold the user's. */
	fpu_save(t->fpu);
}
