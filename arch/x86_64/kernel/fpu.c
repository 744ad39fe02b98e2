// SPDX-License-Identifier: GPL-2.0
/* User FPU state: XSAVE when the CPU has it (AVX for user code), else FXSAVE. */
#include <cove/errno.h>
#include <cove/string.h>
#include <arch/fpu.h>
#include <arch/fpu_export.h>
#include <arch/x86.h>

#define CR0_MP (1UL << 1)
#define CR0_EM (1UL << 2)
#define CR0_NE (1UL << 5)
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_OSXSAVE (1UL << 18)
#define XCR0_WANTED 0x7ULL	/* x87, SSE, AVX: what QEMU TCG and Bochs model */
#define FPU_MAX_SIZE 4096

/* Chosen once by the boot CPU in fpu_init_boot; read-only afterwards. */
static bool fpu_use_xsave;
static uint64_t fpu_xcr0;
static size_t fpu_size = 512;
static uint8_t fpu_clean[FPU_MAX_SIZE] __aligned(64);
static uint32_t fpu_mxcsr_mask = 0xffbf;	/* the CPU's, from its FXSAVE image */

/* Where FXSAVE/XSAVE keep MXCSR, its mask, and the XSAVE header. */
#define FPU_OFF_MXCSR 24
#define FPU_OFF_MXCSR_MASK 28
#define FPU_OFF_XSAVE_HDR 512
#define XSTATE_LEGACY 0x3ULL		/* x87 and SSE: what the FXSAVE area holds */

static inline void xsetbv(uint32_t idx, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(idx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

void fpu_init_cpu(void)
{
	uint64_t cr0, cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~CR0_EM) | CR0_MP | CR0_NE;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	if (fpu_use_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (fpu_use_xsave)
		xsetbv(0, fpu_xcr0);
}

void fpu_init_boot(void)
{
	uint32_t a, b, c, d;
	uint32_t mxcsr = 0x1f80;

	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1U << 26)) {
		cpuid(0xd, 0, &a, &b, &c, &d);
		fpu_xcr0 = (((uint64_t)d << 32) | a) & XCR0_WANTED;
		fpu_use_xsave = true;
	}
	fpu_init_cpu();
	if (fpu_use_xsave) {
		cpuid(0xd, 0, &a, &b, &c, &d);
		fpu_size = b;		/* size for the features enabled in XCR0 */
		if (fpu_size > FPU_MAX_SIZE) {
			fpu_use_xsave = false;
			fpu_size = 512;
		}
	}
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
	memset(fpu_clean, 0, sizeof(fpu_clean));
	fpu_save(fpu_clean);
	memcpy(&fpu_mxcsr_mask, fpu_clean + FPU_OFF_MXCSR_MASK, sizeof(fpu_mxcsr_mask));
	if (!fpu_mxcsr_mask)
		fpu_mxcsr_mask = 0xffbf;	/* the architectural default */
}

bool fpu_has_xsave(void)
{
	return fpu_use_xsave;
}

uint64_t fpu_xfeatures(void)
{
	return fpu_use_xsave ? fpu_xcr0 : XSTATE_LEGACY;
}

int fpu_check_user(void *area, bool legacy_only)
{
	uint8_t *b = area;
	uint32_t mxcsr;
	uint64_t hdr[8];

	/* Reserved MXCSR bits would make FXRSTOR/XRSTOR fault (#GP) in the kernel. */
	memcpy(&mxcsr, b + FPU_OFF_MXCSR, sizeof(mxcsr));
	if (mxcsr & ~fpu_mxcsr_mask)
		return -EINVAL;
	if (!fpu_use_xsave)
		return 0;
	memcpy(hdr, b + FPU_OFF_XSAVE_HDR, sizeof(hdr));
	if (legacy_only) {
		/* Only the FXSAVE part came from the program: the rest starts clean. */
		memset(hdr, 0, sizeof(hdr));
		hdr[0] = XSTATE_LEGACY;
		memcpy(b + FPU_OFF_XSAVE_HDR, hdr, sizeof(hdr));
		return 0;
	}
	/*
	 * XRSTOR faults on a feature XCR0 lacks, on the compacted format, and
	 * on any reserved header byte set: Linux refuses such a frame too.
	 */
	if (hdr[0] & ~fpu_xcr0)
		return -EINVAL;
	for (size_t i = 1; i < ARRAY_SIZE(hdr); i++) {
		if (hdr[i])
			return -EINVAL;
	}
	return 0;
}

size_t fpu_state_size(void)
{
	return fpu_size;
}

void fpu_state_init(void *area)
{
	memcpy(area, fpu_clean, fpu_size);
}

void fpu_save(void *area)
{
	if (fpu_use_xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"((uint32_t)fpu_xcr0),
				 "d"((uint32_t)(fpu_xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	if (fpu_use_xsave)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"((uint32_t)fpu_xcr0),
				 "d"((uint32_t)(fpu_xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void fpu_get_format(struct fpu_format *fmt)
{
	fmt->xcr0 = fpu_use_xsave ? fpu_xcr0 : 0;
	fmt->size = (uint32_t)fpu_size;
	fmt->mxcsr_mask = fpu_mxcsr_mask;
}

