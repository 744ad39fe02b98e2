/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thread's saved FPU state as Linux hands it to ptrace and core files
 * (NT_PRFPREG, NT_X86_XSTATE), for gdb to read. Pure layout code: the
 * save area's format comes in as parameters, so host unit tests run it.
 */
#ifndef ARCH_FPU_EXPORT_H
#define ARCH_FPU_EXPORT_H

#include <cove/types.h>

#define FPU_LEGACY_SIZE 512		/* the FXSAVE image: struct user_fpregs_struct */
#define FPU_XSTATE_MIN 576		/* legacy area and XSAVE header */

/* What the exporter needs to know of the save area (fpu_format fills it). */
struct fpu_format {
	uint64_t xcr0;			/* features XSAVE saves; 0: FXSAVE only */
	uint32_t size;			/* bytes of a save area */
	uint32_t mxcsr_mask;		/* the CPU's, for MXCSR's initial state */
};

/*
 * The 512-byte FXSAVE image: what the area holds, with the initial values
 * of x87/SSE state the XSAVE header says is in its initial state (XSAVE
 * need not write those) and bytes 416..511 zero.
 */
void fpu_export_legacy(const struct fpu_format *fmt, const void *area, void *out);
/*
 * The XSAVE image (fmt->size bytes, fmt->xcr0 non-zero): the legacy part
 * as above, XCR0 in bytes 464..471 where gdb looks for it, a header with
 * only the features saved, each extended component the header marks as in
 * its initial state zero.
 */
void fpu_export_xstate(const struct fpu_format *fmt, const void *area, void *out);

#endif /* ARCH_FPU_EXPORT_H */
