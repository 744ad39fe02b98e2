// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI static table parsing. Firmware tables are read only through the
 * caller's mapper, and only through the pointer it returned last, so a
 * mapper that recycles one window is safe. Nothing here trusts a length or an
 * address it has not checked.
 */
#include <cove/acpi.h>
#include <cove/errno.h>
#include <cove/string.h>

/* The struct layouts are the firmware ABI; pin the offsets that matter. */
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");
_Static_assert(sizeof(struct acpi_sdt_hdr) == 36, "SDT header layout");
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS layout");
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT LAPIC layout");
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT IOAPIC layout");
_Static_assert(sizeof(struct acpi_madt_lapic_override) == 12, "MADT override layout");
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC layout");
_Static_assert(offsetof(struct acpi_fadt, iapc_boot_arch) == 109, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, reset_reg) == ACPI_FADT_V1_LEN, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, x_pm_tmr_blk) == 208, "FADT layout");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT layout");

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR '\\'

/* Does the FADT of length len reach the end of field? Older revisions are shorter. */
#define FADT_HAS(len, field) \
	((len) >= offsetof(struct acpi_fadt, field) + sizeof(((struct acpi_fadt *)0)->field))

static uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/*
 * Map and validate the SDT at pa. -ENOENT means another signature, so a
 * search can move on whatever state that table is in; anything else is -EINVAL.
 */
static int acpi_map_sdt(const struct acpi_ctx *a, uint64_t pa, const char *sig,
			const void **table, uint32_t *len)
{
	const struct acpi_sdt_hdr *h;
	uint32_t n;

	h = a->map(a->ctx, pa, sizeof(*h));
	if (!h)
		return -EINVAL;
	if (memcmp(h->sig, sig, 4))
		return -ENOENT;
	n = h->length;
	if (n < sizeof(*h) || n > ACPI_SDT_MAX_LEN || pa > UINT64_MAX - n)
		return -EINVAL;
	h = a->map(a->ctx, pa, n);
	if (!h || h->length != n || acpi_checksum(h, n))
		return -EINVAL;
	*table = h;
	*len = n;
	return 0;
}

/* Validate the RSDP and pick the root table: the XSDT when it has one. */
static int acpi_root(const struct acpi_ctx *a, uint64_t *pa, uint32_t *entry_size)
{
	const struct acpi_rsdp *r = a->rsdp;

	if (!a->map || !r || a->rsdp_len < ACPI_RSDP_V1_LEN)
		return -EINVAL;
	if (memcmp(r->sig, "RSD PTR ", 8) || acpi_checksum(r, ACPI_RSDP_V1_LEN))
		return -EINVAL;
	/*
	 * A 20-byte copy of a v2 RSDP (multiboot2's "old RSDP" tag) cannot have
	 * its extended part checked, so only its RSDT is trusted.
	 */
	if (r->revision >= 2 && a->rsdp_len >= sizeof(*r)) {
		if (r->length < sizeof(*r) || r->length > a->rsdp_len ||
		    acpi_checksum(r, r->length))
			return -EINVAL;
		if (r->xsdt_addr) {
			*pa = r->xsdt_addr;
			*entry_size = 8;
			return 0;
		}
	}
	if (!r->rsdt_addr)
		return -EINVAL;
	*pa = r->rsdt_addr;
	*entry_size = 4;
	return 0;
}

int acpi_find_table(const struct acpi_ctx *a, const char sig[4], const void **table,
		    uint32_t *len)
{
	const void *root;
	uint64_t root_pa, pa;
	uint32_t esize, rlen, i, n;
	int ret, err = -ENOENT;

	ret = acpi_root(a, &root_pa, &esize);
	if (ret)
		return ret;
	ret = acpi_map_sdt(a, root_pa, esize == 8 ? "XSDT" : "RSDT", &root, &rlen);
	if (ret)
		return -EINVAL;
	n = (rlen - sizeof(struct acpi_sdt_hdr)) / esize;

	for (i = 0; i < n; i++) {
		/* Re-map the entry each time: mapping a table may recycle the root's window. */
		const void *e = a->map(a->ctx, root_pa + sizeof(struct acpi_sdt_hdr) +
				       (uint64_t)i * esize, esize);

		if (!e)
			return -EINVAL;
		pa = 0;
		memcpy(&pa, e, esize);	/* little endian; entries are unaligned */
		if (!pa)
			continue;
		ret = acpi_map_sdt(a, pa, sig, table, len);
		if (!ret)
			return 0;
		/* Remember corruption so a search that then fails does not say "absent". */
		if (ret != -ENOENT)
			err = ret;
	}
	return err;
}

