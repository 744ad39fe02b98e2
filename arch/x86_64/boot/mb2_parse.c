// SPDX-License-Identifier: GPL-2.0
/*
 * multiboot2 -> boot_info. The structure comes from the loader, so it is
 * validated in full before anything is written, every read is bounded by
 * total_size, and fields are copied out with memcpy so that nothing depends
 * on the alignment of what the loader handed over.
 */
#include <arch/mb2_parse.h>
#include <cove/errno.h>
#include <cove/string.h>

#define MB2_MAX_SIZE (1 * MiB)
#define MB2_MMAP_HDR sizeof(struct mb2_tag_mmap)

/* What validation learned, so that filling need not check again. */
struct mb2_scan {
	const uint8_t *base;
	uint32_t total;
	const uint8_t *mmap;	/* the first mmap tag; later ones are ignored */
	uint32_t entry_size;
	uint32_t nr_entries;
	uint32_t nr_modules;	/* non-empty ones, each needing a reserved[] slot */
	bool have_initrd;	/* fill pass: the first module was seen */
};

struct mb2_span {
	uint64_t start, end;	/* [start, end), page aligned */
};

enum mb2_kind { MB2_SKIP, MB2_USABLE, MB2_HOLE };

/*
 * Reads the tag at *off into tag, sets *at to its offset and moves *off to
 * the next one. Returns 1 for a tag, 0 at the END tag or at total_size
 * (a missing END tag is tolerated when nothing is left over), -EINVAL when
 * a header or body does not fit.
 */
static int mb2_next(const struct mb2_scan *s, uint32_t *off, uint32_t *at, struct mb2_tag *tag)
{
	if (*off >= s->total)
		return 0;
	if (s->total - *off < sizeof(*tag))
		return -EINVAL;
	memcpy(tag, s->base + *off, sizeof(*tag));
	if (tag->size < sizeof(*tag) || tag->size > s->total - *off)
		return -EINVAL;
	if (tag->type == MB2_TAG_END)
		return 0;
	*at = *off;
	/* Cannot wrap: both terms are below MB2_MAX_SIZE. */
	*off = ALIGN_UP(*off + tag->size, MB2_TAG_ALIGN);
	return 1;
}

static uint32_t mb2_min_size(uint32_t type)
{
	switch (type) {
	case MB2_TAG_MODULE:
		return sizeof(struct mb2_tag_module);
	case MB2_TAG_MMAP:
		return MB2_MMAP_HDR;
	case MB2_TAG_ACPI_OLD:
		return sizeof(struct mb2_tag) + ACPI_RSDP_V1_LEN;
	case MB2_TAG_ACPI_NEW:
		return sizeof(struct mb2_tag) + ACPI_RSDP_V2_LEN;
	default:
		return sizeof(struct mb2_tag);
	}
}

static int mb2_validate(struct mb2_scan *s, const void *mbi, uint64_t mbi_phys,
			const struct boot_info *bi)
{
	struct mb2_info info;
	struct mb2_tag tag;
	uint32_t off = sizeof(info), at;
	int ret;

	memcpy(&info, mbi, sizeof(info));
	if (info.total_size < sizeof(info) || info.total_size > MB2_MAX_SIZE)
		return -EINVAL;
	/* Tags are 8-aligned in physical memory, so the start must be too. */
	if (!IS_ALIGNED(mbi_phys, MB2_TAG_ALIGN) || mbi_phys > UINT64_MAX - 2 * MB2_MAX_SIZE)
		return -EINVAL;

	memset(s, 0, sizeof(*s));
	s->base = mbi;
	s->total = info.total_size;
	while ((ret = mb2_next(s, &off, &at, &tag)) > 0) {
		struct mb2_tag_module mod;
		struct mb2_tag_mmap mm;

		if (tag.size < mb2_min_size(tag.type))
			return -EINVAL;
		if (tag.type == MB2_TAG_MODULE) {
			memcpy(&mod, s->base + at, sizeof(mod));
			if (mod.mod_end < mod.mod_start)
				return -EINVAL;
			s->nr_modules += mod.mod_end > mod.mod_start;
		} else if (tag.type == MB2_TAG_MMAP && !s->mmap) {
			memcpy(&mm, s->base + at, sizeof(mm));
			if (mm.entry_size < sizeof(struct mb2_mmap_entry))
				return -EINVAL;
			s->mmap = s->base + at;
			s->entry_size = mm.entry_size;
			s->nr_entries = (tag.size - MB2_MMAP_HDR) / mm.entry_size;
		}
	}
	if (ret || !s->mmap)
		return -EINVAL;
	/* Dropping a reservation would let a module be handed out as free RAM. */
	if (bi->nr_reserved + 1 + s->nr_modules > BOOT_MAX_RESERVED)
		return -ENOSPC;
	return 0;
}

