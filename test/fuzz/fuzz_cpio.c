// SPDX-License-Identifier: GPL-2.0
/*
 * The initramfs reader: the newc walker (kernel/fs/cpio.c) and the ramfs
 * loader on top of it (kernel/fs/ramfs.c). In bare mode the archive comes
 * from whoever built the boot media; in co-kernel mode from the host user.
 */
#include <cove/cpio.h>
#include <cove/errno.h>
#include <cove/ramfs.h>
#include "fuzz.h"

/* Every entry the walker returns lies inside the archive, and it moves on. */
static void fuzz_walk(const uint8_t *buf, size_t len)
{
	struct cpio_iter it;
	struct cpio_entry e;
	size_t last = 0;
	int r, n = 0;

	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &e)) > 0) {
		const uint8_t *name = (const uint8_t *)e.name;

		FUZZ_ASSERT(n++ == 0 || e.offset > last);
		last = e.offset;
		FUZZ_ASSERT(name >= buf && name + e.name_len < buf + len);
		FUZZ_ASSERT(name[e.name_len] == 0 && strlen(e.name) == e.name_len);
		if (e.size) {
			const uint8_t *d = e.data;

			FUZZ_ASSERT(d >= buf && d <= buf + len && e.size <= (size_t)(buf + len - d));
		}
	}
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	/* Once finished or corrupt, it stays so. */
	FUZZ_ASSERT(cpio_next(&it, &e) == r);
}

struct fuzz_heap {
	long live;
};

static void *fuzz_alloc(void *ctx, size_t n)
{
	struct fuzz_heap *h = ctx;
	void *p = malloc(n);

	if (p)
		h->live++;
	return p;
}

static void fuzz_free(void *ctx, void *p)
{
	struct fuzz_heap *h = ctx;

	h->live--;
	free(p);
}

/* Loading never leaks, and the archive's bytes are only read. */
static void fuzz_load(const uint8_t *buf, size_t len)
{
	struct fuzz_heap heap = { 0 };
	struct ramfs_ops ops = {
		.alloc = fuzz_alloc, .free = fuzz_free, .ctx = &heap, .max_bytes = 1 << 20,
	};
	struct ramfs fs;
	size_t bad = SIZE_MAX;
	int r;

	FUZZ_ASSERT(ramfs_init(&fs, &ops) == 0);
	r = ramfs_load_cpio(&fs, buf, len, &bad);
	FUZZ_ASSERT(r <= 0);
	FUZZ_ASSERT(r == 0 || bad <= len);
	ramfs_destroy(&fs);
	FUZZ_ASSERT(heap.live == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact copy: the archive is what the walker must not read past. */
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	fuzz_walk(buf, size);
	fuzz_load(buf, size);
	free(buf);
	return 0;
}
