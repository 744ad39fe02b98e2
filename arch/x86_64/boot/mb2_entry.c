// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot2 entry, C side: turn what GRUB handed over (the multiboot2 info
 * and, through it, the ACPI tables) into struct boot_info, then leave for
 * kernel_main. The boot page tables still map the low 4 GiB at the direct
 * map, so firmware tables are read through it here and never again.
 */
#include <cove/acpi.h>
#include <cove/acpi_numa.h>
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/console.h>
#include <cove/errno.h>
#include <cove/exit.h>
#include <cove/init.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/string.h>
#include <arch/mb2_parse.h>
#include <arch/platform.h>
#include <arch/x86.h>
#include <generated/config.h>

extern char __kernel_phys_start[], __kernel_end[];

/* The boot description: filled here, then owned by kernel_main. */
static struct boot_info mb2_boot_info;
/* Parsed firmware tables: too big for the boot stack. */
static struct acpi_madt_info mb2_madt;
static struct acpi_srat_info mb2_srat;
static struct acpi_slit_info mb2_slit;

static const void *mb2_acpi_map(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa + len < pa || pa + len > BOOT_MAPPED_LIMIT)
		return NULL;
	return phys_to_virt(pa);
}

static uint32_t mb2_boot_apic_id(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

/* CPUs from the MADT, boot CPU first; without a MADT, just the boot CPU. */
static void mb2_fill_cpus(struct boot_info *bi, const struct acpi_ctx *acpi)
{
	uint32_t boot_id = mb2_boot_apic_id();
	int rc = acpi_parse_madt(acpi, &mb2_madt);

	bi->nr_cpus = 1;
	bi->cpus[0].apic_id = boot_id;
	if (rc) {
		pr_warn("acpi: no usable MADT (%d); running on the boot CPU only\n", rc);
		bi->firmware_nr_cpus = 1;
		return;
	}
	platform_lapic_phys = mb2_madt.lapic_phys;
	platform_has_8259 = mb2_madt.pcat_compat;
	for (uint32_t i = 0; i < mb2_madt.nr_cpus && bi->nr_cpus < BOOT_MAX_CPUS; i++) {
		if (mb2_madt.cpus[i].apic_id == boot_id) {
			bi->cpus[0].acpi_id = mb2_madt.cpus[i].acpi_id;
			continue;
		}
		bi->cpus[bi->nr_cpus].apic_id = mb2_madt.cpus[i].apic_id;
		bi->cpus[bi->nr_cpus].acpi_id = mb2_madt.cpus[i].acpi_id;
		bi->nr_cpus++;
	}
	bi->firmware_nr_cpus = bi->nr_cpus;
}

static void mb2_fill_power(const struct acpi_ctx *acpi)
{
	struct acpi_fadt_info fadt;

	if (acpi_parse_fadt(acpi, &fadt))
		return;
	platform_power.emulator = !memcmp(fadt.oem_id, "BOCHS ", 6);
	platform_power.s5_valid = fadt.s5_valid;
	platform_power.pm1a_cnt = (uint16_t)fadt.pm1a_cnt;
	platform_power.pm1b_cnt = (uint16_t)fadt.pm1b_cnt;
	platform_power.slp_typa = fadt.slp_typa;
	platform_power.slp_typb = fadt.slp_typb;
}

/*
 * The NUMA layout from the SRAT (and SLIT): without one, or with one that
 * contradicts itself, one node -- a console line says which.
 */
static void mb2_fill_numa(struct boot_info *bi, const struct acpi_ctx *acpi)
{
	bool slit_used;
	int rc = acpi_parse_srat(acpi, &mb2_srat);

	if (rc == -ENOENT) {
		numa_layout_single(&bi->numa);
		return;
	}
	if (!rc)
		rc = acpi_numa_build(&mb2_srat, acpi_parse_slit(acpi, &mb2_slit) ? NULL : &mb2_slit,
				     &bi->numa, &slit_used);
	if (rc) {
		pr_warn("acpi: SRAT unusable (%d); one NUMA node\n", rc);
		numa_layout_single(&bi->numa);
		return;
	}
	if (mb2_slit.n && !slit_used)
		pr_warn("acpi: SLIT does not match the SRAT; distances 10/20\n");
	for (uint32_t i = 0; i < bi->nr_cpus; i++)
		bi->cpus[i].node = acpi_numa_cpu_node(&mb2_srat, &bi->numa, bi->cpus[i].apic_id);
}

void arch_boot_multiboot2(uint32_t magic, uint32_t mbi_phys)
{
	struct boot_info *bi = &mb2_boot_info;
	struct mb2_extra extra;
	struct acpi_ctx acpi;
	int rc;

	(void)magic;	/* checked by head.asm */
	if (serial16550_init(CONFIG_SERIAL_PORT))
		bi->console_port = CONFIG_SERIAL_PORT;

	rc = mb2_parse(phys_to_virt(mbi_phys), mbi_phys, bi, &extra);
	if (rc) {
		pr_emerg("boot: the multiboot2 information is malformed (%d); cannot boot\n", rc);
		arch_poweroff(EXIT_PANIC);
	}
	if (extra.nr_dropped_ranges)
		pr_warn("boot: %u small memory ranges beyond the first %u were left out\n",
			extra.nr_dropped_ranges, BOOT_MAX_MEM_RANGES);

	bi->kernel_phys = (uint64_t)__kernel_phys_start;
	bi->kernel_size = (uint64_t)__kernel_end - KERNEL_VMA_BASE - bi->kernel_phys;
	if (partition_reserve(bi, bi->kernel_phys, bi->kernel_size, "kernel image")) {
		pr_emerg("boot: too many reserved ranges; cannot boot\n");
		arch_poweroff(EXIT_PANIC);
	}

	memset(&acpi, 0, sizeof(acpi));
	acpi.map = mb2_acpi_map;
	acpi.rsdp = extra.rsdp;
	acpi.rsdp_len = extra.rsdp_len;
	if (!extra.rsdp_len)
		pr_warn("acpi: the loader passed no RSDP\n");
	mb2_fill_cpus(bi, &acpi);
	mb2_fill_numa(bi, &acpi);
	mb2_fill_power(&acpi);

	kernel_main(bi);
}
