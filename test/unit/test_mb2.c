// SPDX-License-Identifier: GPL-2.0
/* mb2_parse() on synthetic multiboot2 structures built in a buffer. */
#include <string.h>
#include "unit.h"
#include <arch/mb2_parse.h>
#include <cove/errno.h>

#define PHYS 0x10008ULL		/* 8-aligned but not page aligned */

/* Tests keep these, and boot_info, in static storage: too big for a polite stack. */
struct mb {
	uint8_t buf[16384] __aligned(8);
	uint32_t len;
};

static void mb_init(struct mb *m)
{
	memset(m, 0, sizeof(*m));
	m->len = sizeof(struct mb2_info);
}

/* Appends a tag whose size field says size (normally 8 + body_len). */
static uint32_t mb_tag_sized(struct mb *m, uint32_t type, uint32_t size, const void *body,
			     uint32_t body_len)
{
	struct mb2_tag tag = { .type = type, .size = size };
	uint32_t at = m->len;

	memcpy(m->buf + at, &tag, sizeof(tag));
	if (body_len)
		memcpy(m->buf + at + sizeof(tag), body, body_len);
	m->len = ALIGN_UP(at + (uint32_t)sizeof(tag) + body_len, MB2_TAG_ALIGN);
	return at;
}

static uint32_t mb_tag(struct mb *m, uint32_t type, const void *body, uint32_t body_len)
{
	return mb_tag_sized(m, type, sizeof(struct mb2_tag) + body_len, body, body_len);
}

static void mb_string(struct mb *m, uint32_t type, const char *s)
{
	mb_tag(m, type, s, strlen(s) + 1);
}

static void mb_module(struct mb *m, uint32_t start, uint32_t end, const char *name)
{
	uint8_t body[64] = { 0 };

	memcpy(body, &start, 4);
	memcpy(body + 4, &end, 4);
	strcpy((char *)body + 8, name);
	mb_tag(m, MB2_TAG_MODULE, body, 8 + strlen(name) + 1);
}

/* Entries of entry_size bytes each (the extra bytes are junk), plus tail bytes. */
static void mb_mmap_ext(struct mb *m, const struct mb2_mmap_entry *e, uint32_t n,
			uint32_t entry_size, uint32_t tail)
{
	static uint8_t body[8192];
	uint32_t hdr[2] = { entry_size, 0 };

	memset(body, 0xa5, sizeof(body));
	memcpy(body, hdr, sizeof(hdr));
	for (uint32_t i = 0; i < n; i++)
		memcpy(body + 8 + i * entry_size, &e[i], sizeof(e[i]));
	mb_tag(m, MB2_TAG_MMAP, body, 8 + n * entry_size + tail);
}

static void mb_mmap(struct mb *m, const struct mb2_mmap_entry *e, uint32_t n)
{
	mb_mmap_ext(m, e, n, sizeof(*e), 0);
}

static void mb_set_total(struct mb *m, uint32_t total)
{
	memcpy(m->buf, &total, sizeof(total));
}

static const void *mb_finish(struct mb *m)
{
	mb_tag(m, MB2_TAG_END, NULL, 0);
	mb_set_total(m, m->len);
	return m->buf;
}

static const struct mb2_mmap_entry simple_map[] = {
	{ .base = 0, .len = 0xa0000, .type = MB2_MEM_AVAILABLE },
	{ .base = 0x100000, .len = 127 * MiB, .type = MB2_MEM_AVAILABLE },
};

static bool range_is(const struct boot_info *bi, uint32_t i, uint64_t start, uint64_t end)
{
	return i < bi->nr_mem && bi->mem[i].base == start && bi->mem[i].size == end - start;
}

static uint64_t sum_mem(const struct boot_info *bi)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < bi->nr_mem; i++)
		sum += bi->mem[i].size;
	return sum;
}

