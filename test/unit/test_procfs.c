// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of what /proc and /sys print and how they find things: CPU
 * lists and masks in Linux's formats, maps, meminfo and stat lines, a
 * process's arguments read back off a stack exec laid out, which paths are
 * the enclave's, and CPUID decoded as real processors answer it.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/errno.h>
#include <cove/sbuf.h>
#include <cove/user_stack.h>
#include <cove/vfs.h>
#include <arch/cpuid_info.h>
#include "../../kernel/fs/procfs_fmt.h"
#include "unit.h"

/* sbuf's memory, as the kernel heap would give it. */
void *kmalloc(size_t n)
{
	return malloc(n);
}

void kfree(void *p)
{
	free(p);
}

static struct sbuf sb;

static const char *text(void)
{
	return sb.buf ? sb.buf : "";
}

static void fresh(void)
{
	sbuf_free(&sb);
	sbuf_init(&sb, 1 << 20);
}

static struct cpumask mask_of(const int *cpus, int n)
{
	struct cpumask m;

	cpumask_clear(&m);
	for (int i = 0; i < n; i++)
		cpumask_set(&m, (uint32_t)cpus[i]);
	return m;
}

TEST(cpulist_ranges)
{
	static const int a[] = { 0, 1, 2, 3 }, b[] = { 0, 2, 3, 4, 7, 9, 10 }, c[] = { 255 };
	struct cpumask m = mask_of(a, 4);

	fresh();
	fmt_cpulist(&sb, &m);
	CHECK(!strcmp(text(), "0-3"));
	fresh();
	m = mask_of(b, 7);
	fmt_cpulist(&sb, &m);
	CHECK(!strcmp(text(), "0,2-4,7,9-10"));
	fresh();
	m = mask_of(c, 1);
	fmt_cpulist(&sb, &m);
	CHECK(!strcmp(text(), "255"));
	fresh();
	cpumask_clear(&m);
	fmt_cpulist(&sb, &m);
	CHECK(!strcmp(text(), ""));
}

TEST(cpumask_hex_as_linux)
{
	static const int a[] = { 0, 1, 2, 3 }, b[] = { 0, 33, 39 };
	struct cpumask m = mask_of(a, 4);

	fresh();
	fmt_cpumask(&sb, &m, 4);
	CHECK(!strcmp(text(), "f"));
	fresh();
	fmt_cpumask(&sb, &m, 32);
	CHECK(!strcmp(text(), "0000000f"));
	fresh();
	m = mask_of(b, 3);
	fmt_cpumask(&sb, &m, 40);
	CHECK(!strcmp(text(), "82,00000001"));
	fresh();
	fmt_cpumask(&sb, &m, 64);
	CHECK(!strcmp(text(), "00000082,00000001"));
}

TEST(maps_lines_line_up)
{
	fresh();
	fmt_maps_line(&sb, 0x400000, 0x401000, 5, false, 0, 1, 42, "/bin/x");
	fmt_maps_line(&sb, 0x7ffff000, 0x80000000, 3, false, 0, 0, 0, NULL);
	fmt_maps_line(&sb, 0x7ffffffde000, 0x7ffffffff000, 3, false, 0, 0, 0, "[stack]");
	fmt_maps_line(&sb, 0x7f0000000000, 0x7f0000200000, 3, true, 0, 0, 0, NULL);
	CHECK(!strcmp(text(),
		      "00400000-00401000 r-xp 00000000 00:01 42"
		      "                                 /bin/x\n"
		      "7ffff000-80000000 rw-p 00000000 00:00 0 \n"
		      "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
		      "                          [stack]\n"
		      "7f0000000000-7f0000200000 rw-s 00000000 00:00 0 \n"));
}

TEST(meminfo_columns)
{
	fresh();
	fmt_meminfo_kb(&sb, "MemTotal", 16 * 1024 * 1024);
	fmt_meminfo_kb(&sb, "HugePages_Total_is_long", 0);
	fmt_meminfo_count(&sb, "HugePages_Free", 3);
	CHECK(!strcmp(text(), "MemTotal:          16384 kB\n"
			      "HugePages_Total_is_long:       0 kB\n"
			      "HugePages_Free:        3\n"));
}

