/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI static tables: RSDP -> RSDT/XSDT -> SDTs, the MADT's CPUs and I/O
 * APICs, and the FADT's power-management registers plus \_S5_. Pure logic:
 * every physical read goes through the caller's mapper, so the same code runs
 * in the kernel and in host unit tests. Firmware is not trusted: every length
 * and checksum is checked and corrupt tables give -EINVAL, missing ones
 * -ENOENT.
 */
#ifndef COVE_ACPI_H
#define COVE_ACPI_H

#include <cove/types.h>
#include <cove/boot_info.h>

/*
 * Return a pointer through which [pa, pa+len) can be read, or NULL if it
 * cannot be mapped. The parser only ever uses the pointer from its most recent
 * call, so a mapper may recycle a single window.
 */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t pa, size_t len);

struct acpi_ctx {
	acpi_map_fn map;
	void *ctx;
	const void *rsdp;	/* a copy of the RSDP, e.g. from multiboot2 */
	size_t rsdp_len;	/* 20 for ACPI 1.0, 36 for 2.0+ */
};

#define ACPI_SDT_MAX_LEN (1U << 20)	/* no sane table is bigger */
#define ACPI_MAX_IOAPICS 16

/* Firmware layouts: byte packed, little endian. */
struct acpi_rsdp {
	char sig[8];			/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_addr;
	uint32_t length;		/* revision >= 2 from here on */
	uint64_t xsdt_addr;
	uint8_t ext_checksum;		/* over length bytes */
	uint8_t reserved[3];
} __packed;

#define ACPI_RSDP_V1_LEN 20

struct acpi_sdt_hdr {
	char sig[4];
	uint32_t length;		/* whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

/* Generic Address Structure */
struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __packed;

#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1

struct acpi_madt {
	struct acpi_sdt_hdr hdr;
	uint32_t lapic_addr;
	uint32_t flags;
} __packed;

#define ACPI_MADT_PCAT_COMPAT (1U << 0)

struct acpi_madt_entry {
	uint8_t type;
	uint8_t length;
} __packed;

#define ACPI_MADT_LAPIC 0
#define ACPI_MADT_IOAPIC 1
#define ACPI_MADT_LAPIC_OVERRIDE 5
#define ACPI_MADT_X2APIC 9

/* Flags of the LAPIC and x2APIC entries */
#define ACPI_MADT_CPU_ENABLED (1U << 0)
#define ACPI_MADT_CPU_ONLINE_CAPABLE (1U << 1)

struct acpi_madt_lapic {
	struct acpi_madt_entry h;
	uint8_t acpi_id;
	uint8_t apic_id;
	uint32_t flags;
} __packed;

struct acpi_madt_ioapic {
	struct acpi_madt_entry h;
	uint8_t id;
	uint8_t reserved;
	uint32_t addr;
	uint32_t gsi_base;
} __packed;

struct acpi_madt_lapic_override {
	struct acpi_madt_entry h;
	uint16_t reserved;
	uint64_t addr;
} __packed;

struct acpi_madt_x2apic {
	struct acpi_madt_entry h;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t acpi_uid;
} __packed;

/* The ACPI 6 FADT; older revisions are prefixes of it (1.0 stops at reset_reg). */
struct acpi_fadt {
	struct acpi_sdt_hdr hdr;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	uint64_t hypervisor_id;
} __packed;

#define ACPI_FADT_V1_LEN 116
#define ACPI_FADT_TMR_VAL_EXT (1U << 8)
#define ACPI_FADT_RESET_REG_SUP (1U << 10)

/*
 * Find the first valid table with signature @sig. On success *table points at
 * the whole table (header included, valid until the next map call) and *len
 * is its length. A corrupt copy is skipped in favour of a later valid one.
 */
int acpi_find_table(const struct acpi_ctx *a, const char sig[4], const void **table,
		    uint32_t *len);

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t acpi_id;
	bool enabled;
	bool online_capable;
};

struct acpi_ioapic {
	uint32_t id;
	uint32_t phys;
	uint32_t gsi_base;
};

struct acpi_madt_info {
	uint64_t lapic_phys;		/* 32-bit field, overridden by type-5 entry if present */
	bool pcat_compat;		/* legacy 8259 PICs present (must be masked) */
	uint32_t nr_cpus;		/* usable CPUs: enabled, or online-capable */
	struct acpi_cpu cpus[BOOT_MAX_CPUS];
	uint32_t nr_ignored;		/* neither enabled nor online-capable, or over the limit */
	uint32_t nr_ioapics;		/* I/O APICs past ACPI_MAX_IOAPICS are dropped */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
};

/*
 * Collect local APIC (type 0) and local x2APIC (type 9) entries in firmware
 * order; duplicates by APIC ID are listed once. *out is zeroed first.
 */
int acpi_parse_madt(const struct acpi_ctx *a, struct acpi_madt_info *out);

struct acpi_fadt_info {
	char oem_id[7];			/* NUL-terminated, e.g. "BOCHS " under QEMU */
	uint32_t pm1a_cnt, pm1b_cnt;	/* I/O ports, 0 = absent */
	uint32_t pm_tmr_port;
	bool pm_tmr_32bit;		/* TMR_VAL_EXT */
	bool s5_valid;			/* \_S5_ found in the DSDT */
	uint16_t slp_typa, slp_typb;
	bool reset_valid;
	uint8_t reset_space;		/* ACPI_GAS_* */
	uint64_t reset_addr;
	uint8_t reset_value;
	uint16_t iapc_boot_arch;
};

/*
 * Read the FADT; *out is zeroed first. A missing, corrupt or \_S5_-less DSDT
 * only clears s5_valid: the rest of the FADT is still worth having.
 */
int acpi_parse_fadt(const struct acpi_ctx *a, struct acpi_fadt_info *out);

#endif /* COVE_ACPI_H */
