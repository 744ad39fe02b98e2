// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the futex key choice: private ops, and shared ops on private
 * memory, key by (address space, address); shared ops on shared memory by
 * the physical address, the same from two processes mapping it anywhere.
 */
#include <cove/aspace.h>
#include <cove/futex.h>
#include <cove/selftest.h>
#include <cove/shmem.h>
#include <cove/string.h>
#include <cove/task.h>

SELFTEST(futex_key_private_or_physical)
{
	uint64_t priv = 0x40000000, va_a = 0x50000000, va_b = 0x60000000;
	static struct process pa, pb;	/* only their address spaces are looked at */
	struct futex_key k1, k2;
	struct shmem *shm = shmem_create();

	SELFTEST_CHECK(shm && shmem_resize(shm, 2 * PAGE_SIZE) == 0);
	memset(&pa, 0, sizeof(pa));
	memset(&pb, 0, sizeof(pb));
	pa.as = aspace_create(PAGE_SIZE_2M);
	pb.as = aspace_create(PAGE_SIZE_2M);
	SELFTEST_CHECK(pa.as && pb.as);
	SELFTEST_CHECK(aspace_map_anon(pa.as, priv, PAGE_SIZE, VM_READ | VM_WRITE, VM_ANON) == 0);
	SELFTEST_CHECK(aspace_map_shared(pa.as, va_a, 2 * PAGE_SIZE, VM_READ | VM_WRITE, VM_ANON,
					 shm, 0) == 0);
	SELFTEST_CHECK(aspace_map_shared(pb.as, va_b, PAGE_SIZE, VM_READ | VM_WRITE, VM_ANON, shm,
					 PAGE_SIZE) == 0);

	/* Private memory: the cheap key, whatever the op says. */
	SELFTEST_CHECK(futex_key_of(&pa, priv + 8, true, &k1) == 0);
	SELFTEST_CHECK(k1.space == pa.as && k1.addr == priv + 8);
	/* A private op on shared memory: the cheap key too. */
	SELFTEST_CHECK(futex_key_of(&pa, va_a + 8, false, &k1) == 0);
	SELFTEST_CHECK(k1.space == pa.as && k1.addr == va_a + 8);
	/* A shared op on shared memory: one key from both processes. */
	SELFTEST_CHECK(futex_key_of(&pa, va_a + PAGE_SIZE + 8, true, &k1) == 0);
	SELFTEST_CHECK(futex_key_of(&pb, va_b + 8, true, &k2) == 0);
	SELFTEST_CHECK(!k1.space && !k2.space && k1.addr == k2.addr && (k1.addr & 1));
	SELFTEST_CHECK(futex_key_of(&pa, va_a + 8, true, &k2) == 0 && k2.addr != k1.addr);

	aspace_put(pa.as);
	aspace_put(pb.as);
	shmem_put(shm);
	return 0;
}
