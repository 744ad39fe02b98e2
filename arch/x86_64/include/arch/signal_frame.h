/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux's x86-64 signal frame (struct rt_sigframe and what it holds), and
 * the pure steps that build and read it (signal_frame.c; its self-test).
 */
#ifndef ARCH_SIGNAL_FRAME_H
#define ARCH_SIGNAL_FRAME_H

#include <cove/sigqueue.h>
#include <cove/types.h>

struct trap_frame;
struct signal_delivery;
struct signal_stack;

/* struct sigcontext: what glibc calls mcontext_t (gregs, fpregs). */
struct x86_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* user address of the FPU image */
	uint64_t reserved1[8];
};

/* stack_t */
struct x86_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

struct x86_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct x86_stack uc_stack;
	struct x86_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct x86_rt_sigframe {
	uint64_t pretcode;		/* the handler's return address: SA_RESTORER */
	struct x86_ucontext uc;
	uint8_t info[SIGINFO_SIZE];
};

struct sigframe_place {
	uint64_t frame;			/* the frame, and the handler's rsp */
	uint64_t fpstate;		/* the FPU image, 64-byte aligned */
	bool on_altstack;
};

/* Bytes the FPU image takes on the stack. */
size_t sigframe_fpu_size(void);
/* Where a frame goes for a handler entered from sp: 0, or -EFAULT (no room). */
int sigframe_place(uint64_t sp, uint64_t sa_flags, const struct signal_stack *ss,
		   size_t fpu_size, struct sigframe_place *out);
/* The frame's contents for f, to be copied to the user stack. */
void sigframe_fill(struct x86_rt_sigframe *fr, const struct trap_frame *f,
		   const struct signal_delivery *d, uint64_t fpstate, uint64_t fault_addr);
/* Point f at the handler, its arguments in the frame at address frame. */
void sigframe_enter_handler(struct trap_frame *f, const struct signal_delivery *d,
			    uint64_t frame);
/* Registers back from a sigcontext a program may have edited: 0 or -EFAULT. */
int sigframe_restore_regs(struct trap_frame *f, const struct x86_sigcontext *sc);

#endif /* ARCH_SIGNAL_FRAME_H */
