// SPDX-License-Identifier: GPL-2.0
/*
 * The host's console: COM1, polled. Bochs writes it to the serial log the
 * tests read, so this is where both the stand-in's lines and the enclave's
 * relayed console end up. Formatting and output are the kernel's own
 * (kernel/lib/kvsnprintf.c, drivers/serial16550_out.c), linked in.
 */
#include <cove/kvsnprintf.h>
#include <cove/serial16550.h>

#include "standin.h"
#include "x86.h"

#define COM1 0x3f8

void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts: we poll */
	outb(COM1 + 3, 0x80);	/* divisor latch */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFO on, cleared */
	outb(COM1 + 4, 0x03);
}

void print_raw(const char *s, size_t len)
{
	serial16550_out(COM1, s, len);
}

void print(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	print_raw(line, MIN((size_t)len, sizeof(line) - 1));
}
