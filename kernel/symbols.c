// SPDX-License-Identifier: GPL-2.0
/* Address -> name lookups in the generated kernel symbol table. */
#include <cove/string.h>
#include <cove/symbols.h>

const char *ksym_lookup(const struct ksym_table *t, uint64_t addr, uint64_t *offset,
			uint64_t *size)
{
	uint64_t lo = 0, hi = t->count;

	if (!t->count || addr < t->addrs[0] || addr >= t->text_end)
		return NULL;
	/* Last entry whose address is <= addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (t->addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* Aliases share an address; the first one listed names it. */
	while (lo > 0 && t->addrs[lo - 1] == t->addrs[lo])
		lo--;

	uint64_t end = t->text_end;

	for (uint64_t i = lo + 1; i < t->count; i++) {
		if (t->addrs[i] > t->addrs[lo]) {
			end = t->addrs[i];
			break;
		}
	}
	if (offset)
		*offset = addr - t->addrs[lo];
	if (size)
		*size = end - t->addrs[lo];
	return t->names + t->name_offs[lo];
}

uint64_t ksym_address(const struct ksym_table *t, const char *name)
{
	for (uint64_t i = 0; i < t->count; i++) {
		if (!strcmp(t->names + t->name_offs[i], name))
			return t->addrs[i];
	}
	return 0;
}
