// SPDX-License-Identifier: GPL-2.0
/* 16550 UART on an I/O port: polled output, which is all a log needs. */
#include <cove/console.h>
#include <cove/serial16550.h>

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
	/* The same probe and line settings as a raw line's (115200 8N1, FIFO on). */
	if (!serial16550_raw_init(port))
		return false;

	serial_com.port = port;
	serial_console.name = "serial";
	serial_console.write = serial16550_write;
	serial_console.priv = &serial_com;
	console_register(&serial_console);
	return true;
}
