/* SPDX-License-Identifier: GPL-2.0 */
/* x86-64 inlines behind the interface in <cove/arch.h>. */
#ifndef ARCH_ARCH_INLINE_H
#define ARCH_ARCH_INLINE_H

#include <cove/types.h>

struct percpu;

static inline void arch_cpu_relax(void)
{
	__builtin_ia32_pause();
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & (1UL << 9))
		__asm__ volatile("sti" : : : "memory");
}

/* Whether interrupts are on here (none of the caller's irq-safe locks is held). */
static inline bool arch_irqs_on(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
	return flags & (1UL << 9);
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* Sleep until the next interrupt, with interrupts enabled atomically. */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

static inline struct percpu *arch_this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

#endif /* ARCH_ARCH_INLINE_H */
