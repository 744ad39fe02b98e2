// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the ACPI table parser. Tables are built byte by byte (not
 * through the parser's structs, so a layout slip there shows up here) in a
 * fake physical memory. Every map() hands out a fresh heap copy of exactly
 * the requested range and frees the previous one, so ASan catches both a read
 * past a mapping and use of a stale mapping.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/acpi.h>
#include <cove/errno.h>
#include "unit.h"

/* Straddles 4 GiB so XSDT entries can point where an RSDT cannot. */
#define FAKE_BASE 0xffff0000ULL
#define FAKE_SIZE 0x20000
#define FAKE_HIGH 0x10000		/* offset of the first byte above 4 GiB */
#define FAKE_OUTSIDE 0x1000ULL		/* a physical address the fake does not hold */

/* FADT offsets, straight from the ACPI spec */
#define FADT_DSDT 40
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_PM_TMR 76
#define FADT_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT 172
#define FADT_X_PM1B_CNT 184
#define FADT_X_PM_TMR 208
#define FADT_V1_LEN 116
#define FADT_V6_LEN 276

struct fake {
	uint8_t mem[FAKE_SIZE];
	size_t used;
	void *window;			/* the one live mapping */
	uint64_t fail_pa;		/* mapping a range starting here fails */
	uint8_t rsdp[36];
	struct acpi_ctx ctx;
};

static const void *fake_map(void *ctx, uint64_t pa, size_t len)
{
	struct fake *f = ctx;

	free(f->window);
	f->window = NULL;
	if (pa < FAKE_BASE || pa - FAKE_BASE > FAKE_SIZE || len > FAKE_SIZE - (pa - FAKE_BASE))
		return NULL;
	if (f->fail_pa && pa == f->fail_pa)
		return NULL;
	f->window = malloc(len ? len : 1);
	memcpy(f->window, f->mem + (pa - FAKE_BASE), len);
	return f->window;
}

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		abort();
	f->ctx.map = fake_map;
	f->ctx.ctx = f;
	f->ctx.rsdp = f->rsdp;
	return f;
}

static void fake_free(struct fake *f)
{
	free(f->window);
	free(f);
}

static uint8_t *fake_ptr(struct fake *f, uint64_t pa)
{
	return f->mem + (pa - FAKE_BASE);
}

static uint64_t fake_alloc(struct fake *f, size_t n)
{
	uint64_t pa = FAKE_BASE + f->used;

	if (n > FAKE_SIZE - f->used)
		abort();
	f->used = MIN((size_t)FAKE_SIZE, ALIGN_UP(f->used + n, 16));
	return pa;
}

