/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for the kernel header, for fuzz_cove_shared.c. */
#ifndef FUZZ_KSHIM_KERNEL_H
#define FUZZ_KSHIM_KERNEL_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef unsigned long long u64;	/* as the kernel has it: %llx */

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_mb__after_atomic() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)
#define __printf(a, b) __attribute__((format(printf, a, b)))

void fuzz_shared_log(const char *fmt, ...) __printf(1, 2);
#define pr_err(...) fuzz_shared_log(__VA_ARGS__)

#endif
