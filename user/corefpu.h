/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FPU values corecrash leaves in its registers when it dies of SIGSEGV
 * and corecheck looks for in the core: a double in xmm0's low half and,
 * where the CPU and kernel have AVX, eight floats in ymm1; its other
 * thread, spinning, has a double in xmm2.
 */
#ifndef COVE_USER_COREFPU_H
#define COVE_USER_COREFPU_H

#define COREFPU_XMM0 3.25
#define COREFPU_XMM2_OTHER 6.5
#define COREFPU_YMM1 { 1.5f, -2.25f, 3.75f, 100.0f, 0.125f, -7.5f, 1048576.0f, 42.0f }

#endif /* COVE_USER_COREFPU_H */
