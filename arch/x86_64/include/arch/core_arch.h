/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an x86-64 ELF core file says of a thread: its registers (Linux's
 * elf_gregset_t) and, in notes after its NT_PRSTATUS, its FPU state.
 */
#ifndef ARCH_CORE_ARCH_H
#define ARCH_CORE_ARCH_H

#include <cove/types.h>

#define CORE_ELF_MACHINE 62		/* EM_X86_64 */
#define CORE_NREGS 27			/* struct user_regs_struct, in longs */
#define CORE_ARCH_NOTES_MAX 2		/* NT_PRFPREG, NT_X86_XSTATE */

struct task;
struct trap_frame;

/* Thread t's user registers, from the frame it entered the kernel with. */
void arch_core_regs(const struct task *t, const struct trap_frame *f, uint64_t regs[CORE_NREGS]);

/* A note every thread carries after its NT_PRSTATUS, the same for all. */
struct core_arch_note {
	const char *name;		/* its owner, as Linux names it */
	uint32_t type;
	uint32_t len;			/* descriptor bytes */
};

/* Those notes, in order: how many. */
unsigned int arch_core_thread_notes(struct core_arch_note notes[CORE_ARCH_NOTES_MAX]);
/* Note i's descriptor (its len bytes) for t, from t's saved state. */
void arch_core_thread_note(const struct task *t, unsigned int i, void *desc);
/*
 * t is the caller: its live user state into its save area, where the
 * core writer reads it (another thread's is read while it waits).
 */
void arch_core_save_state(struct task *t);

#endif /* ARCH_CORE_ARCH_H */
