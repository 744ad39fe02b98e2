// SPDX-License-Identifier: GPL-2.0
/*
 * What GRUB hands over (multiboot2): the stand-in's command line, Cove's
 * image as the first module (its string is Cove's command line), Cove's
 * initramfs (and the host's files, files.c) as an optional second one,
 * and the memory map. Copied out at once, so the information's own memory
 * may be reused afterwards.
 */
#include "standin.h"

#define MB2_BOOT_MAGIC 0x36d76289U
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_MEM_AVAILABLE 1

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_module {
	struct mb2_tag tag;
	uint32_t start, end;
	char string[];
};

struct mb2_mmap {
	struct mb2_tag tag;
	uint32_t entry_size, entry_version;
	uint8_t entries[];
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

static void copy_string(char *dst, size_t cap, const char *src, size_t max)
{
	size_t n = 0;

	while (n < max && n + 1 < cap && src[n])
		n++;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void read_mmap(const struct mb2_mmap *m, struct boot_facts *bf)
{
	const uint8_t *p = m->entries, *end = (const uint8_t *)m + m->tag.size;

	if (m->entry_size < sizeof(struct mb2_mmap_entry)) {
		print("standin: the memory map's entries are %u bytes, too short; ignoring it\n",
		      m->entry_size);
		return;
	}
	for (; p + m->entry_size <= end; p += m->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		if (e->type != MB2_MEM_AVAILABLE || !e->len)
			continue;
		if (bf->nr_ram == MAX_RAM_RANGES) {
			print("standin: more than %u RAM ranges; the rest are not used\n",
			      MAX_RAM_RANGES);
			return;
		}
		bf->ram[bf->nr_ram].base = e->base;
		bf->ram[bf->nr_ram].size = e->len;
		bf->nr_ram++;
	}
}

int mb2_read(uint32_t magic, uint64_t info, struct boot_facts *bf)
{
	const uint8_t *p = (const uint8_t *)info;
	uint32_t total;

	memset(bf, 0, sizeof(*bf));
	if (magic != MB2_BOOT_MAGIC) {
		print("standin: not started by a multiboot2 loader (magic %x)\n", magic);
		return -1;
	}
	total = *(const uint32_t *)p;
	for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *t = (const void *)(p + off);

		if (t->type == MB2_TAG_END)
			break;
		if (t->size < sizeof(*t) || off + t->size > total) {
			print("standin: multiboot2 tag %u at offset %u has a bad size %u\n", t->type,
			      off, t->size);
			return -1;
		}
		switch (t->type) {
		case MB2_TAG_CMDLINE:
			copy_string(bf->cmdline, sizeof(bf->cmdline), (const char *)(t + 1),
				    t->size - sizeof(*t));
			break;
		case MB2_TAG_MODULE: {
			const struct mb2_module *m = (const void *)t;

			if (t->size < sizeof(*m))
				break;
			if (++bf->nr_modules == 2) {
				bf->initrd.base = m->start;
				bf->initrd.size = m->end > m->start ? m->end - m->start : 0;
			}
			if (bf->nr_modules != 1)
				break;	/* main.c says why at most two are wanted */
			bf->module.base = m->start;
			bf->module.size = m->end > m->start ? m->end - m->start : 0;
			copy_string(bf->module_cmdline, sizeof(bf->module_cmdline), m->string,
				    t->size - sizeof(*m));
			break;
		}
		case MB2_TAG_MMAP:
			read_mmap((const void *)t, bf);
			break;
		}
		off += ALIGN_UP(t->size, 8);
	}
	return 0;
}
