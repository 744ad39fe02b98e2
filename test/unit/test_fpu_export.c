// SPDX-License-Identifier: GPL-2.0
/*
 * NT_PRFPREG and NT_X86_XSTATE from a save area (arch/x86_64/kernel/
 * fpu_export.c): what gdb reads where Linux puts it, XCR0 at byte 464,
 * initial values for what the XSAVE header says is in its initial state
 * (whatever the area holds there), nothing of the area's software bytes.
 */
#include <string.h>
#include <arch/fpu_export.h>
#include "unit.h"

#define SIZE_AVX 832			/* legacy, header, AVX: CPUID 0xd for XCR0 7 */

static uint8_t area[1024] __attribute__((aligned(64)));
static uint8_t out[1024];

static uint64_t u64_at(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static uint32_t u32_at(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static int all_zero(const uint8_t *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (b[i])
			return 0;
	}
	return 1;
}

/* An area full of stale bytes (0xa5), with the header's features bv. */
static void area_fill(uint64_t bv)
{
	uint16_t fcw = 0x027f;
	uint32_t mxcsr = 0x1fa0;

	memset(area, 0xa5, sizeof(area));
	memcpy(area, &fcw, sizeof(fcw));
	memcpy(area + 24, &mxcsr, sizeof(mxcsr));
	memset(area + 512, 0, 64);
	memcpy(area + 512, &bv, sizeof(bv));
}

TEST(fpu_export_fxsave_only)
{
	struct fpu_format fmt = { .xcr0 = 0, .size = 512, .mxcsr_mask = 0xffff };

	area_fill(0);			/* no header with FXSAVE: its bytes mean nothing */
	memset(out, 0x11, sizeof(out));
	fpu_export_legacy(&fmt, area, out);
	CHECK(!memcmp(out, area, 416));
	CHECK(all_zero(out, 416, 512));	/* padding and software bytes */
	CHECK_EQ(out[512], 0x11);	/* nothing past the image */
}

TEST(fpu_export_xsave_in_use)
{
	struct fpu_format fmt = { .xcr0 = 7, .size = SIZE_AVX, .mxcsr_mask = 0xffff };

	area_fill(7);
	memset(out, 0x11, sizeof(out));
	fpu_export_xstate(&fmt, area, out);
	CHECK(!memcmp(out, area, 416));
	CHECK(all_zero(out, 416, 464));
	CHECK_EQ(u64_at(out, 464), 7);	/* XCR0, where gdb reads it */
	CHECK(all_zero(out, 472, 512));
	CHECK_EQ(u64_at(out, 512), 7);
	CHECK(all_zero(out, 520, 576));	/* XCOMP_BV and the reserved bytes */
	CHECK(!memcmp(out + 576, area + 576, 256));
	CHECK_EQ(out[SIZE_AVX], 0x11);

	memset(out, 0x11, sizeof(out));
	fpu_export_legacy(&fmt, area, out);
	CHECK(!memcmp(out, area, 416));
	CHECK(all_zero(out, 416, 512));
	CHECK_EQ(out[512], 0x11);
}

TEST(fpu_export_initial_state)
{
	struct fpu_format fmt = { .xcr0 = 7, .size = SIZE_AVX, .mxcsr_mask = 0x2ffff };

	/* Nothing in use: XSAVE may have left stale bytes everywhere. */
	area_fill(0);
	fpu_export_xstate(&fmt, area, out);
	CHECK_EQ(u32_at(out, 0), 0x037f);	/* FCW; FSW zero */
	CHECK(all_zero(out, 4, 24));		/* tags, opcode, pointers */
	CHECK_EQ(u32_at(out, 24), 0x1f80);
	CHECK_EQ(u32_at(out, 28), 0x2ffff);	/* the CPU's MXCSR mask */
	CHECK(all_zero(out, 32, 464));		/* ST0-7, XMM0-15, padding */
	CHECK_EQ(u64_at(out, 464), 7);
	CHECK(all_zero(out, 512, SIZE_AVX));	/* no features; YMM upper halves zero */

	fpu_export_legacy(&fmt, area, out);
	CHECK_EQ(u32_at(out, 0), 0x037f);
	CHECK_EQ(u32_at(out, 24), 0x1f80);
	CHECK(all_zero(out, 32, 512));
}

TEST(fpu_export_partly_initial)
{
	struct fpu_format fmt = { .xcr0 = 7, .size = SIZE_AVX, .mxcsr_mask = 0xffff };

	/* AVX in use, SSE not: MXCSR is AVX's too, XMM0-15 are SSE's. */
	area_fill(4);
	fpu_export_xstate(&fmt, area, out);
	CHECK_EQ(u32_at(out, 0), 0x037f);
	CHECK_EQ(u32_at(out, 24), 0x1fa0);
	CHECK(all_zero(out, 160, 416));
	CHECK_EQ(u64_at(out, 512), 4);
	CHECK(!memcmp(out + 576, area + 576, 256));

	/* x87 and SSE in use, AVX not: its upper halves read as zero. */
	area_fill(3);
	fpu_export_xstate(&fmt, area, out);
	CHECK_EQ(u32_at(out, 0) & 0xffff, 0x027f);
	CHECK(!memcmp(out + 160, area + 160, 256));
	CHECK(all_zero(out, 576, SIZE_AVX));
}

TEST(fpu_export_foreign_features)
{
	struct fpu_format fmt = { .xcr0 = 3, .size = 576, .mxcsr_mask = 0xffff };

	/* A header bit XCR0 lacks is not the thread's: not passed on. */
	area_fill(0x207);
	memset(out, 0x11, sizeof(out));
	fpu_export_xstate(&fmt, area, out);
	CHECK_EQ(u64_at(out, 512), 3);
	CHECK_EQ(u64_at(out, 464), 3);
	CHECK_EQ(out[576], 0x11);
}