static void acpi_madt_add_cpu(struct acpi_madt_info *out, uint32_t apic_id, uint32_t acpi_id,
			      uint32_t flags)
{
	struct acpi_cpu *c;
	uint32_t i;

	/* Firmware may list a CPU as both xAPIC and x2APIC; keep the first. */
	for (i = 0; i < out->nr_cpus; i++)
		if (out->cpus[i].apic_id == apic_id)
			return;
	if (!(flags & (ACPI_MADT_CPU_ENABLED | ACPI_MADT_CPU_ONLINE_CAPABLE)) ||
	    out->nr_cpus == BOOT_MAX_CPUS) {
		out->nr_ignored++;
		return;
	}
	c = &out->cpus[out->nr_cpus++];
	c->apic_id = apic_id;
	c->acpi_id = acpi_id;
	c->enabled = flags & ACPI_MADT_CPU_ENABLED;
	c->online_capable = flags & ACPI_MADT_CPU_ONLINE_CAPABLE;
}

/* e->length is already known to fit in the table; check it covers the type's fields. */
static int acpi_madt_entry(struct acpi_madt_info *out, const struct acpi_madt_entry *e)
{
	switch (e->type) {
	case ACPI_MADT_LAPIC: {
		const struct acpi_madt_lapic *l = (const void *)e;

		if (e->length < sizeof(*l))
			return -EINVAL;
		acpi_madt_add_cpu(out, l->apic_id, l->acpi_id, l->flags);
		break;
	}
	case ACPI_MADT_X2APIC: {
		const struct acpi_madt_x2apic *x = (const void *)e;

		if (e->length < sizeof(*x))
			return -EINVAL;
		acpi_madt_add_cpu(out, x->x2apic_id, x->acpi_uid, x->flags);
		break;
	}
	case ACPI_MADT_IOAPIC: {
		const struct acpi_madt_ioapic *io = (const void *)e;
		struct acpi_ioapic *d;

		if (e->length < sizeof(*io))
			return -EINVAL;
		if (out->nr_ioapics == ACPI_MAX_IOAPICS)
			break;
		d = &out->ioapics[out->nr_ioapics++];
		d->id = io->id;
		d->phys = io->addr;
		d->gsi_base = io->gsi_base;
		break;
	}
	case ACPI_MADT_LAPIC_OVERRIDE: {
		const struct acpi_madt_lapic_override *o = (const void *)e;

		if (e->length < sizeof(*o))
			return -EINVAL;
		out->lapic_phys = o->addr;
		break;
	}
	}
	return 0;
}

