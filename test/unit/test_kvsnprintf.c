// SPDX-License-Identifier: GPL-2.0
/*
 * kvsnprintf() is checked against the host libc for every defined
 * combination of flags, width, precision, length and conversion; only the
 * kernel's own conventions (%p, NULL %s, unknown conversions) are spelled out.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include <cove/kvsnprintf.h>

/* Prints the first few mismatches in full; a whole table could flood. */
static bool same_v(int *budget, const char *fmt, va_list ap)
{
	char kb[256], lb[256];
	va_list aq;
	int kr, lr;

	va_copy(aq, ap);
	kr = kvsnprintf(kb, sizeof(kb), fmt, ap);
	lr = vsnprintf(lb, sizeof(lb), fmt, aq);
	va_end(aq);
	if (kr == lr && strcmp(kb, lb) == 0)
		return true;
	if (!budget || (*budget)-- > 0)
		printf("  \"%s\": got \"%s\" (%d), libc \"%s\" (%d)\n", fmt, kb, kr, lb, lr);
	return false;
}

static bool __printf(1, 2) same(const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = same_v(NULL, fmt, ap);
	va_end(ap);
	return ok;
}

static bool table_same(int *budget, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = same_v(budget, fmt, ap);
	va_end(ap);
	return ok;
}

/* Passes v as the type the length modifier names, as a real caller would. */
static bool table_int(int *budget, const char *fmt, const char *len, long long v)
{
	if (!strcmp(len, "l"))
		return table_same(budget, fmt, (long)v);
	if (!strcmp(len, "ll"))
		return table_same(budget, fmt, v);
	if (!strcmp(len, "z"))
		return table_same(budget, fmt, (size_t)v);
	if (!strcmp(len, "t"))
		return table_same(budget, fmt, (ptrdiff_t)v);
	if (!strcmp(len, "j"))
		return table_same(budget, fmt, (intmax_t)v);
	return table_same(budget, fmt, (int)v);
}

TEST(kvsnprintf_integer_table_matches_libc)
{
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "t", "j" };
	static const char *const widths[] = { "", "1", "5", "24" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".22" };
	static const char flag_chars[] = "-+ 0#";
	static const long long vals[] = {
		0, 1, -1, 7, 8, 42, -42, 127, 128, 200, 255, 256, 32767, -32768, 65535,
		INT_MAX, INT_MIN, 0xdeadbeefLL, LLONG_MAX, LLONG_MIN, (long long)ULLONG_MAX - 1,
	};
	int budget = 20, bad = 0, n = 0;
	char fmt[64];

	for (const char *conv = "diuxXo"; *conv; conv++) {
		for (unsigned int fl = 0; fl < 32; fl++) {
			char flags[8];
			int nf = 0;

			/* '#' is undefined for d, i and u, so libc is no reference. */
			if ((fl & 16) && strchr("diu", *conv))
				continue;
			for (int b = 0; b < 5; b++)
				if (fl & (1U << b))
					flags[nf++] = flag_chars[b];
			flags[nf] = '\0';
			for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
				for (size_t p = 0; p < ARRAY_SIZE(precs); p++)
					for (size_t l = 0; l < ARRAY_SIZE(lens); l++) {
						snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags,
							 widths[w], precs[p], lens[l], *conv);
						for (size_t v = 0; v < ARRAY_SIZE(vals); v++) {
							n++;
							bad += !table_int(&budget, fmt, lens[l],
									  vals[v]);
						}
					}
		}
	}
	CHECK(n > 100000);
	CHECK_EQ(bad, 0);
}

TEST(kvsnprintf_string_char_table_matches_libc)
{
	static const char *const widths[] = { "", "1", "2", "3", "12" };
	static const char *const precs[] = { "", ".", ".0", ".2", ".5", ".40" };
	static const char *const strs[] = { "", "a", "abc", "hello", "hello, world" };
	int budget = 20, bad = 0;
	char fmt[64];

	for (int left = 0; left < 2; left++)
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
			snprintf(fmt, sizeof(fmt), "<%%%s%sc>", left ? "-" : "", widths[w]);
			bad += !table_same(&budget, fmt, 'x');
			/* %c converts its int to unsigned char. */
			bad += !table_same(&budget, fmt, 0x1ff);
			for (size_t p = 0; p < ARRAY_SIZE(precs); p++)
				for (size_t s = 0; s < ARRAY_SIZE(strs); s++) {
					snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", left ? "-" : "",
						 widths[w], precs[p]);
					bad += !table_same(&budget, fmt, strs[s]);
				}
		}
	CHECK_EQ(bad, 0);
}