TEST(smaps_as_linux)
{
	struct smaps_vals v;

	/* An entry and a rollup as Debian's Linux 6.1 printed them (its ProtectionKey aside). */
	memset(&v, 0, sizeof(v));
	v.size = 1552 << 10;
	v.kernel_page = v.mmu_page = 4096;
	v.rss = 1040 << 10;
	v.pss = v.pss_dirty = 291 << 10;
	v.shared_dirty = 1040 << 10;
	v.private_hugetlb = 4096ULL << 10;
	strcpy(v.vmflags, "rd ex mr mw me sd ");
	fresh();
	fmt_smaps(&sb, &v, false);
	CHECK(!strcmp(text(), "Size:               1552 kB\n"
			      "KernelPageSize:        4 kB\n"
			      "MMUPageSize:           4 kB\n"
			      "Rss:                1040 kB\n"
			      "Pss:                 291 kB\n"
			      "Pss_Dirty:           291 kB\n"
			      "Shared_Clean:          0 kB\n"
			      "Shared_Dirty:       1040 kB\n"
			      "Private_Clean:         0 kB\n"
			      "Private_Dirty:         0 kB\n"
			      "Referenced:         1040 kB\n"
			      "Anonymous:             0 kB\n"
			      "LazyFree:              0 kB\n"
			      "AnonHugePages:         0 kB\n"
			      "ShmemPmdMapped:        0 kB\n"
			      "FilePmdMapped:         0 kB\n"
			      "Shared_Hugetlb:        0 kB\n"
			      "Private_Hugetlb:    4096 kB\n"
			      "Swap:                  0 kB\n"
			      "SwapPss:               0 kB\n"
			      "Locked:                0 kB\n"
			      "THPeligible:    0\n"
			      "VmFlags: rd ex mr mw me sd \n"));
	fresh();
	v.pss_anon = 52 << 10;
	fmt_smaps(&sb, &v, true);
	CHECK(!strncmp(text(), "Rss:                1040 kB\n"
			       "Pss:                 291 kB\n"
			       "Pss_Dirty:           291 kB\n"
			       "Pss_Anon:             52 kB\n"
			       "Pss_File:              0 kB\n"
			       "Pss_Shmem:             0 kB\n"
			       "Shared_Clean:          0 kB\n", 7 * 28));
	CHECK(!strstr(text(), "Size") && !strstr(text(), "VmFlags"));
}

static int count_fields(const char *s)
{
	int n = 2;

	/* The name is in parentheses and may hold spaces: count after it. */
	for (s = strrchr(s, ')'); *s && *s != '\n'; s++)
		n += *s == ' ';
	return n;
}

TEST(stat_line_has_52_fields)
{
	struct proc_vals v;

	memset(&v, 0, sizeof(v));
	v.pid = 7;
	v.tid = 7;
	strcpy(v.name, "a b");
	v.state = 'R';
	v.threads = 2;
	v.exit_code = -1;
	v.args.env_end = 0x7fff1234;
	fresh();
	fmt_proc_stat(&sb, &v);
	CHECK(!strncmp(text(), "7 (a b) R 0 7 7 ", 16));
	CHECK_EQ(count_fields(text()), 52);
	CHECK(strstr(text(), " 2147422772 -1\n"));
}

TEST(status_names_the_cpus)
{
	static const int a[] = { 2, 3 };
	struct proc_vals v;

	memset(&v, 0, sizeof(v));
	v.pid = 5;
	v.tid = 6;
	strcpy(v.name, "t");
	v.state = 'S';
	v.allowed = mask_of(a, 2);
	v.nr_cpu_ids = 4;
	v.rss = 8192;
	fresh();
	fmt_proc_status(&sb, &v);
	CHECK(strstr(text(), "\nState:\tS (sleeping)\n"));
	CHECK(strstr(text(), "\nTgid:\t5\n"));
	CHECK(strstr(text(), "\nPid:\t6\n"));
	CHECK(strstr(text(), "\nVmRSS:\t       8 kB\n"));
	CHECK(strstr(text(), "\nCpus_allowed:\tc\nCpus_allowed_list:\t2-3\n"));
	CHECK(strstr(text(), ",00000000,00000001\nMems_allowed_list:\t0\n"));
	v.mems = 3;
	fresh();
	fmt_proc_status(&sb, &v);
	CHECK(strstr(text(), "\nMems_allowed:\t00000000,00000000,"));
	CHECK(strstr(text(), ",00000000,00000003\nMems_allowed_list:\t0-1\n"));
}

/* A stack built by exec's own code, read back. */
#define TOP 0x7ffffff00000ULL
#define WIN (128 * 1024)

