// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the kernel symbol table lookups: symbol edges, aliases,
 * addresses outside the table, and an exhaustive check against a linear scan.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/symbols.h>
#include "unit.h"

/* _start 0x1000, foo 0x1010, bar = bar_alias 0x1040, baz 0x1100, end 0x1180. */
static const uint64_t small_addrs[] = { 0x1000, 0x1010, 0x1040, 0x1040, 0x1100 };
static const char small_names[] = "_start\0foo\0bar\0bar_alias\0baz";
static const uint32_t small_offs[] = { 0, 7, 11, 15, 25 };
static const struct ksym_table small = {
	.count = ARRAY_SIZE(small_addrs),
	.addrs = small_addrs,
	.name_offs = small_offs,
	.names = small_names,
	.text_end = 0x1180,
};

/* Checks one lookup; name NULL means "not found". */
static void expect(const struct ksym_table *t, uint64_t addr, const char *name, uint64_t off,
		   uint64_t size)
{
	uint64_t o = 0xdead, s = 0xbeef;
	const char *got = ksym_lookup(t, addr, &o, &s);

	if (!name) {
		CHECK(got == NULL);
		return;
	}
	CHECK(got != NULL);
	if (!got)
		return;
	CHECK(!strcmp(got, name));
	CHECK_EQ(o, off);
	CHECK_EQ(s, size);
}

TEST(ksyms_table_is_well_formed)
{
	static const char *const want[] = { "_start", "foo", "bar", "bar_alias", "baz" };

	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		CHECK(!strcmp(small_names + small_offs[i], want[i]));
}

TEST(ksyms_lookup_symbol_edges)
{
	expect(&small, 0x1000, "_start", 0, 0x10);
	expect(&small, 0x1008, "_start", 8, 0x10);
	expect(&small, 0x100f, "_start", 0xf, 0x10);
	expect(&small, 0x1010, "foo", 0, 0x30);
	expect(&small, 0x1025, "foo", 0x15, 0x30);
	expect(&small, 0x103f, "foo", 0x2f, 0x30);
	expect(&small, 0x1100, "baz", 0, 0x80);
	expect(&small, 0x1140, "baz", 0x40, 0x80);
	expect(&small, 0x117f, "baz", 0x7f, 0x80);
}

TEST(ksyms_lookup_alias_first_listed_wins)
{
	expect(&small, 0x1040, "bar", 0, 0xc0);
	expect(&small, 0x1080, "bar", 0x40, 0xc0);
	expect(&small, 0x10ff, "bar", 0xbf, 0xc0);
}

TEST(ksyms_lookup_outside_table)
{
	expect(&small, 0, NULL, 0, 0);
	expect(&small, 0xfff, NULL, 0, 0);
	expect(&small, 0x1180, NULL, 0, 0);
	expect(&small, 0x1181, NULL, 0, 0);
	expect(&small, UINT64_MAX, NULL, 0, 0);
}

TEST(ksyms_lookup_null_out_params)
{
	const char *n = ksym_lookup(&small, 0x1044, NULL, NULL);

	CHECK(n && !strcmp(n, "bar"));
	CHECK(ksym_lookup(&small, 0x1180, NULL, NULL) == NULL);
}

TEST(ksyms_alias_runs_at_start_and_end)
{
	/* The binary search lands inside long alias runs; the walk back must fix it. */
	static const uint64_t addrs[] = { 0x10, 0x10, 0x10, 0x20, 0x20, 0x20, 0x20, 0x20, 0x30, 0x30 };
	static const char names[] = "a0\0a1\0a2\0b0\0b1\0b2\0b3\0b4\0c0\0c1";
	static const uint32_t offs[] = { 0, 3, 6, 9, 12, 15, 18, 21, 24, 27 };
	const struct ksym_table t = {
		.count = ARRAY_SIZE(addrs),
		.addrs = addrs,
		.name_offs = offs,
		.names = names,
		.text_end = 0x48,
	};

	expect(&t, 0x10, "a0", 0, 0x10);
	expect(&t, 0x1f, "a0", 0xf, 0x10);
	expect(&t, 0x20, "b0", 0, 0x10);
	expect(&t, 0x2a, "b0", 0xa, 0x10);
	/* Aliases at the last address extend to text_end. */
	expect(&t, 0x30, "c0", 0, 0x18);
	expect(&t, 0x47, "c0", 0x17, 0x18);
	expect(&t, 0x48, NULL, 0, 0);
	CHECK_EQ(ksym_address(&t, "b3"), 0x20);
	CHECK_EQ(ksym_address(&t, "c1"), 0x30);
}

