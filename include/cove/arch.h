/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What common code may ask of the architecture. The build picks the
 * implementation (arch/<arch>/); common code never tests which one it got.
 */
#ifndef COVE_ARCH_H
#define COVE_ARCH_H

#include <cove/types.h>

struct percpu;

/* arch_cpu_relax, arch_irq_save/restore, arch_this_cpu, ... as inlines */
#include <arch/arch_inline.h>

/*
 * Boot CPU, once memory works: interrupt controller, local timer, IPIs.
 * Interrupts are on when it returns 0.
 */
int arch_platform_init(void);
void arch_halt_forever(void) __noreturn;
/* How arch_poweroff ends a run (poweroff= on the command line). */
enum poweroff_method {
	POWEROFF_AUTO,		/* emulator exit ports if present, else ACPI S5 */
	POWEROFF_ACPI,		/* ACPI S5 only, as on a real node */
	POWEROFF_HALT,		/* stop the CPUs and leave the machine on */
};
void arch_set_poweroff_method(enum poweroff_method m);
/* Whether a run ends through an emulator's debug-exit ports (QEMU, Bochs). */
bool arch_poweroff_has_exit_ports(void);
/* Power the machine (or emulator) off, reporting status where possible. */
void arch_poweroff(int status) __noreturn;
/*
 * Call fn (interrupt context, acknowledged) when this vector arrives;
 * -EBUSY if the vector is reserved or taken.
 */
int arch_doorbell_init(uint32_t vector, void (*fn)(void));
/* Ring a host core: a fixed IPI of vector to that physical APIC ID. */
void arch_ring_host(uint32_t apic_id, uint32_t vector);
/* Whether some CPU is stopping the others (their NMI then just halts). */
bool arch_cpus_stopping(void);
/* Stop every other CPU, from a panic: they must not touch anything again. */
void arch_stop_other_cpus(void);
/*
 * The same, but each CPU first prints where it was (registers and
 * backtrace), one at a time; returns once all have, or after a few
 * seconds. For a kernel that stopped answering: the stuck CPU may be
 * another than the one asked.
 */
void arch_stop_other_cpus_reporting(void);
/* In a stopped CPU's NMI handler: whether it should report before halting. */
bool arch_stop_wants_report(void);
/* Around that report: one CPU at a time; end counts it as done. */
void arch_stop_report_begin(void);
void arch_stop_report_end(void);
/*
 * Walk the stack from (rip, rbp); calls fn for each code address. rsp is
 * where an interrupted context's stack was (0 if rip/rbp are a frame).
 */
void arch_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp,
		    void (*fn)(void *ctx, uint64_t pc), void *ctx);
/* A free-running counter and its rate, for coarse timing and delays. */
uint64_t arch_cycles(void);
/* Hardware randomness for seeding (RDRAND), or 0 without it. */
uint64_t arch_random_seed(void);
uint64_t arch_cycles_per_ms(void);
void arch_delay_us(uint64_t us);
/*
 * How the vDSO's getcpu may learn the CPU in user mode (VDSO_F_* of
 * cove/vdso_data.h); 0: only by a system call.
 */
uint32_t arch_user_getcpu_flags(void);

#endif /* COVE_ARCH_H */
