/* SPDX-License-Identifier: GPL-2.0 */
/* What an x86-64 ELF core file says of a thread (Linux's elf_gregset_t). */
#ifndef ARCH_CORE_ARCH_H
#define ARCH_CORE_ARCH_H

#include <cove/types.h>

#define CORE_ELF_MACHINE 62		/* EM_X86_64 */
#define CORE_NREGS 27			/* struct user_regs_struct, in longs */

struct task;
struct trap_frame;

/* Thread t's user registers, from the frame it entered the kernel with. */
void arch_core_regs(const struct task *t, const struct trap_frame *f, uint64_t regs[CORE_NREGS]);

#endif /* ARCH_CORE_ARCH_H */
