/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offsets into struct percpu that assembly uses through %gs. The NASM
 * files repeat these numbers; cpu.c checks both against offsetof.
 */
#ifndef ARCH_ASM_OFFSETS_H
#define ARCH_ASM_OFFSETS_H

#define PERCPU_TASK_STACK_TOP 24
#define PERCPU_USER_RSP 32

#endif /* ARCH_ASM_OFFSETS_H */
