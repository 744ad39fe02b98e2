// SPDX-License-Identifier: GPL-2.0
/* Self-tests of what every CPU must do: answer cross-calls, take ticks. */
#include <cove/arch.h>
#include <cove/percpu.h>
#include <cove/selftest.h>
#include <cove/smp.h>
#include <cove/timer.h>
#include <cove/xcall.h>

/* Written by each CPU into its own slot during the test. */
static volatile uint32_t xcall_seen[MAX_CPUS];

static void xcall_record(void *arg)
{
	uint32_t cookie = (uint32_t)(uintptr_t)arg;

	xcall_seen[this_cpu_id()] = cookie + this_cpu_id();
}

SELFTEST(xcall_every_cpu)
{
	uint32_t cookie = 0x5e1f0000;

	for (uint32_t c = 0; c < MAX_CPUS; c++)
		xcall_seen[c] = 0;
	SELFTEST_CHECK(xcall_run_all(xcall_record, (void *)(uintptr_t)cookie) == 0);
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		struct percpu *p = percpu_of(c);

		if (p && p->online)
			SELFTEST_CHECK(xcall_seen[c] == cookie + c);
		else
			SELFTEST_CHECK(xcall_seen[c] == 0);
	}
	SELFTEST_CHECK(xcall_run(MAX_CPUS - 1, xcall_record, NULL) != 0 ||
		       smp_nr_online() == MAX_CPUS);
	return 0;
}

static void timer_arm_1ms(void *arg)
{
	(void)arg;
	arch_timer_oneshot(1000000);
}

/* Cove is tickless: no CPU takes a timer interrupt unless one is armed. */
SELFTEST(timer_events_every_cpu)
{
	uint64_t before[MAX_CPUS];

	for (uint32_t c = 0; c < MAX_CPUS; c++)
		before[c] = percpu_of(c) ? percpu_of(c)->timer_irqs : 0;
	arch_delay_us(20000);
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		struct percpu *p = percpu_of(c);

		if (p && p->online)
			SELFTEST_CHECK(p->timer_irqs == before[c]);
	}
	SELFTEST_CHECK(xcall_run_all(timer_arm_1ms, NULL) == 0);
	arch_delay_us(50000);
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		struct percpu *p = percpu_of(c);

		if (p && p->online)
			SELFTEST_CHECK(p->timer_irqs == before[c] + 1);
	}
	return 0;
}

SELFTEST(cpus_all_online)
{
	SELFTEST_CHECK(smp_nr_online() == smp_nr_cpus());
	SELFTEST_CHECK(this_cpu_id() == 0);
	SELFTEST_CHECK(this_cpu()->self == this_cpu());
	return 0;
}
