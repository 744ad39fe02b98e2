// SPDX-License-Identifier: GPL-2.0
/* Self-tests of kernel timers: they fire once, on time, re-arm, and cancel. */
#include <cove/arch.h>
#include <cove/ktimer.h>
#include <cove/selftest.h>
#include <cove/timer.h>

/* Written by the timer functions (this CPU's interrupt), read by the tests. */
static volatile uint32_t ktimer_test_fired;
static volatile uint64_t ktimer_test_late_ns;

static void ktimer_test_once(struct ktimer *kt)
{
	uint64_t now = time_now_ns();

	ktimer_test_late_ns = now >= kt->deadline ? now - kt->deadline : (uint64_t)-1;
	ktimer_test_fired++;
}

static void ktimer_test_thrice(struct ktimer *kt)
{
	/* Re-arming from its own function is how periodic timers work. */
	if (++ktimer_test_fired < 3)
		ktimer_arm(kt, kt->deadline + 1000000);
}

/*
 * Wait until the timer functions ran n times, at most max_ms: an emulator
 * under load delivers timer interrupts late, so no fixed delay is enough.
 */
static bool ktimer_test_wait(uint32_t n, uint32_t max_ms)
{
	for (uint32_t ms = 0; ktimer_test_fired < n && ms < max_ms; ms++)
		arch_delay_us(1000);
	return ktimer_test_fired == n;
}

SELFTEST(ktimer_fire_rearm_cancel)
{
	/*
	 * Static: a check that fails returns at once, and a timer still armed
	 * must not fire into a stack frame that is gone.
	 */
	static struct ktimer kt;

	ktimer_init(&kt, ktimer_test_once);
	ktimer_test_fired = 0;
	/*
	 * Armed, then cancelled before it is due: it never runs. Due in 5 s,
	 * so that no stall of a loaded emulator between two lines can let it
	 * fire first (a deadline of a few ms once did).
	 */
	ktimer_arm(&kt, time_now_ns() + 5 * NSEC_PER_SEC);
	SELFTEST_CHECK(ktimer_deadline(&kt) != 0);
	ktimer_cancel(&kt);
	SELFTEST_CHECK(ktimer_deadline(&kt) == 0);
	arch_delay_us(10000);
	SELFTEST_CHECK(ktimer_test_fired == 0);

	/* It fires once, never early, and is then disarmed. */
	ktimer_arm(&kt, time_now_ns() + 2000000);
	SELFTEST_CHECK(ktimer_test_wait(1, 5000));
	SELFTEST_CHECK(ktimer_test_late_ns != (uint64_t)-1);
	SELFTEST_CHECK(ktimer_deadline(&kt) == 0);

	/* Moving an armed timer: it fires once, at the new time, the old one gone. */
	ktimer_arm(&kt, time_now_ns() + 5 * NSEC_PER_SEC);
	ktimer_arm(&kt, time_now_ns() + 1000000);
	SELFTEST_CHECK(ktimer_test_wait(2, 5000));
	SELFTEST_CHECK(ktimer_deadline(&kt) == 0);
	arch_delay_us(10000);
	SELFTEST_CHECK(ktimer_test_fired == 2);

	ktimer_init(&kt, ktimer_test_thrice);
	ktimer_test_fired = 0;
	ktimer_arm(&kt, time_now_ns() + 1000000);
	SELFTEST_CHECK(ktimer_test_wait(3, 5000));
	SELFTEST_CHECK(ktimer_deadline(&kt) == 0);
	return 0;
}
