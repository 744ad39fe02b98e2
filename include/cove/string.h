/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory and string helpers. The prototypes match the C library's so that
 * pure-logic files built into host unit tests link against libc instead.
 */
#ifndef COVE_STRING_H
#define COVE_STRING_H

#include <cove/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif /* COVE_STRING_H */