static void wr(uint8_t *p, uint64_t v, int size)
{
	for (int i = 0; i < size; i++)
		p[i] = v >> (8 * i);
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* Recompute an SDT's checksum over the length its header claims. */
static void sdt_fix(struct fake *f, uint64_t pa)
{
	uint8_t *p = fake_ptr(f, pa);
	uint32_t len = p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24;

	p[9] = 0;
	p[9] = -sum8(p, len);
}

static uint64_t sdt_add(struct fake *f, const char *sig, const void *body, uint32_t body_len)
{
	uint64_t pa = fake_alloc(f, 36 + body_len);
	uint8_t *p = fake_ptr(f, pa);

	memcpy(p, sig, 4);
	wr(p + 4, 36 + body_len, 4);
	p[8] = 1;
	memcpy(p + 10, "BOCHS ", 6);
	memcpy(p + 16, "COVETEST", 8);
	memcpy(p + 36, body, body_len);
	sdt_fix(f, pa);
	return pa;
}

static uint64_t root_add(struct fake *f, bool xsdt, const uint64_t *pas, int n)
{
	uint8_t body[16 * 8];
	int esz = xsdt ? 8 : 4;

	for (int i = 0; i < n; i++)
		wr(body + i * esz, pas[i], esz);
	return sdt_add(f, xsdt ? "XSDT" : "RSDT", body, n * esz);
}

static void rsdp_fix(struct fake *f)
{
	f->rsdp[8] = 0;
	f->rsdp[8] = -sum8(f->rsdp, 20);
	if (f->rsdp[15] >= 2) {
		f->rsdp[32] = 0;
		f->rsdp[32] = -sum8(f->rsdp, 36);
	}
}

static void rsdp_set(struct fake *f, int rev, uint64_t rsdt, uint64_t xsdt)
{
	memset(f->rsdp, 0, sizeof(f->rsdp));
	memcpy(f->rsdp, "RSD PTR ", 8);
	memcpy(f->rsdp + 9, "BOCHS ", 6);
	f->rsdp[15] = rev;
	wr(f->rsdp + 16, rsdt, 4);
	if (rev >= 2) {
		wr(f->rsdp + 20, 36, 4);
		wr(f->rsdp + 24, xsdt, 8);
	}
	f->ctx.rsdp = f->rsdp;
	f->ctx.rsdp_len = rev >= 2 ? 36 : 20;
	rsdp_fix(f);
}

/* The common case: an ACPI 1.0 RSDP whose RSDT lists the given tables. */
static void fake_boot(struct fake *f, const uint64_t *pas, int n)
{
	rsdp_set(f, 0, root_add(f, false, pas, n), 0);
}

static int find(struct fake *f, const char *sig, const uint8_t **t, uint32_t *len)
{
	const void *p = NULL;
	int ret = acpi_find_table(&f->ctx, sig, &p, len);

	*t = p;
	return ret;
}

/* A growing byte string for table bodies and AML. */
struct bytes {
	uint8_t b[8192];
	uint32_t n;
};

static void put(struct bytes *s, uint64_t v, int size)
{
	if (s->n + size > sizeof(s->b))
		abort();
	wr(s->b + s->n, v, size);
	s->n += size;
}

static void put_bytes(struct bytes *s, const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		put(s, p[i], 1);
}

#define PUT(s, ...) \
	put_bytes(s, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void madt_begin(struct bytes *s, uint32_t lapic, uint32_t flags)
{
	s->n = 0;
	put(s, lapic, 4);
	put(s, flags, 4);
}

static void madt_lapic(struct bytes *s, uint8_t acpi_id, uint8_t apic_id, uint32_t flags)
{
	PUT(s, 0, 8, acpi_id, apic_id);
	put(s, flags, 4);
}

static void madt_x2apic(struct bytes *s, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	PUT(s, 9, 16, 0, 0);
	put(s, apic_id, 4);
	put(s, flags, 4);
	put(s, uid, 4);
}

static void madt_ioapic(struct bytes *s, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	PUT(s, 1, 12, id, 0);
	put(s, addr, 4);
	put(s, gsi_base, 4);
}

static int madt_parse(const struct bytes *s, struct acpi_madt_info *mi)
{
	struct fake *f = fake_new();
	uint64_t t = sdt_add(f, "APIC", s->b, s->n);
	int ret;

	fake_boot(f, &t, 1);
	ret = acpi_parse_madt(&f->ctx, mi);
	fake_free(f);
	return ret;
}

/* Name ([\]_S5_, Package () { elems }), elems already AML-encoded. */
static void aml_s5(struct bytes *s, bool root, uint8_t nelem, const uint8_t *elems, uint32_t n)
{
	uint32_t body = 1 + n;		/* NumElements and the elements */

	PUT(s, 0x08);
	if (root)
		PUT(s, '\\');
	PUT(s, '_', 'S', '5', '_', 0x12);
	if (body + 1 <= 0x3f) {
		put(s, body + 1, 1);
	} else {
		put(s, 0x40 | ((body + 2) & 0x0f), 1);
		put(s, (body + 2) >> 4, 1);
	}
	put(s, nelem, 1);
	put_bytes(s, elems, n);
}

static void gas(uint8_t *p, uint8_t space, uint64_t addr)
{
	p[0] = space;
	p[1] = 8;
	wr(p + 4, addr, 8);
}

static uint64_t dsdt_add(struct fake *f, const struct bytes *aml)
{
	return sdt_add(f, "DSDT", aml->b, aml->n);
}

/* Boot with an ACPI 1.0 FADT that has PM1a at 0x404 and the given DSDT. */
static int fadt_v1_parse(struct fake *f, uint64_t dsdt, struct acpi_fadt_info *fi)
{
	uint8_t fadt[FADT_V1_LEN] = { 0 };
	uint64_t t;

	wr(fadt + FADT_PM1A_CNT, 0x404, 4);
	wr(fadt + FADT_DSDT, dsdt, 4);
	t = sdt_add(f, "FACP", fadt + 36, sizeof(fadt) - 36);
	fake_boot(f, &t, 1);
	return acpi_parse_fadt(&f->ctx, fi);
}

TEST(find_table_rsdt_v1)
{
	struct fake *f = fake_new();
	uint64_t pas[3];
	const uint8_t *t;
	uint32_t len;

	pas[0] = sdt_add(f, "SSDT", "ssdt", 4);
	pas[1] = 0;			/* empty slot: skipped */
	pas[2] = sdt_add(f, "HPET", "HPETBODY", 8);
	fake_boot(f, pas, 3);
	CHECK_EQ(f->ctx.rsdp_len, 20);

	CHECK_EQ(find(f, "HPET", &t, &len), 0);
	CHECK_EQ(len, 44);
	CHECK(!memcmp(t, "HPET", 4));
	CHECK(!memcmp(t + 36, "HPETBODY", 8));
	CHECK_EQ(find(f, "SSDT", &t, &len), 0);
	CHECK_EQ(len, 40);
	CHECK(!memcmp(t + 36, "ssdt", 4));
	CHECK_EQ(find(f, "APIC", &t, &len), -ENOENT);
	fake_free(f);
}

TEST(find_table_xsdt_preferred)
{
	struct fake *f = fake_new();
	uint64_t lo, hi, rsdt, xsdt;
	const uint8_t *t;
	uint32_t len;

	lo = sdt_add(f, "TEST", "rsdt", 4);
	rsdt = root_add(f, false, &lo, 1);
	f->used = FAKE_HIGH;
	hi = sdt_add(f, "TEST", "xsdt", 4);
	xsdt = root_add(f, true, &hi, 1);
	CHECK(hi > 0xffffffffULL && xsdt > 0xffffffffULL);

	rsdp_set(f, 2, rsdt, xsdt);
	CHECK_EQ(find(f, "TEST", &t, &len), 0);
	CHECK(!memcmp(t + 36, "xsdt", 4));

	/* A 20-byte copy of a v2 RSDP can only vouch for its RSDT. */
	f->ctx.rsdp_len = 20;
	CHECK_EQ(find(f, "TEST", &t, &len), 0);
	CHECK(!memcmp(t + 36, "rsdt", 4));

	/* v2 without an XSDT falls back to the RSDT. */
	rsdp_set(f, 2, rsdt, 0);
	CHECK_EQ(find(f, "TEST", &t, &len), 0);
	CHECK(!memcmp(t + 36, "rsdt", 4));
	fake_free(f);
}

TEST(rsdp_invalid)
{
	struct fake *f = fake_new();
	uint64_t t = sdt_add(f, "TEST", "x", 1);
	uint64_t rsdt = root_add(f, false, &t, 1), xsdt = root_add(f, true, &t, 1);
	const uint8_t *p;
	uint32_t len;

	rsdp_set(f, 0, rsdt, 0);
	CHECK_EQ(find(f, "TEST", &p, &len), 0);
	f->rsdp[0] = 'X';
	rsdp_fix(f);
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);

	rsdp_set(f, 0, rsdt, 0);
	f->rsdp[9] ^= 1;
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);

	rsdp_set(f, 0, rsdt, 0);
	f->ctx.rsdp_len = 19;
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);
	f->ctx.rsdp_len = 20;
	f->ctx.rsdp = NULL;
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);

	rsdp_set(f, 0, 0, 0);
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);

	rsdp_set(f, 2, rsdt, xsdt);
	CHECK_EQ(find(f, "TEST", &p, &len), 0);
	f->rsdp[32]++;			/* only the extended checksum is wrong */
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);

	rsdp_set(f, 2, rsdt, xsdt);
	wr(f->rsdp + 20, 40, 4);	/* claims more bytes than were passed */
	rsdp_fix(f);
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);

	rsdp_set(f, 2, rsdt, rsdt);	/* "XSDT" that is really an RSDT */
	CHECK_EQ(find(f, "TEST", &p, &len), -EINVAL);
	fake_free(f);
}