TEST(ksyms_single_symbol)
{
	static const uint64_t addrs[] = { 0x400 };
	static const uint32_t offs[] = { 0 };
	const struct ksym_table t = {
		.count = 1, .addrs = addrs, .name_offs = offs, .names = "only", .text_end = 0x401,
	};

	expect(&t, 0x3ff, NULL, 0, 0);
	expect(&t, 0x400, "only", 0, 1);
	expect(&t, 0x401, NULL, 0, 0);
}

TEST(ksyms_empty_table)
{
	const struct ksym_table t = { .count = 0, .text_end = 0x1000 };

	CHECK(ksym_lookup(&t, 0, NULL, NULL) == NULL);
	CHECK(ksym_lookup(&t, 0x800, NULL, NULL) == NULL);
	CHECK_EQ(ksym_address(&t, "foo"), 0);
}

TEST(ksyms_address_by_name)
{
	CHECK_EQ(ksym_address(&small, "_start"), 0x1000);
	CHECK_EQ(ksym_address(&small, "foo"), 0x1010);
	CHECK_EQ(ksym_address(&small, "bar"), 0x1040);
	CHECK_EQ(ksym_address(&small, "bar_alias"), 0x1040);
	CHECK_EQ(ksym_address(&small, "baz"), 0x1100);
	CHECK_EQ(ksym_address(&small, "nope"), 0);
	CHECK_EQ(ksym_address(&small, "ba"), 0);
	CHECK_EQ(ksym_address(&small, "bar_"), 0);
	CHECK_EQ(ksym_address(&small, ""), 0);
}

TEST(ksyms_exhaustive_against_linear_scan)
{
	enum { N = 97 };
	uint64_t *addrs = malloc(N * sizeof(*addrs));
	uint32_t *offs = malloc(N * sizeof(*offs));
	char *names = malloc(N * 8);
	uint64_t a = 0x8000;

	if (!addrs || !offs || !names)
		abort();
	/* Irregular sizes, every fifth symbol an alias of the one before. */
	for (unsigned int i = 0; i < N; i++) {
		if (i && i % 5 == 0)
			a = addrs[i - 1];
		else if (i)
			a += 1 + (i * 7) % 13;
		addrs[i] = a;
		offs[i] = i * 8;
		snprintf(names + i * 8, 8, "s%u", i);
	}
	const struct ksym_table t = {
		.count = N, .addrs = addrs, .name_offs = offs, .names = names,
		.text_end = addrs[N - 1] + 3,
	};

	for (uint64_t x = addrs[0] - 2; x < t.text_end + 2; x++) {
		int want = -1;
		uint64_t end = t.text_end;

		for (int i = 0; i < N; i++) {
			if (addrs[i] <= x && (want < 0 || addrs[i] > addrs[want]))
				want = i;
		}
		for (int i = want + 1; want >= 0 && i < N; i++) {
			if (addrs[i] > addrs[want]) {
				end = addrs[i];
				break;
			}
		}
		if (x >= t.text_end)
			want = -1;
		expect(&t, x, want < 0 ? NULL : names + offs[want],
		       want < 0 ? 0 : x - addrs[want], end - (want < 0 ? 0 : addrs[want]));
	}
	free(addrs);
	free(offs);
	free(names);
}
