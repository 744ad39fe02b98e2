/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Planning the load of an x86-64 Linux executable. elf_plan() only
 * validates a file image and describes where its pieces go; the caller maps
 * and fills the pages with its own allocator, so this stays pure logic that
 * the host unit tests can feed real and deliberately broken binaries.
 *
 * What is accepted:
 *  - ET_EXEC (gcc -static): loaded at the addresses it was linked for.
 *  - ET_DYN (static-PIE, gcc -static-pie, musl rcrt1.o; a PIE; an
 *    interpreter such as ld.so): moved by a bias. The loader applies no
 *    relocations: a static-PIE's startup code (glibc _dl_relocate_static_pie,
 *    musl rcrt1's _dlstart_c) and ld.so relocate themselves, finding their
 *    _DYNAMIC through the auxiliary vector, so the bias is all the kernel
 *    has to supply.
 *  - either with PT_INTERP (a dynamically linked program): the plan names
 *    the interpreter; the caller plans that file too, maps both, starts at
 *    the interpreter's entry and passes its bias as AT_BASE. The interpreter
 *    maps the shared libraries itself, through mmap.
 * A PT_DYNAMIC with DT_NEEDED but no PT_INTERP is refused: nothing would
 * load those libraries.
 */
#ifndef COVE_ELF_LOAD_H
#define COVE_ELF_LOAD_H

#include <cove/types.h>

/* The on-disk format (System V gABI and its x86-64 supplement). */
#define EI_NIDENT 16
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1

#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4

#define EM_X86_64 62

#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551

#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

#define DT_NULL 0
#define DT_NEEDED 1

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

struct elf64_dyn {
	int64_t d_tag;
	uint64_t d_val;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");
_Static_assert(sizeof(struct elf64_dyn) == 16, "ELF64 dynamic entry is 16 bytes");

/* Same values as PROT_READ/WRITE/EXEC, so the syscall layer can share them. */
#define ELF_PROT_R 0x1
#define ELF_PROT_W 0x2
#define ELF_PROT_X 0x4

#define ELF_MAX_SEGMENTS 16

/* User mappings live in [ELF_USER_MIN, ELF_USER_END): no page 0, lower half only. */
#define ELF_USER_MIN PAGE_SIZE
#define ELF_USER_END 0x0000800000000000ULL

/* Larger PT_LOAD alignments are not honoured when choosing an ET_DYN base. */
#define ELF_MAX_PIE_ALIGN GiB

/*
 * One PT_LOAD, already moved by the bias. Bytes [vaddr, vaddr + filesz) come
 * from file_off in the image, [vaddr + filesz, vaddr + memsz) are zero.
 * Segments never overlap, but two may share the page where one ends and the
 * next begins: whoever maps them must give such a page both protections and
 * zero only the bss bytes, never the neighbour's data.
 */
struct elf_segment {
	uint64_t vaddr, memsz, file_off, filesz;
	unsigned int prot;		/* ELF_PROT_R/W/X */
};

struct elf_plan {
	uint64_t entry;			/* after bias */
	uint64_t bias;			/* 0 for ET_EXEC, load base for static-PIE */
	uint64_t phdr_vaddr;		/* AT_PHDR, after bias; 0 if headers are not loaded */
	uint16_t phnum, phent;		/* AT_PHNUM, AT_PHENT */
	uint64_t lo, hi;		/* page-aligned span of all segments (after bias) */
	uint32_t nr_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	bool has_tls;
	uint64_t tls_vaddr, tls_filesz, tls_memsz, tls_align;	/* tls_vaddr after bias */
	bool exec_stack;		/* PT_GNU_STACK with PF_X */
	/*
	 * PT_INTERP: the interpreter's path is the interp_len bytes at
	 * interp_off in the image, NUL-terminated there (checked: exactly one
	 * NUL, at the end). interp_len 0: no interpreter.
	 */
	uint64_t interp_off, interp_len;
	/* ET_DYN: the power of two its base was rounded up to (>= a page); 0 for ET_EXEC. */
	uint64_t align;
};

/*
 * Validates the len-byte file at image and fills *out. pie_base is where an
 * ET_DYN file's lowest page goes; it is rounded up to a page, or to the
 * largest power-of-two PT_LOAD p_align up to ELF_MAX_PIE_ALIGN (out->align),
 * and ignored for ET_EXEC. Planning an ET_DYN file twice with bases that are
 * multiples of out->align gives the same plan moved by the difference.
 * Every field is checked against len before use, so any bytes at all are
 * safe to pass. Returns 0, or -ENOEXEC with *why (if why is not NULL) set
 * to a short human-readable reason; *out is zeroed on failure.
 */
int elf_plan(const void *image, size_t len, uint64_t pie_base, struct elf_plan *out,
	     const char **why);

#endif /* COVE_ELF_LOAD_H */
