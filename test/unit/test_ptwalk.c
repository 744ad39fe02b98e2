// SPDX-License-Identifier: GPL-2.0
/*
 * The module's walk of a job's page tables (linux/module/cove_ptwalk.c):
 * which page a 4 KiB or 2 MiB mapping gives, and whether the host proxy may
 * write it -- only if every level says writable, as the CPU decides for the
 * job's own code, so that a host read() into a read-only page fails.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "unit.h"

typedef unsigned long long u64;
#define COVE_PTWALK_USER
#include "../../linux/module/cove_ptwalk.c"

#define BASE 0x200000ULL	/* "physical memory": 8 pages of tables and data */
#define P 1ULL
#define RW 2ULL
#define U 4ULL
#define PS 0x80ULL

static u64 mem[8][512];

static bool owns(void *ctx, u64 pa, u64 len)
{
	(void)ctx;
	return pa >= BASE && pa + len <= BASE + sizeof(mem);
}

static int read64(void *ctx, u64 pa, u64 *val)
{
	(void)ctx;
	memcpy(val, (const char *)mem + (pa - BASE), 8);
	return 0;
}

static const struct cove_ptwalk_mem walk_mem = { NULL, owns, read64 };

/* Tables at pages 0-3 for va 0x401000 (indices 0, 0, 2, 1), data at page 5. */
static void build(u64 l4, u64 l3, u64 l2, u64 l1)
{
	memset(mem, 0, sizeof(mem));
	mem[0][0] = BASE + 0x1000 + l4;
	mem[1][0] = BASE + 0x2000 + l3;
	mem[2][2] = BASE + 0x3000 + l2;
	mem[3][1] = BASE + 0x5000 + l1;
}

TEST(ptwalk_writable_every_level)
{
	struct cove_ptwalk_leaf leaf;
	u64 pa;

	build(P | U | RW, P | U | RW, P | U | RW, P | U | RW);
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x401000, &pa, &leaf), 0);
	CHECK_EQ(pa, BASE + 0x5000);
	CHECK_EQ(leaf.entry_pa, BASE + 0x3000 + 8);
	CHECK(leaf.writable);
	/* Read-only at the leaf, or at any table above it: not writable. */
	build(P | U | RW, P | U | RW, P | U | RW, P | U);
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x401000, &pa, &leaf), 0);
	CHECK(!leaf.writable);
	build(P | U | RW, P | U, P | U | RW, P | U | RW);
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x401000, &pa, &leaf), 0);
	CHECK(!leaf.writable);
	build(P | U, P | U | RW, P | U | RW, P | U | RW);
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x401000, &pa, &leaf), 0);
	CHECK(!leaf.writable);
	/* Not present, or the kernel's (no U): no page at all. */
	build(P | U | RW, P | U | RW, P | U | RW, U | RW);
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x401000, &pa, &leaf), -EFAULT);
	build(P | U | RW, P | U | RW, P | RW, P | U | RW);
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x401000, &pa, &leaf), -EFAULT);
}

TEST(ptwalk_large_page)
{
	struct cove_ptwalk_leaf leaf;
	u64 pa;

	/* A 2 MiB page at BASE (the whole window's memory), read-only. */
	build(P | U | RW, P | U | RW, 0, 0);
	mem[2][2] = BASE | P | U | PS;
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x403000, &pa, &leaf), 0);
	CHECK_EQ(pa, BASE + 0x3000);
	CHECK_EQ(leaf.entry_pa, BASE + 0x2000 + 16);
	CHECK(!leaf.writable);
	mem[2][2] |= RW;
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x403000, &pa, &leaf), 0);
	CHECK(leaf.writable);
	/* Its other pages are not the enclave's here: refused. */
	CHECK_EQ(cove_ptwalk(&walk_mem, BASE, 0x409000, &pa, &leaf), -EFAULT);
}
