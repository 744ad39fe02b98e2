// SPDX-License-Identifier: GPL-2.0
/*
 * Frame-pointer walk (the kernel is built with -fno-omit-frame-pointer).
 * Every frame is checked before it is read: a corrupt chain must end the
 * backtrace, not fault inside the fault report.
 *
 * gcc still leaves the frame out of leaf functions, and an interrupt can
 * land before a prologue has run. For the interrupted function (rsp known)
 * we look at its prologue to find the return address the rbp chain skips.
 */
#include <cove/arch.h>
#include <cove/symbols.h>
#include <arch/memlayout.h>

#define BACKTRACE_MAX 32

static bool backtrace_frame_ok(uint64_t rbp, uint64_t prev)
{
	/* Kernel stacks live in the direct map or the image: upper half only. */
	return rbp >= DIRECT_MAP_BASE && (rbp & 7) == 0 && rbp > prev &&
	       rbp < 0xfffffffffffff000ULL;
}

static bool backtrace_is_text(uint64_t pc)
{
	return pc >= KERNEL_VMA_BASE && ksym_lookup(ksyms_kernel(), pc, NULL, NULL);
}

/*
 * Where the interrupted function keeps its return address, if the rbp chain
 * does not cover it yet: 0 when its frame is already set up.
 */
static uint64_t backtrace_unframed_return(uint64_t rip, uint64_t rsp)
{
	static const uint8_t prologue[4] = { 0x55, 0x48, 0x89, 0xe5 }; /* push rbp; mov rsp,rbp */
	uint64_t off;
	const char *name = ksym_lookup(ksyms_kernel(), rip, &off, NULL);
	const uint8_t *start;
	uint64_t slot;

	if (!name || !backtrace_frame_ok(rsp, 0))
		return 0;
	start = (const uint8_t *)(rip - off);
	if (start[0] == prologue[0] && start[1] == prologue[1] && start[2] == prologue[2] &&
	    start[3] == prologue[3]) {
		if (off >= sizeof(prologue))
			return 0;
		slot = off == 0 ? rsp : rsp + 8;	/* before or after the push */
	} else {
		slot = rsp;				/* frameless leaf */
	}
	return *(const uint64_t *)slot;
}

void arch_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp,
		    void (*fn)(void *ctx, uint64_t pc), void *ctx)
{
	uint64_t prev = 0, ret;

	fn(ctx, rip);
	if (rsp) {
		ret = backtrace_unframed_return(rip, rsp);
		if (ret && backtrace_is_text(ret - 1))
			fn(ctx, ret - 1);
	}
	for (int i = 0; i < BACKTRACE_MAX && backtrace_frame_ok(rbp, prev); i++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		ret = frame[1];
		if (ret < KERNEL_VMA_BASE)
			break;
		/* Return addresses point after the call; show the call itself. */
		fn(ctx, ret - 1);
		prev = rbp;
		rbp = frame[0];
	}
}
