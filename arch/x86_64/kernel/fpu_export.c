// SPDX-License-Identifier: GPL-2.0
/*
 * Saved FPU state in the layout Linux gives ptrace and core files. Linux
 * (arch/x86/kernel/fpu/xstate.c, copy of an xstate to a user buffer)
 * writes the initial value of every component whose XSAVE header bit is
 * clear, zeroes the legacy area's padding and puts the features it
 * enabled in the software-reserved word at 464; gdb reads XCR0 from there
 * to know which registers the core has.
 */
#include <cove/string.h>
#include <arch/fpu_export.h>

#define XFEATURE_FP (1ULL << 0)
#define XFEATURE_SSE (1ULL << 1)
#define XFEATURE_YMM (1ULL << 2)

/* Offsets in the FXSAVE image and the standard XSAVE format. */
#define OFF_MXCSR 24
#define OFF_ST 32
#define OFF_XMM 160
#define OFF_PAD 416
#define OFF_SW 464
#define OFF_HDR 512
#define OFF_YMM 576			/* fixed by the architecture for AVX */
#define YMM_SIZE 256
#define FCW_INIT 0x037f
#define MXCSR_INIT 0x1f80

/* The header's features that are saved; FXSAVE saves x87 and SSE always. */
static uint64_t fpu_export_features(const struct fpu_format *fmt, const uint8_t *area)
{
	uint64_t bv;

	if (!fmt->xcr0)
		return XFEATURE_FP | XFEATURE_SSE;
	memcpy(&bv, area + OFF_HDR, sizeof(bv));
	return bv & fmt->xcr0;
}

static void fpu_export_fx(const struct fpu_format *fmt, const uint8_t *area, uint64_t bv,
			  uint8_t *out)
{
	uint16_t fcw = FCW_INIT;
	uint32_t mxcsr[2] = { MXCSR_INIT, fmt->mxcsr_mask };

	memcpy(out, area, OFF_PAD);
	memset(out + OFF_PAD, 0, FPU_LEGACY_SIZE - OFF_PAD);
	if (!(bv & XFEATURE_FP)) {
		/* FCW 0x37f, all else (FSW, tags, pointers, ST0-7) zero. */
		memset(out, 0, OFF_MXCSR);
		memcpy(out, &fcw, sizeof(fcw));
		memset(out + OFF_ST, 0, OFF_XMM - OFF_ST);
	}
	/* MXCSR belongs to SSE and AVX alike: XSAVE writes it for either. */
	if (!(bv & (XFEATURE_SSE | XFEATURE_YMM)))
		memcpy(out + OFF_MXCSR, mxcsr, sizeof(mxcsr));
	if (!(bv & XFEATURE_SSE))
		memset(out + OFF_XMM, 0, OFF_PAD - OFF_XMM);
}

void fpu_export_legacy(const struct fpu_format *fmt, const void *area, void *out)
{
	fpu_export_fx(fmt, area, fpu_export_features(fmt, area), out);
}

void fpu_export_xstate(const struct fpu_format *fmt, const void *area, void *out)
{
	const uint8_t *in = area;
	uint8_t *o = out;
	uint64_t bv = fpu_export_features(fmt, in);

	fpu_export_fx(fmt, in, bv, o);
	memcpy(o + OFF_SW, &fmt->xcr0, sizeof(fmt->xcr0));
	/* The header: the saved features only, the rest (XCOMP_BV too) zero. */
	memset(o + OFF_HDR, 0, FPU_XSTATE_MIN - OFF_HDR);
	memcpy(o + OFF_HDR, &bv, sizeof(bv));
	if (fmt->size <= FPU_XSTATE_MIN)
		return;
	/*
	 * Cove enables no component past AVX (fpu.c), so the extended area
	 * is AVX's alone where it is enabled; anything else is copied as is.
	 */
	memcpy(o + FPU_XSTATE_MIN, in + FPU_XSTATE_MIN, fmt->size - FPU_XSTATE_MIN);
	if ((fmt->xcr0 & XFEATURE_YMM) && !(bv & XFEATURE_YMM) &&
	    fmt->size >= OFF_YMM + YMM_SIZE)
		memset(o + OFF_YMM, 0, YMM_SIZE);
}
