// SPDX-License-Identifier: GPL-2.0
/*
 * Polled output to a 16550 UART, without state: the kernel's serial
 * console and the protection layer (which links its own copy and may not
 * call the kernel) both write through it.
 */
#include <cove/serial16550.h>
#include <arch/x86.h>

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

static void serial16550_putc(uint16_t port, char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (int i = 0; i < 100000; i++) {
		if (inb(port + UART_LSR) & UART_LSR_THRE)
			break;
	}
	outb(port + UART_THR, (uint8_t)c);
}

void serial16550_out(uint16_t port, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial16550_putc(port, '\r');
		serial16550_putc(port, s[i]);
	}
}
