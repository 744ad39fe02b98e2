// SPDX-License-Identifier: GPL-2.0
/*
 * Enclave cores: take them away from Linux, start them in Cove through our
 * own real-mode trampoline, stop them and give them back.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <asm/apic.h>
#include <asm/smp.h>

#include "cove.h"

/*
 * Linux keeps the first MiB to itself and never frees it, so no page there
 * can be allocated; we borrow one (saving and restoring its bytes) while
 * CPU hotplug is disabled. The page at 4 KiB is plain RAM that nothing uses
 * after boot on the machines we run on (Linux's own trampoline sits near the
 * top of the low MiB); the parameter moves it elsewhere.
 */
static unsigned long trampoline_pa = 0x1000;
module_param(trampoline_pa, ulong, 0444);
MODULE_PARM_DESC(trampoline_pa, "physical page below 1 MiB borrowed for the core trampoline");

/* One borrowed page for every enclave: one batch of cores through it at a time. */
static DEFINE_MUTEX(cove_tramp_lock);

unsigned long cove_trampoline_pa(void)
{
	return trampoline_pa;
}

int cove_cpus_from_mask(const __u64 *mask, unsigned int *cpus, unsigned int *nr)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < COVE_CPUMASK_WORDS * 64; cpu++) {
		if (!(mask[cpu / 64] & BIT_ULL(cpu % 64)))
			continue;
		if (cpu >= nr_cpu_ids || !cpu_present(cpu)) {
			pr_err("cove: CPU %u does not exist\n", cpu);
			return -EINVAL;
		}
		if (cpu == 0) {
			pr_err("cove: CPU 0 stays with Linux\n");
			return -EINVAL;
		}
		if (cove_cpu_taken(cpu)) {
			pr_err("cove: CPU %u already belongs to an enclave\n", cpu);
			return -EBUSY;
		}
		if (!cpu_online(cpu)) {
			pr_err("cove: CPU %u is offline\n", cpu);
			return -EINVAL;
		}
		if (n == COVE_MAX_ENCLAVE_CPUS) {
			pr_err("cove: more than %d cores\n", COVE_MAX_ENCLAVE_CPUS);
			return -EINVAL;
		}
		cpus[n++] = cpu;
	}
	*nr = n;
	return 0;
}

/* Fenced first: from the moment it goes, only the module brings it back. */
int cove_cpus_offline(u32 owner, const unsigned int *cpus, unsigned int nr)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++) {
		cove_fence_cpu(cpus[i], owner);
		err = remove_cpu(cpus[i]);
		if (err) {
			pr_err("cove: could not take CPU %u from Linux (%d)\n", cpus[i], err);
			cove_fence_cpu(cpus[i], 0);
			cove_cpus_online(cpus, i);
			return err;
		}
	}
	return 0;
}

void cove_cpus_online(const unsigned int *cpus, unsigned int nr)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++) {
		cove_fence_cpu(cpus[i], 0);
		err = add_cpu(cpus[i]);
		if (err)
			pr_err("cove: could not give CPU %u back to Linux (%d)\n", cpus[i], err);
	}
}

u32 cove_apic_id(unsigned int cpu)
{
	return per_cpu(x86_cpu_to_apicid, cpu);
}

static void cove_icr(u32 low, u32 apic_id)
{
	unsigned long flags;

	local_irq_save(flags);
	apic->wait_icr_idle();
	apic->icr_write(low, apic_id);
	apic->wait_icr_idle();
	local_irq_restore(flags);
}

static void cove_send_init(u32 apic_id)
{
	cove_icr(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT, apic_id);
	cove_icr(APIC_INT_LEVELTRIG | APIC_DM_INIT, apic_id);
}

void cove_doorbell(struct cove_enclave *e)
{
	cove_icr(APIC_DEST_PHYSICAL | APIC_DM_FIXED | COVE_DOORBELL_VECTOR, e->apic_ids[0]);
}

/*
 * Cove takes an NMI it did not ask for as fatal: registers and a
 * symbolized backtrace on its console, then it stops its cores.
 */
void cove_nmi_boot_core(struct cove_enclave *e)
{
	cove_icr(APIC_DEST_PHYSICAL | APIC_DM_NMI, e->apic_ids[0]);
}

