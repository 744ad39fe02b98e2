/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own symbol table, generated at link time (scripts/gen-ksyms.sh)
 * into the .ksyms section, so reports name functions without a debugger.
 */
#ifndef COVE_SYMBOLS_H
#define COVE_SYMBOLS_H

#include <cove/types.h>

struct ksym_table {
	uint64_t count;
	const uint64_t *addrs;		/* sorted ascending */
	const uint32_t *name_offs;	/* into names */
	const char *names;
	uint64_t text_end;		/* last symbol extends to here */
};

/*
 * Find the symbol containing addr. Returns its name and sets *offset and
 * *size, or NULL if addr is outside the table. Pure logic, host-tested.
 */
const char *ksym_lookup(const struct ksym_table *t, uint64_t addr, uint64_t *offset,
			uint64_t *size);
/* Address of the named symbol, or 0. */
uint64_t ksym_address(const struct ksym_table *t, const char *name);

/* The running kernel's table. */
const struct ksym_table *ksyms_kernel(void);

#endif /* COVE_SYMBOLS_H */
