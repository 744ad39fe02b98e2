// SPDX-License-Identifier: GPL-2.0
/* The CMOS real-time clock, read once at boot for CLOCK_REALTIME. */
#include <cove/timer.h>
#include <arch/platform.h>
#include <arch/x86.h>

static uint8_t rtc_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static uint32_t rtc_bcd(uint8_t v, bool binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t rtc_days(uint32_t y, uint32_t m, uint32_t d)
{
	y -= m <= 2;
	uint32_t era = y / 400, yoe = y - era * 400;
	uint32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (uint64_t)era * 146097 + doe - 719468;
}

uint64_t arch_read_rtc_epoch(void)
{
	uint8_t sec, min, hour, day, mon, year, status_b;
	bool binary;

	if (platform_epoch_s)	/* co-kernel: the CMOS ports are the host's */
		return platform_epoch_s;

	/* Wait out an update in progress so the fields agree. */
	for (int i = 0; i < 100000 && (rtc_read(0x0a) & 0x80); i++)
		;
	sec = rtc_read(0x00);
	min = rtc_read(0x02);
	hour = rtc_read(0x04);
	day = rtc_read(0x07);
	mon = rtc_read(0x08);
	year = rtc_read(0x09);
	status_b = rtc_read(0x0b);
	binary = status_b & 0x04;
	if (!(status_b & 0x02) && (hour & 0x80))	/* 12-hour clock, PM */
		hour = (uint8_t)(((rtc_bcd(hour & 0x7f, binary) % 12) + 12));
	else
		hour = (uint8_t)rtc_bcd(hour, binary);
	return rtc_days(2000 + rtc_bcd(year, binary), rtc_bcd(mon, binary),
			rtc_bcd(day, binary)) * 86400 +
	       hour * 3600 + rtc_bcd(min, binary) * 60 + rtc_bcd(sec, binary);
}
