// SPDX-License-Identifier: GPL-2.0
/*
 * memstress: the memory-management syscalls a static HPC binary and its
 * libc rely on, each followed by a check of what the memory now holds.
 *
 *   memstress [PAGES=256] [MALLOC_OPS=10000]
 *
 * brk      grow, fill, shrink, regrow: regrown pages must read as zero
 * mmap     fresh anonymous pages read as zero and keep what is written
 * mprotect read-only and PROT_NONE and back, whole and in part (VMA
 *          splits): contents survive every change
 * mremap   grow (may move): old contents follow, the new tail is zero;
 *          shrink: stays in place
 * munmap   a hole in the middle, refilled with MAP_FIXED: reads as zero,
 *          the neighbours are untouched
 * madvise  MADV_DONTNEED on private anonymous memory: reads as zero after
 *          (the Linux semantics allocators count on)
 * many     64 mappings of different sizes, unmapped in scrambled order
 * malloc   many sizes (small bins up to mmap-sized chunks), realloc and
 *          calloc, every block patterned and checked before it is freed
 *
 * Only MAP_PRIVATE|MAP_ANONYMOUS mappings are used. Prints "memstress: ok".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

const char *prog = "memstress";

static size_t pg;

/* The word expected at byte offset off of a region patterned with seed. */
static uint64_t pat(uint64_t seed, size_t off)
{
	return ((uint64_t)off + 1) * 0x9e3779b97f4a7c15ull ^ seed;
}

/*
 * Fill / check [start, start+len) of region. The pattern is keyed by the
 * offset inside the region, so a region that mremap moved, or one filled
 * in pieces, is still checked against one formula.
 */
static void fill(char *region, size_t start, size_t len, uint64_t seed)
{
	size_t off;

	for (off = start; off < start + len; off += 8)
		*(uint64_t *)(region + off) = pat(seed, off);
}

static void check(const char *region, size_t start, size_t len,
		  uint64_t seed, const char *what)
{
	size_t off;

	for (off = start; off < start + len; off += 8)
		if (*(const uint64_t *)(region + off) != pat(seed, off))
			die("%s: wrong data at offset %#zx", what, off);
}

static void check_zero(const char *region, size_t start, size_t len,
		       const char *what)
{
	size_t off;

	for (off = start; off < start + len; off += 8)
		if (*(const uint64_t *)(region + off))
			die("%s: nonzero data at offset %#zx", what, off);
}

