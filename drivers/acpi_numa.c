// SPDX-License-Identifier: GPL-2.0
/*
 * SRAT and SLIT: the firmware's NUMA description, read byte by byte from
 * the table (entries are unaligned) and checked before anything is kept.
 * The contract is in <cove/acpi_numa.h>.
 */
#include <cove/acpi_numa.h>
#include <cove/errno.h>
#include <cove/string.h>

#define SRAT_HDR_LEN 48		/* SDT header, then 12 reserved bytes */
#define SRAT_CPU_LEN 16
#define SRAT_MEM_LEN 40
#define SRAT_X2APIC_LEN 24
#define SLIT_HDR_LEN 44		/* SDT header, then the u64 locality count */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);	/* little endian, unaligned */
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void srat_add_cpu(struct acpi_srat_info *out, uint32_t apic_id, uint32_t pxm)
{
	if (out->nr_cpus == BOOT_MAX_CPUS) {
		out->nr_dropped++;
		return;
	}
	out->cpus[out->nr_cpus].apic_id = apic_id;
	out->cpus[out->nr_cpus].pxm = pxm;
	out->nr_cpus++;
}

/* e is len bytes, all inside the table; rev is the SRAT's revision. */
static int srat_entry(struct acpi_srat_info *out, const uint8_t *e, uint32_t len, uint8_t rev)
{
	uint32_t pxm, flags;

	switch (e[0]) {
	case ACPI_SRAT_CPU:
		if (len < SRAT_CPU_LEN)
			return -EINVAL;
		flags = rd32(e + 4);
		/* Revision 1 tables have only the low byte of the domain (as Linux reads them). */
		pxm = e[2];
		if (rev >= 2)
			pxm |= (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 | (uint32_t)e[11] << 24;
		if (flags & ACPI_SRAT_ENABLED)
			srat_add_cpu(out, e[3], pxm);
		return 0;
	case ACPI_SRAT_X2APIC:
		if (len < SRAT_X2APIC_LEN)
			return -EINVAL;
		if (rd32(e + 12) & ACPI_SRAT_ENABLED)
			srat_add_cpu(out, rd32(e + 8), rd32(e + 4));
		return 0;
	case ACPI_SRAT_MEM: {
		uint64_t base, size;

		if (len < SRAT_MEM_LEN)
			return -EINVAL;
		pxm = rd32(e + 2);
		if (rev < 2)
			pxm &= 0xff;
		base = rd64(e + 8);
		size = rd64(e + 16);
		flags = rd32(e + 28);
		if (!(flags & ACPI_SRAT_ENABLED) || !size)
			return 0;
		if (base + size < base)
			return -EINVAL;
		if (out->nr_mem == ACPI_SRAT_MAX_MEM) {
			out->nr_dropped++;
			return 0;
		}
		out->mem[out->nr_mem].base = base;
		out->mem[out->nr_mem].size = size;
		out->mem[out->nr_mem].pxm = pxm;
		out->mem[out->nr_mem].hotplug = flags & ACPI_SRAT_MEM_HOTPLUG;
		out->nr_mem++;
		return 0;
	}
	}
	return 0;	/* GICC, generic initiators, ...: nothing for x86 memory placement */
}

int acpi_srat_parse(const void *t, uint32_t len, struct acpi_srat_info *out)
{
	const uint8_t *p = t;
	uint32_t off;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len < SRAT_HDR_LEN || memcmp(p, "SRAT", 4))
		return -EINVAL;
	for (off = SRAT_HDR_LEN; off < len; off += p[off + 1]) {
		if (len - off < 2 || p[off + 1] < 2 || p[off + 1] > len - off)
			return -EINVAL;
		rc = srat_entry(out, p + off, p[off + 1], p[8]);
		if (rc)
			return rc;
	}
	return 0;
}