/*
 * Usable entries shrink to whole pages and lose page 0; every other type
 * grows to whole pages, because any page it touches is not safe to use.
 */
static enum mb2_kind mb2_entry(const struct mb2_scan *s, uint32_t i, struct mb2_span *sp)
{
	struct mb2_mmap_entry e;
	uint64_t end;

	memcpy(&e, s->mmap + MB2_MMAP_HDR + (size_t)i * s->entry_size, sizeof(e));
	if (!e.len)
		return MB2_SKIP;
	end = e.len > UINT64_MAX - e.base ? UINT64_MAX : e.base + e.len;
	if (e.type == MB2_MEM_AVAILABLE) {
		if (e.base > UINT64_MAX - PAGE_SIZE)
			return MB2_SKIP;
		sp->start = MAX(ALIGN_UP(e.base, PAGE_SIZE), PAGE_SIZE);
		sp->end = ALIGN_DOWN(end, PAGE_SIZE);
		return sp->start < sp->end ? MB2_USABLE : MB2_SKIP;
	}
	sp->start = ALIGN_DOWN(e.base, PAGE_SIZE);
	sp->end = end > UINT64_MAX - PAGE_SIZE ? UINT64_MAX : ALIGN_UP(end, PAGE_SIZE);
	return MB2_HOLE;
}

/*
 * Finds the lowest usable range at or above p: the union of overlapping or
 * adjacent usable entries, cut at the first hole. This rescans the map rather
 * than sorting a copy of it, which would need unbounded memory; firmware maps
 * have tens of entries, so the quadratic worst case does not matter.
 */
static bool mb2_next_usable(const struct mb2_scan *s, uint64_t p, struct mb2_span *out)
{
	struct mb2_span sp;

	for (;;) {
		uint64_t start = UINT64_MAX, end, skip;
		bool found = false, grown, covered = false;

		for (uint32_t i = 0; i < s->nr_entries; i++) {
			if (mb2_entry(s, i, &sp) == MB2_USABLE && sp.end > p) {
				start = MIN(start, MAX(sp.start, p));
				found = true;
			}
		}
		if (!found)
			return false;

		end = start;
		do {
			grown = false;
			for (uint32_t i = 0; i < s->nr_entries; i++) {
				if (mb2_entry(s, i, &sp) == MB2_USABLE && sp.start <= end &&
				    sp.end > end) {
					end = sp.end;
					grown = true;
				}
			}
		} while (grown);

		skip = start;
		for (uint32_t i = 0; i < s->nr_entries; i++) {
			if (mb2_entry(s, i, &sp) != MB2_HOLE || sp.start >= end || sp.end <= start)
				continue;
			if (sp.start <= start) {
				covered = true;
				skip = MAX(skip, sp.end);
			} else {
				end = MIN(end, sp.start);
			}
		}
		if (!covered) {
			out->start = start;
			out->end = end;
			return true;
		}
		p = skip;	/* > start, so this terminates */
	}
}

/* Ranges arrive sorted; once mem[] is full, the smallest one makes way. */
static void mb2_keep(struct boot_info *bi, struct mb2_extra *extra, const struct mb2_span *r)
{
	struct boot_range nr = { .base = r->start, .size = r->end - r->start };
	uint32_t smallest = 0;

	if (bi->nr_mem < BOOT_MAX_MEM_RANGES) {
		bi->mem[bi->nr_mem++] = nr;
		return;
	}
	extra->nr_dropped_ranges++;
	for (uint32_t i = 1; i < bi->nr_mem; i++)
		if (bi->mem[i].size < bi->mem[smallest].size)
			smallest = i;
	if (bi->mem[smallest].size >= nr.size)
		return;
	memmove(&bi->mem[smallest], &bi->mem[smallest + 1],
		(bi->nr_mem - smallest - 1) * sizeof(bi->mem[0]));
	bi->mem[bi->nr_mem - 1] = nr;
}

