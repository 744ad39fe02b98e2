// SPDX-License-Identifier: GPL-2.0
/*
 * xemem: Cove's XEMEM calls from a job (<cove/xemem_user.h>), for the
 * co-kernel tests; the host side is `cove xemem`. Checksums are FNV-1a
 * over every byte, as `cove xemem` prints them.
 *
 *   xemem make KEY SIZE [--write] [--fill SEED] [--keep]
 *	export SIZE bytes under KEY (writable by the host with --write),
 *	print their checksum, wait for a line on stdin (the host reads or
 *	writes meanwhile), print the checksum again, remove it (--keep: exit
 *	and leave that to the kernel)
 *   xemem attach KEY [--write] [--fill SEED] [--poke PHYS]
 *	map the host's segment KEY, print its size and checksum; write a
 *	pattern into it; or ask the kernel (fault_inject=on_request) to
 *	write to physical PHYS while it is attached
 *   xemem bad ROKEY
 *	every bad input, with ROKEY a segment the host offers read-only
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cove/fault_kinds.h>
#include <cove/xemem_user.h>
#include "common.h"

const char *prog = "xemem";

#define FAULT_WILD_WRITE 1	/* its index in COVE_FAULT_KINDS */

static uint64_t sum(const volatile uint8_t *p, uint64_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (uint64_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static void fill(volatile uint8_t *p, uint64_t len, uint64_t seed)
{
	for (uint64_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* A number, decimal or 0x hex, with K or M for KiB and MiB. */
static uint64_t num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end == 'K' || *end == 'M') {
		v <<= *end == 'K' ? 10 : 20;
		end++;
	}
	if (!*s || *end || errno)
		die("'%s' is not a number", s);
	return v;
}

struct opts {
	bool write, fill, poke, keep;
	uint64_t seed, phys;
};

static void parse_opts(int argc, char **argv, int first, struct opts *o)
{
	for (int i = first; i < argc; i++) {
		if (!strcmp(argv[i], "--write")) {
			o->write = true;
		} else if (!strcmp(argv[i], "--keep")) {
			o->keep = true;
		} else if (!strcmp(argv[i], "--fill") && i + 1 < argc) {
			o->fill = true;
			o->seed = num(argv[++i]);
		} else if (!strcmp(argv[i], "--poke") && i + 1 < argc) {
			o->poke = true;
			o->phys = num(argv[++i]);
		} else {
			die("unknown option '%s'", argv[i]);
		}
	}
}

static int do_make(uint64_t key, uint64_t size, const struct opts *o)
{
	long va = syscall(COVE_SYS_XEMEM_MAKE, key, size, o->write ? COVE_XEMEM_WRITE : 0);
	volatile uint8_t *p = (volatile uint8_t *)va;
	char c;

	if (va == -1)
		die("make %#" PRIx64 ": %s", key, strerror(errno));
	if (o->fill)
		fill(p, size, o->seed);
	printf("xemem: made %#" PRIx64 " %" PRIu64 " bytes, sum %016" PRIx64 "\n", key, size,
	       sum(p, size));
	fflush(stdout);
	while (read(0, &c, 1) == 1 && c != '\n')
		;
	printf("xemem: %#" PRIx64 " sum now %016" PRIx64 "\n", key, sum(p, size));
	if (o->keep) {
		printf("xemem: exiting with %#" PRIx64 " exported\n", key);
		return 0;	/* the kernel removes it as the process ends */
	}
	if (syscall(COVE_SYS_XEMEM_REMOVE, key))
		die("remove %#" PRIx64 ": %s", key, strerror(errno));
	printf("xemem: removed %#" PRIx64 "\n", key);
	return 0;
}

static int do_attach(uint64_t key, const struct opts *o)
{
	uint64_t size = 0;
	long va = syscall(COVE_SYS_XEMEM_ATTACH, key, o->write || o->fill ? COVE_XEMEM_WRITE : 0,
			  &size);
	volatile uint8_t *p = (volatile uint8_t *)va;

	if (va == -1)
		die("attach %#" PRIx64 ": %s", key, strerror(errno));
	printf("xemem: attached %#" PRIx64 " %" PRIu64 " bytes, sum %016" PRIx64 "\n", key, size,
	       sum(p, size));
	if (o->fill) {
		fill(p, size, o->seed);
		printf("xemem: filled %#" PRIx64 ", sum %016" PRIx64 "\n", key, sum(p, size));
	}
	fflush(stdout);
	if (o->poke) {
		printf("xemem: asking the kernel to write physical %#" PRIx64 "\n", o->phys);
		fflush(stdout);
		if (syscall(COVE_SYS_FAULT_INJECT, FAULT_WILD_WRITE, o->phys))
			die("fault_inject: %s", strerror(errno));
	}
	if (syscall(COVE_SYS_XEMEM_DETACH, va))
		die("detach: %s", strerror(errno));
	printf("xemem: detached %#" PRIx64 "\n", key);
	return 0;
}

static int failures;

/* musl has no strerrorname_np: the names these checks can meet. */
static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "no error";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	case ENODEV: return "ENODEV";
	case ENOSYS: return "ENOSYS";
	default: return "another error";
	}
}

