/* SPDX-License-Identifier: GPL-2.0 */
#ifndef COVE_RANDOM_H
#define COVE_RANDOM_H

#include <cove/types.h>

/*
 * Statistical randomness (not for keys), seeded from RDRAND where the CPU
 * has it and the cycle counter: getrandom, /dev/urandom, boot ids.
 */
void random_bytes(void *buf, size_t len);

#endif
