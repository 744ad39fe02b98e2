// SPDX-License-Identifier: GPL-2.0
/* One IDT shared by every CPU; handlers for device vectors register here. */
#include <arch/percpu_arch.h>
#include <arch/trap.h>

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __packed;

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

extern const uint64_t isr_table[256];

/* Written once by the boot CPU in idt_init/irq_register before use. */
static struct idt_gate idt[256] __aligned(16);
static irq_handler_fn irq_handlers[256];

static void idt_set_gate(int vec, uint64_t handler, uint8_t ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = handler & 0xffff,
		.selector = GDT_KERNEL_CS,
		.ist = ist,
		.type_attr = 0x8e,	/* present, DPL 0, interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		idt_set_gate(v, isr_table[v], 0);
	/* These can hit with a broken stack: give them known-good ones. */
	idt[EXC_DOUBLE_FAULT].ist = IST_DOUBLE_FAULT;
	idt[EXC_NMI].ist = IST_NMI;
	idt[EXC_MACHINE_CHECK].ist = IST_MACHINE_CHECK;
}

void idt_load(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

void irq_register(uint8_t vector, irq_handler_fn fn)
{
	irq_handlers[vector] = fn;
}

irq_handler_fn irq_handler_of(uint8_t vector)
{
	return irq_handlers[vector];
}
