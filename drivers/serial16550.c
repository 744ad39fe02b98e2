// SPDX-License-Identifier: GPL-2.0
/* 16550 UART on an I/O port: polled output, which is all a log needs. */
#include <cove/console.h>
#include <cove/serial16550.h>
#include <arch/x86.h>

#define UART_IER 1
#define UART_DLL 0
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_SCR 7

struct serial16550 {
	uint16_t port;
};

/* One UART is enough for the log; owned by the boot CPU's init. */
static struct serial16550 serial_com;
static struct console serial_console;

static void serial16550_write(struct console *c, const char *s, size_t len)
{
	struct serial16550 *u = c->priv;

	serial16550_out(u->port, s, len);
}

bool serial16550_init(uint16_t port)
{
	/* The scratch register tells whether a UART sits at this port. */
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;

	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, 0x80);	/* divisor latch */
	outb(port + UART_DLL, 0x01);	/* 115200 baud */
	outb(port + UART_DLM, 0x00);
	outb(port + UART_LCR, 0x03);	/* 8N1 */
	outb(port + UART_FCR, 0xc7);	/* FIFO on, cleared */
	outb(port + UART_MCR, 0x03);	/* DTR, RTS; no interrupts */

	serial_com.port = port;
	serial_console.name = "serial";
	serial_console.write = serial16550_write;
	serial_console.priv = &serial_com;
	console_register(&serial_console);
	return true;
}