static void mb2_reserve(struct boot_info *bi, uint64_t start, uint64_t end, const char *what,
			uint32_t flags)
{
	struct boot_reserved *r = &bi->reserved[bi->nr_reserved++];

	r->flags = flags;
	r->base = ALIGN_DOWN(start, PAGE_SIZE);
	r->size = ALIGN_UP(end, PAGE_SIZE) - r->base;
	memset(r->what, 0, sizeof(r->what));
	memcpy(r->what, what, MIN(strlen(what), sizeof(r->what) - 1));
}

/* The loader's string need not be terminated inside its tag. */
static void mb2_copy_string(char *dst, size_t max, const struct mb2_scan *s, uint32_t at,
			    uint32_t size)
{
	const char *src = (const char *)s->base + at + sizeof(struct mb2_tag);
	size_t len = size - sizeof(struct mb2_tag), n = 0;

	while (n < len && n + 1 < max && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

static void mb2_fill_tag(struct mb2_scan *s, uint64_t mbi_phys, uint32_t at,
			 const struct mb2_tag *tag, struct boot_info *bi, struct mb2_extra *extra)
{
	struct mb2_tag_module mod;
	uint32_t len;

	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		mb2_copy_string(bi->cmdline, sizeof(bi->cmdline), s, at, tag->size);
		break;
	case MB2_TAG_LOADER_NAME:
		mb2_copy_string(bi->loader, sizeof(bi->loader), s, at, tag->size);
		break;
	case MB2_TAG_MODULE:
		memcpy(&mod, s->base + at, sizeof(mod));
		if (mod.mod_end > mod.mod_start)
			mb2_reserve(bi, mod.mod_start, mod.mod_end, "module", 0);
		if (!s->have_initrd) {
			s->have_initrd = true;
			bi->initrd.base = mod.mod_start;
			bi->initrd.size = mod.mod_end - mod.mod_start;
		}
		break;
	case MB2_TAG_EFI32:
	case MB2_TAG_EFI64:
	case MB2_TAG_EFI_MMAP:
		bi->flags |= BOOT_FLAG_EFI;
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		/* The ACPI 2.0 copy wins whichever order the tags come in. */
		if (tag->type == MB2_TAG_ACPI_OLD && extra->rsdp_len == ACPI_RSDP_V2_LEN)
			break;
		len = tag->type == MB2_TAG_ACPI_NEW ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;
		memset(extra->rsdp, 0, sizeof(extra->rsdp));
		memcpy(extra->rsdp, s->base + at + sizeof(*tag), len);
		extra->rsdp_len = len;
		bi->acpi_rsdp = mbi_phys + at + sizeof(*tag);
		break;
	}
}

int mb2_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *bi, struct mb2_extra *extra)
{
	struct mb2_extra scratch;
	struct mb2_scan s;
	struct mb2_span r;
	struct mb2_tag tag;
	uint32_t off = sizeof(struct mb2_info), at;
	uint64_t p = 0;
	int ret;

	ret = mb2_validate(&s, mbi, mbi_phys, bi);
	if (ret)
		return ret;
	if (!extra)
		extra = &scratch;
	memset(extra, 0, sizeof(*extra));
	extra->nr_mmap_entries = s.nr_entries;

	bi->flags |= BOOT_FLAG_BARE;
	bi->cmdline[0] = '\0';
	bi->loader[0] = '\0';
	bi->initrd.base = 0;
	bi->initrd.size = 0;
	bi->acpi_rsdp = 0;
	/* Everything in it is copied out before kernel_main: mem= may drop it. */
	mb2_reserve(bi, mbi_phys, mbi_phys + s.total, "multiboot2 info",
		    BOOT_RESERVED_DISCARDABLE);
	while (mb2_next(&s, &off, &at, &tag) > 0)
		mb2_fill_tag(&s, mbi_phys, at, &tag, bi, extra);

	bi->nr_mem = 0;
	while (mb2_next_usable(&s, p, &r)) {
		mb2_keep(bi, extra, &r);
		p = r.end;
	}
	bi->firmware_usable_bytes = 0;
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		bi->firmware_usable_bytes += bi->mem[i].size;
	return 0;
}
