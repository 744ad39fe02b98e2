// SPDX-License-Identifier: GPL-2.0
/* Self-tests of the log ring and the kernel's symbol table. */
#include <cove/exit.h>
#include <cove/kprintf.h>
#include <cove/log_ring.h>
#include <cove/selftest.h>
#include <cove/string.h>
#include <cove/symbols.h>

static bool ring_contains(const struct log_ring *r, const char *needle)
{
	static char window[1024];
	uint64_t pos = r->head - log_ring_used(r);
	size_t nlen = strlen(needle), n;

	/* Overlapping windows, so a match across a window edge is not missed. */
	while ((n = log_ring_read(r, pos, window, sizeof(window), NULL)) >= nlen) {
		for (size_t i = 0; i + nlen <= n; i++) {
			if (!memcmp(window + i, needle, nlen))
				return true;
		}
		pos += n - nlen + 1;
	}
	return false;
}

SELFTEST(log_ring_holds_banner)
{
	const struct log_ring *r = klog_get_ring();

	SELFTEST_CHECK(log_ring_used(r) > 0);
	SELFTEST_CHECK(ring_contains(r, "Cove "));
	SELFTEST_CHECK(ring_contains(r, "CPUs online"));
	SELFTEST_CHECK(!ring_contains(r, "this text was never logged"));
	return 0;
}

SELFTEST(ksyms_names_functions)
{
	const struct ksym_table *t = ksyms_kernel();
	uint64_t addr = (uint64_t)kernel_exit, off = 0, size = 0;
	const char *name;

	SELFTEST_CHECK(t->count > 100);
	name = ksym_lookup(t, addr + 4, &off, &size);
	SELFTEST_CHECK(name && !strcmp(name, "kernel_exit"));
	SELFTEST_CHECK(off == 4 && size > 4);
	SELFTEST_CHECK(ksym_address(t, "selftest_run_all") == (uint64_t)selftest_run_all);
	SELFTEST_CHECK(ksym_lookup(t, 0x1000, NULL, NULL) == NULL);
	return 0;
}