static uint8_t *build(const char *const *argv, const char *const *envp, const char *execfn)
{
	static const uint8_t rnd[16] = { 1 };
	struct user_stack_args a = {
		.argv = argv, .envp = envp, .execfn = execfn, .random16 = rnd,
		.platform = "x86_64", .at_clktck = 100, .at_minsigstksz = 2048,
		.at_phdr = 0x400040, .at_phent = 56, .at_phnum = 8, .at_entry = 0x401000,
	};
	uint8_t *buf = calloc(1, WIN);
	uint64_t sp;

	CHECK(user_stack_build(buf, WIN, TOP, &a, &sp) == 0);
	return buf;
}

static const char *at(const uint8_t *buf, uint64_t va)
{
	return (const char *)buf + (va - (TOP - WIN));
}

TEST(stack_args_found_again)
{
	static const char *const argv[] = { "/bin/procview", "4", "two words", NULL };
	static const char *const envp[] = { "OMP_NUM_THREADS=4", "PATH=/bin", NULL };
	uint8_t *buf = build(argv, envp, "/bin/procview");
	struct stack_args s;

	if (stack_args_parse(buf, WIN, TOP, &s)) {
		CHECK(!"stack_args_parse failed");
		return;
	}
	CHECK_EQ(s.argc, 3);
	CHECK(!memcmp(at(buf, s.arg_start), "/bin/procview\0" "4\0two words\0",
		      s.arg_end - s.arg_start));
	CHECK_EQ(s.arg_end - s.arg_start, 14 + 2 + 10);
	CHECK_EQ(s.env_start, s.arg_end);
	CHECK(!memcmp(at(buf, s.env_start), "OMP_NUM_THREADS=4\0PATH=/bin\0",
		      s.env_end - s.env_start));
	CHECK_EQ(s.env_end - s.env_start, 18 + 10);
	CHECK(!strcmp(at(buf, s.execfn), "/bin/procview"));
	free(buf);
}

TEST(stack_args_without_env_or_args)
{
	static const char *const argv[] = { "/x", NULL };
	uint8_t *buf = build(argv, NULL, "/x");
	struct stack_args s;

	CHECK(stack_args_parse(buf, WIN, TOP, &s) == 0);
	CHECK_EQ(s.argc, 1);
	CHECK_EQ(s.env_start, s.env_end);
	free(buf);
	buf = build(NULL, NULL, "/x");
	CHECK(stack_args_parse(buf, WIN, TOP, &s) == 0);
	CHECK_EQ(s.argc, 0);
	CHECK_EQ(s.arg_start, s.arg_end);
	free(buf);
}

/* getopt permutes argv[]: the strings are still found, lowest first. */
TEST(stack_args_after_argv_permuted)
{
	static const char *const argv[] = { "/p", "-a", "file", "-b", NULL };
	uint8_t *buf = build(argv, NULL, "/p");
	struct stack_args s;
	uint64_t *table, tmp;

	CHECK(stack_args_parse(buf, WIN, TOP, &s) == 0);
	/* argv[] sits right above argc, which the parse found. */
	for (table = (uint64_t *)buf; table < (uint64_t *)(buf + WIN); table++) {
		if (table[0] == 4 && table[1] == s.arg_start)
			break;
	}
	CHECK(table < (uint64_t *)(buf + WIN));
	tmp = table[2];
	table[2] = table[3];
	table[3] = tmp;
	CHECK(stack_args_parse(buf, WIN, TOP, &s) == 0);
	CHECK_EQ(s.argc, 4);
	CHECK(!memcmp(at(buf, s.arg_start), "/p\0-a\0file\0-b\0", 14));
	free(buf);
}

TEST(stack_args_refuses_garbage)
{
	static const char *const argv[] = { "/p", "x", NULL };
	uint8_t *buf = build(argv, NULL, "/p"), *zero = calloc(1, WIN);
	struct stack_args s;

	CHECK(stack_args_parse(zero, WIN, TOP, &s) == -EINVAL);
	memset(zero, 'A', WIN);
	CHECK(stack_args_parse(zero, WIN, TOP, &s) == -EINVAL);
	CHECK(stack_args_parse(buf, 16, TOP, &s) == -EINVAL);
	CHECK(stack_args_parse(buf, WIN, TOP + 4, &s) == -EINVAL);
	/* argc overwritten: the count no longer matches the table. */
	for (uint64_t *w = (uint64_t *)buf; w < (uint64_t *)(buf + WIN); w++) {
		if (w[0] == 2 && w[3] == 0)
			w[0] = 3;
	}
	CHECK(stack_args_parse(buf, WIN, TOP, &s) == -EINVAL);
	free(buf);
	free(zero);
}

