// SPDX-License-Identifier: GPL-2.0
/*
 * NMIs that reach the stand-in's core. GRUB leaves no IDT a 64-bit program
 * can use, so an NMI sent from the enclave would end the host in a triple
 * fault (a reset under Bochs) and the run would show nothing. With this
 * one gate the host survives it and counts it: the unguarded harm of
 * nmi_foreign, shown. The doorbell (doorbell.c) adds its own gates; every
 * other vector stays absent.
 */
#include "standin.h"

#define NMI_VECTOR 2
#define KERNEL_CS 0x08		/* head.asm's 64-bit code segment */

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;	/* present, DPL 0, 64-bit interrupt gate */
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
volatile uint32_t nmi_seen;

void idt_set_gate(uint8_t vector, void (*entry)(void))
{
	uint64_t handler = (uint64_t)entry;

	idt[vector] = (struct idt_gate){
		.off_lo = (uint16_t)handler, .sel = KERNEL_CS, .type = 0x8e,
		.off_mid = (uint16_t)(handler >> 16), .off_hi = (uint32_t)(handler >> 32),
	};
}

void nmi_watch_arm(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

	idt_set_gate(NMI_VECTOR, nmi_entry);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

uint32_t nmi_count(void)
{
	return __atomic_load_n(&nmi_seen, __ATOMIC_ACQUIRE);
}
