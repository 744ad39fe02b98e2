// SPDX-License-Identifier: GPL-2.0
/*
 * Cove's image: the checks the module makes (cove_boot.c) before trusting
 * an ELF file, then the copy to (partition base + link address). Every
 * refusal says which check failed.
 */
#include "standin.h"

#define PT_LOAD 1
#define EM_X86_64 62

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static const struct elf64_phdr *phdrs(const void *img)
{
	const struct elf64_ehdr *eh = img;

	return (const void *)((const uint8_t *)img + eh->phoff);
}

/* The image header: 8-byte aligned in the first 64 KiB of the first segment. */
static int find_header(const void *img, const struct elf64_phdr *ph,
		       struct cove_image_header *hdr)
{
	uint64_t n = ph->filesz < COVE_IMAGE_SEARCH ? ph->filesz : COVE_IMAGE_SEARCH;
	const uint8_t *seg = (const uint8_t *)img + ph->offset;
	uint64_t magic;

	for (uint64_t off = 0; off + sizeof(*hdr) <= n; off += 8) {
		memcpy(&magic, seg + off, sizeof(magic));
		if (magic == COVE_IMAGE_MAGIC) {
			memcpy(hdr, seg + off, sizeof(*hdr));
			return 0;
		}
	}
	return -1;
}

int image_check(const void *img, uint64_t size, struct enclave *e)
{
	const struct elf64_ehdr *eh = img;
	const struct elf64_phdr *ph, *first = NULL;
	struct cove_image_header hdr;

	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4)) {
		print("standin: the module is not an ELF file\n");
		return -1;
	}
	if (eh->ident[4] != 2 || eh->ident[5] != 1 || eh->machine != EM_X86_64) {
		print("standin: the module is not a 64-bit x86-64 ELF file\n");
		return -1;
	}
	if (eh->phentsize != sizeof(struct elf64_phdr) || !eh->phnum || eh->phoff > size ||
	    (size - eh->phoff) / sizeof(struct elf64_phdr) < eh->phnum) {
		print("standin: the module's program headers are bad\n");
		return -1;
	}
	ph = phdrs(img);
	for (unsigned int i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if (ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
		    ph[i].filesz > ph[i].memsz) {
			print("standin: the module's segment %u lies outside the file\n", i);
			return -1;
		}
		if (!first)
			first = &ph[i];
	}
	if (!first) {
		print("standin: the module has no loadable segment\n");
		return -1;
	}
	if (find_header(img, first, &hdr)) {
		print("standin: the module has no Cove image header (not a Cove image)\n");
		return -1;
	}
	if (hdr.version != COVE_TAIL_VERSION || hdr.header_size < sizeof(hdr)) {
		print("standin: Cove image header version %u, size %u; the stand-in speaks %u\n",
		      hdr.version, hdr.header_size, COVE_TAIL_VERSION);
		return -1;
	}
	if (hdr.image_start >= hdr.image_end || hdr.image_end - hdr.image_start > (1ULL << 30) ||
	    hdr.entry_phys < hdr.image_start || hdr.entry_phys >= hdr.image_end ||
	    (hdr.align & (hdr.align - 1)) || hdr.align > (1ULL << 30) ||
	    hdr.image_start % PAGE_SIZE) {
		print("standin: implausible Cove image header (start %lx end %lx entry %lx "
		      "align %lx)\n", hdr.image_start, hdr.image_end, hdr.entry_phys, hdr.align);
		return -1;
	}
	/* Every core but the boot core starts there: it must be code we load. */
	if (hdr.cpu_entry_phys < hdr.image_start || hdr.cpu_entry_phys >= hdr.image_end) {
		print("standin: the Cove image header's cpu_entry_phys %lx lies outside the "
		      "image %lx-%lx\n", hdr.cpu_entry_phys, hdr.image_start, hdr.image_end);
		return -1;
	}
	for (unsigned int i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD || !ph[i].memsz)
			continue;
		if (ph[i].paddr < hdr.image_start || ph[i].paddr > hdr.image_end ||
		    ph[i].memsz > hdr.image_end - ph[i].paddr) {
			print("standin: segment %u (%lx+%lx) lies outside the image %lx-%lx\n", i,
			      ph[i].paddr, ph[i].memsz, hdr.image_start, hdr.image_end);
			return -1;
		}
		if (ph[i].filesz && ph[i].paddr + ph[i].filesz > e->image_file_end)
			e->image_file_end = ph[i].paddr + ph[i].filesz;
	}
	e->image_start = hdr.image_start;
	e->image_end = hdr.image_end;
	e->entry = hdr.entry_phys;
	e->cpu_entry = hdr.cpu_entry_phys;
	e->align = hdr.align ? hdr.align : PAGE_SIZE;
	return 0;
}

/* Zero the loader area and the image's span, then copy each segment in. */
void image_load(const void *img, struct enclave *e)
{
	const struct elf64_ehdr *eh = img;
	const struct elf64_phdr *ph = phdrs(img);
	uint8_t *part = (uint8_t *)e->base;

	memset(part, 0, e->image_end);
	for (unsigned int i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD || !ph[i].filesz)
			continue;
		memcpy(part + ph[i].paddr, (const uint8_t *)img + ph[i].offset, ph[i].filesz);
	}
}
