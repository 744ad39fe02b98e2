// SPDX-License-Identifier: GPL-2.0
/*
 * The loader module's image check, placement and copy
 * (linux/module/cove_image.c), built in user space: COVE_IOC_CREATE hands
 * the kernel a user's file. Input: one byte picking the partition size
 * and initrd, then the image. Every rejection is one message; an accepted
 * image must fit the partition, and copying it is checked by ASan in a
 * partition buffer of exactly that size.
 */
#include <stdarg.h>
#include <stdio.h>
#include "cove_image.h"
#include "fuzz.h"

/* The loader's own area as the module computes it on x86-64 (cove_boot.c). */
#define FUZZ_LOADER_END 0x8d000ULL
/* Copy for real only into partitions this small; larger ones are checked. */
#define FUZZ_COPY_MAX (8ULL << 20)

static int fuzz_messages;

void cove_image_user_log(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	FUZZ_ASSERT(!strncmp(msg, "cove: ", 6) && msg[strlen(msg) - 1] == '\n');
	fuzz_messages++;
}

static void fuzz_load(const struct cove_layout *lay, const uint8_t *img, size_t size,
		      u64 part)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;

	FUZZ_ASSERT(lay->image_start >= FUZZ_LOADER_END && lay->image_end <= lay->end);
	FUZZ_ASSERT(lay->end <= part);
	FUZZ_ASSERT(!lay->initrd_size || (lay->initrd_off >= lay->image_end &&
					  lay->initrd_off + lay->initrd_size == lay->end));
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_filesz)
			FUZZ_ASSERT(ph.p_paddr <= lay->image_end &&
				    ph.p_filesz <= lay->image_end - ph.p_paddr);
	}
	if (lay->end <= FUZZ_COPY_MAX) {
		uint8_t *map = malloc(lay->end ? lay->end : 1);

		FUZZ_ASSERT(map);
		cove_image_copy(map, lay, img);
		free(map);
	}
	(void)size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t pick = fuzz_byte(&data, &size);
	/* 1 MiB .. 2^63 bytes of partition; an initrd of 0, 4 KiB or 1 GiB. */
	u64 part = 1ULL << (20 + (pick & 63) % 44);
	u64 initrd = (pick >> 6) == 1 ? 4096 : (pick >> 6) == 2 ? 1ULL << 30 : 0;
	struct cove_layout lay = { 0 };
	uint8_t *img = malloc(size ? size : 1);
	int rc;

	FUZZ_ASSERT(img);
	memcpy(img, data, size);
	fuzz_messages = 0;
	rc = cove_image_check(img, size, &lay);
	if (!rc)
		rc = cove_layout_place(&lay, FUZZ_LOADER_END, part, initrd);
	FUZZ_ASSERT(rc == 0 || rc == -ENOEXEC || rc == -EINVAL);
	FUZZ_ASSERT(fuzz_messages == (rc ? 1 : 0));
	if (!rc)
		fuzz_load(&lay, img, size, part);
	free(img);
	return 0;
}
