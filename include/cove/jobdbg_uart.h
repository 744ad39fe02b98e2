/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bare mode's line for gdb (boot option gdb=com2): jobs started with
 * gdb=1 are debugged there (kernel/debug/jobdbg_uart.c, cove/jobdbg.h).
 */
#ifndef COVE_JOBDBG_UART_H
#define COVE_JOBDBG_UART_H

#include <cove/types.h>

#define JOBDBG_UART_COM2 0x2f8

/* The UART's I/O port, 0 for none; set once while the boot CPU parses options. */
void jobdbg_set_uart(uint16_t port);

#endif /* COVE_JOBDBG_UART_H */
