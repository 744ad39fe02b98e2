// SPDX-License-Identifier: GPL-2.0
/*
 * The image check and its place in the partition. The image is the user's:
 * every header is copied out (it need not be aligned) only once its range
 * is known to lie inside the file, and no sum of its numbers may wrap.
 */
#ifdef __KERNEL__
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/string.h>
#endif
#include <cove/pisces_abi.h>

#include "cove_image.h"

static void cove_phdr_read(const void *img, const Elf64_Ehdr *eh, unsigned int i,
			   Elf64_Phdr *ph)
{
	memcpy(ph, img + eh->e_phoff + (u64)i * sizeof(*ph), sizeof(*ph));
}

/* Find the image header in the first 64 KiB of the first loadable segment. */
static int cove_find_header(const void *img, const Elf64_Phdr *ph,
			    struct cove_image_header *hdr)
{
	u64 n = min_t(u64, ph->p_filesz, COVE_IMAGE_SEARCH);
	u64 off, magic;

	for (off = 0; off + sizeof(*hdr) <= n; off += 8) {
		memcpy(&magic, img + ph->p_offset + off, sizeof(magic));
		if (magic == COVE_IMAGE_MAGIC) {
			memcpy(hdr, img + ph->p_offset + off, sizeof(*hdr));
			return 0;
		}
	}
	return -ENOEXEC;
}

static int cove_check_segments(const void *img, size_t size, const Elf64_Ehdr *eh,
			       Elf64_Phdr *first)
{
	bool found = false;
	Elf64_Phdr ph;
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++) {
		cove_phdr_read(img, eh, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset ||
		    ph.p_filesz > ph.p_memsz) {
			pr_err("cove: image: segment %u lies outside the file\n", i);
			return -ENOEXEC;
		}
		if (!found)
			*first = ph;
		found = true;
	}
	if (!found) {
		pr_err("cove: image: no loadable segment\n");
		return -ENOEXEC;
	}
	return 0;
}

int cove_image_check(const void *img, size_t size, struct cove_layout *lay)
{
	struct cove_image_header hdr;
	Elf64_Phdr ph, first;
	Elf64_Ehdr eh;
	unsigned int i;
	int err;

	if (size < sizeof(eh) || memcmp(img, ELFMAG, SELFMAG)) {
		pr_err("cove: image: not an ELF file\n");
		return -ENOEXEC;
	}
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64) {
		pr_err("cove: image: not a 64-bit x86-64 ELF\n");
		return -ENOEXEC;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum || eh.e_phoff > size ||
	    (size - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum) {
		pr_err("cove: image: bad program headers\n");
		return -ENOEXEC;
	}
	err = cove_check_segments(img, size, &eh, &first);
	if (err)
		return err;
	if (cove_find_header(img, &first, &hdr)) {
		pr_err("cove: image: no Cove image header (not a Cove image with a Pisces entry)\n");
		return -ENOEXEC;
	}
	if (hdr.version != COVE_TAIL_VERSION || hdr.header_size < sizeof(hdr)) {
		pr_err("cove: image: header version %u, size %u; this loader speaks version %d\n",
		       hdr.version, hdr.header_size, COVE_TAIL_VERSION);
		return -ENOEXEC;
	}
	if (hdr.image_start >= hdr.image_end || hdr.image_end - hdr.image_start > SZ_1G ||
	    hdr.entry_phys < hdr.image_start || hdr.entry_phys >= hdr.image_end ||
	    hdr.cpu_entry_phys < hdr.image_start || hdr.cpu_entry_phys >= hdr.image_end ||
	    (hdr.align & (hdr.align - 1)) || hdr.align > SZ_1G ||
	    offset_in_page(hdr.image_start)) {
		pr_err("cove: image: implausible header (start %#llx end %#llx entry %#llx align %#llx)\n",
		       hdr.image_start, hdr.image_end, hdr.entry_phys, hdr.align);
		return -ENOEXEC;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		cove_phdr_read(img, &eh, i, &ph);
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_paddr < hdr.image_start || ph.p_paddr > hdr.image_end ||
		    ph.p_memsz > hdr.image_end - ph.p_paddr) {
			pr_err("cove: image: segment %u (%#llx+%#llx) outside the image %#llx-%#llx\n",
			       i, ph.p_paddr, ph.p_memsz, hdr.image_start, hdr.image_end);
			return -ENOEXEC;
		}
	}
	lay->image_start = hdr.image_start;
	lay->image_end = hdr.image_end;
	lay->entry = hdr.entry_phys;
	lay->cpu_entry = hdr.cpu_entry_phys;
	lay->align = hdr.align ? hdr.align : PAGE_SIZE;
	return 0;
}

/* x rounded up to MiB, for messages; saturates instead of wrapping. */
static u64 cove_mib_up(u64 x)
{
	return (x >> 20) + !!(x & (SZ_1M - 1));
}

int cove_layout_place(struct cove_layout *lay, u64 loader_end, u64 part_size,
		      u64 initrd_size)
{
	u64 initrd_off = 0, end;
	bool wraps;

	if (loader_end > lay->image_start) {
		pr_err("cove: image starts at %#llx, inside the loader's area (%#llx bytes)\n",
		       lay->image_start, loader_end);
		return -ENOEXEC;
	}
	/*
	 * An image at the top of the address space must not wrap the
	 * initrd's offset (or its end) to the bottom and so seem to fit.
	 */
	wraps = lay->image_end > U64_MAX - PAGE_SIZE;
	if (!wraps) {
		initrd_off = PAGE_ALIGN(lay->image_end);
		wraps = initrd_size > U64_MAX - initrd_off;
	}
	end = wraps ? U64_MAX : initrd_size ? initrd_off + initrd_size : lay->image_end;
	if (wraps || end > part_size) {
		pr_err("cove: partition too small: %llu MiB, the image%s need %llu MiB\n",
		       part_size >> 20, initrd_size ? " and initrd" : "", cove_mib_up(end));
		return -EINVAL;
	}
	lay->initrd_off = initrd_off;
	lay->initrd_size = initrd_size;
	lay->end = end;
	return 0;
}

void cove_image_copy(void *map, const struct cove_layout *lay, const void *img)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned int i;

	memcpy(&eh, img, sizeof(eh));
	memset(map, 0, lay->image_end);
	for (i = 0; i < eh.e_phnum; i++) {
		cove_phdr_read(img, &eh, i, &ph);
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		memcpy(map + ph.p_paddr, img + ph.p_offset, ph.p_filesz);
	}
}
