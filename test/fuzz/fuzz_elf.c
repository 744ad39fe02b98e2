// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF loader's planning (kernel/elf_load.c): every job's program, its
 * interpreter, and in co-kernel mode a file the host user names. The first byte picks the
 * static-PIE base; the rest is the image. An accepted plan must keep the
 * promises elf_load.h makes, whatever the image said.
 */
#include <cove/elf_load.h>
#include <cove/errno.h>
#include "fuzz.h"

static const uint64_t fuzz_bases[] = { 0, 0x400000, 0x7f0000000000ULL, 0x7ffffffff000ULL };

static bool fuzz_inside(const struct elf_segment *s, uint64_t addr, uint64_t size)
{
	return addr >= s->vaddr && addr - s->vaddr <= s->memsz &&
	       size <= s->memsz - (addr - s->vaddr);
}

/* The interpreter's name is one NUL-terminated string inside the file. */
static void fuzz_interp_check(const struct elf_plan *p, const uint8_t *img, size_t len)
{
	if (!p->interp_len) {
		FUZZ_ASSERT(!p->interp_off);
		return;
	}
	FUZZ_ASSERT(p->interp_off < len && p->interp_len < len - p->interp_off);
	FUZZ_ASSERT(img[p->interp_off + p->interp_len] == 0);
	FUZZ_ASSERT(strlen((const char *)img + p->interp_off) == p->interp_len);
	FUZZ_ASSERT(p->phdr_vaddr);
}

static void fuzz_plan_check(const struct elf_plan *p, const uint8_t *img, size_t len,
			    uint64_t base)
{
	bool entry = false, phdr = !p->phdr_vaddr;

	FUZZ_ASSERT(p->nr_segments >= 1 && p->nr_segments <= ELF_MAX_SEGMENTS);
	FUZZ_ASSERT(p->lo >= ELF_USER_MIN && p->lo < p->hi && p->hi <= ELF_USER_END);
	FUZZ_ASSERT(!(p->lo % PAGE_SIZE) && !(p->hi % PAGE_SIZE));
	for (uint32_t i = 0; i < p->nr_segments; i++) {
		const struct elf_segment *s = &p->seg[i];

		FUZZ_ASSERT(s->memsz && s->filesz <= s->memsz);
		FUZZ_ASSERT(s->file_off <= len && s->filesz <= len - s->file_off);
		FUZZ_ASSERT(s->vaddr >= p->lo && s->memsz <= p->hi - s->vaddr);
		FUZZ_ASSERT(!((s->vaddr - s->file_off) % PAGE_SIZE));
		for (uint32_t j = 0; j < i; j++) {
			const struct elf_segment *t = &p->seg[j];

			FUZZ_ASSERT(s->vaddr >= t->vaddr + t->memsz ||
				    t->vaddr >= s->vaddr + s->memsz);
		}
		entry |= (s->prot & ELF_PROT_X) && fuzz_inside(s, p->entry, 1);
		phdr |= fuzz_inside(s, p->phdr_vaddr, (uint64_t)p->phnum * p->phent);
	}
	FUZZ_ASSERT(entry && phdr);
	fuzz_interp_check(p, img, len);
	/* An ET_DYN image starts at the asked base rounded up to its power-of-two alignment. */
	if (p->align) {
		FUZZ_ASSERT(p->align >= PAGE_SIZE && !(p->align & (p->align - 1)));
		FUZZ_ASSERT(!(p->lo % p->align) && p->lo >= base && p->lo - base < p->align);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t base = fuzz_bases[fuzz_byte(&data, &size) % ARRAY_SIZE(fuzz_bases)];
	uint8_t *img = malloc(size ? size : 1);
	struct elf_plan plan;
	const char *why = NULL;
	int rc;

	if (!img)
		abort();
	memcpy(img, data, size);
	rc = elf_plan(img, size, base, &plan, &why);
	if (rc) {
		FUZZ_ASSERT(rc == -ENOEXEC && why && why[0]);
	} else {
		FUZZ_ASSERT(!why);
		fuzz_plan_check(&plan, img, size, base);
	}
	free(img);
	return 0;
}