int acpi_slit_parse(const void *t, uint32_t len, struct acpi_slit_info *out)
{
	const uint8_t *p = t;
	uint64_t n;

	memset(out, 0, sizeof(*out));
	if (len < SLIT_HDR_LEN || memcmp(p, "SLIT", 4))
		return -EINVAL;
	n = rd64(p + 36);
	if (!n || n > ACPI_SLIT_MAX || len - SLIT_HDR_LEN < n * n)
		return -EINVAL;
	/* Linux's test: 10 to itself, more than 10 to anyone else. */
	for (uint64_t i = 0; i < n; i++) {
		for (uint64_t j = 0; j < n; j++) {
			uint8_t d = p[SLIT_HDR_LEN + i * n + j];

			if (i == j ? d != NUMA_LOCAL_DISTANCE : d <= NUMA_LOCAL_DISTANCE)
				return -EINVAL;
		}
	}
	out->n = (uint32_t)n;
	memcpy(out->dist, p + SLIT_HDR_LEN, n * n);
	return 0;
}

int acpi_parse_srat(const struct acpi_ctx *a, struct acpi_srat_info *out)
{
	const void *t;
	uint32_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = acpi_find_table(a, "SRAT", &t, &len);
	return rc ? rc : acpi_srat_parse(t, len, out);
}

int acpi_parse_slit(const struct acpi_ctx *a, struct acpi_slit_info *out)
{
	const void *t;
	uint32_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = acpi_find_table(a, "SLIT", &t, &len);
	return rc ? rc : acpi_slit_parse(t, len, out);
}

/* Node of domain pxm, given a new number if unseen: -1 when nodes run out. */
static int numa_node_for_pxm(struct numa_layout *l, uint32_t pxm)
{
	for (uint32_t n = 0; n < l->nr_nodes; n++) {
		if (l->pxm[n] == pxm)
			return (int)n;
	}
	if (l->nr_nodes == NUMA_MAX_NODES)
		return -1;
	l->pxm[l->nr_nodes] = pxm;
	return (int)l->nr_nodes++;
}

static int numa_lookup_pxm(const struct numa_layout *l, uint32_t pxm)
{
	for (uint32_t n = 0; n < l->nr_nodes; n++) {
		if (l->pxm[n] == pxm)
			return (int)n;
	}
	return -1;
}

static bool numa_slit_covers(const struct numa_layout *l, const struct acpi_slit_info *slit)
{
	if (!slit || !slit->n)
		return false;
	for (uint32_t n = 0; n < l->nr_nodes; n++) {
		if (l->pxm[n] >= slit->n)
			return false;
	}
	return true;
}

int acpi_numa_build(const struct acpi_srat_info *srat, const struct acpi_slit_info *slit,
		    struct numa_layout *out, bool *slit_used)
{
	struct numa_layout *l = out;
	int node;

	*slit_used = false;
	memset(l, 0, sizeof(*l));
	if (!srat->nr_mem)
		goto bad;
	for (uint32_t i = 0; i < srat->nr_cpus; i++) {
		if (numa_node_for_pxm(l, srat->cpus[i].pxm) < 0)
			goto bad;
	}
	for (uint32_t i = 0; i < srat->nr_mem; i++) {
		node = numa_node_for_pxm(l, srat->mem[i].pxm);
		if (node < 0 || numa_layout_add_range(l, srat->mem[i].base, srat->mem[i].size,
					       (uint32_t)node))
			goto bad;
	}
	*slit_used = numa_slit_covers(l, slit);
	for (uint32_t i = 0; i < l->nr_nodes; i++) {
		for (uint32_t j = 0; j < l->nr_nodes; j++) {
			if (*slit_used)
				l->distance[i][j] = slit->dist[l->pxm[i] * slit->n + l->pxm[j]];
			else
				l->distance[i][j] = i == j ? NUMA_LOCAL_DISTANCE :
							     NUMA_REMOTE_DISTANCE;
		}
	}
	return 0;
bad:
	*slit_used = false;
	numa_layout_single(l);
	return -EINVAL;
}

uint32_t acpi_numa_cpu_node(const struct acpi_srat_info *srat, const struct numa_layout *l,
			    uint32_t apic_id)
{
	for (uint32_t i = 0; i < srat->nr_cpus; i++) {
		if (srat->cpus[i].apic_id == apic_id) {
			int node = numa_lookup_pxm(l, srat->cpus[i].pxm);

			return node < 0 ? 0 : (uint32_t)node;
		}
	}
	return 0;
}
