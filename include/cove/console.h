/* SPDX-License-Identifier: GPL-2.0 */
/* Where log text goes: any number of registered sinks. */
#ifndef COVE_CONSOLE_H
#define COVE_CONSOLE_H

#include <cove/types.h>

struct console {
	const char *name;
	void (*write)(struct console *c, const char *s, size_t len);
	void *priv;
	struct console *next;
};

void console_register(struct console *c);
void console_write(const char *s, size_t len);

/*
 * The co-kernel log ring the host reads, in Cove's format (cove) or
 * Pisces's; false if the ring is malformed.
 */
bool host_console_init(phys_addr_t ring, uint64_t bytes, bool cove);

/* 16550 UART on an I/O port; returns false if nothing answers there. */
bool serial16550_init(uint16_t port);

#endif /* COVE_CONSOLE_H */
