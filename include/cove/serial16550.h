/* SPDX-License-Identifier: GPL-2.0 */
/* Polled output to a 16550 UART at an I/O port ('\n' becomes CR LF). */
#ifndef COVE_SERIAL16550_H
#define COVE_SERIAL16550_H

#include <cove/types.h>

void serial16550_out(uint16_t port, const char *s, size_t len);

#endif /* COVE_SERIAL16550_H */
