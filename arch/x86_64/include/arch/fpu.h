/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User FPU/SSE/AVX state. The kernel itself never touches these registers
 * (it is built without SSE), so state is saved and restored only when the
 * CPU switches between user tasks.
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <cove/types.h>

struct fpu_format;

/* Boot CPU: pick XSAVE or FXSAVE and capture a clean initial state. */
void fpu_init_boot(void);
/* Every CPU: enable SSE (and XSAVE/AVX when present) for user code. */
void fpu_init_cpu(void);
/* Bytes a task's save area needs; it must be 64-byte aligned. */
size_t fpu_state_size(void);
void fpu_state_init(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);
/* Signal frames (signal_frame.c): the format, the features saved. */
bool fpu_has_xsave(void);
uint64_t fpu_xfeatures(void);
/*
 * A save area that came from user memory (a sigreturn frame): 0 if it is
 * safe to restore, -EINVAL if restoring would fault (a reserved MXCSR bit,
 * a feature XCR0 lacks, a non-standard XSAVE header). legacy_only: only its
 * FXSAVE part is the program's; the header is set to reset the rest.
 */
int fpu_check_user(void *area, bool legacy_only);
/* The save area's format, for laying it out as Linux does (fpu_export.h). */
void fpu_get_format(struct fpu_format *fmt);

#endif /* ARCH_FPU_H */
