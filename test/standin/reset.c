// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the machine was reset under the stand-in. A platform reset or a
 * triple fault the layer did not contain takes the whole (emulated)
 * machine down, the host with it: the firmware and GRUB boot the stand-in
 * again from the start. A mark in battery-backed CMOS RAM, set while the
 * enclave runs and cleared once its cores are back, survives that and
 * tells the next boot what happened.
 */
#include "standin.h"
#include "x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_MARK_REG 0x7d	/* past what the BIOS keeps there (0x10-0x5f) */
#define CMOS_MARK 0xc5

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

/* True if the last boot left its mark: an enclave ran and the machine reset. */
bool reset_mark_take(void)
{
	bool seen = cmos_read(CMOS_MARK_REG) == CMOS_MARK;

	cmos_write(CMOS_MARK_REG, 0);
	return seen;
}

void reset_mark_set(void)
{
	cmos_write(CMOS_MARK_REG, CMOS_MARK);
}

void reset_mark_clear(void)
{
	cmos_write(CMOS_MARK_REG, 0);
}
