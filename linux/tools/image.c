// SPDX-License-Identifier: GPL-2.0
/*
 * Finding and reading the Cove image (and an initrd) for `cove create`.
 * The module checks the image again; checking here first gives a clear
 * message even before the module is loaded, and keeps a wrong file from
 * costing CPUs and memory that were offlined for nothing.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cove.h"
#include "image.h"
#include <cove/pisces_abi.h>

#define IMAGE_SIZE_MAX (1ULL << 30)	/* more than any image or initrd we would load */
#define IMAGE_INSTALLED "/usr/lib/cove/cove.elf"

void *read_whole_file(const char *path, size_t *size)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fail("cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st))
		fail("cannot stat %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		fail("%s is not a regular file", path);
	if ((unsigned long long)st.st_size > IMAGE_SIZE_MAX)
		fail("%s is larger than 1G", path);
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf)
		fail("out of memory reading %s", path);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("cannot read %s: %s", path, strerror(errno));
		if (!n)
			fail("%s shrank while being read", path);
		got += (size_t)n;
	}
	close(fd);
	*size = got;
	return buf;
}

/* Why buf is not a Cove image, or NULL if it is one. */
const char *image_problem(const void *buf, size_t size)
{
	const unsigned char *b = buf;
	const Elf64_Ehdr *eh = buf;
	const Elf64_Phdr *ph;

	if (size < sizeof(*eh) || memcmp(b, ELFMAG, SELFMAG))
		return "not an ELF file";
	if (b[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
		return "not an x86-64 ELF file";
	if (eh->e_phentsize != sizeof(*ph) || eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(*ph) < eh->e_phnum)
		return "its program headers are cut short";
	ph = (const Elf64_Phdr *)(b + eh->e_phoff);
	for (unsigned int i = 0; i < eh->e_phnum; i++, ph++) {
		uint64_t len;

		if (ph->p_type != PT_LOAD)
			continue;
		/* The header sits in the first 64 KiB of the first loadable segment. */
		if (ph->p_offset > size)
			return "its first loadable segment is outside the file";
		len = ph->p_filesz < COVE_IMAGE_SEARCH ? ph->p_filesz : COVE_IMAGE_SEARCH;
		if (len > size - ph->p_offset)
			len = size - ph->p_offset;
		for (uint64_t k = (8 - ph->p_paddr % 8) % 8; k + 8 <= len; k += 8) {
			uint64_t magic;

			memcpy(&magic, b + ph->p_offset + k, sizeof(magic));
			if (magic == COVE_IMAGE_MAGIC)
				return NULL;
		}
		return "no Cove image header in its first loadable segment";
	}
	return "no loadable segment";
}

static bool exists(const char *path)
{
	return access(path, R_OK) == 0;
}

const char *image_default(void)
{
	static char beside[PATH_MAX + 32];
	char exe[PATH_MAX];
	const char *env = getenv("COVE_IMAGE");
	ssize_t n;

	if (env && *env)
		return env;	/* asked for by name: use it, or say it is missing */
	if (exists(IMAGE_INSTALLED))
		return IMAGE_INSTALLED;
	/* A build tree: the CLI is $(BUILD)/linux/cove, the image $(BUILD)/cove.elf. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		snprintf(beside, sizeof(beside), "%s/../cove.elf", dirname(exe));
		if (exists(beside))
			return beside;
	}
	fail("no Cove image: set COVE_IMAGE, install %s, or use --image PATH",
	     IMAGE_INSTALLED);
}
