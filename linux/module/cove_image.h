/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The image a user hands COVE_IOC_CREATE, checked and placed in the
 * partition (cove_image.c). Pure parsing with no kernel state, so the same
 * file builds in user space for the fuzzer (test/fuzz/fuzz_cove_image.c),
 * where test/fuzz/cove_image_user.h stands in for the kernel headers.
 */
#ifndef COVE_IMAGE_H
#define COVE_IMAGE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "cove_image_user.h"
#endif

/* Where the loader puts things, as offsets from the partition base. */
struct cove_layout {
	u64 block_off, ring_off, ring_size, ctl_off, ctl_size, lc_off, lc_size;
	u64 lc_slot_size;
	u64 image_start, image_end, entry, cpu_entry, align;
	u64 initrd_off, initrd_size;
	u64 end;
};

/* An ELF Cove can boot: fills lay's image fields, or says why not. */
int cove_image_check(const void *img, size_t size, struct cove_layout *lay);
/*
 * After the loader's own area (loader_end bytes, already in lay): the
 * image at its link address, the initrd after it, all within part_size.
 */
int cove_layout_place(struct cove_layout *lay, u64 loader_end, u64 part_size,
		      u64 initrd_size);
/* Zero the loader area and the image's span at map, then copy the segments. */
void cove_image_copy(void *map, const struct cove_layout *lay, const void *img);

#endif /* COVE_IMAGE_H */