TEST(enclave_paths)
{
	CHECK(vfs_path_is_enclave("/proc"));
	CHECK(vfs_path_is_enclave("/proc/self/maps"));
	CHECK(vfs_path_is_enclave("/sys/devices/system/cpu/online"));
	CHECK(vfs_path_is_enclave("/dev/null"));
	CHECK(vfs_path_is_enclave("/dev/shm/x"));
	CHECK(vfs_path_is_enclave("//proc//cpuinfo"));
	CHECK(vfs_path_is_enclave("/../../dev/zero"));
	CHECK(vfs_path_is_enclave("/tmp/../proc/stat"));
	CHECK(!vfs_path_is_enclave("/proc/.."));
	/* The network is the host's, as the job's sockets are. */
	CHECK(!vfs_path_is_enclave("/proc/net"));
	CHECK(!vfs_path_is_enclave("/proc/net/route"));
	CHECK(!vfs_path_is_enclave("/proc/self/net/dev"));
	CHECK(!vfs_path_is_enclave("/proc/thread-self/net/tcp"));
	CHECK(!vfs_path_is_enclave("/proc/sys/net/core/somaxconn"));
	CHECK(vfs_path_is_enclave("/proc/sys/kernel/random/boot_id"));
	CHECK(vfs_path_is_enclave("/proc/netstat"));
	CHECK(vfs_path_is_enclave("/proc/self/netx"));
	CHECK(vfs_path_is_enclave("/proc/net/../cpuinfo"));
	CHECK(!vfs_path_is_enclave("/proc/../etc/passwd"));
	CHECK(!vfs_path_is_enclave("/"));
	CHECK(!vfs_path_is_enclave("/processes"));
	CHECK(!vfs_path_is_enclave("/devices/x"));
	CHECK(!vfs_path_is_enclave("proc/cpuinfo"));
	CHECK(!vfs_path_is_enclave(""));
	CHECK(!vfs_path_is_enclave(NULL));
	/* /sys: the processors and memory are the enclave's, devices the host's. */
	CHECK(vfs_path_is_enclave("/sys"));
	CHECK(vfs_path_is_enclave("/sys/devices"));
	CHECK(vfs_path_is_enclave("/sys/devices/system"));
	CHECK(vfs_path_is_enclave("/sys/devices/system/node/node0/meminfo"));
	CHECK(vfs_path_is_enclave("/sys/class/../devices/system/cpu"));
	CHECK(!vfs_path_is_enclave("/sys/class/net"));
	CHECK(!vfs_path_is_enclave("/sys/class/net/eth0/mtu"));
	CHECK(!vfs_path_is_enclave("/sys/devices/pci0000:00/0000:00:02.0"));
	CHECK(!vfs_path_is_enclave("/sys/devices/system/memory/block_size_bytes"));
	CHECK(!vfs_path_is_enclave("/sys/devices/system/cpux"));
	CHECK(!vfs_path_is_enclave("/sys/devices/system/cpu/../../virtual/net"));
}

/* What an Intel Xeon Gold 6230 (Cascade Lake, 20 cores, 2 threads each) answers. */
static void cpuid_xeon(struct cpuid_info *ci)
{
	static const char brand[] = "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\0\0\0\0\0\0\0";

	memset(ci, 0, sizeof(*ci));
	ci->l0 = (struct cpuid_regs){ 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 };
	ci->l1 = (struct cpuid_regs){ 0x50657, 0x3f400800, 0x7ffefbff, 0xbfebfbff };
	ci->l7 = (struct cpuid_regs){ 0, 0xd39ffffb, 0x00000818, 0xbc000400 };
	ci->ld1 = (struct cpuid_regs){ 0xf, 0, 0, 0 };
	ci->lb[0] = (struct cpuid_regs){ 1, 2, 0x100, 0 };
	ci->lb[1] = (struct cpuid_regs){ 6, 40, 0x201, 0 };
	ci->e0 = (struct cpuid_regs){ 0x80000008, 0, 0, 0 };
	ci->e1 = (struct cpuid_regs){ 0, 0, 0x121, 0x2c100800 };
	ci->e7 = (struct cpuid_regs){ 0, 0, 0, 0x100 };
	ci->e8 = (struct cpuid_regs){ 0x302e, 0, 0, 0 };
	memcpy(ci->brand, brand, 48);
	/* L1d 32K 8-way, L1i 32K 8-way, L2 1M 16-way, L3 27.5M 11-way. */
	ci->cache[0] = (struct cpuid_regs){ 0x1c004121, 0x01c0003f, 0x3f, 0 };
	ci->cache[1] = (struct cpuid_regs){ 0x1c004122, 0x01c0003f, 0x3f, 0 };
	ci->cache[2] = (struct cpuid_regs){ 0x1c004143, 0x03c0003f, 0x3ff, 0 };
	ci->cache[3] = (struct cpuid_regs){ 0x3c0fc163, 0x0280003f, 0x9fff, 6 };
	ci->nr_cache = 4;
	ci->tsc_khz = 2095078;
}

