/* SPDX-License-Identifier: GPL-2.0 */
/* The register frame every interrupt and exception entry builds. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <cove/types.h>

/*
 * A system call's frame has vector VEC_SYSCALL and, in error_code, the
 * call's number as it came in (Linux's orig_ax): a restarted call needs
 * it. Once the call's result is final it becomes -1.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* Pushed by the CPU. */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Vectors above the exceptions. */
#define VEC_PIC_BASE 0x20	/* legacy 8259s, remapped and masked */
#define VEC_TIMER 0x40
#define VEC_XCALL 0xf0
#define VEC_RESCHED 0xf1	/* look at your run queue */
#define VEC_SPURIOUS 0xff
#define VEC_SYSCALL 0x100	/* not a vector: a syscall frame (syscall_entry.asm) */

#define EXC_DIVIDE 0
#define EXC_DEBUG 1
#define EXC_NMI 2
#define EXC_BREAKPOINT 3
#define EXC_INVALID_OPCODE 6
#define EXC_DOUBLE_FAULT 8
#define EXC_GP 13
#define EXC_PAGE_FAULT 14
/* #PF error code: set when the page was present (a rights fault, not a hole). */
#define PF_ERR_PRESENT (1u << 0)
#define EXC_MACHINE_CHECK 18

typedef void (*irq_handler_fn)(struct trap_frame *f);

void idt_init(void);
void idt_load(void);
void irq_register(uint8_t vector, irq_handler_fn fn);
irq_handler_fn irq_handler_of(uint8_t vector);

/*
 * A handler that may resolve an exception (return true) before it becomes a
 * panic: self-tests use it to fault on purpose and carry on.
 */
typedef bool (*trap_fixup_fn)(struct trap_frame *f);
void trap_set_fixup(trap_fixup_fn fn);

void trap_dispatch(struct trap_frame *f);
/*
 * An exception in user mode: queues the matching signal for the handler
 * and returns, or (no handler, or blocked) ends the process.
 */
void user_fault(struct trap_frame *f);
void trap_dump(const struct trap_frame *f);

#endif /* ARCH_TRAP_H */