TEST(sdt_bad_checksum)
{
	struct fake *f = fake_new();
	uint64_t pas[3], rsdt;
	const uint8_t *t;
	uint32_t len;

	pas[0] = sdt_add(f, "AAAA", "a", 1);
	pas[1] = sdt_add(f, "HPET", "bad!", 4);
	fake_ptr(f, pas[1])[36] ^= 0xff;
	pas[2] = sdt_add(f, "HPET", "good", 4);

	/* A corrupt copy is passed over for a later good one... */
	fake_boot(f, pas, 3);
	CHECK_EQ(find(f, "HPET", &t, &len), 0);
	CHECK(!memcmp(t + 36, "good", 4));

	/* ...but alone it is reported as corrupt, not absent. */
	fake_boot(f, pas, 2);
	CHECK_EQ(find(f, "HPET", &t, &len), -EINVAL);
	CHECK_EQ(find(f, "AAAA", &t, &len), 0);
	CHECK_EQ(find(f, "ZZZZ", &t, &len), -ENOENT);

	rsdt = root_add(f, false, pas, 1);
	fake_ptr(f, rsdt)[9]++;
	rsdp_set(f, 0, rsdt, 0);
	CHECK_EQ(find(f, "AAAA", &t, &len), -EINVAL);
	fake_free(f);
}

