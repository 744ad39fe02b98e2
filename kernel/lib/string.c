// SPDX-License-Identifier: GPL-2.0
/* The C memory and string functions the kernel (and gcc) rely on. */
#include <cove/string.h>

/* Words first, then the odd bytes: as memset below says, for an emulator. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words = n / 8;

	n %= 8;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/*
 * Whole 8-byte words first, then the odd bytes. On hardware this is as fast
 * as one rep stosb (ERMS) or faster (without it); under an emulator each
 * repetition is one instruction, and a job's heap and stack, zeroed at exec,
 * cost an eighth as many (test/bench/insn_plugin.c counts them).
 */
void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	uint64_t word = 0x0101010101010101ULL * (unsigned char)c;
	size_t words = n / 8;

	n %= 8;
	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(word) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] - y[i];
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