TEST(kvsnprintf_star_and_mixed_match_libc)
{
	char unterminated[4] = { 'a', 'b', 'c', 'd' };

	CHECK(same("%*d|", 6, 42));
	CHECK(same("%-*d|", 6, 42));
	CHECK(same("%*d|", -6, 42));
	CHECK(same("%0*d|", -6, -42));
	CHECK(same("%.*d|", 4, 7));
	CHECK(same("%.*d|", -1, 7));
	CHECK(same("%.*d|", 0, 0));
	/* Defined but warned about by gcc, hence the unchecked path. */
	CHECK(table_same(NULL, "%0.*d|", -1, 7));
	CHECK(table_same(NULL, "%0.*d|", 3, 7));
	CHECK(table_same(NULL, "%i %+i % i %+ i", 5, 5, 5, -5));
	CHECK(table_same(NULL, ""));
	CHECK(table_same(NULL, "100%% sure"));
	CHECK(same("%*.*x|", 10, 6, 0xabcu));
	CHECK(same("%-#*.*o|", 9, 0, 0u));
	CHECK(same("%.*s|", 3, "abcdef"));
	CHECK(same("%.*s|", -2, "abc"));
	CHECK(same("%*s|%-*s|", 4, "r", 4, "l"));
	/* A precision lets %s read an array that has no terminator. */
	CHECK(same("%.4s|", unterminated));
	CHECK(same("plain text"));
	CHECK(same("a%db%sc%%d%5.2xe%lluf%cg", 12, "str", 0x1ffu, 123456789012ULL, 'Z'));
	/* Out-of-range values for hh and h: truncated, which compilers warn about. */
	CHECK(table_same(NULL, "%hhd %hhu %hd %hu", 300, 300, 70000, 70000));
	CHECK(same("%zu %zd %td %jd %ju", (size_t)-1, (size_t)5, (ptrdiff_t)-9,
		   (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX));
	CHECK(same("%lx %lX %lo %#lo %#lx", ~0UL, 0xabcdefUL, 8UL, 8UL, 0UL));
	CHECK(same("%i %+i % i", 5, 5, 5));
}

TEST(kvsnprintf_pointer_is_0x_and_16_digits)
{
	char b[64];

	CHECK_EQ(ksnprintf(b, sizeof(b), "%p", (void *)0x1234), 18);
	CHECK(!strcmp(b, "0x0000000000001234"));
	ksnprintf(b, sizeof(b), "%p", (void *)0);
	CHECK(!strcmp(b, "0x0000000000000000"));
	ksnprintf(b, sizeof(b), "%p", (void *)(uintptr_t)0xffff800000abcdefULL);
	CHECK(!strcmp(b, "0xffff800000abcdef"));
	ksnprintf(b, sizeof(b), "[%20p]", (void *)1);
	CHECK(!strcmp(b, "[  0x0000000000000001]"));
	ksnprintf(b, sizeof(b), "[%-20p]", (void *)1);
	CHECK(!strcmp(b, "[0x0000000000000001  ]"));
	ksnprintf(b, sizeof(b), "[%4p]", (void *)1);
	CHECK(!strcmp(b, "[0x0000000000000001]"));
}

TEST(kvsnprintf_null_string_and_unknown_conversions)
{
	const char *volatile nul = NULL;
	const char *volatile bad_fmt;
	char b[64];

	CHECK_EQ(ksnprintf(b, sizeof(b), "%s", nul), 6);
	CHECK(!strcmp(b, "(null)"));
	ksnprintf(b, sizeof(b), "[%8s][%.3s]", nul, nul);
	CHECK(!strcmp(b, "[  (null)][(nu]"));

	/* Shown verbatim, without consuming an argument. */
	bad_fmt = "a%yb%d";
	CHECK_EQ(ksnprintf(b, sizeof(b), bad_fmt, 5), 5);
	CHECK(!strcmp(b, "a%yb5"));
	bad_fmt = "%n%-5";
	ksnprintf(b, sizeof(b), bad_fmt, 0);
	CHECK(!strcmp(b, "%n%-5"));
	bad_fmt = "end%";
	CHECK_EQ(ksnprintf(b, sizeof(b), bad_fmt, 0), 4);
	CHECK(!strcmp(b, "end%"));
}

TEST(kvsnprintf_truncates_and_counts)
{
	char b[16];

	memset(b, 'X', sizeof(b));
	CHECK_EQ(ksnprintf(b, 5, "hello %s", "world"), 11);
	CHECK(!strcmp(b, "hell"));
	CHECK_EQ(b[5], 'X');

	CHECK_EQ(ksnprintf(NULL, 0, "%d-%s", 12345, "ab"), 8);
	memset(b, 'X', sizeof(b));
	CHECK_EQ(ksnprintf(b, 0, "abc"), 3);
	CHECK_EQ(b[0], 'X');
	CHECK_EQ(ksnprintf(b, 1, "abc"), 3);
	CHECK_EQ(b[0], '\0');
	CHECK_EQ(b[1], 'X');

	/* An embedded NUL from %c is output like any other character. */
	CHECK_EQ(ksnprintf(b, sizeof(b), "a%cb", 0), 3);
	CHECK(!memcmp(b, "a\0b\0", 4));
}

TEST(kvsnprintf_every_size_matches_libc)
{
	char kb[40], lb[40];

	for (size_t size = 0; size <= 32; size++) {
		int kr, lr;

		memset(kb, 'X', sizeof(kb));
		memset(lb, 'X', sizeof(lb));
		kr = ksnprintf(kb, size, "%-6s|%+8.3d|%#010x|%c", "ab", -7, 0xbeefu, 'q');
		lr = snprintf(lb, size, "%-6s|%+8.3d|%#010x|%c", "ab", -7, 0xbeefu, 'q');
		CHECK_EQ(kr, lr);
		CHECK(!memcmp(kb, lb, sizeof(kb)));
	}
}

TEST(kvsnprintf_huge_precision_is_counted)
{
	char b[8];

	/* Only counted past the buffer, but it must not overflow an int. */
	CHECK_EQ(ksnprintf(b, sizeof(b), "%.100000d", -1), 100001);
	CHECK(!strcmp(b, "-000000"));
}