TEST(sdt_bad_length)
{
	struct fake *f = fake_new();
	uint64_t pas[2], rsdt;
	uint8_t *h, body[6];
	const uint8_t *t;
	uint32_t len;

	pas[0] = sdt_add(f, "JUNK", "j", 1);
	pas[1] = sdt_add(f, "HPET", "0123456789abcdefghij", 20);
	fake_boot(f, pas, 2);
	h = fake_ptr(f, pas[1]);

	wr(h + 4, 35, 4);		/* shorter than its own header */
	CHECK_EQ(find(f, "HPET", &t, &len), -EINVAL);
	wr(h + 4, 2 << 20, 4);		/* over the 1 MiB sanity limit */
	CHECK_EQ(find(f, "HPET", &t, &len), -EINVAL);
	wr(h + 4, 0x30000, 4);		/* runs off the end of memory: map fails */
	CHECK_EQ(find(f, "HPET", &t, &len), -EINVAL);
	wr(h + 4, 55, 4);		/* cut by one byte: checksum no longer adds up */
	CHECK_EQ(find(f, "HPET", &t, &len), -EINVAL);
	wr(h + 4, 56, 4);
	CHECK_EQ(find(f, "HPET", &t, &len), 0);
	CHECK_EQ(len, 56);

	/* Another table's bad length does not make a missing one "corrupt". */
	wr(fake_ptr(f, pas[0]) + 4, 0, 4);
	CHECK_EQ(find(f, "APIC", &t, &len), -ENOENT);

	/* Stray bytes after the last RSDT entry are not an entry. */
	wr(body, pas[1], 4);
	body[4] = 0xff;
	body[5] = 0xff;
	rsdt = sdt_add(f, "RSDT", body, sizeof(body));
	rsdp_set(f, 0, rsdt, 0);
	CHECK_EQ(find(f, "HPET", &t, &len), 0);
	CHECK_EQ(find(f, "APIC", &t, &len), -ENOENT);
	fake_free(f);
}

TEST(mapper_null)
{
	struct fake *f = fake_new();
	struct acpi_madt_info mi;
	uint64_t pas[3];
	const uint8_t *t;
	uint32_t len;

	pas[0] = sdt_add(f, "AAAA", "a", 1);
	pas[1] = sdt_add(f, "APIC", "\0\0\xe0\xfe\0\0\0\0", 8);
	pas[2] = FAKE_OUTSIDE;
	fake_boot(f, pas, 3);

	CHECK_EQ(find(f, "AAAA", &t, &len), 0);
	/* The unmappable entry might have been it. */
	CHECK_EQ(find(f, "CCCC", &t, &len), -EINVAL);
	f->fail_pa = pas[0];
	CHECK_EQ(find(f, "AAAA", &t, &len), -EINVAL);
	CHECK_EQ(acpi_parse_madt(&f->ctx, &mi), 0);
	CHECK_EQ(mi.lapic_phys, 0xfee00000);
	f->fail_pa = pas[1];
	CHECK_EQ(acpi_parse_madt(&f->ctx, &mi), -EINVAL);

	f->fail_pa = 0;
	rsdp_set(f, 0, FAKE_OUTSIDE, 0);
	CHECK_EQ(find(f, "AAAA", &t, &len), -EINVAL);
	rsdp_set(f, 2, pas[0], FAKE_OUTSIDE);
	CHECK_EQ(find(f, "AAAA", &t, &len), -EINVAL);
	fake_free(f);
}

