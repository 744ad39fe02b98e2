// SPDX-License-Identifier: GPL-2.0
/*
 * hugetest: large pages on request, as Linux gives them.
 *
 *   hugetest
 *
 * 1. MAP_HUGETLB: bad size bits and a file give EINVAL; a 3 MiB mapping
 *    becomes 4 MiB on a 2 MiB boundary, usable, and /proc/self/smaps shows
 *    KernelPageSize and MMUPageSize 2048 kB and Private_Hugetlb for it;
 *    MAP_HUGE_2MB asks for the same; a fixed address off a 2 MiB boundary,
 *    munmap and mprotect that would split a page, and mremap growing one
 *    give EINVAL; an aligned part can be unmapped; far more than the
 *    machine has is ENOMEM.
 * 2. fork copies MAP_HUGETLB memory (the child's writes stay its own), and
 *    a child that maps some and exits gives it all back (HugePages_Free);
 *    MAP_SHARED hugetlb memory is the same pages in a fork child.
 * 3. MADV_HUGEPAGE on memory mapped as four 512 KiB pieces gives a 2 MiB
 *    page there (AnonHugePages 2048 kB) with its bytes kept;
 *    MADV_NOHUGEPAGE on a large mapping leaves none (AnonHugePages 0).
 * 4. MADV_DONTNEED zeroes private anonymous memory (read-only too), keeps
 *    shared memory's bytes, and wants a MAP_HUGETLB range to start on a
 *    page boundary.
 * 5. /proc/self/smaps_rollup and /proc/meminfo's Hugepagesize are there.
 *
 * Every check prints "hugetest: NAME: ok" and the last line is
 * "hugetest: ok N checks", on Linux (with vm.nr_hugepages >= 8 and
 * transparent huge pages not "never") as on Cove. One "hugetest: info"
 * line says what MAP_HUGE_1GB gave: machines differ there.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *prog = "hugetest";

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#endif

#define MiB (1UL << 20)
#define HUGE_2M (2 * MiB)
#define ANON_HUGE (MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)

static int checks;

static void ok(const char *name)
{
	printf("%s: %s: ok\n", prog, name);
	fflush(stdout);
	checks++;
}

/*
 * The value in kB of field (e.g. "KernelPageSize") in the /proc/self/smaps
 * entry of the mapping holding addr; -1 if there is none.
 */
static long smaps_kb(const void *addr, const char *field)
{
	unsigned long start, end, a = (unsigned long)addr;
	size_t flen = strlen(field);
	char line[512];
	bool in = false;
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		die("cannot open /proc/self/smaps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		/* A mapping's line; a field's ("AnonHugePages:") parses no '-'. */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = a >= start && a < end;
			continue;
		}
		if (in && !strncmp(line, field, flen) && line[flen] == ':') {
			kb = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/* The permissions /proc/self/maps shows for the mapping holding addr ("" if none). */
static void maps_perms(const void *addr, char perms[5])
{
	unsigned long start, end, a = (unsigned long)addr;
	char line[512], p[5];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = 0;
	if (!f)
		die("cannot open /proc/self/maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %4s", &start, &end, p) == 3 && a >= start && a < end) {
			memcpy(perms, p, 5);
			break;
		}
	}
	fclose(f);
}

static void expect_smaps(const void *addr, const char *field, long want, const char *what)
{
	long got = smaps_kb(addr, field);

	if (got != want)
		die("%s: smaps %s is %ld kB, want %ld", what, field, got, want);
}

/* A line "label: N ..." of /proc/meminfo: N, or -1. */
static long meminfo(const char *label)
{
	size_t len = strlen(label);
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("cannot open /proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, label, len) && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static void *map_or_die(size_t len, int prot, int flags, const char *what)
{
	void *p = mmap(NULL, len, prot, flags, -1, 0);

	if (p == MAP_FAILED)
		die("%s: mmap: %s", what, strerror(errno));
	return p;
}

/* mmap that must fail with want. */
static void expect_map_errno(void *addr, size_t len, int flags, int fd, int want,
			     const char *what)
{
	void *p = mmap(addr, len, PROT_READ | PROT_WRITE, flags, fd, 0);

	if (p != MAP_FAILED)
		die("%s: mmap succeeded, want %s", what, strerror(want));
	if (errno != want)
		die("%s: mmap gave %s, want %s", what, strerror(errno), strerror(want));
}

static void expect_rc(int rc, int want, const char *what)
{
	if (want ? rc != -1 || errno != want : rc != 0)
		die("%s: got %s, want %s", what, rc ? strerror(errno) : "success",
		    want ? strerror(want) : "success");
}

static void fill(unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i += 4096)
		p[i] = (unsigned char)(seed + i / 4096);
}

static bool filled(const unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i += 4096) {
		if (p[i] != (unsigned char)(seed + i / 4096))
			return false;
	}
	return true;
}

