/* SPDX-License-Identifier: GPL-2.0 */
/* Bringing the partition's CPUs online and counting them. */
#ifndef COVE_SMP_H
#define COVE_SMP_H

#include <cove/types.h>

struct boot_info;
struct percpu;

/* Set up the boot CPU's per-CPU block (before anything uses this_cpu()). */
void smp_init_boot_cpu(const struct boot_info *bi);
/* Start every other partition CPU; returns how many came online. */
uint32_t smp_boot_secondaries(const struct boot_info *bi);
/* Where a secondary CPU lands once the architecture has set it up. */
void smp_secondary_main(struct percpu *self) __noreturn;
uint32_t smp_nr_online(void);
/*
 * Co-kernel: the host gave one more core, waiting in the protection layer's
 * entry. 0 once it is online as the next logical CPU.
 */
int smp_add_cpu(uint32_t apic_id);
/* fault_inject=ipi_foreign: take a core outside the partition (a kernel bug). */
int smp_start_foreign_cpu(uint32_t apic_id);
uint32_t smp_nr_cpus(void);

/* Architecture: start the CPU described by p; 0 once it has called in. */
int arch_cpu_start(struct percpu *p);
/*
 * Architecture: take now the memory only starting other CPUs needs and
 * that any early allocation could use up (x86: a page below 1 MiB for the
 * SIPI trampoline). Called right after the page allocator is up.
 */
void arch_smp_reserve(void);
/*
 * Architecture, test only: each CPU the kernel starts runs step first,
 * before anything else (its APIC, the protection layer). Boot CPU, before
 * any other CPU starts.
 */
void arch_smp_set_first_step(void (*step)(void));
/* Architecture: per-CPU setup of the boot CPU (GDT, IDT, GS, its stack). */
void arch_cpu_init_boot(struct percpu *p);

#endif /* COVE_SMP_H */
