/* SPDX-License-Identifier: GPL-2.0 */
/* The x86-64 part of each CPU's private block. */
#ifndef ARCH_PERCPU_ARCH_H
#define ARCH_PERCPU_ARCH_H

#include <cove/types.h>

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_USER_DS 0x1b
#define GDT_USER_CS 0x23
#define GDT_TSS 0x28
#define GDT_ENTRIES 7

/* Interrupt stack table slots (1-based, as the IDT encodes them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE 8192

struct arch_percpu {
	uint64_t gdt[GDT_ENTRIES] __aligned(16);
	struct tss64 tss __aligned(16);
	uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
	/* Where this core's xAPIC writes go instead of the MMIO page; set by itself. */
	void (*apic_write)(uint32_t reg, uint64_t value);
};

#endif /* ARCH_PERCPU_ARCH_H */