static bool zero(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i += 512) {
		if (p[i])
			return false;
	}
	return true;
}

static void check_hugetlb_errors(void)
{
	int fd;

	expect_map_errno(NULL, HUGE_2M, ANON_HUGE | (22 << MAP_HUGE_SHIFT), -1, EINVAL,
			 "size bits 22 (4 MiB)");
	expect_map_errno(NULL, HUGE_2M, ANON_HUGE | (12 << MAP_HUGE_SHIFT), -1, EINVAL,
			 "size bits 12 (4 KiB)");
	ok("bad size bits");
	fd = memfd_create("hugetest", 0);
	if (fd < 0 || ftruncate(fd, HUGE_2M))
		die("memfd: %s", strerror(errno));
	expect_map_errno(NULL, HUGE_2M, MAP_SHARED | MAP_HUGETLB, fd, EINVAL, "a file");
	close(fd);
	ok("hugetlb of a file");
	expect_map_errno(NULL, 1UL << 40, ANON_HUGE, -1, ENOMEM, "1 TiB");
	ok("more than there is");
}

static void check_hugetlb_map(void)
{
	unsigned char *p = map_or_die(3 * MiB, PROT_READ | PROT_WRITE, ANON_HUGE, "3 MiB");
	unsigned char *q;

	if ((unsigned long)p % HUGE_2M)
		die("MAP_HUGETLB at %p, not on a 2 MiB boundary", (void *)p);
	fill(p, 4 * MiB, 1);	/* the length rounds up to the page size */
	if (!filled(p, 4 * MiB, 1))
		die("MAP_HUGETLB memory does not keep its bytes");
	ok("hugetlb usable");
	expect_smaps(p, "Size", 4096, "hugetlb");
	expect_smaps(p, "KernelPageSize", 2048, "hugetlb");
	expect_smaps(p, "MMUPageSize", 2048, "hugetlb");
	expect_smaps(p, "Private_Hugetlb", 4096, "hugetlb");
	expect_smaps(p, "AnonHugePages", 0, "hugetlb");
	ok("smaps of hugetlb");

	expect_map_errno(p + 4096, HUGE_2M, ANON_HUGE | MAP_FIXED, -1, EINVAL,
			 "MAP_FIXED off a 2 MiB boundary");
	expect_rc(munmap(p + 4096, 4096), EINVAL, "munmap inside a huge page");
	expect_rc(munmap(p, 4096), EINVAL, "munmap of a huge page's first 4 KiB");
	expect_rc(mprotect(p, 4096, PROT_READ), EINVAL, "mprotect of 4 KiB of a huge page");
	q = mremap(p, 4 * MiB, 6 * MiB, MREMAP_MAYMOVE);
	if (q != MAP_FAILED || errno != EINVAL)
		die("mremap growing hugetlb: %s, want EINVAL", q == MAP_FAILED ? strerror(errno) :
		    "success");
	ok("no split of a huge page");

	expect_rc(mprotect(p + HUGE_2M, HUGE_2M, PROT_READ), 0, "mprotect of one huge page");
	expect_smaps(p + HUGE_2M, "KernelPageSize", 2048, "read-only half");
	expect_rc(munmap(p + HUGE_2M, HUGE_2M), 0, "munmap of one huge page");
	expect_smaps(p, "Size", 2048, "what is left");
	if (!filled(p, HUGE_2M, 1))
		die("the page left lost its bytes");
	expect_rc(munmap(p, HUGE_2M), 0, "munmap of the rest");
	ok("aligned munmap and mprotect");

	p = map_or_die(HUGE_2M, PROT_READ | PROT_WRITE, ANON_HUGE | MAP_HUGE_2MB, "MAP_HUGE_2MB");
	p[0] = 1;
	expect_smaps(p, "KernelPageSize", 2048, "MAP_HUGE_2MB");
	munmap(p, HUGE_2M);
	ok("MAP_HUGE_2MB");
}

/* MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB: the same huge pages in a fork child. */
static void check_shared(void)
{
	unsigned char *p = map_or_die(HUGE_2M, PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, "shared hugetlb");
	char perms[5];
	int status;
	pid_t pid;

	if ((unsigned long)p % HUGE_2M)
		die("shared MAP_HUGETLB at %p, not on a 2 MiB boundary", (void *)p);
	fill(p, HUGE_2M, 31);
	maps_perms(p, perms);
	if (strcmp(perms, "rw-s"))
		die("shared hugetlb: /proc/self/maps shows '%s', want 'rw-s'", perms);
	expect_smaps(p, "KernelPageSize", 2048, "shared hugetlb");
	expect_smaps(p, "Private_Hugetlb", 2048, "shared hugetlb, one mapper");
	expect_smaps(p, "ShmemPmdMapped", 0, "shared hugetlb");
	expect_rc(munmap(p + 4096, 4096), EINVAL, "munmap inside a shared huge page");
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (!filled(p, HUGE_2M, 31))
			_exit(2);
		fill(p, HUGE_2M, 33);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("fork child of shared hugetlb memory failed (status 0x%x)", status);
	if (!filled(p, HUGE_2M, 33))
		die("the child's writes to shared hugetlb memory did not reach the parent");
	munmap(p, HUGE_2M);
	ok("shared hugetlb");
}

static void check_1g(void)
{
	unsigned char *p = mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE,
				ANON_HUGE | MAP_HUGE_1GB, -1, 0);

	if (p == MAP_FAILED) {
		printf("%s: info 1g: %s\n", prog, errno == ENOMEM ? "ENOMEM" : strerror(errno));
		if (errno != ENOMEM && errno != EINVAL)
			die("MAP_HUGE_1GB: %s, want success, ENOMEM or EINVAL", strerror(errno));
		return;
	}
	fill(p, 1UL << 30, 7);
	if (!filled(p, 1UL << 30, 7))
		die("1 GiB page does not keep its bytes");
	expect_smaps(p, "KernelPageSize", 1 << 20, "1 GiB page");
	munmap(p, 1UL << 30);
	printf("%s: info 1g: mapped\n", prog);
}

static void check_fork(void)
{
	unsigned char *p = map_or_die(2 * HUGE_2M, PROT_READ | PROT_WRITE, ANON_HUGE, "fork");
	long before, after;
	int status;
	pid_t pid;

	fill(p, 2 * HUGE_2M, 3);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (!filled(p, 2 * HUGE_2M, 3))
			_exit(2);
		if (smaps_kb(p, "KernelPageSize") != 2048)
			_exit(3);
		fill(p, 2 * HUGE_2M, 9);
		_exit(filled(p, 2 * HUGE_2M, 9) ? 0 : 4);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("fork child of hugetlb memory failed (status 0x%x)", status);
	if (!filled(p, 2 * HUGE_2M, 3))
		die("the child's writes reached the parent's hugetlb memory");
	munmap(p, 2 * HUGE_2M);
	ok("fork copies hugetlb");

	/* Twice: the first may leave the kernel's own allocations grown. */
	for (int round = 0; round < 2; round++) {
		before = meminfo("HugePages_Free");
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			unsigned char *c = mmap(NULL, 2 * HUGE_2M, PROT_READ | PROT_WRITE, ANON_HUGE,
						-1, 0);

			if (c == MAP_FAILED)
				_exit(2);
			fill(c, 2 * HUGE_2M, 5);
			_exit(0);	/* no munmap: exit gives it back */
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			die("hugetlb child failed (status 0x%x)", status);
		after = meminfo("HugePages_Free");
		if (round && after != before)
			die("HugePages_Free %ld before a child's hugetlb memory, %ld after it exited",
			    before, after);
	}
	ok("exit frees hugetlb");
}

/* A 2 MiB-aligned 2 MiB inside a new PROT_NONE reservation, which stays around it. */
static unsigned char *aligned_block(void)
{
	unsigned char *r = map_or_die(3 * HUGE_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
				      "reservation");

	return (unsigned char *)(((unsigned long)r + HUGE_2M - 1) & ~(HUGE_2M - 1));
}

