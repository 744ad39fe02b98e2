// SPDX-License-Identifier: GPL-2.0
/*
 * Frame-pointer walk (the kernel is built with -fno-omit-frame-pointer).
 * Every frame is checked before it is read: a corrupt chain must end the
 * backtrace, not fault inside the fault report.
 */
#include <cove/arch.h>
#include <arch/memlayout.h>

#define BACKTRACE_MAX 32

static bool backtrace_frame_ok(uint64_t rbp, uint64_t prev)
{
	/* Kernel stacks live in the direct map or the image: upper half only. */
	return rbp >= DIRECT_MAP_BASE && (rbp & 7) == 0 && rbp > prev &&
	       rbp < 0xfffffffffffff000ULL;
}

void arch_backtrace(uint64_t rip, uint64_t rbp, void (*fn)(void *ctx, uint64_t pc), void *ctx)
{
	uint64_t prev = 0;

	fn(ctx, rip);
	for (int i = 0; i < BACKTRACE_MAX && backtrace_frame_ok(rbp, prev); i++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (ret < KERNEL_VMA_BASE)
			break;
		/* Return addresses point after the call; show the call itself. */
		fn(ctx, ret - 1);
		prev = rbp;
		rbp = frame[0];
	}
}
