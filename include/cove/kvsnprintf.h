/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded formatted output with C99 snprintf semantics: the result is always
 * NUL-terminated when size > 0 and the return value is the length the full
 * output would have had, so callers detect truncation with "ret >= size".
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, flags "-0+ #", width and
 * precision (also "*"), length modifiers hh h l ll z t j. Kernel
 * conventions that differ from libc:
 *  - %p prints "0x" and exactly 16 hex digits, so addresses line up;
 *  - %s with NULL prints "(null)" (cut by the precision, if any);
 *  - no floating point and no %n; an unknown conversion is copied verbatim.
 */
#ifndef COVE_KVSNPRINTF_H
#define COVE_KVSNPRINTF_H

#include <stdarg.h>
#include <cove/types.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* COVE_KVSNPRINTF_H */
