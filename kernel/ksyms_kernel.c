// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's symbol table. The generated .ksyms section holds:
 * u64 count, u64 text_end, u64 addrs[count], u32 name_offs[count], names.
 * The first link has an empty table; the second fills it (see Makefile).
 */
#include <cove/symbols.h>

extern const uint64_t __ksyms_blob[];

const struct ksym_table *ksyms_kernel(void)
{
	/* Built on first use, read-only afterwards; races write equal values. */
	static struct ksym_table table;
	const uint64_t *p = __ksyms_blob;

	if (!table.addrs) {
		table.count = p[0];
		table.text_end = p[1];
		table.addrs = p + 2;
		table.name_offs = (const uint32_t *)(p + 2 + p[0]);
		table.names = (const char *)(table.name_offs + p[0]);
	}
	return &table;
}
