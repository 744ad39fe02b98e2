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

uint64_t kstack_alloc(void)
{
	int order = pmem_order_for(CONFIG_KSTACK_SIZE + PAGE_SIZE);
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
