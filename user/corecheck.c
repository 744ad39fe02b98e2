// SPDX-License-Identifier: GPL-2.0
/*
 * corecheck CORE SIGNAL [xmm|avx]: what a core file of corecrash must
 * hold. An x86-64 ET_CORE; a PT_NOTE with one NT_PRSTATUS per thread (at
 * least 2), the first for SIGNAL with its instruction pointer inside an
 * executable PT_LOAD; after each NT_PRSTATUS (which says so in pr_fpvalid)
 * that thread's NT_PRFPREG ("CORE", 512 bytes) and, from a CPU with XSAVE,
 * its NT_X86_XSTATE ("LINUX", XCR0 at byte 464, a header with no feature
 * XCR0 lacks), as Linux writes them; after the first, NT_SIGINFO of SIGNAL
 * (for SIGSEGV: SEGV_MAPERR at address 0, where corecrash stores); NT_PRPSINFO
 * naming corecrash; NT_AUXV
 * with AT_PHDR and AT_SYSINFO_EHDR; NT_FILE; corecrash's magic word in a
 * PT_LOAD's bytes. xmm: the first thread's xmm0 holds what corecrash segv
 * left there, the second thread's xmm2 its value; avx: the first's ymm1
 * too, from the NT_X86_XSTATE.
 *
 *   corecheck: ok threads=N signal=S [fpu=xmm|avx] xcr0=X
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "corefpu.h"

const char *prog = "corecheck";

#define NT_FILE_TYPE 0x46494c45
#define NT_SIGINFO_TYPE 0x53494749
#define NT_XSTATE_TYPE 0x202
#define FX_XMM 160			/* xmm0 in the FXSAVE image */
#define XS_SW 464			/* the word Linux puts XCR0 in */
#define XS_HDR 512
#define XS_YMM 576			/* the upper halves of ymm0-15 */

static unsigned char *core;
static size_t core_len;

/* A note's owner is name (as Linux names it: "CORE", "LINUX"). */
static int note_owner(const Elf64_Nhdr *n, const char *name)
{
	return n->n_namesz == strlen(name) + 1 && !memcmp(n + 1, name, n->n_namesz);
}

