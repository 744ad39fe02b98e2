// SPDX-License-Identifier: GPL-2.0
/*
 * corecheck CORE SIGNAL: what a core file of corecrash must hold. An
 * x86-64 ET_CORE; a PT_NOTE with one NT_PRSTATUS per thread (at least 2),
 * the first for SIGNAL with its instruction pointer inside an executable
 * PT_LOAD; NT_PRPSINFO naming corecrash; NT_AUXV with AT_PHDR and
 * AT_SYSINFO_EHDR; NT_FILE; corecrash's magic word in a PT_LOAD's bytes.
 *
 *   corecheck: ok threads=N signal=S
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

const char *prog = "corecheck";

#define NT_FILE_TYPE 0x46494c45

static unsigned char *core;
static size_t core_len;

static const Elf64_Phdr *phdr(int i)
{
	const Elf64_Ehdr *eh = (const void *)core;

	return (const void *)(core + eh->e_phoff + (size_t)i * eh->e_phentsize);
}

/* The PT_LOAD holding va, executable if exec: 1, else 0. */
static int in_load(unsigned long va, int exec)
{
	const Elf64_Ehdr *eh = (const void *)core;

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = phdr(i);

		if (ph->p_type == PT_LOAD && va >= ph->p_vaddr && va < ph->p_vaddr + ph->p_memsz &&
		    (!exec || (ph->p_flags & PF_X)))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char magic[8] = { 'C', 'o', 'v', 'e', 'C', 'o', 'r', 'e' };
	const Elf64_Ehdr *eh;
	int fd, threads = 0, psinfo = 0, auxv_ok = 0, file_ok = 0, magic_ok = 0, first = 1;
	long sig;
	struct stat st;

	if (argc != 3)
		die("usage: corecheck CORE SIGNAL");
	sig = strtol(argv[2], NULL, 10);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die("%s: cannot open", argv[1]);
	core_len = (size_t)st.st_size;
	core = malloc(core_len + 1);
	if (!core || read(fd, core, core_len) != (ssize_t)core_len)
		die("%s: cannot read", argv[1]);
	close(fd);
	eh = (const void *)core;
	if (core_len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_CORE ||
	    eh->e_machine != EM_X86_64)
		die("not an x86-64 ELF core file");
	if (eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > core_len)
		die("program headers past the end");
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = phdr(i);

		if (ph->p_offset + ph->p_filesz > core_len)
			die("segment %d past the end of the file", i);
		if (ph->p_type == PT_LOAD) {
			for (size_t o = 0; o + 8 <= ph->p_filesz; o += 8)
				magic_ok |= !memcmp(core + ph->p_offset + o, magic, 8);
			continue;
		}
		if (ph->p_type != PT_NOTE)
			continue;
		for (size_t o = 0; o + 12 <= ph->p_filesz;) {
			const Elf64_Nhdr *n = (const void *)(core + ph->p_offset + o);
			const unsigned char *desc = (const unsigned char *)(n + 1) +
						    ((n->n_namesz + 3) & ~3u);

			if (n->n_type == NT_PRSTATUS && n->n_descsz == 336) {
				/* pr_cursig at 12, pr_reg at 112: rip is its 17th long. */
				short cursig;
				unsigned long rip;

				memcpy(&cursig, desc + 12, sizeof(cursig));
				memcpy(&rip, desc + 112 + 16 * 8, sizeof(rip));
				if (first && cursig != sig)
					die("first thread: signal %d, not %ld", cursig, sig);
				if (first && !in_load(rip, 1))
					die("first thread: rip %lx in no executable PT_LOAD", rip);
				first = 0;
				threads++;
			} else if (n->n_type == NT_PRPSINFO && n->n_descsz == 136) {
				psinfo = !strncmp((const char *)desc + 40, "corecrash", 9);
			} else if (n->n_type == NT_AUXV) {
				int phdr_seen = 0, vdso_seen = 0;

				for (size_t a = 0; a + 16 <= n->n_descsz; a += 16) {
					unsigned long k, v;

					memcpy(&k, desc + a, 8);
					memcpy(&v, desc + a + 8, 8);
					phdr_seen |= k == AT_PHDR && in_load(v, 0);
					vdso_seen |= k == AT_SYSINFO_EHDR && in_load(v, 1);
				}
				auxv_ok = phdr_seen && vdso_seen;
			} else if (n->n_type == NT_FILE_TYPE) {
				file_ok = n->n_descsz > 16;
			}
			o += sizeof(*n) + ((n->n_namesz + 3) & ~3u) + ((n->n_descsz + 3) & ~3u);
		}
	}
	if (threads < 2)
		die("%d NT_PRSTATUS notes, expected a thread each (2)", threads);
	if (!psinfo)
		die("no NT_PRPSINFO naming corecrash");
	if (!auxv_ok)
		die("NT_AUXV lacks AT_PHDR or AT_SYSINFO_EHDR inside the memory");
	if (!file_ok)
		die("no NT_FILE");
	if (!magic_ok)
		die("corecrash's magic word is in no PT_LOAD");
	printf("%s: ok threads=%d signal=%ld\n", prog, threads, sig);
	return 0;
}
