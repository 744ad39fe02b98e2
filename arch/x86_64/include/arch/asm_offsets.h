/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offsets assembly uses: into struct percpu through %gs, into struct task
 * and struct trap_frame on the system call fast path. The Makefile turns
 * each #define here into a NASM %define (asm_offsets.inc); cpu.c and
 * task_arch.c check them against offsetof, so a moved field fails the
 * build instead of the path. One "#define NAME VALUE" per line.
 */
#ifndef ARCH_ASM_OFFSETS_H
#define ARCH_ASM_OFFSETS_H

#define PERCPU_TASK_STACK_TOP 24
#define PERCPU_USER_RSP 32
#define PERCPU_CURRENT 40
#define PERCPU_NEED_RESCHED 48

#define TASK_EXIT_WORK 152
#define TASK_KENTRIES 1808
#define TASK_ACCT_UTIME 1816
#define TASK_ACCT_STIME 1824
#define TASK_ACCT_MARK 1832
#define TASK_ACCT_SEQ 1840

#define FRAME_R10 0x28
#define FRAME_R9 0x30
#define FRAME_R8 0x38
#define FRAME_RDI 0x48
#define FRAME_RSI 0x50
#define FRAME_RDX 0x58
#define FRAME_RBX 0x68
#define FRAME_RAX 0x70
#define FRAME_RIP 0x88
#define FRAME_RFLAGS 0x98
#define FRAME_RSP 0xa0

/* Numbers the fast path compares with (cove/syscall.h, cove/errno.h). */
#define SYSCALL_ENTRY_MAX 1014
#define SYSCALL_ENTRY_ERESTARTNOHAND 514

#endif /* ARCH_ASM_OFFSETS_H */