/* Stop enclave cores: they end up waiting for a SIPI. */
void cove_init_cpus(const u32 *apic_ids, unsigned int nr)
{
	unsigned int i, round;

	/* The first INIT may be taken by Cove's protection layer. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < nr; i++)
			cove_send_init(apic_ids[i]);
		msleep(10);
	}
}

static void cove_put32(void *page, const u8 *field, u32 val)
{
	memcpy(page + (field - cove_tramp_start), &val, sizeof(val));
}

static void cove_put64(void *page, const u8 *field, u64 val)
{
	memcpy(page + (field - cove_tramp_start), &val, sizeof(val));
}

/* Has core i (index in e->cpus) left the trampoline? */
static bool cove_cpu_left(struct cove_enclave *e, unsigned int i)
{
	struct cove_boot_tail *t = &e->bp->tail;

	if (i == 0)
		return READ_ONCE(t->state) >= COVE_STATE_BOOTING;
	return READ_ONCE(t->cpus[i].arrived) == 1;
}

/*
 * One batch of cores through the trampoline page (already holding the
 * trampoline) into entry: INIT, 10 ms, SIPI, 200 us, SIPI, then wait until
 * each has left the trampoline (the boot core says so by moving tail.state
 * to BOOTING, the others by setting arrived in their tail entry). Cores
 * that did not make it are stopped with INIT.
 */
static int cove_start_batch(struct cove_enclave *e, void *page, unsigned int first,
			    unsigned int nr, u64 entry, unsigned long deadline)
{
	unsigned int i, vector = trampoline_pa >> PAGE_SHIFT;
	bool all;
	int err = 0;

	cove_put64(page, cove_tramp_entry, e->mem[0].base + entry);
	wmb();
	for (i = first; i < first + nr; i++)
		cove_send_init(e->apic_ids[i]);
	msleep(10);
	for (i = first; i < first + nr; i++)
		cove_icr(APIC_DEST_PHYSICAL | APIC_DM_STARTUP | vector, e->apic_ids[i]);
	udelay(200);
	for (i = first; i < first + nr; i++)
		cove_icr(APIC_DEST_PHYSICAL | APIC_DM_STARTUP | vector, e->apic_ids[i]);

	for (;;) {
		all = true;
		for (i = first; i < first + nr; i++)
			all = all && cove_cpu_left(e, i);
		if (all)
			break;
		if (READ_ONCE(e->bp->tail.state) >= COVE_STATE_STOPPED) {
			pr_err("cove %u: Cove stopped while its cores were starting\n", e->id);
			err = -EIO;
			break;
		}
		if (time_after(jiffies, deadline)) {
			err = -ETIMEDOUT;
			break;
		}
		usleep_range(1000, 2000);
	}
	if (err) {
		for (i = first; i < first + nr; i++) {
			if (cove_cpu_left(e, i))
				continue;
			pr_err("cove %u: CPU %u (APIC %u) did not leave the trampoline\n",
			       e->id, e->cpus[i], e->apic_ids[i]);
			cove_send_init(e->apic_ids[i]);
		}
		msleep(10);
	}
	return err;
}

/*
 * Start cores e->cpus[first .. first + nr): the boot core (index 0) at the
 * kernel's entry, every other core at the protection layer's (cpu_entry),
 * where it waits until the layer releases it. Those go first, so they are
 * waiting by the time the kernel asks the layer for them.
 */
int cove_start_cpus(struct cove_enclave *e, unsigned int first, unsigned int nr,
		    unsigned int timeout_ms)
{
	size_t len = cove_tramp_end - cove_tramp_start;
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	void *page, *saved;
	int err = 0;

	if (trampoline_pa >= SZ_1M || offset_in_page(trampoline_pa) ||
	    !page_is_ram(trampoline_pa >> PAGE_SHIFT)) {
		pr_err("cove: trampoline_pa %#lx is not a page of RAM below 1 MiB\n", trampoline_pa);
		return -EINVAL;
	}
	if (e->lay.entry + e->mem[0].base < e->mem[0].base ||
	    e->lay.cpu_entry + e->mem[0].base < e->mem[0].base) {
		pr_err("cove: entry point overflows\n");
		return -EINVAL;
	}
	saved = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!saved)
		return -ENOMEM;
	page = memremap(trampoline_pa, PAGE_SIZE, MEMREMAP_WB);
	if (!page) {
		kfree(saved);
		return -ENOMEM;
	}

	mutex_lock(&cove_tramp_lock);
	cpu_hotplug_disable();
	memcpy(saved, page, PAGE_SIZE);
	memcpy(page, cove_tramp_start, len);
	cove_put32(page, cove_tramp_gdt_desc + 2, trampoline_pa + (cove_tramp_gdt - cove_tramp_start));
	cove_put32(page, cove_tramp_pm_ptr, trampoline_pa + (cove_tramp_pm32 - cove_tramp_start));
	cove_put32(page, cove_tramp_lm_ptr, trampoline_pa + (cove_tramp_lm64 - cove_tramp_start));
	cove_put32(page, cove_tramp_cr3, page_to_phys(e->tables));
	cove_put32(page, cove_tramp_pfn, e->mem[0].base >> PAGE_SHIFT);

	if (first == 0) {
		if (nr > 1)
			err = cove_start_batch(e, page, 1, nr - 1, e->lay.cpu_entry, deadline);
		if (!err)
			err = cove_start_batch(e, page, 0, 1, e->lay.entry, deadline);
	} else {
		err = cove_start_batch(e, page, first, nr, e->lay.cpu_entry, deadline);
	}

	memcpy(page, saved, PAGE_SIZE);
	cpu_hotplug_enable();
	mutex_unlock(&cove_tramp_lock);
	memunmap(page);
	kfree(saved);
	return err;
}
