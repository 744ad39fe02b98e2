/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's x86 wrappers (arch/x86.h), and the few more the stand-in needs. */
#ifndef STANDIN_X86_H
#define STANDIN_X86_H

#include <arch/x86.h>

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Order our plain stores before the store that publishes them. */
static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

#endif /* STANDIN_X86_H */