TEST(mb2_minimal_structure)
{
	static struct mb m;
	static struct boot_info bi;
	struct mb2_extra extra;

	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	memset(&bi, 0, sizeof(bi));
	bi.flags = BOOT_FLAG_COKERNEL;	/* or-ed, not replaced */
	bi.nr_cpus = 3;
	bi.kernel_phys = 0x200000;
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);

	CHECK_EQ(bi.flags, BOOT_FLAG_BARE | BOOT_FLAG_COKERNEL);
	CHECK_EQ(bi.nr_mem, 2);
	CHECK(range_is(&bi, 0, 0x1000, 0xa0000));
	CHECK(range_is(&bi, 1, 0x100000, 128 * MiB));
	CHECK_EQ(bi.firmware_usable_bytes, sum_mem(&bi));
	CHECK_EQ(bi.nr_reserved, 1);
	CHECK_EQ(bi.reserved[0].base, 0x10000);
	CHECK_EQ(bi.reserved[0].size, ALIGN_UP(PHYS + m.len, PAGE_SIZE) - 0x10000);
	CHECK(!strcmp(bi.reserved[0].what, "multiboot2 info"));
	CHECK(!strcmp(bi.cmdline, "") && !strcmp(bi.loader, ""));
	CHECK_EQ(bi.initrd.size, 0);
	CHECK_EQ(bi.acpi_rsdp, 0);
	CHECK_EQ(bi.nr_cpus, 3);
	CHECK_EQ(bi.kernel_phys, 0x200000);
	CHECK_EQ(extra.nr_mmap_entries, 2);
	CHECK_EQ(extra.rsdp_len, 0);
	CHECK_EQ(extra.nr_dropped_ranges, 0);

	/* extra is optional. */
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(m.buf, PHYS, &bi, NULL), 0);
	CHECK_EQ(bi.nr_mem, 2);
}

