// SPDX-License-Identifier: GPL-2.0
/*
 * ELF64 load planning for executables and their interpreters. The image is
 * untrusted: every header is copied out with memcpy (the image need not be
 * aligned) only after its range is proven to lie inside the file, and all
 * address arithmetic is checked for wrap-around before it is used. Checks
 * return a reason string so the user sees why exec failed instead of a bare
 * ENOEXEC.
 */
#include <cove/elf_load.h>
#include <cove/errno.h>
#include <cove/string.h>

/* Linux refuses larger tables too; no real executable comes close. */
#define ELF_MAX_PHDR_BYTES 65536

/* Linux's limit on PT_INTERP (PATH_MAX), NUL included. */
#define ELF_INTERP_MAX 4096

/* The highest page-aligned address, and so the highest end a segment may have. */
#define ELF_ADDR_LAST_PAGE (UINT64_MAX - PAGE_SIZE + 1)

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

/* Whether [off, off + size) lies inside a file of len bytes, without overflow. */
static bool elf_in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

/* Whether [addr, addr + size) lies inside [lo, lo + span), without overflow. */
static bool elf_in_range(uint64_t addr, uint64_t size, uint64_t lo, uint64_t span)
{
	return addr >= lo && size <= span && addr - lo <= span - size;
}

static void elf_read_phdr(const uint8_t *img, const struct elf64_ehdr *eh, unsigned int i,
			  struct elf64_phdr *ph)
{
	memcpy(ph, img + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

static const char *elf_check_ehdr(const uint8_t *img, size_t len, struct elf64_ehdr *eh)
{
	uint64_t phbytes;

	if (len == 0)
		return "empty file";
	if (memcmp(img, elf_magic, MIN(len, sizeof(elf_magic))))
		return "not an ELF file";
	if (len < sizeof(*eh))
		return "truncated ELF header";
	memcpy(eh, img, sizeof(*eh));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		return "not a 64-bit x86-64 executable";
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return "unsupported ELF version";
	if (eh->e_type == ET_REL || eh->e_type == ET_CORE)
		return "relocatable or core file, not an executable";
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return "unknown ELF file type";
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return "unexpected program header size";
	if (eh->e_phnum == 0)
		return "no loadable segments";
	phbytes = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (phbytes > ELF_MAX_PHDR_BYTES)
		return "too many program headers";
	if (!elf_in_file(eh->e_phoff, phbytes, len))
		return "program headers past end of file";
	return NULL;
}

/*
 * A static-PIE keeps a PT_DYNAMIC for its self-relocation, so only a
 * DT_NEEDED entry tells a shared library user apart from it. Without an
 * interpreter nothing would load those libraries.
 */
static const char *elf_check_dynamic(const uint8_t *img, size_t len,
				     const struct elf64_phdr *ph, bool has_interp)
{
	struct elf64_dyn d;
	uint64_t i;

	if (!elf_in_file(ph->p_offset, ph->p_filesz, len))
		return "segment data past end of file";
	for (i = 0; i < ph->p_filesz / sizeof(d) && !has_interp; i++) {
		memcpy(&d, img + ph->p_offset + i * sizeof(d), sizeof(d));
		if (d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_NEEDED)
			return "needs shared libraries but names no interpreter (PT_INTERP)";
	}
	return NULL;
}

/*
 * The interpreter's path: one NUL-terminated string filling the segment
 * exactly, as Linux insists, so the caller can use it in place.
 */
static const char *elf_add_interp(struct elf_plan *p, const uint8_t *img, size_t len,
				  const struct elf64_phdr *ph)
{
	if (p->interp_len)
		return "more than one interpreter (PT_INTERP)";
	if (!elf_in_file(ph->p_offset, ph->p_filesz, len))
		return "interpreter path past end of file";
	if (ph->p_filesz < 2 || ph->p_filesz > ELF_INTERP_MAX)
		return "interpreter path empty or too long";
	if (img[ph->p_offset + ph->p_filesz - 1] != '\0' ||
	    strnlen((const char *)img + ph->p_offset, ph->p_filesz) != ph->p_filesz - 1)
		return "interpreter path is not one NUL-terminated string";
	p->interp_off = ph->p_offset;
	p->interp_len = ph->p_filesz - 1;
	return NULL;
}

static unsigned int elf_prot(uint32_t flags)
{
	return (flags & PF_R ? ELF_PROT_R : 0) | (flags & PF_W ? ELF_PROT_W : 0) |
	       (flags & PF_X ? ELF_PROT_X : 0);
}

/* Records one PT_LOAD at its link-time address; the bias comes later. */
static const char *elf_add_load(struct elf_plan *p, const struct elf64_phdr *ph, size_t len,
				uint64_t *max_align)
{
	struct elf_segment *s;

	if (ph->p_filesz > ph->p_memsz)
		return "file size larger than memory size";
	if (!elf_in_file(ph->p_offset, ph->p_filesz, len))
		return "segment data past end of file";
	/* Linux maps nothing for these either; they carry no bytes. */
	if (ph->p_memsz == 0)
		return NULL;
	if ((ph->p_vaddr - ph->p_offset) & (PAGE_SIZE - 1))
		return "misaligned segment (vaddr and offset disagree modulo page size)";
	/* The end must still be roundable up to a page without wrapping. */
	if (ph->p_vaddr > ELF_ADDR_LAST_PAGE || ph->p_memsz > ELF_ADDR_LAST_PAGE - ph->p_vaddr)
		return "segment wraps the address space";
	if (p->nr_segments == ELF_MAX_SEGMENTS)
		return "too many loadable segments";
	s = &p->seg[p->nr_segments++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->file_off = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->prot = elf_prot(ph->p_flags);
	if (ph->p_align <= ELF_MAX_PIE_ALIGN && (ph->p_align & (ph->p_align - 1)) == 0)
		*max_align = MAX(*max_align, ph->p_align);
	return NULL;
}

static const char *elf_add_tls(struct elf_plan *p, const struct elf64_phdr *ph, size_t len)
{
	if (p->has_tls)
		return "more than one TLS segment";
	if (ph->p_filesz > ph->p_memsz)
		return "file size larger than memory size";
	if (!elf_in_file(ph->p_offset, ph->p_filesz, len))
		return "segment data past end of file";
	if (ph->p_memsz > ELF_USER_END)
		return "TLS segment too large";
	if (ph->p_align & (ph->p_align - 1))
		return "TLS alignment is not a power of two";
	p->has_tls = true;
	p->tls_vaddr = ph->p_vaddr;
	p->tls_filesz = ph->p_filesz;
	p->tls_memsz = ph->p_memsz;
	p->tls_align = ph->p_align;
	return NULL;
}

/*
 * Moves every recorded address by the bias. A static-PIE's lowest page goes
 * to pie_base, rounded up so the linker's segment alignment still holds.
 */
static const char *elf_relocate(struct elf_plan *p, const struct elf64_ehdr *eh,
				uint64_t pie_base, uint64_t max_align)
{
	uint64_t lo = UINT64_MAX, hi = 0, end, base;
	uint32_t i;

	for (i = 0; i < p->nr_segments; i++) {
		lo = MIN(lo, ALIGN_DOWN(p->seg[i].vaddr, PAGE_SIZE));
		hi = MAX(hi, ALIGN_UP(p->seg[i].vaddr + p->seg[i].memsz, PAGE_SIZE));
	}
	if (eh->e_type == ET_DYN) {
		max_align = MAX(max_align, PAGE_SIZE);
		if (pie_base > ELF_USER_END)
			return "segment above the user address limit";
		base = ALIGN_UP(pie_base, max_align);
		if (base > ELF_USER_END || hi - lo > ELF_USER_END - base)
			return "segment above the user address limit";
		p->bias = base - lo;
		p->align = max_align;
	}
	for (i = 0; i < p->nr_segments; i++) {
		p->seg[i].vaddr += p->bias;
		end = p->seg[i].vaddr + p->seg[i].memsz;
		if (end > ELF_USER_END)
			return "segment above the user address limit";
		if (p->seg[i].vaddr < ELF_USER_MIN)
			return "segment below the minimum user address";
	}
	p->lo = lo + p->bias;
	p->hi = hi + p->bias;
	p->entry = eh->e_entry + p->bias;
	if (p->has_tls)
		p->tls_vaddr += p->bias;
	return NULL;
}

static const char *elf_check_overlap(const struct elf_plan *p)
{
	uint32_t i, j;

	for (i = 0; i < p->nr_segments; i++) {
		const struct elf_segment *a = &p->seg[i];

		for (j = i + 1; j < p->nr_segments; j++) {
			const struct elf_segment *b = &p->seg[j];

			if (a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz)
				return "segments overlap";
		}
	}
	return NULL;
}

/* The loaded segment holding [addr, addr + size), counting file bytes only if asked. */
static const struct elf_segment *elf_find_seg(const struct elf_plan *p, uint64_t addr,
					      uint64_t size, bool file_backed)
{
	uint32_t i;

	for (i = 0; i < p->nr_segments; i++) {
		const struct elf_segment *s = &p->seg[i];

		if (elf_in_range(addr, size, s->vaddr, file_backed ? s->filesz : s->memsz))
			return s;
	}
	return NULL;
}

/*
 * libc finds its TLS image and, for static-PIE, its _DYNAMIC through
 * AT_PHDR, so that must point at a mapped copy of the very table parsed here.
 */
static const char *elf_find_phdrs(struct elf_plan *p, const struct elf64_ehdr *eh,
				  bool has_phdr, uint64_t phdr_vaddr)
{
	uint64_t size = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
	const struct elf_segment *s;
	uint32_t i;

	if (has_phdr) {
		phdr_vaddr += p->bias;
		s = elf_find_seg(p, phdr_vaddr, size, true);
		if (!s || s->file_off + (phdr_vaddr - s->vaddr) != eh->e_phoff)
			return "PT_PHDR does not describe the loaded program headers";
		p->phdr_vaddr = phdr_vaddr;
		return NULL;
	}
	for (i = 0; i < p->nr_segments; i++) {
		s = &p->seg[i];
		if (elf_in_range(eh->e_phoff, size, s->file_off, s->filesz)) {
			p->phdr_vaddr = s->vaddr + (eh->e_phoff - s->file_off);
			break;
		}
	}
	return NULL;
}

static const char *elf_check(const uint8_t *img, size_t len, uint64_t pie_base,
			     struct elf_plan *p)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	uint64_t max_align = 0, phdr_vaddr = 0;
	bool has_phdr = false;
	const char *why;
	const struct elf_segment *s;
	unsigned int i;

	why = elf_check_ehdr(img, len, &eh);
	if (why)
		return why;
	/* First, so that PT_DYNAMIC is judged knowing whether it has one. */
	for (i = 0; i < eh.e_phnum && !why; i++) {
		elf_read_phdr(img, &eh, i, &ph);
		if (ph.p_type == PT_INTERP)
			why = elf_add_interp(p, img, len, &ph);
	}
	if (why)
		return why;
	for (i = 0; i < eh.e_phnum && !why; i++) {
		elf_read_phdr(img, &eh, i, &ph);
		switch (ph.p_type) {
		case PT_LOAD:
			why = elf_add_load(p, &ph, len, &max_align);
			break;
		case PT_TLS:
			why = elf_add_tls(p, &ph, len);
			break;
		case PT_DYNAMIC:
			why = elf_check_dynamic(img, len, &ph, p->interp_len != 0);
			break;
		case PT_PHDR:
			has_phdr = true;
			phdr_vaddr = ph.p_vaddr;
			break;
		case PT_GNU_STACK:
			p->exec_stack = ph.p_flags & PF_X;
			break;
		}
	}
	if (why)
		return why;
	if (p->nr_segments == 0)
		return "no loadable segments";
	why = elf_relocate(p, &eh, pie_base, max_align);
	if (!why)
		why = elf_check_overlap(p);
	if (!why)
		why = elf_find_phdrs(p, &eh, has_phdr, phdr_vaddr);
	if (why)
		return why;
	s = elf_find_seg(p, p->entry, 1, false);
	if (!s || !(s->prot & ELF_PROT_X))
		return "entry point is not in an executable segment";
	if (p->has_tls && p->tls_filesz && !elf_find_seg(p, p->tls_vaddr, p->tls_filesz, false))
		return "TLS segment outside the loaded segments";
	/* ld.so finds the program's segments and _DYNAMIC through AT_PHDR alone. */
	if (p->interp_len && !p->phdr_vaddr)
		return "program headers are not loaded, so the interpreter cannot find them";
	p->phnum = eh.e_phnum;
	p->phent = eh.e_phentsize;
	return NULL;
}

int elf_plan(const void *image, size_t len, uint64_t pie_base, struct elf_plan *out,
	     const char **why)
{
	const char *reason;

	memset(out, 0, sizeof(*out));
	reason = elf_check(image, len, pie_base, out);
	if (why)
		*why = reason;
	if (reason) {
		memset(out, 0, sizeof(*out));
		return -ENOEXEC;
	}
	return 0;
}
