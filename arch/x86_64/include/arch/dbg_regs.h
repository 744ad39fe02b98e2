/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thread's registers as a debugger reads and writes them: the bytes of
 * gdb's 'g' packet for its amd64 GNU/Linux description (the general
 * registers, eflags and the segment selectors, 32 bits each; x87 and SSE;
 * orig_rax, fs_base, gs_base). The x87 and SSE part is not given: the
 * servers mark those bytes unavailable ('x'), and gdb shows them so.
 */
#ifndef ARCH_DBG_REGS_H
#define ARCH_DBG_REGS_H

#include <cove/types.h>

struct dbg_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
	uint32_t eflags, cs, ss, ds, es, fs, gs;
	uint8_t fpu[372];		/* st0-7, x87 control, xmm0-15, mxcsr: unavailable */
	uint64_t orig_rax;		/* the call the thread is in, else -1 */
	uint64_t fs_base, gs_base;
} __attribute__((packed));

#define DBG_REGS_SIZE sizeof(struct dbg_regs)
/* What a debugger may set: the general registers, rip, eflags (selectors stay). */
#define DBG_REGS_SET_SIZE (17 * 8 + 7 * 4)
/* The bytes a server sends as unavailable. */
#define DBG_REGS_GAP_START DBG_REGS_SET_SIZE
#define DBG_REGS_GAP_END (DBG_REGS_SET_SIZE + 372)
_Static_assert(sizeof(struct dbg_regs) == 560, "gdb's amd64 GNU/Linux 'g' layout");

/*
 * The flags a debugger may change: the arithmetic ones, TF, DF, RF, AC
 * and ID; never IF, IOPL, NT or VM, which are the kernel's to say.
 */
#define DBG_RFLAGS_USER 0x250dd5ULL
#define DBG_RFLAGS_TF (1ULL << 8)

struct trap_frame;

/* The registers a thread entered the kernel with (frame f), and its bases, into r. */
void arch_dbg_regs_get(const struct trap_frame *f, uint64_t fs_base, uint64_t gs_base,
		       struct dbg_regs *r);
/*
 * Set frame f from the first DBG_REGS_SET_SIZE bytes of r: the general
 * registers, rip, and the flags a user may change. Selectors stay the
 * kernel's (a debugger cannot hand a thread a kernel segment); the rest
 * (orig_rax, the bases) is read-only.
 */
void arch_dbg_regs_set(struct trap_frame *f, const struct dbg_regs *r);
/* Single step: trap after the next user instruction, or stop doing so. */
void arch_dbg_single_step(struct trap_frame *f, bool on);
/* A breakpoint trap (int3) left rip past the instruction: back onto it. */
void arch_dbg_breakpoint_rewind(struct trap_frame *f);

#endif /* ARCH_DBG_REGS_H */
