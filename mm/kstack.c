// SPDX-License-Identifier: GPL-2.0
/* Guarded kernel stacks: [guard page][stack ... top) in one buddy block. */
#include <cove/kmap.h>
#include <cove/kstack.h>
#include <cove/percpu.h>
#include <cove/pmem.h>
#include <cove/spinlock.h>
#include <generated/config.h>

#define KSTACK_MAX_GUARDS (MAX_CPUS + 1)

/* Guard pages handed out so far; appended under kstack_lock, never removed. */
static uint64_t kstack_guards[KSTACK_MAX_GUARDS];
static uint32_t kstack_nr_guards;
static spinlock_t kstack_lock = SPINLOCK_INIT;

void kstack_register_guard(uint64_t va)
{
	unsigned long flags = spin_lock_irqsave(&kstack_lock);

	if (kstack_nr_guards < KSTACK_MAX_GUARDS)
		kstack_guards[kstack_nr_guards++] = ALIGN_DOWN(va, PAGE_SIZE);
	spin_unlock_irqrestore(&kstack_lock, flags);
}

bool kstack_is_guard(uint64_t addr)
{
	/* Read without the lock: called from fault reports, entries never change. */
	for (uint32_t i = 0; i < kstack_nr_guards; i++) {
		if (addr - kstack_guards[i] < PAGE_SIZE)
			return true;
	}
	return false;
}

static int kstack_order(void)
{
	return pmem_order_for(CONFIG_KSTACK_SIZE + PAGE_SIZE);
}

void kstack_free(uint64_t top)
{
	int order = kstack_order();
	uint64_t base = top - (PAGE_SIZE << order);
	unsigned long flags;

	flags = spin_lock_irqsave(&kstack_lock);
	for (uint32_t i = 0; i < kstack_nr_guards; i++) {
		if (kstack_guards[i] == base) {
			kstack_guards[i] = kstack_guards[--kstack_nr_guards];
			break;
		}
	}
	spin_unlock_irqrestore(&kstack_lock, flags);
	/* The guard becomes ordinary memory again before the block is reused. */
	if (kmap_restore_direct(virt_to_phys((void *)base), PAGE_SIZE))
		return;		/* leak rather than hand out an unmapped page */
	pmem_free(virt_to_phys((void *)base), (unsigned int)order);
}

uint64_t kstack_alloc(void)
{
	int order = kstack_order();
	phys_addr_t pa;
	uint64_t base;

	if (order < 0 || pmem_alloc((unsigned int)order, &pa))
		return 0;
	base = (uint64_t)phys_to_virt(pa);
	if (kmap_unmap(base, PAGE_SIZE)) {
		pmem_free(pa, (unsigned int)order);
		return 0;
	}
	kstack_register_guard(base);
	return base + (PAGE_SIZE << order);
}
