/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The multiboot2 boot information structure, as far as Cove reads it. All
 * fields are little endian. The structure starts 8-aligned with a fixed
 * header, then tags follow, each starting 8-aligned, until an END tag.
 */
#ifndef COVE_MULTIBOOT2_H
#define COVE_MULTIBOOT2_H

#include <cove/types.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289U	/* in eax at entry */
#define MB2_TAG_ALIGN 8

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_BOOTDEV 5
#define MB2_TAG_MMAP 6
#define MB2_TAG_VBE 7
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ELF_SECTIONS 9
#define MB2_TAG_APM 10
#define MB2_TAG_EFI32 11		/* EFI system table pointer */
#define MB2_TAG_EFI64 12
#define MB2_TAG_SMBIOS 13
#define MB2_TAG_ACPI_OLD 14		/* copy of an ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW 15		/* copy of an ACPI 2.0+ RSDP (XSDP) */
#define MB2_TAG_NETWORK 16
#define MB2_TAG_EFI_MMAP 17
#define MB2_TAG_EFI_BS 18		/* boot services were not exited */
#define MB2_TAG_EFI32_IH 19
#define MB2_TAG_EFI64_IH 20
#define MB2_TAG_LOAD_BASE_ADDR 21

/* mb2_mmap_entry.type */
#define MB2_MEM_AVAILABLE 1
#define MB2_MEM_RESERVED 2
#define MB2_MEM_ACPI_RECLAIMABLE 3
#define MB2_MEM_NVS 4
#define MB2_MEM_BADRAM 5

#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36

struct mb2_info {
	uint32_t total_size;	/* bytes, header and END tag included */
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size;		/* header included, padding to 8 not */
};

/* CMDLINE, LOADER_NAME: a NUL-terminated string follows. */
struct mb2_tag_string {
	uint32_t type;
	uint32_t size;
	char string[];
};

struct mb2_tag_module {
	uint32_t type;
	uint32_t size;
	uint32_t mod_start;	/* physical, [mod_start, mod_end) */
	uint32_t mod_end;
	char cmdline[];
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
	uint32_t zero;
};

struct mb2_tag_mmap {
	uint32_t type;
	uint32_t size;
	uint32_t entry_size;	/* >= sizeof(struct mb2_mmap_entry); may grow */
	uint32_t entry_version;
	uint8_t entries[];
};

/* ACPI_OLD, ACPI_NEW: the RSDP bytes, copied by the loader. */
struct mb2_tag_rsdp {
	uint32_t type;
	uint32_t size;
	uint8_t rsdp[];
};

#endif /* COVE_MULTIBOOT2_H */