/* The block as four 512 KiB anonymous mappings, as a heap grown piece by piece. */
static void map_pieces(unsigned char *b)
{
	for (int i = 0; i < 4; i++) {
		if (mmap(b + i * 512 * 1024, 512 * 1024, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			die("piece %d: mmap: %s", i, strerror(errno));
	}
}

static void check_madvise_huge(void)
{
	unsigned char *b = aligned_block(), *c, *m;

	map_pieces(b);
	expect_rc(madvise(b, HUGE_2M, MADV_HUGEPAGE), 0, "MADV_HUGEPAGE");
	fill(b, HUGE_2M, 11);
	expect_smaps(b, "AnonHugePages", 2048, "MADV_HUGEPAGE block");
	expect_smaps(b, "KernelPageSize", 4, "MADV_HUGEPAGE block");
	if (!filled(b, HUGE_2M, 11))
		die("MADV_HUGEPAGE block lost its bytes");
	ok("MADV_HUGEPAGE");

	/* Bytes written before the advice stay, whatever pages they end up in. */
	c = aligned_block();
	map_pieces(c);
	fill(c, HUGE_2M, 13);
	expect_rc(madvise(c, HUGE_2M, MADV_HUGEPAGE), 0, "MADV_HUGEPAGE on used memory");
	if (!filled(c, HUGE_2M, 13))
		die("memory advised MADV_HUGEPAGE after use lost its bytes");
	ok("MADV_HUGEPAGE keeps bytes");

	m = aligned_block();
	if (mmap(m, 2 * HUGE_2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) == MAP_FAILED)
		die("4 MiB: mmap: %s", strerror(errno));
	expect_rc(madvise(m, 2 * HUGE_2M, MADV_NOHUGEPAGE), 0, "MADV_NOHUGEPAGE");
	fill(m, 2 * HUGE_2M, 17);
	expect_smaps(m, "AnonHugePages", 0, "MADV_NOHUGEPAGE mapping");
	if (!filled(m, 2 * HUGE_2M, 17))
		die("MADV_NOHUGEPAGE mapping lost its bytes");
	ok("MADV_NOHUGEPAGE");
	munmap(m, 2 * HUGE_2M);
	expect_rc(madvise(m, 2 * HUGE_2M, MADV_HUGEPAGE), ENOMEM, "MADV_HUGEPAGE of unmapped memory");
	ok("madvise of unmapped memory");
}

static void check_dontneed(void)
{
	unsigned char *p = map_or_die(64 * 1024, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, "private");
	unsigned char *s = map_or_die(64 * 1024, PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, "shared");
	unsigned char *h;

	fill(p, 64 * 1024, 21);
	expect_rc(madvise(p, 64 * 1024, MADV_DONTNEED), 0, "MADV_DONTNEED");
	if (!zero(p, 64 * 1024))
		die("MADV_DONTNEED left private bytes");
	fill(p, 64 * 1024, 22);
	expect_rc(mprotect(p, 64 * 1024, PROT_READ), 0, "mprotect read-only");
	expect_rc(madvise(p, 64 * 1024, MADV_DONTNEED), 0, "MADV_DONTNEED read-only");
	if (!zero(p, 64 * 1024))
		die("MADV_DONTNEED left read-only private bytes");
	ok("MADV_DONTNEED zeroes private");
	fill(s, 64 * 1024, 23);
	expect_rc(madvise(s, 64 * 1024, MADV_DONTNEED), 0, "MADV_DONTNEED shared");
	if (!filled(s, 64 * 1024, 23))
		die("MADV_DONTNEED lost shared bytes");
	ok("MADV_DONTNEED keeps shared");
	h = map_or_die(HUGE_2M, PROT_READ | PROT_WRITE, ANON_HUGE, "hugetlb");
	fill(h, HUGE_2M, 25);
	expect_rc(madvise(h + 4096, 4096, MADV_DONTNEED), EINVAL, "MADV_DONTNEED inside a huge page");
	/* The whole page: Linux 6.1 zaps nothing for a shorter length, newer ones all of it. */
	expect_rc(madvise(h, HUGE_2M, MADV_DONTNEED), 0, "MADV_DONTNEED of a huge page");
	if (!zero(h, HUGE_2M))
		die("MADV_DONTNEED left hugetlb bytes");
	ok("MADV_DONTNEED hugetlb");
	munmap(p, 64 * 1024);
	munmap(s, 64 * 1024);
	munmap(h, HUGE_2M);
}

static void check_proc(void)
{
	char line[256];
	bool rss = false;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		die("cannot open /proc/self/smaps_rollup: %s", strerror(errno));
	if (!fgets(line, sizeof(line), f) || !strstr(line, "[rollup]"))
		die("smaps_rollup starts '%s'", line);
	while (fgets(line, sizeof(line), f))
		rss |= !strncmp(line, "Rss:", 4) && strtol(line + 4, NULL, 10) > 0;
	fclose(f);
	if (!rss)
		die("smaps_rollup has no Rss");
	if (meminfo("Hugepagesize") != 2048)
		die("Hugepagesize %ld kB", meminfo("Hugepagesize"));
	if (meminfo("HugePages_Free") < 0 || meminfo("HugePages_Free") > meminfo("HugePages_Total"))
		die("HugePages_Free %ld of %ld", meminfo("HugePages_Free"),
		    meminfo("HugePages_Total"));
	ok("smaps_rollup and meminfo");
}

int main(void)
{
	check_hugetlb_errors();
	check_hugetlb_map();
	check_shared();
	check_1g();
	check_fork();
	check_madvise_huge();
	check_dontneed();
	check_proc();
	printf("%s: ok %d checks\n", prog, checks);
	return 0;
}
