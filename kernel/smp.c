// SPDX-License-Identifier: GPL-2.0
/*
 * CPU bring-up, architecture-neutral part: per-CPU blocks for every partition
 * CPU, start them one at a time, and let each report in.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kprintf.h>
#include <cove/panic.h>
#include <cove/percpu.h>
#include <cove/pmem.h>
#include <cove/kstack.h>
#include <cove/smp.h>
#include <cove/string.h>
#include <cove/sched.h>
#include <cove/timer.h>
#include <cove/vmm.h>
#include <generated/config.h>

/* Filled by the boot CPU before a CPU starts; read-only afterwards. */
struct percpu *percpu_table[MAX_CPUS];
static uint32_t smp_cpu_count;

/* The boot CPU's block must exist before the heap does. */
static struct percpu boot_percpu __aligned(64);

void smp_init_boot_cpu(const struct boot_info *bi)
{
	struct percpu *p = &boot_percpu;

	p->self = p;
	p->cpu = 0;
	p->apic_id = bi->nr_cpus ? bi->cpus[0].apic_id : 0;
	percpu_table[0] = p;
	smp_cpu_count = 1;
	arch_cpu_init_boot(p);
	p->online = true;
}

static struct percpu *smp_alloc_percpu(uint32_t cpu, uint32_t apic_id)
{
	struct percpu *p = kzalloc(sizeof(*p));
	uint64_t stack_top = p ? kstack_alloc() : 0;

	if (!stack_top) {
		kfree(p);
		return NULL;
	}
	p->self = p;
	p->cpu = cpu;
	p->apic_id = apic_id;
	p->kstack_top = stack_top;
	return p;
}

/* Give logical CPU cpu its per-CPU block and start it: 0 once it is online. */
static int smp_start_cpu(uint32_t cpu, uint32_t apic_id, bool host_started)
{
	struct percpu *p = cpu < MAX_CPUS ? smp_alloc_percpu(cpu, apic_id) : NULL;
	int rc;

	if (!p) {
		pr_err("smp: no memory for cpu%u\n", cpu);
		return -ENOMEM;
	}
	p->host_started = host_started;
	percpu_table[cpu] = p;
	rc = arch_cpu_start(p);
	if (rc)
		pr_err("smp: cpu%u (APIC id %u) did not come online (%d)\n", cpu, apic_id, rc);
	return rc;
}

uint32_t smp_boot_secondaries(const struct boot_info *bi)
{
	uint32_t online = 1;

	smp_cpu_count = bi->nr_cpus ? bi->nr_cpus : 1;
	if (smp_cpu_count > MAX_CPUS) {
		pr_warn("smp: the partition has %u CPUs but this kernel supports %u (CONFIG_NR_CPUS)\n",
			smp_cpu_count, MAX_CPUS);
		smp_cpu_count = MAX_CPUS;
	}

	for (uint32_t cpu = 1; cpu < smp_cpu_count; cpu++) {
		if (smp_start_cpu(cpu, bi->cpus[cpu].apic_id, bi->cpus[cpu].host_started) == 0)
			online++;
	}
	return online;
}

int smp_add_cpu(uint32_t apic_id)
{
	uint32_t cpu = smp_cpu_count;
	int rc;

	if (cpu >= MAX_CPUS) {
		pr_err("smp: no room for another CPU (CONFIG_NR_CPUS is %u)\n", MAX_CPUS);
		return -ENOSPC;
	}
	for (uint32_t c = 0; c < cpu; c++) {
		if (percpu_of(c) && percpu_of(c)->apic_id == apic_id) {
			pr_err("smp: the CPU with APIC id %u is already ours\n", apic_id);
			return -EEXIST;
		}
	}
	/* The layer must hold state for the core before the core runs a line. */
	rc = vmm_cpu_add(cpu, apic_id);
	if (rc) {
		pr_err("smp: the protection layer refused the core with APIC id %u (%d)\n",
		       apic_id, rc);
		return rc;
	}
	rc = smp_start_cpu(cpu, apic_id, true);
	if (!rc)
		smp_cpu_count = cpu + 1;
	return rc;
}

int smp_start_foreign_cpu(uint32_t apic_id)
{
	return smp_start_cpu(smp_cpu_count, apic_id, false);
}

void smp_secondary_main(struct percpu *self)
{
	sched_init_cpu();
	kprintf("cpu%u: online, APIC id %u%s\n", self->cpu, self->apic_id,
		self->guarded ? ", guarded" : "");
	__atomic_store_n(&self->online, true, __ATOMIC_RELEASE);
	sched_idle_loop();
}

uint32_t smp_nr_online(void)
{
	uint32_t n = 0;

	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (percpu_table[cpu] && percpu_table[cpu]->online)
			n++;
	}
	return n;
}

uint32_t smp_nr_cpus(void)
{
	return smp_cpu_count;
}
