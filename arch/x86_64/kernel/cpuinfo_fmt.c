// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID decoded: the lines of /proc/cpuinfo in Linux's format, the cache
 * hierarchy and where a CPU sits from its APIC ID. Pure (no CPUID here),
 * so host tests feed it what real processors answer.
 */
#include <cove/sbuf.h>
#include <cove/string.h>
#include <arch/cpuid_info.h>

/*
 * Flag names, as Linux's /proc/cpuinfo spells them, for the bits of one
 * register; NULL for bits Linux does not show.
 */
struct cpuid_flag_word {
	const char *name[32];
};

static const struct cpuid_flag_word flags_l1_edx = { {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi",
	"mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
} };

static const struct cpuid_flag_word flags_e1_edx = { {
	[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
	[26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
} };

static const struct cpuid_flag_word flags_l1_ecx = { {
	"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2",
	"ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1",
	"sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", NULL,
	"avx", "f16c", "rdrand", "hypervisor",
} };

static const struct cpuid_flag_word flags_e1_ecx = { {
	"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a",
	"misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", NULL, "lwp",
	"fma4", "tce", NULL, "nodeid_msr", NULL, "tbm", "topoext", "perfctr_core",
	"perfctr_nb", NULL, "bpext", "ptsc", "perfctr_llc", "mwaitx",
} };

static const struct cpuid_flag_word flags_l7_ebx = { {
	"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL, "smep", "bmi2", "erms",
	"invpcid", "rtm", "cqm", NULL, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx",
	"smap", "avx512ifma", NULL, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er",
	"avx512cd", "sha_ni", "avx512bw", "avx512vl",
} };

static const struct cpuid_flag_word flags_ld1_eax = { {
	"xsaveopt", "xsavec", "xgetbv1", "xsaves",
} };

static const struct cpuid_flag_word flags_e8_ebx = { {
	[0] = "clzero", [1] = "irperf", [2] = "xsaveerptr", [4] = "rdpru", [9] = "wbnoinvd",
} };

static const struct cpuid_flag_word flags_l7_ecx = { {
	[1] = "avx512vbmi", [2] = "umip", [3] = "pku", [4] = "ospke", [5] = "waitpkg",
	[6] = "avx512_vbmi2", [8] = "gfni", [9] = "vaes", [10] = "vpclmulqdq",
	[11] = "avx512_vnni", [12] = "avx512_bitalg", [13] = "tme", [14] = "avx512_vpopcntdq",
	[16] = "la57", [22] = "rdpid", [24] = "bus_lock_detect", [25] = "cldemote",
	[27] = "movdiri", [28] = "movdir64b", [29] = "enqcmd", [30] = "sgx_lc",
} };

static const struct cpuid_flag_word flags_l7_edx = { {
	[2] = "avx512_4vnniw", [3] = "avx512_4fmaps", [4] = "fsrm",
	[8] = "avx512_vp2intersect", [10] = "md_clear", [14] = "serialize", [16] = "tsxldtrk",
	[18] = "pconfig", [19] = "arch_lbr", [22] = "amx_bf16", [23] = "avx512_fp16",
	[24] = "amx_tile", [25] = "amx_int8", [28] = "flush_l1d", [29] = "arch_capabilities",
} };

static uint32_t max_basic(const struct cpuid_info *ci)
{
	return ci->l0.a;
}

static bool has_ext(const struct cpuid_info *ci, uint32_t leaf)
{
	return ci->e0.a >= leaf && ci->e0.a < 0x80010000;
}

void cpuid_vendor(const struct cpuid_info *ci, char out[13])
{
	memcpy(out, &ci->l0.b, 4);
	memcpy(out + 4, &ci->l0.d, 4);
	memcpy(out + 8, &ci->l0.c, 4);
	out[12] = 0;
}

static bool cpuid_is_amd(const struct cpuid_info *ci)
{
	char v[13];

	cpuid_vendor(ci, v);
	return !strcmp(v, "AuthenticAMD") || !strcmp(v, "HygonGenuine");
}

static uint32_t ceil_log2(uint32_t n)
{
	uint32_t s = 0;

	while ((1ULL << s) < n)
		s++;
	return s;
}

/* Low APIC ID bits that number threads in a core, and those below the package. */
static void cpuid_shifts(const struct cpuid_info *ci, uint32_t *smt, uint32_t *pkg)
{
	*smt = 0;
	*pkg = 0;
	/* Leaf 0xb: level 0 is the SMT level, level 1 the core level. */
	if (max_basic(ci) >= 0xb && (ci->lb[0].b & 0xffff) && ((ci->lb[0].c >> 8) & 0xff) == 1) {
		*smt = ci->lb[0].a & 0x1f;
		*pkg = *smt;
		if ((ci->lb[1].b & 0xffff) && ((ci->lb[1].c >> 8) & 0xff) == 2)
			*pkg = ci->lb[1].a & 0x1f;
		return;
	}
	if (cpuid_is_amd(ci) && has_ext(ci, 0x80000008)) {
		uint32_t size = (ci->e8.c >> 12) & 0xf;

		*pkg = size ? size : ceil_log2((ci->e8.c & 0xff) + 1);
		return;
	}
	if (ci->l1.d & (1U << 28))	/* HTT: leaf 1 says how many ids a package spans */
		*pkg = ceil_log2((ci->l1.b >> 16) & 0xff);
}

void cpuid_place(const struct cpuid_info *ci, uint32_t apic_id, struct cpu_place *pl)
{
	uint32_t smt, pkg;

	cpuid_shifts(ci, &smt, &pkg);
	pl->package = pkg >= 32 ? 0 : apic_id >> pkg;
	pl->die = 0;
	pl->core = (uint32_t)((apic_id & ((1ULL << pkg) - 1)) >> smt);
	pl->thread = (uint32_t)(apic_id & ((1ULL << smt) - 1));
}

/* AMD's 4-bit associativity code of the L2 and L3 in leaf 0x80000006. */
static uint32_t amd_assoc(uint32_t code, uint64_t size, uint32_t line)
{
	static const uint8_t ways[16] = { 0, 1, 2, 3, 4, 0, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0 };

	if (code == 5)
		return 6;
	if (code == 0xf)	/* fully associative: one set */
		return line ? (uint32_t)(size / line) : 0;
	return ways[code];
}

static void cache_set(struct cpu_cache *c, uint32_t level, enum cpu_cache_type type,
		      uint64_t size, uint32_t line, uint32_t ways, uint32_t shift)
{
	c->level = level;
	c->type = type;
	c->size = size;
	c->line_size = line;
	c->ways = ways;
	c->partitions = 1;
	c->sets = ways && line ? (uint32_t)(size / ((uint64_t)ways * line)) : 0;
	c->share_shift = shift;
}

/* AMD before the deterministic leaf: L1 from 0x80000005, L2 and L3 from 0x80000006. */
static size_t cpuid_caches_amd_legacy(const struct cpuid_info *ci, struct cpu_cache *out,
				      size_t max)
{
	uint32_t smt, pkg, line;
	uint64_t size;
	size_t n = 0;

	cpuid_shifts(ci, &smt, &pkg);
	if (has_ext(ci, 0x80000005)) {
		const uint32_t regs[2] = { ci->e5.c, ci->e5.d };

		for (int i = 0; i < 2 && n < max; i++) {
			if (!(regs[i] >> 24))
				continue;
			cache_set(&out[n++], 1, i ? CPU_CACHE_INSTRUCTION : CPU_CACHE_DATA,
				  (uint64_t)(regs[i] >> 24) * 1024, regs[i] & 0xff,
				  (regs[i] >> 16) & 0xff, smt);
		}
	}
	if (!has_ext(ci, 0x80000006))
		return n;
	size = (uint64_t)(ci->e6.c >> 16) * 1024;
	line = ci->e6.c & 0xff;
	if (size && n < max)
		cache_set(&out[n++], 2, CPU_CACHE_UNIFIED, size, line,
			  amd_assoc((ci->e6.c >> 12) & 0xf, size, line), smt);
	size = (uint64_t)(ci->e6.d >> 18) * 512 * 1024;
	line = ci->e6.d & 0xff;
	if (size && n < max)
		cache_set(&out[n++], 3, CPU_CACHE_UNIFIED, size, line,
			  amd_assoc((ci->e6.d >> 12) & 0xf, size, line), pkg);
	return n;
}

size_t cpuid_caches(const struct cpuid_info *ci, struct cpu_cache *out, size_t max)
{
	size_t n = 0;

	if (!ci->nr_cache)
		return cpuid_is_amd(ci) ? cpuid_caches_amd_legacy(ci, out, max) : 0;
	for (uint32_t i = 0; i < ci->nr_cache && n < max; i++) {
		const struct cpuid_regs *r = &ci->cache[i];
		uint32_t type = r->a & 0x1f;
		struct cpu_cache *c = &out[n];

		if (type < 1 || type > 3)
			break;
		c->type = (enum cpu_cache_type)type;
		c->level = (r->a >> 5) & 7;
		c->share_shift = ceil_log2(((r->a >> 14) & 0xfff) + 1);
		c->line_size = (r->b & 0xfff) + 1;
		c->partitions = ((r->b >> 12) & 0x3ff) + 1;
		c->ways = ((r->b >> 22) & 0x3ff) + 1;
		c->sets = r->c + 1;
		c->size = (uint64_t)c->ways * c->partitions * c->line_size * c->sets;
		n++;
	}
	return n;
}

/* What Linux calls the cache size: the L2 on AMD, the last level elsewhere. */
static uint64_t cpuid_cache_kb(const struct cpuid_info *ci)
{
	struct cpu_cache c[CPU_CACHES_MAX];
	size_t n = cpuid_caches(ci, c, CPU_CACHES_MAX);
	uint64_t best = 0;
	uint32_t level = 0;

	for (size_t i = 0; i < n; i++) {
		if (c[i].type == CPU_CACHE_INSTRUCTION)
			continue;
		if (cpuid_is_amd(ci) ? c[i].level == 2 : c[i].level >= level) {
			level = c[i].level;
			best = c[i].size;
		}
	}
	return best / 1024;
}

static void cpuid_model_name(const struct cpuid_info *ci, char out[49])
{
	const char *s = out;

	if (!has_ext(ci, 0x80000004)) {
		memcpy(out, "unknown", 8);
		return;
	}
	memcpy(out, ci->brand, 48);
	out[48] = 0;
	while (*s == ' ')
		s++;
	memmove(out, s, strlen(s) + 1);
}

static void show_flag_word(struct sbuf *sb, const struct cpuid_flag_word *w, uint32_t reg)
{
	for (int i = 0; i < 32; i++) {
		if ((reg >> i) & 1 && w->name[i])
			sbuf_printf(sb, " %s", w->name[i]);
	}
}

/* In Linux's word order: hardware leaves with its own synthetic word 3 among them. */
static void show_flags(const struct cpuid_info *ci, struct sbuf *sb)
{
	bool ext1 = has_ext(ci, 0x80000001);
	bool invariant_tsc = has_ext(ci, 0x80000007) && (ci->e7.d & (1U << 8));
	bool leaf7 = max_basic(ci) >= 7, leafd = max_basic(ci) >= 0xd;
	uint32_t smt, pkg;

	sbuf_puts(sb, "flags\t\t:");
	show_flag_word(sb, &flags_l1_edx, ci->l1.d);
	show_flag_word(sb, &flags_e1_edx, ext1 ? ci->e1.d : 0);
	if (invariant_tsc)
		sbuf_puts(sb, " constant_tsc");
	sbuf_puts(sb, " nopl");		/* every x86-64 processor has NOPL */
	cpuid_shifts(ci, &smt, &pkg);
	if (max_basic(ci) >= 0xb && (ci->lb[0].b & 0xffff))
		sbuf_puts(sb, " xtopology");
	if (invariant_tsc)
		sbuf_puts(sb, " nonstop_tsc");
	sbuf_puts(sb, " cpuid");
	show_flag_word(sb, &flags_l1_ecx, ci->l1.c);
	show_flag_word(sb, &flags_e1_ecx, ext1 ? ci->e1.c : 0);
	show_flag_word(sb, &flags_l7_ebx, leaf7 ? ci->l7.b : 0);
	show_flag_word(sb, &flags_ld1_eax, leafd ? ci->ld1.a : 0);
	show_flag_word(sb, &flags_e8_ebx, has_ext(ci, 0x80000008) ? ci->e8.b : 0);
	show_flag_word(sb, &flags_l7_ecx, leaf7 ? ci->l7.c : 0);
	show_flag_word(sb, &flags_l7_edx, leaf7 ? ci->l7.d : 0);
	sbuf_putc(sb, '\n');
}

void cpuid_show(const struct cpuid_info *ci, struct sbuf *sb, const struct cpu_view *cpu)
{
	uint32_t sig = ci->l1.a, family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf;
	uint32_t clflush = ((ci->l1.b >> 8) & 0xff) * 8;
	uint32_t phys = 36, virt = 48;
	char vendor[13], name[49];

	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 6)
		model += ((sig >> 16) & 0xf) << 4;
	if (has_ext(ci, 0x80000008)) {
		phys = ci->e8.a & 0xff;
		virt = (ci->e8.a >> 8) & 0xff;
	}
	cpuid_vendor(ci, vendor);
	cpuid_model_name(ci, name);
	sbuf_printf(sb, "processor\t: %u\n", cpu->index);
	sbuf_printf(sb, "vendor_id\t: %s\n", vendor);
	sbuf_printf(sb, "cpu family\t: %u\n", family);
	sbuf_printf(sb, "model\t\t: %u\n", model);
	sbuf_printf(sb, "model name\t: %s\n", name);
	sbuf_printf(sb, "stepping\t: %u\n", sig & 0xf);
	/* The revision is in an MSR the enclave does not read: Linux's "unknown". */
	sbuf_puts(sb, "microcode\t: 0xffffffff\n");
	sbuf_printf(sb, "cpu MHz\t\t: %lu.%03lu\n", ci->tsc_khz / 1000, ci->tsc_khz % 1000);
	sbuf_printf(sb, "cache size\t: %lu KB\n", cpuid_cache_kb(ci));
	sbuf_printf(sb, "physical id\t: %u\n", cpu->place.package);
	sbuf_printf(sb, "siblings\t: %u\n", cpu->siblings);
	sbuf_printf(sb, "core id\t\t: %u\n", cpu->place.core);
	sbuf_printf(sb, "cpu cores\t: %u\n", cpu->cores);
	sbuf_printf(sb, "apicid\t\t: %u\n", cpu->hwid);
	sbuf_printf(sb, "initial apicid\t: %u\n", cpu->hwid);
	sbuf_puts(sb, "fpu\t\t: yes\nfpu_exception\t: yes\n");
	sbuf_printf(sb, "cpuid level\t: %u\n", max_basic(ci));
	sbuf_puts(sb, "wp\t\t: yes\n");
	show_flags(ci, sb);
	sbuf_puts(sb, "bugs\t\t:\n");
	/* Linux's calibrated delay loop comes to twice the clock. */
	sbuf_printf(sb, "bogomips\t: %lu.%02lu\n", ci->tsc_khz * 2 / 1000,
		    (ci->tsc_khz * 2 / 10) % 100);
	sbuf_printf(sb, "clflush size\t: %u\n", clflush);
	sbuf_printf(sb, "cache_alignment\t: %u\n", clflush);
	sbuf_printf(sb, "address sizes\t: %u bits physical, %u bits virtual\n", phys, virt);
	sbuf_puts(sb, "power management:\n\n");
}