/* The FPU notes against corecrash segv's values (fx2: the second thread's). */
static void check_values(const char *mode, const unsigned char *fx, const unsigned char *xs,
			 unsigned long xs_len, const unsigned char *fx2)
{
	static const float ymm1[8] = COREFPU_YMM1;
	double xmm0 = COREFPU_XMM0, xmm2 = COREFPU_XMM2_OTHER;
	unsigned long xcr0 = 0, bv = 0;

	if (strcmp(mode, "xmm") && strcmp(mode, "avx"))
		die("usage: corecheck CORE SIGNAL [xmm|avx]");
	if (memcmp(fx + FX_XMM, &xmm0, sizeof(xmm0)))
		die("first thread's NT_PRFPREG: xmm0 does not hold %g", xmm0);
	if (memcmp(fx2 + FX_XMM + 2 * 16, &xmm2, sizeof(xmm2)))
		die("second thread's NT_PRFPREG: xmm2 does not hold %g", xmm2);
	if (xs) {
		memcpy(&xcr0, xs + XS_SW, sizeof(xcr0));
		memcpy(&bv, xs + XS_HDR, sizeof(bv));
		if (!(bv & 2) || memcmp(xs + FX_XMM, &xmm0, sizeof(xmm0)))
			die("first thread's NT_X86_XSTATE: xmm0 does not hold %g", xmm0);
	}
	if (strcmp(mode, "avx"))
		return;
	if (!xs || !(xcr0 & 4) || xs_len < XS_YMM + 256)
		die("no AVX state in the first thread's NT_X86_XSTATE");
	if (!(bv & 4) || memcmp(xs + FX_XMM + 16, ymm1, 16) ||
	    memcmp(xs + XS_YMM + 16, ymm1 + 4, 16))
		die("first thread's ymm1 does not hold corecrash's 8 floats");
}

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
	int fpregs = 0, xstates = 0, fp_here = 0, xs_here = 0, siginfo = 0;
	const unsigned char *first_fx = NULL, *first_xs = NULL, *second_fx = NULL;
	unsigned long first_xs_len = 0, xcr0 = 0;
	long sig;
	struct stat st;

	if (argc != 3 && argc != 4)
		die("usage: corecheck CORE SIGNAL [xmm|avx]");
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
				/* pr_fpvalid, after the 27 registers: an NT_PRFPREG follows. */
				if (desc[112 + 27 * 8] != 1)
					die("thread %d: pr_fpvalid is not 1", threads + 1);
				if (!first && !fp_here)
					die("thread %d has no NT_PRFPREG", threads);
				if (xstates && !xs_here)
					die("thread %d has no NT_X86_XSTATE", threads);
				first = 0;
				fp_here = xs_here = 0;
				threads++;
			} else if (n->n_type == NT_PRFPREG) {
				if (!note_owner(n, "CORE") || n->n_descsz != 512)
					die("NT_PRFPREG: owner or size (%u) not Linux's",
					    n->n_descsz);
				if (!threads || fp_here)
					die("NT_PRFPREG not after its thread's NT_PRSTATUS");
				if (threads == 1)
					first_fx = desc;
				else if (threads == 2)
					second_fx = desc;
				fp_here = 1;
				fpregs++;
			} else if (n->n_type == NT_XSTATE_TYPE) {
				unsigned long x, bv;

				if (!note_owner(n, "LINUX") || n->n_descsz < XS_YMM)
					die("NT_X86_XSTATE: owner or size (%u) not Linux's",
					    n->n_descsz);
				if (!threads || xs_here || (threads > 1 && !xstates))
					die("NT_X86_XSTATE not after its thread's NT_PRSTATUS");
				memcpy(&x, desc + XS_SW, sizeof(x));
				memcpy(&bv, desc + XS_HDR, sizeof(bv));
				if ((x & 3) != 3 || (bv & ~x))
					die("NT_X86_XSTATE: XCR0 %#lx, features %#lx", x, bv);
				if (threads == 1) {
					first_xs = desc;
					first_xs_len = n->n_descsz;
					xcr0 = x;
				}
				xs_here = 1;
				xstates++;
			} else if (n->n_type == NT_SIGINFO_TYPE) {
				int signo, code;
				unsigned long addr;

				if (!note_owner(n, "CORE") || n->n_descsz != 128 || threads != 1)
					die("NT_SIGINFO: owner, size (%u) or place not Linux's",
					    n->n_descsz);
				memcpy(&signo, desc, 4);
				memcpy(&code, desc + 8, 4);
				memcpy(&addr, desc + 16, 8);
				if (signo != sig || (sig == 11 && (code != 1 || addr)))
					die("NT_SIGINFO: signal %d code %d address %#lx", signo, code,
					    addr);
				siginfo++;
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
	if (fpregs != threads || (xstates && xstates != threads))
		die("%d threads, %d NT_PRFPREG, %d NT_X86_XSTATE", threads, fpregs, xstates);
	if (argc == 4)
		check_values(argv[3], first_fx, first_xs, first_xs_len, second_fx);
	if (siginfo != 1)
		die("%d NT_SIGINFO notes, expected the first thread's", siginfo);
	if (!psinfo)
		die("no NT_PRPSINFO naming corecrash");
	if (!auxv_ok)
		die("NT_AUXV lacks AT_PHDR or AT_SYSINFO_EHDR inside the memory");
	if (!file_ok)
		die("no NT_FILE");
	if (!magic_ok)
		die("corecrash's magic word is in no PT_LOAD");
	printf("%s: ok threads=%d signal=%ld%s%s xcr0=%#lx\n", prog, threads, sig,
	       argc == 4 ? " fpu=" : "", argc == 4 ? argv[3] : "", xcr0);
	return 0;
}
