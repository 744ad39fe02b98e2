// SPDX-License-Identifier: GPL-2.0
/*
 * Fences around what enclaves own. A core or a memory block an enclave
 * runs on is offline as far as Linux knows, and nothing stops root from
 * onlining it again (echo 1 > cpuN/online, SMT control, echo online >
 * memoryN/state): Linux would send INIT to a core Cove is running on, or
 * hand out pages Cove is using. So the module refuses those onlines --
 * a CPU hotplug state that fails before the core is kicked, a memory
 * notifier that vetoes going online -- until the module itself gives the
 * resource back, which lifts the fence first.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/memory.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>

#include "cove.h"

#define COVE_FENCE_CPUS (COVE_CPUMASK_WORDS * 64)
#define COVE_FENCE_RANGES (COVE_MAX_ENCLAVES * COVE_MAX_RANGES)

/* What is fenced, and for which enclave; under cove_fence_lock. */
static DEFINE_SPINLOCK(cove_fence_lock);
static u32 cove_fence_cpu_owner[COVE_FENCE_CPUS];	/* enclave id, 0 = Linux's */
static struct {
	u64 base, size;
	u32 owner;				/* 0 = a free entry */
} cove_fence_mem[COVE_FENCE_RANGES];
static int cove_fence_hp_state = -1;

void cove_fence_cpu(unsigned int cpu, u32 owner)
{
	if (cpu >= COVE_FENCE_CPUS)
		return;		/* cove_cpus_from_mask never hands one out */
	spin_lock(&cove_fence_lock);
	cove_fence_cpu_owner[cpu] = owner;
	spin_unlock(&cove_fence_lock);
}

int cove_fence_mem_add(u64 base, u64 size, u32 owner)
{
	unsigned int i;
	int err = -ENOSPC;

	spin_lock(&cove_fence_lock);
	for (i = 0; i < COVE_FENCE_RANGES; i++) {
		if (!cove_fence_mem[i].owner) {
			cove_fence_mem[i].base = base;
			cove_fence_mem[i].size = size;
			cove_fence_mem[i].owner = owner;
			err = 0;
			break;
		}
	}
	spin_unlock(&cove_fence_lock);
	if (err)
		pr_err("cove: no room to fence memory %#llx+%#llx\n", base, size);
	return err;
}

void cove_fence_mem_del(u64 base, u64 size)
{
	unsigned int i;

	spin_lock(&cove_fence_lock);
	for (i = 0; i < COVE_FENCE_RANGES; i++) {
		if (cove_fence_mem[i].owner && cove_fence_mem[i].base == base &&
		    cove_fence_mem[i].size == size) {
			cove_fence_mem[i].owner = 0;
			break;
		}
	}
	spin_unlock(&cove_fence_lock);
}

/* Runs on the CPU doing the online, before the new core is sent INIT. */
static int cove_fence_cpu_prepare(unsigned int cpu)
{
	u32 owner = 0;

	spin_lock(&cove_fence_lock);
	if (cpu < COVE_FENCE_CPUS)
		owner = cove_fence_cpu_owner[cpu];
	spin_unlock(&cove_fence_lock);
	if (!owner)
		return 0;
	pr_err("cove: CPU %u belongs to enclave %u; Linux may not online it until "
	       "the enclave is destroyed\n", cpu, owner);
	return -EBUSY;
}

static int cove_fence_mem_notify(struct notifier_block *nb, unsigned long action, void *arg)
{
	const struct memory_notify *mn = arg;
	u64 base = PFN_PHYS(mn->start_pfn), size = PFN_PHYS(mn->nr_pages);
	unsigned int i;
	u32 owner = 0;

	if (action != MEM_GOING_ONLINE)
		return NOTIFY_OK;
	spin_lock(&cove_fence_lock);
	for (i = 0; i < COVE_FENCE_RANGES && !owner; i++) {
		if (cove_fence_mem[i].owner && base < cove_fence_mem[i].base + cove_fence_mem[i].size &&
		    cove_fence_mem[i].base < base + size)
			owner = cove_fence_mem[i].owner;
	}
	spin_unlock(&cove_fence_lock);
	if (!owner)
		return NOTIFY_OK;
	pr_err("cove: memory %#llx+%#llx belongs to enclave %u; Linux may not online it until "
	       "the enclave is destroyed\n", base, size, owner);
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block cove_fence_mem_nb = {
	.notifier_call = cove_fence_mem_notify,
};

int cove_fence_init(void)
{
	int err;

	err = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "cove/fence:prepare",
					cove_fence_cpu_prepare, NULL);
	if (err < 0)
		return err;
	cove_fence_hp_state = err;
	err = register_memory_notifier(&cove_fence_mem_nb);
	if (err) {
		cpuhp_remove_state_nocalls(cove_fence_hp_state);
		cove_fence_hp_state = -1;
	}
	return err;
}

void cove_fence_exit(void)
{
	unregister_memory_notifier(&cove_fence_mem_nb);
	if (cove_fence_hp_state >= 0)
		cpuhp_remove_state_nocalls(cove_fence_hp_state);
	cove_fence_hp_state = -1;
}
