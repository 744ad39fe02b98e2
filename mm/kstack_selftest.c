// SPDX-License-Identifier: GPL-2.0
/* Self-test: every CPU's stack has its guard page unmapped below it. */
#include <cove/kmap.h>
#include <cove/kstack.h>
#include <cove/percpu.h>
#include <cove/selftest.h>
#include <generated/config.h>

SELFTEST(kstack_guards_unmapped)
{
	phys_addr_t pa;
	unsigned int fl;
	uint64_t sp = (uint64_t)__builtin_frame_address(0);

	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		struct percpu *p = percpu_of(c);
		uint64_t bottom;

		if (!p)
			continue;
		/* The stack itself is mapped down to CONFIG_KSTACK_SIZE below its top... */
		bottom = p->kstack_top - CONFIG_KSTACK_SIZE;
		SELFTEST_CHECK(kmap_lookup(bottom, &pa, &fl) == 0);
		SELFTEST_CHECK(kmap_lookup(p->kstack_top - PAGE_SIZE, &pa, &fl) == 0);
		/* ...and the page under the lowest usable byte is a guard. */
		for (uint64_t a = bottom; ; a -= PAGE_SIZE) {
			if (kmap_lookup(a, &pa, &fl) != 0) {
				SELFTEST_CHECK(kstack_is_guard(a));
				break;
			}
			SELFTEST_CHECK(p->kstack_top - a <= 64 * KiB);
		}
	}
	SELFTEST_CHECK(!kstack_is_guard(sp));
	return 0;
}
