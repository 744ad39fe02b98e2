// SPDX-License-Identifier: GPL-2.0
/* Console sinks. Callers (klog) serialize; this file only fans out. */
#include <cove/console.h>

/* Registered once at boot by drivers, read by klog under its lock. */
static struct console *console_list;

void console_register(struct console *c)
{
	struct console **pp = &console_list;

	while (*pp)
		pp = &(*pp)->next;
	c->next = NULL;
	*pp = c;
}

void console_write(const char *s, size_t len)
{
	for (struct console *c = console_list; c; c = c->next)
		c->write(c, s, len);
}
