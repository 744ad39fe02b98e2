/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer harnesses (test/fuzz/fuzz_*.c). A harness feeds
 * one parser of untrusted input and checks, beyond the sanitizers, the
 * promises its header makes; a broken promise aborts, so libFuzzer saves
 * the input as a crash.
 */
#ifndef COVE_FUZZ_H
#define COVE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			dprintf(2, "%s:%d: promise broken: %s\n", __FILE__,  \
				__LINE__, #cond);                               \
			abort();                                                \
		}                                                               \
	} while (0)

/*
 * The input as a C string in an allocation of exactly its length + 1, so
 * ASan sees a read one byte past the NUL. Embedded NULs just end it early.
 */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* Consume one byte of the input (0 when there is none). */
static inline uint8_t fuzz_byte(const uint8_t **data, size_t *size)
{
	uint8_t b = 0;

	if (*size) {
		b = **data;
		(*data)++;
		(*size)--;
	}
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* COVE_FUZZ_H */