TEST(madt_cpus_and_ioapics)
{
	struct acpi_madt_info mi;
	struct bytes s;

	madt_begin(&s, 0xfee00000, 1);
	madt_lapic(&s, 0, 0, ACPI_MADT_CPU_ENABLED);
	madt_lapic(&s, 1, 2, ACPI_MADT_CPU_ENABLED);
	madt_lapic(&s, 2, 4, 0);				/* disabled */
	madt_lapic(&s, 3, 6, ACPI_MADT_CPU_ONLINE_CAPABLE);
	madt_ioapic(&s, 1, 0xfec00000, 0);
	PUT(&s, 2, 10, 0, 0, 2, 0, 0, 0, 0, 0);			/* IRQ override: skipped */
	madt_x2apic(&s, 0x100, 10, ACPI_MADT_CPU_ENABLED);
	madt_x2apic(&s, 2, 11, ACPI_MADT_CPU_ENABLED);		/* duplicate of xAPIC 2 */
	madt_lapic(&s, 1, 2, ACPI_MADT_CPU_ENABLED);		/* plain duplicate */
	PUT(&s, 0, 10, 7, 8, 1, 0, 0, 0, 0xaa, 0xbb);		/* a longer future LAPIC */
	madt_ioapic(&s, 2, 0xfec01000, 24);
	PUT(&s, 5, 12, 0, 0, 0, 0, 0xe0, 0xfe, 1, 0, 0, 0);	/* LAPIC at 0x1fee00000 */
	PUT(&s, 0x7f, 3, 0);					/* unknown type: skipped */

	CHECK_EQ(madt_parse(&s, &mi), 0);
	CHECK_EQ(mi.lapic_phys, 0x1fee00000ULL);
	CHECK(mi.pcat_compat);
	CHECK_EQ(mi.nr_cpus, 5);
	CHECK_EQ(mi.nr_ignored, 1);
	CHECK_EQ(mi.cpus[0].apic_id, 0);
	CHECK_EQ(mi.cpus[0].acpi_id, 0);
	CHECK(mi.cpus[0].enabled && !mi.cpus[0].online_capable);
	CHECK_EQ(mi.cpus[1].apic_id, 2);
	CHECK_EQ(mi.cpus[1].acpi_id, 1);
	CHECK_EQ(mi.cpus[2].apic_id, 6);
	CHECK_EQ(mi.cpus[2].acpi_id, 3);
	CHECK(!mi.cpus[2].enabled && mi.cpus[2].online_capable);
	CHECK_EQ(mi.cpus[3].apic_id, 0x100);
	CHECK_EQ(mi.cpus[3].acpi_id, 10);
	CHECK(mi.cpus[3].enabled);
	CHECK_EQ(mi.cpus[4].apic_id, 8);
	CHECK_EQ(mi.cpus[4].acpi_id, 7);
	CHECK_EQ(mi.nr_ioapics, 2);
	CHECK_EQ(mi.ioapics[0].id, 1);
	CHECK_EQ(mi.ioapics[0].phys, 0xfec00000);
	CHECK_EQ(mi.ioapics[0].gsi_base, 0);
	CHECK_EQ(mi.ioapics[1].id, 2);
	CHECK_EQ(mi.ioapics[1].phys, 0xfec01000);
	CHECK_EQ(mi.ioapics[1].gsi_base, 24);

	/* No override, no PICs. */
	madt_begin(&s, 0xfee00000, 0);
	madt_lapic(&s, 0, 0, ACPI_MADT_CPU_ENABLED);
	CHECK_EQ(madt_parse(&s, &mi), 0);
	CHECK_EQ(mi.lapic_phys, 0xfee00000);
	CHECK(!mi.pcat_compat);
	CHECK_EQ(mi.nr_cpus, 1);
	CHECK_EQ(mi.nr_ignored, 0);
	CHECK_EQ(mi.nr_ioapics, 0);
}

TEST(madt_bad_entries)
{
	struct acpi_madt_info mi;
	struct fake *f;
	struct bytes s;
	uint64_t t;

	madt_begin(&s, 0xfee00000, 0);
	madt_lapic(&s, 0, 0, ACPI_MADT_CPU_ENABLED);
	PUT(&s, 0, 0, 0, 0);		/* zero length would loop forever */
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	madt_begin(&s, 0xfee00000, 0);
	PUT(&s, 0, 1, 0, 0);
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	madt_begin(&s, 0xfee00000, 0);
	madt_ioapic(&s, 1, 0xfec00000, 0);
	s.b[9] = 20;			/* runs 8 bytes past the table */
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	madt_begin(&s, 0xfee00000, 0);
	madt_lapic(&s, 0, 0, ACPI_MADT_CPU_ENABLED);
	PUT(&s, 0);			/* half an entry header */
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	madt_begin(&s, 0xfee00000, 0);
	PUT(&s, 0, 6, 0, 0, 1, 0);	/* LAPIC too short for its flags */
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	madt_begin(&s, 0xfee00000, 0);
	PUT(&s, 9, 8, 0, 0, 1, 0, 0, 0);	/* x2APIC too short */
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	madt_begin(&s, 0xfee00000, 0);
	PUT(&s, 5, 4, 0, 0);		/* override too short */
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	s.n = 4;			/* no room for the flags word */
	CHECK_EQ(madt_parse(&s, &mi), -EINVAL);

	/* A table length that cuts an entry in half, with a matching checksum. */
	madt_begin(&s, 0xfee00000, 0);
	madt_lapic(&s, 0, 0, ACPI_MADT_CPU_ENABLED);
	madt_x2apic(&s, 1, 1, ACPI_MADT_CPU_ENABLED);
	f = fake_new();
	t = sdt_add(f, "APIC", s.b, s.n);
	wr(fake_ptr(f, t) + 4, 36 + s.n - 3, 4);
	sdt_fix(f, t);
	fake_boot(f, &t, 1);
	CHECK_EQ(acpi_parse_madt(&f->ctx, &mi), -EINVAL);
	fake_free(f);
}