TEST(cpuid_xeon_caches_and_place)
{
	struct cpuid_info ci;
	struct cpu_cache c[CPU_CACHES_MAX];
	struct cpu_place pl;

	cpuid_xeon(&ci);
	CHECK_EQ(cpuid_caches(&ci, c, CPU_CACHES_MAX), 4);
	CHECK(c[0].level == 1 && c[0].type == CPU_CACHE_DATA && c[0].size == 32 * 1024);
	CHECK(c[1].type == CPU_CACHE_INSTRUCTION && c[1].ways == 8 && c[1].sets == 64);
	CHECK(c[2].level == 2 && c[2].size == 1024 * 1024 && c[2].share_shift == 1);
	CHECK(c[3].level == 3 && c[3].size == 11ULL * 64 * 40960 && c[3].share_shift == 6);
	/* APIC ID 0x25: package 0 (6 bits below it), core 18, thread 1. */
	cpuid_place(&ci, 0x25, &pl);
	CHECK(pl.package == 0 && pl.core == 18 && pl.thread == 1);
	cpuid_place(&ci, 0x40, &pl);
	CHECK(pl.package == 1 && pl.core == 0 && pl.thread == 0);
}

TEST(cpuid_xeon_cpuinfo_block)
{
	struct cpuid_info ci;
	struct cpu_view v = { .index = 3, .hwid = 6, .place = { 0, 0, 3, 0 },
			      .siblings = 4, .cores = 2 };

	cpuid_xeon(&ci);
	fresh();
	cpuid_show(&ci, &sb, &v);
	CHECK(!strncmp(text(), "processor\t: 3\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
		       "model\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\n"
		       "stepping\t: 7\n", 128));
	CHECK(strstr(text(), "\ncpu MHz\t\t: 2095.078\n"));
	CHECK(strstr(text(), "\ncache size\t: 28160 KB\n"));
	CHECK(strstr(text(), "\nphysical id\t: 0\nsiblings\t: 4\ncore id\t\t: 3\ncpu cores\t: 2\n"
			     "apicid\t\t: 6\ninitial apicid\t: 6\n"));
	CHECK(strstr(text(), "\nflags\t\t: fpu vme de pse tsc "));
	CHECK(strstr(text(), " ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc nopl xtopology "
			     "nonstop_tsc cpuid pni "));
	CHECK(strstr(text(), " avx2 "));
	CHECK(strstr(text(), " avx512f "));
	CHECK(strstr(text(), " xsaveopt xsavec xgetbv1 xsaves "));
	CHECK(!strstr(text(), "osxsave"));
	CHECK(strstr(text(), "\nbogomips\t: 4190.15\nclflush size\t: 64\ncache_alignment\t: 64\n"
			     "address sizes\t: 46 bits physical, 48 bits virtual\n"
			     "power management:\n\n"));
}

/* An AMD processor without TOPOEXT: caches from the legacy leaves. */
TEST(cpuid_amd_legacy_caches)
{
	struct cpuid_info ci;
	struct cpu_cache c[CPU_CACHES_MAX];

	memset(&ci, 0, sizeof(ci));
	ci.l0 = (struct cpuid_regs){ 0xd, 0x68747541, 0x444d4163, 0x69746e65 };
	ci.e0 = (struct cpuid_regs){ 0x8000001f, 0, 0, 0 };
	ci.e5 = (struct cpuid_regs){ 0, 0, 0x20080140, 0x20080140 };
	ci.e6 = (struct cpuid_regs){ 0, 0, 0x02006140, 0x00308040 };
	ci.e8 = (struct cpuid_regs){ 0x3030, 0, 0x400f, 0 };
	CHECK_EQ(cpuid_caches(&ci, c, CPU_CACHES_MAX), 4);
	CHECK(c[0].type == CPU_CACHE_DATA && c[0].size == 32 * 1024 && c[0].ways == 8);
	CHECK(c[2].level == 2 && c[2].size == 512 * 1024 && c[2].ways == 8 &&
	      c[2].sets == 1024);
	CHECK(c[3].level == 3 && c[3].size == 6 * 1024 * 1024 && c[3].ways == 16 &&
	      c[3].share_shift == 4);
}
