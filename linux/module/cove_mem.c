// SPDX-License-Identifier: GPL-2.0
/*
 * Enclave memory: whole memory blocks offlined in Linux (through their
 * sysfs state files, as an administrator would), onlined again when the
 * enclave gives them back.
 */
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "cove.h"

static int cove_ram_top_cb(struct resource *res, void *arg)
{
	u64 *top = arg;

	if (res->end + 1 > *top)
		*top = res->end + 1;
	return 0;
}

/* End of the highest System RAM range Linux has. */
static u64 cove_ram_top(void)
{
	u64 top = 0;

	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
			    0, U64_MAX, &top, cove_ram_top_cb);
	return top;
}

static bool cove_is_ram(u64 base, u64 size)
{
	return region_intersects(base, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) ==
	       REGION_INTERSECTS;
}

/* An explicit range: block-aligned, not another enclave's, all Linux RAM. */
int cove_mem_check(u64 base, u64 size)
{
	u64 bs = memory_block_size_bytes();

	if (!size || size % bs || base % bs || base + size < base) {
		pr_err("cove: memory %#llx+%#llx is not whole %llu MiB blocks\n",
		       base, size, bs >> 20);
		return -EINVAL;
	}
	if (cove_range_taken(base, size)) {
		pr_err("cove: memory %#llx+%#llx already belongs to an enclave\n", base, size);
		return -EBUSY;
	}
	if (!cove_is_ram(base, size)) {
		pr_err("cove: memory %#llx+%#llx is not all RAM Linux has\n", base, size);
		return -EINVAL;
	}
	return 0;
}

bool cove_mem_owns(const struct cove_enclave *e, u64 pa, u64 len)
{
	unsigned int i;

	for (i = 0; i < e->nr_mem && i < COVE_MAX_RANGES; i++) {
		if (pa >= e->mem[i].base && len <= e->mem[i].size &&
		    pa - e->mem[i].base <= e->mem[i].size - len)
			return true;
	}
	return false;
}

bool cove_mem_owns_cb(void *e, u64 pa, u64 len)
{
	return cove_mem_owns(e, pa, len);
}

static int cove_sysfs_write(const char *path, const char *text)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, text, strlen(text), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

static bool cove_block_online(unsigned long nr)
{
	char path[64], state[16] = "";
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/state", nr);
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return false;
	n = kernel_read(f, state, sizeof(state) - 1, &pos);
	filp_close(f, NULL);
	return n > 0 && !strncmp(state, "online", 6);
}

/* Bring memory block nr online: movable if Linux lets us, else its default zone. */
static int cove_online_block(unsigned long nr)
{
	char path[64];
	int err;

	if (cove_block_online(nr))
		return 0;
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/state", nr);
	err = cove_sysfs_write(path, "online_movable");
	if (err)
		err = cove_sysfs_write(path, "online");
	return err;
}

static int cove_block_set(unsigned long nr, const char *state)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/state", nr);
	return cove_sysfs_write(path, state);
}

/*
 * Offline every block of [base, base + size); on failure online again the
 * ones already done. Blocks that are not online now (someone else's) are
 * left alone: -EBUSY.
 */
static int cove_offline_range(u64 base, u64 size, u32 owner)
{
	u64 bs = memory_block_size_bytes();
	u64 addr;
	int err = 0;

	for (addr = base; addr < base + size; addr += bs) {
		if (!cove_block_online(addr / bs))
			return -EBUSY;
	}
	/* Fenced first: from the moment a block goes, only the module brings it back. */
	err = cove_fence_mem_add(base, size, owner);
	for (addr = base; !err && addr < base + size; addr += bs) {
		err = cove_block_set(addr / bs, "offline");
		if (err) {
			cove_fence_mem_del(base, size);
			while (addr > base) {
				addr -= bs;
				cove_online_block(addr / bs);
			}
		}
	}
	return err;
}

/*
 * Take size bytes from Linux: at *base if given, else the highest range of
 * RAM whose blocks can all be offlined, going down one block at a time.
 *
 * The blocks are offlined, not removed: Linux 6.1 cannot give back boot
 * memory that shares its "System RAM" resource with the kernel image
 * (release_mem_region_adjustable() leaves such a resource whole, so
 * add_memory() of the range later fails with -EEXIST, and memremap() of it
 * walks the freed memmap). Offline blocks keep their memmap and direct map,
 * Linux never allocates from them, and onlining them gives them back.
 */
int cove_mem_take(u32 owner, u64 *base, u64 size, u64 align)
{
	u64 bs = memory_block_size_bytes();
	u64 step = max(bs, align);
	u64 top, b;
	int err;

	if (*base) {
		err = cove_mem_check(*base, size);
		if (err)
			return err;
		if (*base % step) {
			pr_err("cove: memory base %#llx is not aligned to %#llx\n", *base, step);
			return -EINVAL;
		}
		err = cove_offline_range(*base, size, owner);
		if (err) {
			pr_err("cove: could not offline memory %#llx+%#llx (%d)\n", *base, size, err);
			return -ENOMEM;
		}
		return 0;
	}

	top = round_down(cove_ram_top(), step);
	if (top < size) {
		pr_err("cove: no %llu MiB of offlinable memory\n", size >> 20);
		return -ENOMEM;
	}
	for (b = top - size;; b -= step) {
		if (!cove_range_taken(b, size) && cove_is_ram(b, size)) {
			if (!cove_offline_range(b, size, owner)) {
				*base = b;
				return 0;
			}
		}
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
		if (b < step)
			break;
	}
	pr_err("cove: no %llu MiB of offlinable memory\n", size >> 20);
	return -ENOMEM;
}

/* Fill a range that is not Linux memory (any more) with zeroes. */
void cove_mem_scrub(u64 base, u64 size)
{
	u64 off, chunk;
	void *p;

	for (off = 0; off < size; off += chunk) {
		chunk = min_t(u64, size - off, SZ_64M);
		p = memremap(base + off, chunk, MEMREMAP_WB);
		if (!p) {
			pr_err("cove: could not map %#llx to scrub it\n", base + off);
			continue;
		}
		memset(p, 0, chunk);
		memunmap(p);
		cond_resched();
	}
}

/* Online every block of the range again (movable where Linux lets us). */
void cove_mem_give_back(u64 base, u64 size)
{
	u64 bs = memory_block_size_bytes();
	u64 addr;
	int err;

	cove_fence_mem_del(base, size);
	for (addr = base; addr < base + size; addr += bs) {
		err = cove_online_block(addr / bs);
		if (err)
			pr_err("cove: memory block %llu stays offline (%d)\n", addr / bs, err);
	}
}