TEST(madt_too_many_cpus)
{
	struct acpi_madt_info mi;
	struct bytes s;
	uint32_t i;

	madt_begin(&s, 0xfee00000, 0);
	for (i = 0; i < 3; i++)
		madt_lapic(&s, i, i, 0);
	for (i = 0; i < BOOT_MAX_CPUS + 5; i++)
		madt_x2apic(&s, 1000 + i, i, ACPI_MADT_CPU_ENABLED);
	madt_x2apic(&s, 1000, 9999, ACPI_MADT_CPU_ENABLED);	/* a duplicate is not extra */
	for (i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
		madt_ioapic(&s, i, 0xfec00000 + i * 0x1000, i * 24);

	CHECK_EQ(madt_parse(&s, &mi), 0);
	CHECK_EQ(mi.nr_cpus, BOOT_MAX_CPUS);
	CHECK_EQ(mi.nr_ignored, 3 + 5);
	CHECK_EQ(mi.cpus[0].apic_id, 1000);
	CHECK_EQ(mi.cpus[0].acpi_id, 0);
	CHECK_EQ(mi.cpus[BOOT_MAX_CPUS - 1].apic_id, 1000 + BOOT_MAX_CPUS - 1);
	CHECK_EQ(mi.cpus[BOOT_MAX_CPUS - 1].acpi_id, BOOT_MAX_CPUS - 1);
	CHECK_EQ(mi.nr_ioapics, ACPI_MAX_IOAPICS);
	CHECK_EQ(mi.ioapics[ACPI_MAX_IOAPICS - 1].id, ACPI_MAX_IOAPICS - 1);
	CHECK_EQ(mi.ioapics[ACPI_MAX_IOAPICS - 1].gsi_base, (ACPI_MAX_IOAPICS - 1) * 24);
}

TEST(fadt_v6_s5_byte_prefix)
{
	struct fake *f = fake_new();
	uint8_t fadt[FADT_V6_LEN] = { 0 };
	struct acpi_fadt_info fi;
	struct bytes s = { .n = 0 };
	uint64_t t;

	/* The 32-bit DSDT says (1, 1) and must lose to X_DSDT. */
	aml_s5(&s, false, 2, (const uint8_t[]){ 0x01, 0x01 }, 2);
	wr(fadt + FADT_DSDT, dsdt_add(f, &s), 4);

	s.n = 0;
	PUT(&s, 0x10, 0x05, '\\', '_', 'S', 'B', '_');		/* Scope (\_SB) */
	/* A well-formed package that is not the object of a NameOp */
	PUT(&s, 0x70, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x09, 0x0a, 0x09);
	PUT(&s, 0x08, '_', 'S', '5', '_', 0x0a, 0x05);		/* Name, but not a package */
	aml_s5(&s, true, 4, (const uint8_t[]){ 0x0a, 5, 0x0a, 7, 0, 0 }, 6);
	PUT(&s, 0x14, 0x08, '_', 'P', 'T', 'S', 0x01);
	wr(fadt + FADT_X_DSDT, dsdt_add(f, &s), 8);

	wr(fadt + FADT_PM1A_CNT, 0x604, 4);
	gas(fadt + FADT_X_PM1A_CNT, ACPI_GAS_IO, 0x1804);	/* preferred */
	wr(fadt + FADT_PM1B_CNT, 0x704, 4);
	gas(fadt + FADT_X_PM1B_CNT, ACPI_GAS_IO, 0);		/* zero: legacy wins */
	wr(fadt + FADT_PM_TMR, 0x608, 4);
	gas(fadt + FADT_X_PM_TMR, ACPI_GAS_MEMORY, 0xb008);	/* memory, not a port */
	wr(fadt + FADT_FLAGS, ACPI_FADT_TMR_VAL_EXT | ACPI_FADT_RESET_REG_SUP, 4);
	gas(fadt + FADT_RESET_REG, ACPI_GAS_IO, 0xcf9);
	fadt[FADT_RESET_VALUE] = 0x06;
	wr(fadt + FADT_BOOT_ARCH, 0x13, 2);
	t = sdt_add(f, "FACP", fadt + 36, sizeof(fadt) - 36);
	fake_boot(f, &t, 1);

	CHECK_EQ(acpi_parse_fadt(&f->ctx, &fi), 0);
	CHECK(!strcmp(fi.oem_id, "BOCHS "));
	CHECK_EQ(fi.pm1a_cnt, 0x1804);
	CHECK_EQ(fi.pm1b_cnt, 0x704);
	CHECK_EQ(fi.pm_tmr_port, 0x608);
	CHECK(fi.pm_tmr_32bit);
	CHECK(fi.s5_valid);
	CHECK_EQ(fi.slp_typa, 5);
	CHECK_EQ(fi.slp_typb, 7);
	CHECK(fi.reset_valid);
	CHECK_EQ(fi.reset_space, ACPI_GAS_IO);
	CHECK_EQ(fi.reset_addr, 0xcf9);
	CHECK_EQ(fi.reset_value, 6);
	CHECK_EQ(fi.iapc_boot_arch, 0x13);
	fake_free(f);
}

TEST(fadt_v1_s5_zero_one_ops)
{
	struct fake *f = fake_new();
	uint8_t fadt[FADT_V1_LEN] = { 0 };
	struct acpi_fadt_info fi;
	struct bytes s = { .n = 0 };
	uint64_t t;

	PUT(&s, 0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00);
	aml_s5(&s, false, 4, (const uint8_t[]){ 0x01, 0x00, 0x00, 0x00 }, 4);
	wr(fadt + FADT_DSDT, dsdt_add(f, &s), 4);
	wr(fadt + FADT_PM1A_CNT, 0x404, 4);
	wr(fadt + FADT_PM_TMR, 0x408, 4);
	/* A 1.0 FADT has no reset register whatever its flags say. */
	wr(fadt + FADT_FLAGS, ACPI_FADT_RESET_REG_SUP, 4);
	t = sdt_add(f, "FACP", fadt + 36, sizeof(fadt) - 36);
	memcpy(fake_ptr(f, t) + 10, "COVE", 4);
	sdt_fix(f, t);
	fake_boot(f, &t, 1);

	CHECK_EQ(acpi_parse_fadt(&f->ctx, &fi), 0);
	CHECK(!strcmp(fi.oem_id, "COVES "));
	CHECK_EQ(fi.pm1a_cnt, 0x404);
	CHECK_EQ(fi.pm1b_cnt, 0);
	CHECK_EQ(fi.pm_tmr_port, 0x408);
	CHECK(!fi.pm_tmr_32bit);
	CHECK(!fi.reset_valid);
	CHECK(fi.s5_valid);
	CHECK_EQ(fi.slp_typa, 1);
	CHECK_EQ(fi.slp_typb, 0);
	fake_free(f);
}

TEST(fadt_s5_long_package)
{
	struct fake *f = fake_new();
	struct acpi_fadt_info fi;
	struct bytes s = { .n = 0 };
	uint8_t elems[65] = { 0x0b, 0x34, 0x12, 0x0a, 0x03 };	/* then 60 ZeroOps */

	/* 66 bytes of package body need the two-byte PkgLength. */
	aml_s5(&s, true, 62, elems, sizeof(elems));
	CHECK_EQ(s.b[7] >> 6, 1);
	CHECK_EQ(fadt_v1_parse(f, dsdt_add(f, &s), &fi), 0);
	CHECK(fi.s5_valid);
	CHECK_EQ(fi.slp_typa, 0x1234);
	CHECK_EQ(fi.slp_typb, 3);
	fake_free(f);
}

TEST(fadt_no_s5)
{
	static const uint8_t bad[][12] = {
		{ 0x08, '_', 'S', '5', '_', 0x12 },			/* cut off */
		{ 0x08, '_', 'S', '5', '_', 0x12, 0x3f, 2, 0x0a, 5, 0x0a, 5 },	/* too long */
		{ 0x08, '_', 'S', '5', '_', 0x12, 0x04, 1, 0x0a, 5 },	/* one element */
		{ 0x08, '_', 'S', '5', '_', 0x12, 0x05, 2, 0x0c, 5, 5 },	/* DWord */
		{ 0x08, '_', 'S', '5', '_', 0x12, 0x04, 2, 0x0a, 5, 0x0a, 5 },	/* b outside */
	};
	static const uint8_t bad_len[] = { 6, 12, 10, 11, 12 };
	struct acpi_fadt_info fi;
	struct bytes s = { .n = 0 };
	struct fake *f;
	uint64_t t;

	PUT(&s, 0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x0a, 0x02, 0x0a, 0x02);
	f = fake_new();
	CHECK_EQ(fadt_v1_parse(f, dsdt_add(f, &s), &fi), 0);
	CHECK(!fi.s5_valid);
	CHECK_EQ(fi.pm1a_cnt, 0x404);
	fake_free(f);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		s.n = 0;
		put_bytes(&s, bad[i], bad_len[i]);
		f = fake_new();
		CHECK_EQ(fadt_v1_parse(f, dsdt_add(f, &s), &fi), 0);
		CHECK(!fi.s5_valid);
		CHECK_EQ(fi.slp_typa, 0);
		fake_free(f);
	}

	f = fake_new();
	CHECK_EQ(fadt_v1_parse(f, 0, &fi), 0);		/* no DSDT at all */
	CHECK(!fi.s5_valid);
	CHECK_EQ(fi.pm1a_cnt, 0x404);
	fake_free(f);

	/* A corrupt DSDT costs \_S5_ only. */
	s.n = 0;
	aml_s5(&s, false, 2, (const uint8_t[]){ 0x0a, 5, 0x0a, 5 }, 4);
	f = fake_new();
	t = dsdt_add(f, &s);
	CHECK_EQ(fadt_v1_parse(f, t, &fi), 0);
	CHECK(fi.s5_valid);
	fake_ptr(f, t)[40] ^= 1;
	CHECK_EQ(acpi_parse_fadt(&f->ctx, &fi), 0);
	CHECK(!fi.s5_valid);
	CHECK_EQ(fi.pm1a_cnt, 0x404);
	fake_free(f);
}

