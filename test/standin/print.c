// SPDX-License-Identifier: GPL-2.0
/*
 * The host's console: COM1, polled. Bochs writes it to the serial log the
 * tests read, so this is where both the stand-in's lines and the enclave's
 * relayed console end up. A small formatter: %s %c %d %u %x with l/ll and a
 * zero-padded width, which is all the stand-in prints.
 */
#include <stdarg.h>

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

static void serial_put(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		cpu_relax();
	outb(COM1, (uint8_t)c);
}

void print_raw(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_put('\r');
		serial_put(s[i]);
	}
}

static void put_num(uint64_t v, unsigned int base, int width, bool neg)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (n < width--)
		serial_put('0');
	while (n)
		serial_put(buf[--n]);
}

void print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		uint64_t u;
		int64_t s;

		if (*fmt != '%') {
			if (*fmt == '\n')
				serial_put('\r');
			serial_put(*fmt);
			continue;
		}
		fmt++;
		while (*fmt == '0')
			fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *str = va_arg(ap, const char *);

			print_raw(str ? str : "(null)", strlen(str ? str : "(null)"));
			break;
		}
		case 'c':
			serial_put((char)va_arg(ap, int));
			break;
		case 'd':
			s = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(s < 0 ? -(uint64_t)s : (uint64_t)s, 10, width, s < 0);
			break;
		case 'u':
		case 'x':
			u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			put_num(u, *fmt == 'u' ? 10 : 16, width, false);
			break;
		case '%':
			serial_put('%');
			break;
		default:	/* not one of ours: show it rather than guess */
			serial_put('%');
			serial_put(*fmt);
			break;
		case '\0':
			fmt--;
			break;
		}
	}
	va_end(ap);
}
