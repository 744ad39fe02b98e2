// SPDX-License-Identifier: GPL-2.0
/*
 * Ending a run. Under QEMU or Bochs (their ACPI tables say "BOCHS ") the
 * debug-exit ports carry the status out; elsewhere ACPI S5 powers off.
 */
#include <cove/arch.h>
#include <cove/percpu.h>
#include <cove/string.h>
#include <arch/lapic.h>
#include <arch/platform.h>
#include <arch/x86.h>

#define ACPI_SLP_EN (1U << 13)

/* Filled by the boot path from the FADT; read-only afterwards. */
struct platform_power platform_power;
/* Set once from the command line by init. */
static enum poweroff_method power_method;

void arch_set_poweroff_method(enum poweroff_method m)
{
	power_method = m;
}

bool arch_poweroff_has_exit_ports(void)
{
	return power_method == POWEROFF_AUTO && platform_power.emulator;
}

static void power_acpi_s5(void)
{
	if (!platform_power.s5_valid || !platform_power.pm1a_cnt)
		return;
	outw(platform_power.pm1a_cnt, (platform_power.slp_typa << 10) | ACPI_SLP_EN);
	if (platform_power.pm1b_cnt)
		outw(platform_power.pm1b_cnt, (platform_power.slp_typb << 10) | ACPI_SLP_EN);
}

void arch_poweroff(int status)
{
	arch_irq_disable();
	if (power_method == POWEROFF_HALT)
		arch_halt_forever();
	if (arch_poweroff_has_exit_ports())
		platform_emulator_exit(status);
	power_acpi_s5();
	arch_halt_forever();
}

/* Set once by the CPU that stops the others; their NMI handlers read it. */
static volatile bool stop_requested;

bool arch_cpus_stopping(void)
{
	return stop_requested;
}

/*
 * A reporting stop (arch_stop_other_cpus_reporting): set by the stopping
 * CPU before its NMIs; the stopped CPUs take stop_report_turn in turn and
 * count themselves down in stop_reports_due.
 */
static volatile bool stop_report;
static uint32_t stop_report_turn, stop_reports_due;

/* Long enough for a few backtraces under an emulator, short against the host's patience. */
#define STOP_REPORT_WAIT_MS 3000

bool arch_stop_wants_report(void)
{
	return stop_report;
}

void arch_stop_report_begin(void)
{
	uint32_t free = 0;

	while (!__atomic_compare_exchange_n(&stop_report_turn, &free, 1, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		free = 0;
		arch_cpu_relax();
	}
}

void arch_stop_report_end(void)
{
	__atomic_fetch_sub(&stop_reports_due, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&stop_report_turn, 0, __ATOMIC_RELEASE);
}

static uint32_t stop_send_nmis(void)
{
	uint32_t me = this_cpu_id(), sent = 0;

	stop_requested = true;

	/*
	 * NMI gets through even with interrupts off; the handler halts. One per
	 * partition CPU, never a broadcast: other cores may not be ours.
	 */
	if (!platform_lapic_ready)
		return 0;
	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct percpu *p = percpu_of(cpu);

		if (p && p->online && cpu != me) {
			lapic_send_ipi(p->apic_id, APIC_ICR_NMI | APIC_ICR_LEVEL_ASSERT);
			sent++;
		}
	}
	return sent;
}

void arch_stop_other_cpus(void)
{
	stop_send_nmis();
}

void arch_stop_other_cpus_reporting(void)
{
	uint64_t deadline;

	if (!platform_lapic_ready)
		return;
	/* Due before the first NMI lands; over-counted CPUs only cost the wait. */
	__atomic_store_n(&stop_reports_due, MAX_CPUS, __ATOMIC_RELAXED);
	stop_report = true;
	__atomic_fetch_sub(&stop_reports_due, MAX_CPUS - stop_send_nmis(), __ATOMIC_RELEASE);
	deadline = arch_cycles() + STOP_REPORT_WAIT_MS * arch_cycles_per_ms();
	while (__atomic_load_n(&stop_reports_due, __ATOMIC_ACQUIRE) && arch_cycles() < deadline)
		arch_cpu_relax();
	/* Whoever is still printing now would garble what this CPU prints next. */
	arch_stop_report_begin();
}