TEST(mb2_mmap_unsorted_overlapping_odd_aligned)
{
	static const struct mb2_mmap_entry map[] = {
		{ 0x100000, 0x100000, MB2_MEM_AVAILABLE, 0 },
		{ 0x10000000, 0x1000000, MB2_MEM_AVAILABLE, 0 },
		{ 0x0, 0x9fc00, MB2_MEM_AVAILABLE, 0 },		/* page 0 and a tail cut */
		{ 0x380000, 0x80000, MB2_MEM_AVAILABLE, 0 },	/* adjacent to the next */
		{ 0x1000123, 0x2000, MB2_MEM_AVAILABLE, 0 },	/* shrinks to one page */
		{ 0x180000, 0x200000, MB2_MEM_AVAILABLE, 0 },	/* overlaps the first */
		{ 0x2000100, 0x1000, MB2_MEM_AVAILABLE, 0 },	/* no whole page: gone */
		{ 0x5000000, 0, MB2_MEM_AVAILABLE, 0 },		/* empty */
		{ 0xf0000, 0x10000, MB2_MEM_RESERVED, 0 },		/* touches nothing usable */
		{ 0x10000000, 0x800000, MB2_MEM_AVAILABLE, 0 },	/* inside another */
	};
	static struct mb m;
	static struct boot_info bi;
	struct mb2_extra extra;

	mb_init(&m);
	mb_mmap(&m, map, ARRAY_SIZE(map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
	CHECK_EQ(bi.nr_mem, 4);
	CHECK(range_is(&bi, 0, 0x1000, 0x9f000));
	CHECK(range_is(&bi, 1, 0x100000, 0x400000));
	CHECK(range_is(&bi, 2, 0x1001000, 0x1002000));
	CHECK(range_is(&bi, 3, 0x10000000, 0x11000000));
	CHECK_EQ(bi.firmware_usable_bytes, 0x9e000 + 0x300000 + 0x1000 + 0x1000000);
	CHECK_EQ(extra.nr_mmap_entries, ARRAY_SIZE(map));

	/* Page 0 alone is never usable. */
	static const struct mb2_mmap_entry low[] = {
		{ 0, 0x1000, MB2_MEM_AVAILABLE, 0 },
		{ 0x800, 0x2800, MB2_MEM_AVAILABLE, 0 },
	};
	mb_init(&m);
	mb_mmap(&m, low, ARRAY_SIZE(low));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);
	CHECK_EQ(bi.nr_mem, 1);
	CHECK(range_is(&bi, 0, 0x1000, 0x3000));
}

TEST(mb2_other_types_punch_holes)
{
	static const struct mb2_mmap_entry map[] = {
		{ 1 * MiB, 63 * MiB, MB2_MEM_AVAILABLE, 0 },
		{ 8 * MiB + 0x10, 0x10, MB2_MEM_RESERVED, 0 },		/* costs a page */
		{ 60 * MiB, 8 * MiB, MB2_MEM_ACPI_RECLAIMABLE, 0 },	/* cuts the end */
		{ 0, 2 * MiB, MB2_MEM_NVS, 0 },				/* cuts the start */
		{ 100 * MiB, 1 * MiB, MB2_MEM_AVAILABLE, 0 },
		{ 99 * MiB, 4 * MiB, MB2_MEM_BADRAM, 0 },		/* swallows it */
		{ 200 * MiB, 1 * MiB, MB2_MEM_AVAILABLE, 0 },
		{ 200 * MiB + 0x1000, 0x1000, 7, 0 },			/* unknown type */
	};
	static struct mb m;
	static struct boot_info bi;

	mb_init(&m);
	mb_mmap(&m, map, ARRAY_SIZE(map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);
	CHECK_EQ(bi.nr_mem, 4);
	CHECK(range_is(&bi, 0, 2 * MiB, 8 * MiB));
	CHECK(range_is(&bi, 1, 8 * MiB + 0x1000, 60 * MiB));
	CHECK(range_is(&bi, 2, 200 * MiB, 200 * MiB + 0x1000));
	CHECK(range_is(&bi, 3, 200 * MiB + 0x2000, 201 * MiB));
	CHECK_EQ(bi.firmware_usable_bytes, sum_mem(&bi));
}

TEST(mb2_top_of_address_space)
{
	static const struct mb2_mmap_entry map[] = {
		{ 0xffffffff00000000ULL, 0x200000000ULL, MB2_MEM_AVAILABLE, 0 },	/* wraps */
		{ 0xffffffff80000000ULL, UINT64_MAX, MB2_MEM_RESERVED, 0 },	/* wraps */
		{ 0xfffffffffffff800ULL, 0x100, MB2_MEM_AVAILABLE, 0 },
	};
	static struct mb m;
	static struct boot_info bi;

	mb_init(&m);
	mb_mmap(&m, map, ARRAY_SIZE(map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);
	CHECK_EQ(bi.nr_mem, 1);
	CHECK(range_is(&bi, 0, 0xffffffff00000000ULL, 0xffffffff80000000ULL));
}

TEST(mb2_too_many_ranges_keeps_largest)
{
	static struct mb2_mmap_entry map[100];
	static struct mb m;
	static struct boot_info bi;
	struct mb2_extra extra;
	uint64_t want = 0;

	/* Sizes 1..100 pages in a scrambled order, listed from the top down. */
	for (uint32_t i = 0; i < 100; i++) {
		map[99 - i].base = (i + 1) * 16 * MiB;
		map[99 - i].len = ((i * 37) % 100 + 1) * PAGE_SIZE;
		map[99 - i].type = MB2_MEM_AVAILABLE;
	}
	for (uint64_t pages = 37; pages <= 100; pages++)
		want += pages * PAGE_SIZE;

	mb_init(&m);
	mb_mmap(&m, map, ARRAY_SIZE(map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
	CHECK_EQ(bi.nr_mem, BOOT_MAX_MEM_RANGES);
	CHECK_EQ(extra.nr_dropped_ranges, 100 - BOOT_MAX_MEM_RANGES);
	CHECK_EQ(extra.nr_mmap_entries, 100);
	CHECK_EQ(bi.firmware_usable_bytes, want);
	for (uint32_t i = 0; i < bi.nr_mem; i++) {
		CHECK(bi.mem[i].size >= 37 * PAGE_SIZE);
		if (i)
			CHECK(bi.mem[i].base > bi.mem[i - 1].base);
	}
}

TEST(mb2_extended_mmap_entries)
{
	static struct mb m;
	static struct boot_info bi;
	struct mb2_extra extra;

	/* A future entry_size of 32 with a partial entry left over at the end. */
	mb_init(&m);
	mb_mmap_ext(&m, simple_map, ARRAY_SIZE(simple_map), 32, 10);
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
	CHECK_EQ(extra.nr_mmap_entries, 2);
	CHECK_EQ(bi.nr_mem, 2);
	CHECK(range_is(&bi, 1, 0x100000, 128 * MiB));

	/* An odd entry_size leaves entries unaligned; memcpy reads them anyway. */
	mb_init(&m);
	mb_mmap_ext(&m, simple_map, ARRAY_SIZE(simple_map), 29, 0);
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
	CHECK_EQ(bi.nr_mem, 2);

	/* Only the first mmap tag counts. */
	mb_init(&m);
	mb_mmap(&m, simple_map, 1);
	mb_mmap(&m, simple_map + 1, 1);
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
	CHECK_EQ(bi.nr_mem, 1);
	CHECK(range_is(&bi, 0, 0x1000, 0xa0000));
}

TEST(mb2_cmdline_loader_modules)
{
	static struct mb m;
	static struct boot_info bi;
	static char big[3000];

	mb_init(&m);
	mb_string(&m, MB2_TAG_LOADER_NAME, "GRUB 2.06");
	mb_module(&m, 0x800000, 0x900123, "/boot/initrd");
	mb_string(&m, MB2_TAG_CMDLINE, "console=ttyS0 quiet");
	mb_module(&m, 0xa00000, 0xa01000, "second");
	mb_module(&m, 0xb00000, 0xb00000, "empty");
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	memset(&bi, 0, sizeof(bi));
	bi.nr_reserved = 1;	/* appended to, not overwritten */
	strcpy(bi.reserved[0].what, "kernel");
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);

	CHECK(!strcmp(bi.cmdline, "console=ttyS0 quiet"));
	CHECK(!strcmp(bi.loader, "GRUB 2.06"));
	CHECK_EQ(bi.initrd.base, 0x800000);
	CHECK_EQ(bi.initrd.size, 0x100123);
	CHECK_EQ(bi.nr_reserved, 4);
	CHECK(!strcmp(bi.reserved[0].what, "kernel"));
	CHECK(!strcmp(bi.reserved[1].what, "multiboot2 info"));
	CHECK_EQ(bi.reserved[2].base, 0x800000);
	CHECK_EQ(bi.reserved[2].size, 0x101000);
	CHECK(!strcmp(bi.reserved[2].what, "module"));
	CHECK_EQ(bi.reserved[3].base, 0xa00000);
	CHECK_EQ(bi.reserved[3].size, 0x1000);
	CHECK(!strcmp(bi.reserved[3].what, "module"));
	/* Only the loader's own data may be dropped by mem=; modules must stay. */
	CHECK_EQ(bi.reserved[1].flags, BOOT_RESERVED_DISCARDABLE);
	CHECK_EQ(bi.reserved[2].flags, 0);
	CHECK_EQ(bi.reserved[3].flags, 0);

	/* Overlong strings are cut; an unterminated one stops at its tag. */
	memset(big, 'c', sizeof(big) - 1);
	mb_init(&m);
	mb_string(&m, MB2_TAG_CMDLINE, big);
	mb_tag(&m, MB2_TAG_LOADER_NAME, "abc", 3);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK(!strcmp(bi.loader, "abc"));

	mb_init(&m);
	mb_string(&m, MB2_TAG_LOADER_NAME, big);
	mb_tag(&m, MB2_TAG_CMDLINE, NULL, 0);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);
	CHECK_EQ(strlen(bi.loader), BOOT_NAME_MAX - 1);
	CHECK(!strcmp(bi.cmdline, ""));
}

TEST(mb2_rsdp_tags)
{
	static struct mb m;
	static struct boot_info bi;
	struct mb2_extra extra;
	uint8_t v1[ACPI_RSDP_V1_LEN], v2[ACPI_RSDP_V2_LEN];
	uint32_t at;

	memset(v1, 0x11, sizeof(v1));
	memcpy(v1, "RSD PTR ", 8);
	memset(v2, 0x22, sizeof(v2));
	memcpy(v2, "RSD PTR ", 8);

	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	at = mb_tag(&m, MB2_TAG_ACPI_OLD, v1, sizeof(v1));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
	CHECK_EQ(extra.rsdp_len, ACPI_RSDP_V1_LEN);
	CHECK(!memcmp(extra.rsdp, v1, sizeof(v1)));
	CHECK_EQ(bi.acpi_rsdp, PHYS + at + 8);

	mb_init(&m);
	at = mb_tag(&m, MB2_TAG_ACPI_NEW, v2, sizeof(v2));
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
	CHECK_EQ(extra.rsdp_len, ACPI_RSDP_V2_LEN);
	CHECK(!memcmp(extra.rsdp, v2, sizeof(v2)));
	CHECK_EQ(bi.acpi_rsdp, PHYS + at + 8);

	/* With both, the ACPI 2.0 copy wins in either order. */
	for (int order = 0; order < 2; order++) {
		mb_init(&m);
		if (order)
			mb_tag(&m, MB2_TAG_ACPI_OLD, v1, sizeof(v1));
		at = mb_tag(&m, MB2_TAG_ACPI_NEW, v2, sizeof(v2));
		if (!order)
			mb_tag(&m, MB2_TAG_ACPI_OLD, v1, sizeof(v1));
		mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
		memset(&bi, 0, sizeof(bi));
		CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, &extra), 0);
		CHECK_EQ(extra.rsdp_len, ACPI_RSDP_V2_LEN);
		CHECK(!memcmp(extra.rsdp, v2, sizeof(v2)));
		CHECK_EQ(bi.acpi_rsdp, PHYS + at + 8);
	}
}

TEST(mb2_efi_tags_set_flag)
{
	static const uint32_t efi_tags[] = { MB2_TAG_EFI32, MB2_TAG_EFI64, MB2_TAG_EFI_MMAP };
	static struct mb m;
	static struct boot_info bi;
	uint64_t ptr = 0x7f000000;

	for (size_t i = 0; i < ARRAY_SIZE(efi_tags); i++) {
		mb_init(&m);
		mb_tag(&m, efi_tags[i], &ptr, sizeof(ptr));
		mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
		memset(&bi, 0, sizeof(bi));
		CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);
		CHECK_EQ(bi.flags, BOOT_FLAG_BARE | BOOT_FLAG_EFI);
	}

	/* Tags Cove does not read are skipped. */
	mb_init(&m);
	mb_tag(&m, MB2_TAG_FRAMEBUFFER, &ptr, 5);
	mb_tag(&m, 99, NULL, 0);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(mb2_parse(mb_finish(&m), PHYS, &bi, NULL), 0);
	CHECK_EQ(bi.flags, BOOT_FLAG_BARE);
}

