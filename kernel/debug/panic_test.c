// SPDX-License-Identifier: GPL-2.0
/*
 * Faults on purpose (panic_test=...), so tests can check that a kernel bug
 * produces a full report: registers, decoded cause, symbolized backtrace.
 * Each fault sits a few calls deep so the backtrace has something to show.
 */
#include <cove/kprintf.h>
#include <cove/options.h>
#include <cove/panic.h>

/* volatile: the compiler must not see through the deliberate bugs. */
static volatile uint64_t panic_test_bad_address = 0xdead0000;
static volatile int panic_test_zero;

static __attribute__((noinline)) void panic_test_pagefault(void)
{
	*(volatile uint64_t *)panic_test_bad_address = 0x1234;
}

static __attribute__((noinline)) void panic_test_gp(void)
{
	/* Non-canonical: a general protection fault, not a page fault. */
	*(volatile uint64_t *)(panic_test_bad_address | 0x8000000000000000ULL) = 1;
}

static __attribute__((noinline)) void panic_test_ud(void)
{
	__asm__ volatile("ud2");
}

static __attribute__((noinline)) int panic_test_divide(void)
{
	int r;

	/* Inline asm: C division by zero is UB and may be optimized away. */
	__asm__ volatile("xorl %%edx, %%edx\n\tmovl $1, %%eax\n\tdivl %1"
			 : "=a"(r) : "c"(panic_test_zero) : "rdx");
	return r;
}

/* Recursion with a frame big enough to reach the guard page quickly. */
static __attribute__((noinline)) uint64_t panic_test_recurse(uint64_t depth)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	if (depth == panic_test_bad_address)	/* never: keeps gcc from calling it infinite */
		return 0;
	return panic_test_recurse(depth + 1) + frame[0];
}

static __attribute__((noinline)) void panic_test_dispatch(int kind)
{
	switch (kind) {
	case PANIC_TEST_PAGEFAULT:
		panic_test_pagefault();
		break;
	case PANIC_TEST_GP:
		panic_test_gp();
		break;
	case PANIC_TEST_UD:
		panic_test_ud();
		break;
	case PANIC_TEST_DIVIDE:
		panic_test_divide();
		break;
	case PANIC_TEST_PANIC:
		panic("panic_test: deliberate panic");
	case PANIC_TEST_STACK_OVERFLOW:
		panic_test_recurse(0);
		break;
	}
}

void panic_test_run(int kind)
{
	if (kind == PANIC_TEST_NONE)
		return;
	kprintf("panic_test: faulting on purpose\n");
	panic_test_dispatch(kind);
	pr_err("panic_test: the deliberate fault did not happen\n");
}