static char *map_anon(void *hint, size_t len, int extra_flags)
{
	void *p = mmap(hint, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of %zu bytes failed (errno %d)", len, errno);
	if ((uintptr_t)p & (pg - 1))
		die("mmap returned unaligned %p", p);
	return p;
}

static void protect(void *p, size_t len, int prot)
{
	if (mprotect(p, len, prot))
		die("mprotect(%p, %zu, %d) failed (errno %d)", p, len, prot,
		    errno);
}

/*
 * Runs first, before anything calls malloc (stdio included), and puts the
 * break back where it found it, so libc's heap never sees the test. The
 * raw syscall because musl's brk()/sbrk() refuse to move the break.
 */
static void test_brk(void)
{
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	/* libc may have left the break mid-page; test whole pages only. */
	uintptr_t base = (cur + pg - 1) & ~(uintptr_t)(pg - 1);
	size_t len = 64 * pg;
	char *p = (char *)base;

	if ((uintptr_t)syscall(SYS_brk, base + len) != base + len)
		die("brk: could not grow the break by %zu bytes", len);
	check_zero(p, 0, len, "brk grow");
	fill(p, 0, len, 0xb1);
	check(p, 0, len, 0xb1, "brk fill");

	if ((uintptr_t)syscall(SYS_brk, base) != base)
		die("brk: could not shrink the break");
	if ((uintptr_t)syscall(SYS_brk, base + len) != base + len)
		die("brk: could not regrow the break");
	/* Shrinking released the pages: what comes back must be fresh. */
	check_zero(p, 0, len, "brk regrow");

	if ((uintptr_t)syscall(SYS_brk, cur) != cur)
		die("brk: could not restore the break");
}

static void test_mmap(size_t npages)
{
	size_t len = npages * pg;
	size_t e = len / 8;	/* an eighth, a whole number of pages */
	char *p, *q;

	p = map_anon(NULL, len, 0);
	check_zero(p, 0, len, "mmap fresh");
	fill(p, 0, len, 1);
	check(p, 0, len, 1, "mmap fill");

	protect(p, len, PROT_READ);
	check(p, 0, len, 1, "mprotect read-only");
	protect(p, len, PROT_NONE);
	protect(p, len, PROT_READ | PROT_WRITE);
	check(p, 0, len, 1, "mprotect none and back");

	/* Only the middle: the mapping splits in three, then merges back. */
	protect(p + 2 * e, 4 * e, PROT_READ);
	check(p, 0, len, 1, "mprotect middle read-only");
	protect(p + 2 * e, 4 * e, PROT_READ | PROT_WRITE);
	fill(p, 0, len, 2);
	check(p, 0, len, 2, "refill after mprotect split");

	q = mremap(p, len, 2 * len, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		die("mremap grow to %zu bytes failed (errno %d)", 2 * len,
		    errno);
	check(q, 0, len, 2, "mremap grow, old part");
	check_zero(q, len, len, "mremap grow, new part");
	fill(q, len, len, 2);
	check(q, 0, 2 * len, 2, "mremap grow, whole");

	p = mremap(q, 2 * len, len, 0);
	if (p != q)
		die("mremap shrink moved or failed (%p -> %p, errno %d)", q, p,
		    errno);
	check(p, 0, len, 2, "mremap shrink");

	/* A hole in the middle, mapped again at the same address. */
	if (munmap(p + 2 * e, e))
		die("munmap of a middle part failed (errno %d)", errno);
	if (map_anon(p + 2 * e, e, MAP_FIXED) != p + 2 * e)
		die("MAP_FIXED did not map at the address asked");
	check_zero(p, 2 * e, e, "MAP_FIXED into a hole");
	check(p, 0, 2 * e, 2, "below the hole");
	check(p, 3 * e, len - 3 * e, 2, "above the hole");
	fill(p, 2 * e, e, 2);

	if (madvise(p + 4 * e, e, MADV_DONTNEED))
		die("madvise(MADV_DONTNEED) failed (errno %d)", errno);
	check_zero(p, 4 * e, e, "after MADV_DONTNEED");
	check(p, 0, 4 * e, 2, "below MADV_DONTNEED");
	check(p, 5 * e, len - 5 * e, 2, "above MADV_DONTNEED");
	fill(p, 4 * e, e, 2);
	check(p, 0, len, 2, "after MADV_DONTNEED refill");
	if (madvise(p, len, MADV_NORMAL))
		die("madvise(MADV_NORMAL) failed (errno %d)", errno);

	if (munmap(p, len))
		die("munmap of %zu bytes failed (errno %d)", len, errno);
}

#define NMAPS 64

static void test_many_maps(void)
{
	char *maps[NMAPS];
	size_t lens[NMAPS];
	unsigned int i, k;

	for (i = 0; i < NMAPS; i++) {
		lens[i] = (1 + (i * 7) % 16) * pg;
		maps[i] = map_anon(NULL, lens[i], 0);
		fill(maps[i], 0, lens[i], 100 + i);
	}
	/* 37 is coprime to 64: k walks every mapping once, out of order. */
	for (k = 0; k < NMAPS; k++) {
		i = (k * 37) % NMAPS;
		check(maps[i], 0, lens[i], 100 + i, "one of many mappings");
		if (munmap(maps[i], lens[i]))
			die("munmap of mapping %u failed (errno %d)", i, errno);
	}
}

#define NSLOTS 256

struct slot {
	unsigned char *p;
	size_t size;
	unsigned int tag;
};

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

/* xorshift64: the same sequence of sizes on every run. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned char bpat(unsigned int tag, size_t i)
{
	return (unsigned char)(tag ^ (i * 131) ^ (i >> 8));
}

/*
 * Small blocks are patterned byte by byte (allocator headers sit right
 * next to them); bigger ones are sampled at odd strides, which still hit
 * every page and every offset class, to keep the run short in an emulator.
 */
static size_t stride_of(size_t size)
{
	if (size <= 256)
		return 1;
	return size <= 16384 ? 29 : 251;
}

static void fill_block(struct slot *s)
{
	size_t i, st = stride_of(s->size);

	for (i = 0; i < s->size; i += st)
		s->p[i] = bpat(s->tag, i);
	s->p[s->size - 1] = bpat(s->tag, s->size - 1);
}

/* Check the bytes fill_block wrote for a block of `size`, below `upto`. */
static void check_block(const struct slot *s, size_t size, size_t upto)
{
	size_t i, st = stride_of(size);

	for (i = 0; i < size && i < upto; i += st)
		if (s->p[i] != bpat(s->tag, i))
			die("malloc block of %zu bytes corrupted at %zu", size,
			    i);
	if (size - 1 < upto && s->p[size - 1] != bpat(s->tag, size - 1))
		die("malloc block of %zu bytes corrupted at its end", size);
}

static size_t pick_size(void)
{
	uint64_t r = rnd();
	unsigned int cls = r % 100;

	r >>= 8;
	if (cls < 70)
		return 1 + r % 256;
	if (cls < 95)
		return 257 + r % 16128;
	/* Beyond malloc's mmap threshold in glibc (128 KiB) and musl. */
	return 16384 + r % (512 * 1024);
}

static void test_malloc(unsigned long ops)
{
	static struct slot slots[NSLOTS];
	unsigned long op;
	unsigned int tag = 0;
	size_t i, old;
	struct slot *s;
	void *np;

	for (op = 0; op < ops; op++) {
		s = &slots[rnd() % NSLOTS];
		if (s->p) {
			check_block(s, s->size, s->size);
			if (rnd() % 4) {
				free(s->p);
				s->p = NULL;
				continue;
			}
			old = s->size;
			s->size = pick_size();
			np = realloc(s->p, s->size);
			if (!np)
				die("realloc to %zu bytes failed", s->size);
			s->p = np;
			/* realloc keeps the common prefix, wherever it moved. */
			check_block(s, old, s->size);
			s->tag = ++tag;
			fill_block(s);
			continue;
		}

		s->size = pick_size();
		s->tag = ++tag;
		if (rnd() % 8 == 0) {
			s->p = calloc(1, s->size);
			if (!s->p)
				die("calloc of %zu bytes failed", s->size);
			for (i = 0; i < s->size; i += stride_of(s->size))
				if (s->p[i])
					die("calloc of %zu bytes not zeroed at %zu",
					    s->size, i);
		} else {
			s->p = malloc(s->size);
			if (!s->p)
				die("malloc of %zu bytes failed", s->size);
		}
		/* Both libcs promise 16-byte alignment on x86-64. */
		if ((uintptr_t)s->p & 15)
			die("malloc returned misaligned %p", (void *)s->p);
		fill_block(s);
	}

	for (i = 0; i < NSLOTS; i++) {
		if (!slots[i].p)
			continue;
		check_block(&slots[i], slots[i].size, slots[i].size);
		free(slots[i].p);
		slots[i].p = NULL;
	}
}

int main(int argc, char **argv)
{
	long sz = sysconf(_SC_PAGESIZE);	/* from the auxv, no file */
	size_t npages;
	unsigned long ops;

	if (sz <= 0 || (sz & (sz - 1)))
		die("bad page size %ld", sz);
	pg = (size_t)sz;
	/* Multiples of 8 pages: test_mmap cuts the region in eighths. */
	npages = arg_ulong(argc, argv, 1, 256, 16, 1 << 20) & ~7ul;
	ops = arg_ulong(argc, argv, 2, 10000, 0, 100000000);

	test_brk();
	test_mmap(npages);
	test_many_maps();
	test_malloc(ops);

	printf("memstress: ok\n");
	return 0;
}