/* One bad input: rc must be -1 with errno want. */
static void expect(const char *what, long rc, int want)
{
	int got = rc == -1 ? errno : 0;

	printf("xemem: bad %s: %s %s\n", what, got == want ? "ok" : "FAIL", errno_name(got));
	failures += got != want;
}

static int do_bad(uint64_t rokey)
{
	const uint64_t k = 0x5eed;
	long va, va2;

	expect("make-key-0", syscall(COVE_SYS_XEMEM_MAKE, 0, 4096, 0), EINVAL);
	expect("make-len-0", syscall(COVE_SYS_XEMEM_MAKE, k, 0, 0), EINVAL);
	expect("make-unaligned", syscall(COVE_SYS_XEMEM_MAKE, k, 4097, 0), EINVAL);
	expect("make-huge", syscall(COVE_SYS_XEMEM_MAKE, k, (1ULL << 30) + 4096, 0), EINVAL);
	expect("make-flags", syscall(COVE_SYS_XEMEM_MAKE, k, 4096, 0x80), EINVAL);
	va = syscall(COVE_SYS_XEMEM_MAKE, k, 8192, 0);
	expect("make-first", va == -1 ? -1 : 0, 0);
	expect("make-twice", syscall(COVE_SYS_XEMEM_MAKE, k, 4096, 0), EEXIST);
	expect("munmap-own", munmap((void *)va, 8192), EINVAL);
	expect("remove-unknown", syscall(COVE_SYS_XEMEM_REMOVE, 0x404), ENOENT);
	expect("remove", syscall(COVE_SYS_XEMEM_REMOVE, k), 0);
	expect("remove-twice", syscall(COVE_SYS_XEMEM_REMOVE, k), ENOENT);
	expect("attach-unknown", syscall(COVE_SYS_XEMEM_ATTACH, 0x404, 0, 0), ENOENT);
	expect("attach-ro-for-write", syscall(COVE_SYS_XEMEM_ATTACH, rokey, COVE_XEMEM_WRITE, 0),
	       EACCES);
	va2 = syscall(COVE_SYS_XEMEM_ATTACH, rokey, 0, 0);
	expect("attach", va2 == -1 ? -1 : 0, 0);
	expect("attach-twice", syscall(COVE_SYS_XEMEM_ATTACH, rokey, 0, 0), EBUSY);
	expect("mprotect-write", mprotect((void *)va2, 4096, PROT_READ | PROT_WRITE), EACCES);
	/* The kernel reads a futex word through its direct map, where no host page is. */
	expect("futex-on-host-page", syscall(SYS_futex, va2, 0 /* FUTEX_WAIT */, 1, NULL), EFAULT);
	expect("munmap-attached", munmap((void *)va2, 4096), EINVAL);
	expect("detach-elsewhere", syscall(COVE_SYS_XEMEM_DETACH, va2 + 4096), EINVAL);
	expect("detach", syscall(COVE_SYS_XEMEM_DETACH, va2), 0);
	expect("detach-twice", syscall(COVE_SYS_XEMEM_DETACH, va2), EINVAL);
	printf("xemem: bad inputs: %d failed\n", failures);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	if (argc >= 4 && !strcmp(argv[1], "make")) {
		parse_opts(argc, argv, 4, &o);
		return do_make(num(argv[2]), num(argv[3]), &o);
	}
	if (argc >= 3 && !strcmp(argv[1], "attach")) {
		parse_opts(argc, argv, 3, &o);
		return do_attach(num(argv[2]), &o);
	}
	if (argc == 3 && !strcmp(argv[1], "bad"))
		return do_bad(num(argv[2]));
	fprintf(stderr, "usage: xemem make KEY SIZE [--write] [--fill SEED] | "
		"xemem attach KEY [--write] [--fill SEED] [--poke PHYS] | xemem bad ROKEY\n");
	return 2;
}
