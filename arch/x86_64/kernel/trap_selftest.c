// SPDX-License-Identifier: GPL-2.0
/* Self-tests of exception delivery: a claimed exception returns cleanly. */
#include <cove/selftest.h>
#include <arch/trap.h>

/* Set by the fixup below, read by the test; one CPU runs both. */
static volatile uint64_t trap_seen_vector;
static volatile uint64_t trap_seen_count;

static bool trap_selftest_fixup(struct trap_frame *f)
{
	trap_seen_vector = f->vector;
	trap_seen_count++;
	if (f->vector == EXC_INVALID_OPCODE) {
		f->rip += 2;	/* skip the ud2 */
		return true;
	}
	return f->vector == EXC_BREAKPOINT;	/* int3 already points past itself */
}

SELFTEST(exceptions_return)
{
	uint64_t r12 = 0x1234abcd5678ef01ULL, out;

	trap_seen_count = 0;
	trap_set_fixup(trap_selftest_fixup);
	__asm__ volatile("int3");
	SELFTEST_CHECK(trap_seen_vector == EXC_BREAKPOINT);
	/* Registers survive the round trip through the entry stubs. */
	__asm__ volatile("mov %1, %%r12\n\tud2\n\tmov %%r12, %0" : "=r"(out) : "r"(r12) : "r12");
	trap_set_fixup(NULL);
	SELFTEST_CHECK(trap_seen_vector == EXC_INVALID_OPCODE);
	SELFTEST_CHECK(trap_seen_count == 2);
	SELFTEST_CHECK(out == r12);
	return 0;
}