TEST(fadt_xdsdt_fallback)
{
	struct acpi_fadt_info fi;
	struct bytes s = { .n = 0 };

	aml_s5(&s, false, 2, (const uint8_t[]){ 0x0a, 3, 0x0a, 4 }, 4);
	/* X_DSDT outside memory, refused by the mapper, or not a DSDT at all */
	for (int i = 0; i < 3; i++) {
		struct fake *f = fake_new();
		uint8_t fadt[FADT_V6_LEN] = { 0 };
		uint64_t t, x_dsdt = FAKE_OUTSIDE;

		wr(fadt + FADT_DSDT, dsdt_add(f, &s), 4);
		if (i == 1)
			x_dsdt = f->fail_pa = dsdt_add(f, &s);
		if (i == 2)
			x_dsdt = sdt_add(f, "SSDT", s.b, s.n);
		wr(fadt + FADT_X_DSDT, x_dsdt, 8);
		t = sdt_add(f, "FACP", fadt + 36, sizeof(fadt) - 36);
		fake_boot(f, &t, 1);
		CHECK_EQ(acpi_parse_fadt(&f->ctx, &fi), 0);
		CHECK(fi.s5_valid);
		CHECK_EQ(fi.slp_typa, 3);
		CHECK_EQ(fi.slp_typb, 4);
		fake_free(f);
	}
}

TEST(fadt_invalid)
{
	struct fake *f = fake_new();
	struct acpi_fadt_info fi;
	uint8_t fadt[FADT_V1_LEN] = { 0 };
	uint64_t t;

	t = sdt_add(f, "HPET", "x", 1);
	fake_boot(f, &t, 1);
	CHECK_EQ(acpi_parse_fadt(&f->ctx, &fi), -ENOENT);

	t = sdt_add(f, "FACP", fadt + 36, 64);	/* shorter than ACPI 1.0 */
	fake_boot(f, &t, 1);
	CHECK_EQ(acpi_parse_fadt(&f->ctx, &fi), -EINVAL);

	t = sdt_add(f, "FACP", fadt + 36, sizeof(fadt) - 36);
	fake_ptr(f, t)[FADT_PM1A_CNT] = 1;	/* checksum now off */
	fake_boot(f, &t, 1);
	CHECK_EQ(acpi_parse_fadt(&f->ctx, &fi), -EINVAL);
	fake_free(f);
}
