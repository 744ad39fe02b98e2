// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550 UART as a raw byte line, polled, no console: what a debugger on
 * a second serial port talks over (cove/serial16550.h).
 */
#include <cove/serial16550.h>
#include <arch/x86.h>

#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_DLL 0
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20

bool serial16550_raw_init(uint16_t port)
{
	/* The scratch register tells whether a UART sits at this port. */
	outb(port + UART_SCR, 0xa5);
	if (inb(port + UART_SCR) != 0xa5)
		return false;
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, 0x80);	/* divisor latch */
	outb(port + UART_DLL, 0x01);	/* 115200 baud */
	outb(port + UART_DLM, 0x00);
	outb(port + UART_LCR, 0x03);	/* 8N1 */
	outb(port + UART_FCR, 0xc7);	/* FIFO on, cleared */
	outb(port + UART_MCR, 0x03);	/* DTR, RTS; no interrupts */
	return true;
}

int serial16550_raw_getc(uint16_t port)
{
	return inb(port + UART_LSR) & UART_LSR_DR ? inb(port + UART_RBR) : -1;
}

void serial16550_raw_write(uint16_t port, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* Bounded wait: a missing UART must not hang the kernel. */
		for (int n = 0; n < 100000 && !(inb(port + UART_LSR) & UART_LSR_THRE); n++)
			;
		outb(port + UART_THR, (uint8_t)s[i]);
	}
}