/* Runs mb2_parse on m and checks that it failed without touching its outputs. */
static int parse_untouched(struct mb *m, uint64_t phys)
{
	static struct boot_info bi, before;
	struct mb2_extra extra, extra_before;
	int ret;

	memset(&bi, 0x5a, sizeof(bi));
	bi.nr_reserved = 0;
	memcpy(&before, &bi, sizeof(bi));
	memset(&extra, 0x5a, sizeof(extra));
	memcpy(&extra_before, &extra, sizeof(extra));
	ret = mb2_parse(m->buf, phys, &bi, &extra);
	if (memcmp(&bi, &before, sizeof(bi)) || memcmp(&extra, &extra_before, sizeof(extra)))
		return 1;	/* not an errno: fails every CHECK_EQ below */
	return ret;
}

static int parse_ok(struct mb *m, uint64_t phys)
{
	static struct boot_info bi;

	memset(&bi, 0, sizeof(bi));
	return mb2_parse(m->buf, phys, &bi, NULL);
}

TEST(mb2_malformed_structures)
{
	static struct mb m;
	struct mb2_mmap_entry bad_size = { 0 };
	uint8_t body[64] = { 0 };

	/* total_size too small or huge. */
	for (uint32_t total = 0; total < 8; total++) {
		mb_init(&m);
		mb_set_total(&m, total);
		CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);
	}
	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_finish(&m);
	mb_set_total(&m, MiB + 8);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	/* Misaligned: no tag can be 8-aligned then. */
	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS + 4), -EINVAL);
	CHECK_EQ(parse_ok(&m, PHYS), 0);

	/* Tag size below 8, and past the end. */
	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_tag_sized(&m, MB2_TAG_CMDLINE, 4, NULL, 0);
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_tag_sized(&m, MB2_TAG_CMDLINE, 200, "x", 2);
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	/* A tag header cut by total_size; no END but nothing left over is fine. */
	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_set_total(&m, m.len + 4);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);
	mb_set_total(&m, m.len);
	CHECK_EQ(parse_ok(&m, PHYS), 0);

	/* mmap entry_size below 24, an mmap tag too short for its header, none at all. */
	mb_init(&m);
	mb_mmap_ext(&m, &bad_size, 1, 16, 0);
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	mb_init(&m);
	mb_tag(&m, MB2_TAG_MMAP, body, 4);
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	mb_init(&m);
	mb_string(&m, MB2_TAG_CMDLINE, "quiet");
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	/* Tags too short for their fixed fields; a module ending before it starts. */
	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_tag(&m, MB2_TAG_MODULE, body, 4);
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_tag(&m, MB2_TAG_ACPI_NEW, body, ACPI_RSDP_V1_LEN);
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_tag(&m, MB2_TAG_ACPI_OLD, body, ACPI_RSDP_V1_LEN - 1);
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mb_module(&m, 0x200000, 0x100000, "backwards");
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -EINVAL);

	/* More modules than reserved[] can hold, next to the info structure. */
	mb_init(&m);
	mb_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	for (uint32_t i = 0; i < BOOT_MAX_RESERVED - 1; i++)
		mb_module(&m, (i + 1) * MiB, (i + 1) * MiB + 1, "m");
	mb_finish(&m);
	CHECK_EQ(parse_ok(&m, PHYS), 0);
	m.len -= sizeof(struct mb2_tag);	/* reopen it for one more */
	mb_module(&m, 99 * MiB, 99 * MiB + 1, "m");
	mb_finish(&m);
	CHECK_EQ(parse_untouched(&m, PHYS), -ENOSPC);
}
