/* SPDX-License-Identifier: GPL-2.0 */
/* A 16550 UART at an I/O port: polled output ('\n' becomes CR LF) and a raw line. */
#ifndef COVE_SERIAL16550_H
#define COVE_SERIAL16550_H

#include <cove/types.h>

void serial16550_out(uint16_t port, const char *s, size_t len);

/* A UART as a raw byte line (drivers/serial16550_raw.c): false if none at port. */
bool serial16550_raw_init(uint16_t port);
/* The next byte received, or -1 if none waits. */
int serial16550_raw_getc(uint16_t port);
/* Bytes as they are (no CR added). */
void serial16550_raw_write(uint16_t port, const char *s, size_t len);

#endif /* COVE_SERIAL16550_H */