int acpi_parse_madt(const struct acpi_ctx *a, struct acpi_madt_info *out)
{
	const struct acpi_madt *m;
	const uint8_t *p;
	const void *t;
	uint32_t len, off;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = acpi_find_table(a, "APIC", &t, &len);
	if (ret)
		return ret;
	if (len < sizeof(*m))
		return -EINVAL;
	m = t;
	p = t;
	out->lapic_phys = m->lapic_addr;
	out->pcat_compat = m->flags & ACPI_MADT_PCAT_COMPAT;

	for (off = sizeof(*m); off < len; off += p[off + 1]) {
		const struct acpi_madt_entry *e = (const void *)(p + off);

		if (len - off < sizeof(*e) || e->length < sizeof(*e) || e->length > len - off)
			return -EINVAL;
		ret = acpi_madt_entry(out, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* An AML integer small enough for SLP_TYPx, ending before end; advances *pos. */
static bool acpi_aml_int(const uint8_t *p, uint32_t end, uint32_t *pos, uint16_t *val)
{
	uint32_t i = *pos;

	if (i >= end)
		return false;
	switch (p[i]) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
		*val = p[i];
		*pos = i + 1;
		return true;
	case AML_BYTE_PREFIX:
		if (end - i < 2)
			return false;
		*val = p[i + 1];
		*pos = i + 2;
		return true;
	case AML_WORD_PREFIX:
		if (end - i < 3)
			return false;
		*val = p[i + 1] | p[i + 2] << 8;
		*pos = i + 3;
		return true;
	}
	return false;
}

/* Decode "Package (n) { a, b, ... }" at p[i], bounded by both len and the PkgLength. */
static bool acpi_aml_s5_pkg(const uint8_t *p, uint32_t len, uint32_t i, uint16_t *a,
			    uint16_t *b)
{
	uint32_t nbytes, pkglen, end, k;
	uint16_t va, vb;

	if (len - i < 2 || p[i++] != AML_PACKAGE_OP)
		return false;
	/* PkgLength: lead bits 7:6 count the extra bytes, which hold bits 4 and up. */
	nbytes = p[i] >> 6;
	if (len - i < nbytes + 2)
		return false;
	pkglen = nbytes ? p[i] & 0x0f : p[i] & 0x3f;
	for (k = 1; k <= nbytes; k++)
		pkglen |= (uint32_t)p[i + k] << (8 * k - 4);
	/* The PkgLength counts itself, so the package ends at i + pkglen. */
	if (pkglen > len - i)
		return false;
	end = i + pkglen;
	i += nbytes + 1;
	if (i >= end || p[i] < 2)
		return false;
	i++;
	if (!acpi_aml_int(p, end, &i, &va) || !acpi_aml_int(p, end, &i, &vb))
		return false;
	*a = va;
	*b = vb;
	return true;
}

/*
 * Without an AML interpreter, find "Name (\_S5_, Package ...)" by pattern:
 * a stray "_S5_" elsewhere fails the NameOp or package checks and is skipped.
 */
static bool acpi_aml_find_s5(const uint8_t *p, uint32_t len, uint16_t *a, uint16_t *b)
{
	uint32_t i, hdr = sizeof(struct acpi_sdt_hdr);
	bool named;

	for (i = hdr + 1; i + 4 <= len; i++) {
		if (memcmp(p + i, "_S5_", 4))
			continue;
		named = p[i - 1] == AML_NAME_OP ||
			(p[i - 1] == AML_ROOT_CHAR && i >= hdr + 2 && p[i - 2] == AML_NAME_OP);
		if (named && acpi_aml_s5_pkg(p, len, i + 4, a, b))
			return true;
	}
	return false;
}

/* Prefer the 64-bit GAS when it names a usable I/O port; memory space is not a port. */
static uint32_t acpi_fadt_port(uint32_t legacy, const struct acpi_gas *x)
{
	if (x && x->space_id == ACPI_GAS_IO && x->address && x->address <= 0xffff)
		return (uint32_t)x->address;
	return legacy;
}

int acpi_parse_fadt(const struct acpi_ctx *a, struct acpi_fadt_info *out)
{
	const struct acpi_fadt *f;
	const void *t;
	uint64_t x_dsdt, dsdt;
	uint32_t len;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = acpi_find_table(a, "FACP", &t, &len);
	if (ret)
		return ret;
	if (len < ACPI_FADT_V1_LEN)
		return -EINVAL;
	f = t;

	memcpy(out->oem_id, f->hdr.oem_id, sizeof(f->hdr.oem_id));
	out->pm1a_cnt = acpi_fadt_port(f->pm1a_cnt_blk,
				       FADT_HAS(len, x_pm1a_cnt_blk) ? &f->x_pm1a_cnt_blk : NULL);
	out->pm1b_cnt = acpi_fadt_port(f->pm1b_cnt_blk,
				       FADT_HAS(len, x_pm1b_cnt_blk) ? &f->x_pm1b_cnt_blk : NULL);
	out->pm_tmr_port = acpi_fadt_port(f->pm_tmr_blk,
					  FADT_HAS(len, x_pm_tmr_blk) ? &f->x_pm_tmr_blk : NULL);
	out->pm_tmr_32bit = f->flags & ACPI_FADT_TMR_VAL_EXT;
	out->iapc_boot_arch = f->iapc_boot_arch;
	if ((f->flags & ACPI_FADT_RESET_REG_SUP) && FADT_HAS(len, reset_value) &&
	    f->reset_reg.address) {
		out->reset_valid = true;
		out->reset_space = f->reset_reg.space_id;
		out->reset_addr = f->reset_reg.address;
		out->reset_value = f->reset_value;
	}
	x_dsdt = FADT_HAS(len, x_dsdt) ? f->x_dsdt : 0;
	dsdt = f->dsdt;

	/* f is dead from here: mapping the DSDT may recycle its window. */
	ret = -ENOENT;
	if (x_dsdt)
		ret = acpi_map_sdt(a, x_dsdt, "DSDT", &t, &len);
	if (ret && dsdt)
		ret = acpi_map_sdt(a, dsdt, "DSDT", &t, &len);
	if (!ret)
		out->s5_valid = acpi_aml_find_s5(t, len, &out->slp_typa, &out->slp_typb);
	return 0;
}
