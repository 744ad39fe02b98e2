/* SPDX-License-Identifier: GPL-2.0 */
/* Turning a Pisces boot block (include/cove/pisces_abi.h) into a struct boot_info. */
#ifndef ARCH_PISCES_PARSE_H
#define ARCH_PISCES_PARSE_H

#include <cove/boot_info.h>

/*
 * How the parser reads memory outside the block (the host page): a pointer
 * to len bytes at physical pa, or NULL where it must not look.
 */
typedef const void *(*pisces_phys_fn)(uint64_t pa, uint64_t len);

/* Where the entry found the image running. */
struct pisces_image {
	uint64_t offset;	/* run address - link address: the partition's base */
	uint64_t phys;		/* where its first byte runs (offset + link address) */
	uint64_t size;		/* up to the end of its .bss */
};

/* What the block says that struct boot_info has no field for. */
struct pisces_parsed {
	bool extension;		/* Cove's extension was present (and valid) */
	bool console_ok;	/* the ring lies in the partition: errors can be told */
	uint32_t channels;	/* COVE_CHANNELS_* */
	uint64_t tsc_khz;
	uint64_t host_time_ns;	/* 0 without the extension */
	uint64_t state_addr;	/* the extension's state word, 0 without it */
	const char *error;	/* why the block was refused */
	/* Why the host's NUMA view was not used (one node instead), or NULL. */
	const char *numa_note;
};

/*
 * Fills bi (zeroed by the caller) and out from the block at bp, whose
 * physical address is block_phys. Checks, in order: the magic, the size,
 * the partition (not empty, 2 MiB aligned, where the image runs), the
 * console ring (inside the partition: console_ok is set from here on),
 * the kernel (at the partition's second 2 MiB, its .bss clear of the
 * initrd), every other buffer and the initrd inside the partition, the
 * TSC rate, then the extension if its magic is there: version, CPU list,
 * host page. The extension's NUMA view never refuses the block: a bad one
 * leaves one node and says why in numa_note. Returns 0, or -EINVAL with out->error saying why (bi is then
 * partly filled and must not be used).
 */
int pisces_parse(const void *bp, uint64_t block_phys, const struct pisces_image *img,
		 pisces_phys_fn phys, struct boot_info *bi, struct pisces_parsed *out);

#endif /* ARCH_PISCES_PARSE_H */
