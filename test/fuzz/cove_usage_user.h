/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What linux/module/cove_usage_check.c takes from the kernel, in user
 * space: include this, then the .c itself (the fuzz harness and the unit
 * test both do).
 */
#ifndef COVE_USAGE_USER_SHIM_H
#define COVE_USAGE_USER_SHIM_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint8_t u8;
#define COVE_USAGE_USER
#include <cove/pisces_abi.h>

#endif /* COVE_USAGE_USER_SHIM_H */
