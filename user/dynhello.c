// SPDX-License-Identifier: GPL-2.0
/*
 * dynhello: a dynamically linked program (glibc and musl). The kernel
 * loaded its interpreter, which mapped the C library and libm with mmap and
 * relocated everything before main ran. Prints its arguments and a libm
 * result computed at run time, names the file sqrt() was found in, and
 * checks what the kernel told the interpreter: AT_ENTRY is this program's
 * _start and AT_PHDR its program headers (as the interpreter itself saw
 * them). Started as `ld.so dynhello`, the interpreter was the program and
 * AT_BASE is 0, as on Linux; then only the rest is checked.
 *
 * Prints "dynhello: ok" last. With argv[1] "write-relro" or "write-libm-text"
 * it then writes where the interpreter's mprotect (RELRO made read-only
 * after relocation) or mmap (a library's text) allows no writes, and must
 * die of SIGSEGV.
 */
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "common.h"

#ifndef LIBC_NAME
#error "LIBC_NAME must be defined by the Makefile (\"glibc\" or \"musl\")"
#endif

const char *prog = "dynhello";

extern char _start[];

/* A TLS variable of the program itself, with an initial value from its TLS image. */
static __thread int tls_seven = 7;

/* The program's own headers, as the interpreter recorded them: the first object. */
static int first_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	*(struct dl_phdr_info *)arg = *info;
	return 1;
}

/* Where the program's RELRO segment starts, or NULL without one. */
static char *relro_start(const struct dl_phdr_info *info)
{
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO)
			return (char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
	return NULL;
}

static void write_to(const char *what, volatile char *p)
{
	printf("dynhello: writing to %s\n", what);
	fflush(stdout);
	*p = *p;
	die("the write to %s went through", what);
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "(unknown)";
}

int main(int argc, char **argv)
{
	/* From argv, so the compiler cannot fold the call away from libm. */
	volatile double x = argc + 1.0;
	double (*volatile fn)(double) = sqrt;
	unsigned long at_base = getauxval(AT_BASE);
	struct dl_phdr_info self_info = { 0 }, *self = &self_info;
	Dl_info info;
	int i;

	printf("dynhello from %s argc %d\n", LIBC_NAME, argc);
	for (i = 1; i < argc; i++)
		printf("dynhello: argv[%d]=%s\n", i, argv[i]);
	printf("dynhello: sqrt(%.0f)=%.6f cbrt(%.0f)=%.3f\n", x, fn(x), x * x * x, cbrt(x * x * x));
	if (!dladdr((void *)fn, &info) || !info.dli_fname)
		die("dladdr does not know where sqrt comes from");
	printf("dynhello: sqrt is in %s\n", base_name(info.dli_fname));
	if (tls_seven != 7)
		die("TLS variable is %d, not 7", tls_seven);
	dl_iterate_phdr(first_object, self);
	if (!self->dlpi_phdr)
		die("dl_iterate_phdr found no objects");
	if (at_base) {
		if (getauxval(AT_ENTRY) != (unsigned long)_start)
			die("AT_ENTRY %#lx is not _start %p", getauxval(AT_ENTRY), (void *)_start);
		if (getauxval(AT_PHDR) != (unsigned long)self->dlpi_phdr)
			die("AT_PHDR %#lx is not the headers at %p", getauxval(AT_PHDR),
			    (void *)self->dlpi_phdr);
		printf("dynhello: started through the interpreter\n");
	} else {
		printf("dynhello: the interpreter was the program\n");
	}
	printf("dynhello: ok\n");
	if (argc > 1 && !strcmp(argv[1], "write-relro")) {
		if (!relro_start(self))
			die("no PT_GNU_RELRO segment");
		write_to("RELRO", relro_start(self));
	}
	if (argc > 1 && !strcmp(argv[1], "write-libm-text"))
		write_to("libm's text", (volatile char *)fn);
	return 0;
}
