// SPDX-License-Identifier: GPL-2.0
/* Self-tests of the kernel page tables: permissions and coverage. */
#include <cove/boot_info.h>
#include <cove/kmap.h>
#include <cove/kstack.h>
#include <cove/selftest.h>
#include <arch/pgtable.h>

extern char __text_start[], __rodata_start[], __data_start[];

SELFTEST(kmap_image_permissions)
{
	phys_addr_t pa;
	unsigned int fl;

	SELFTEST_CHECK(kmap_lookup((uint64_t)__text_start, &pa, &fl) == 0);
	SELFTEST_CHECK(!(fl & PGT_WRITE) && !(fl & PGT_NOEXEC));
	SELFTEST_CHECK(kmap_lookup((uint64_t)__rodata_start, &pa, &fl) == 0);
	SELFTEST_CHECK(!(fl & PGT_WRITE) && (fl & PGT_NOEXEC));
	SELFTEST_CHECK(kmap_lookup((uint64_t)__data_start, &pa, &fl) == 0);
	SELFTEST_CHECK((fl & PGT_WRITE) && (fl & PGT_NOEXEC));
	SELFTEST_CHECK(pa == virt_to_phys(__data_start));
	/* No identity map: NULL and low addresses fault. */
	SELFTEST_CHECK(kmap_lookup(0, &pa, &fl) != 0);
	SELFTEST_CHECK(kmap_lookup(0x200000, &pa, &fl) != 0);
	return 0;
}

SELFTEST(kmap_direct_map_is_partition)
{
	const struct boot_info *bi = kernel_get_boot_info();
	phys_addr_t pa;
	unsigned int fl;

	for (uint32_t i = 0; i < bi->nr_mem; i++) {
		uint64_t first = bi->mem[i].base, last = first + bi->mem[i].size - PAGE_SIZE;

		/* Stack guard pages are the one deliberate hole in the direct map. */
		if (!kstack_is_guard((uint64_t)phys_to_virt(first))) {
			SELFTEST_CHECK(kmap_lookup((uint64_t)phys_to_virt(first), &pa, &fl) == 0);
			SELFTEST_CHECK(pa == first && (fl & PGT_NOEXEC));
		}
		if (!kstack_is_guard((uint64_t)phys_to_virt(last))) {
			SELFTEST_CHECK(kmap_lookup((uint64_t)phys_to_virt(last), &pa, &fl) == 0);
			SELFTEST_CHECK(pa == last);
		}
		/* The page after a range is not partition memory, so not mapped
		 * (unless the next range starts right there). */
		if (i + 1 == bi->nr_mem)
			SELFTEST_CHECK(kmap_lookup((uint64_t)phys_to_virt(last + PAGE_SIZE), &pa,
						   &fl) != 0);
	}
	return 0;
}
