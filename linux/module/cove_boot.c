// SPDX-License-Identifier: GPL-2.0
/*
 * What the loader writes for the image: the layout of the partition, the
 * segments, the boot block, the host page and the page tables the cores
 * enter Cove on. The image's own checks are in cove_image.c.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/topology.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <asm/tsc.h>

#include "cove.h"

/*
 * Where everything goes in a partition of part_size bytes: the loader's
 * own area first, then the image and initrd (cove_image.c places them).
 */
int cove_layout(struct cove_layout *lay, u64 part_size, u64 initrd_size)
{
	u64 off = 0;

	lay->block_off = off;
	off += COVE_BLOCK_SIZE;
	lay->ring_off = off;
	lay->ring_size = sizeof(struct cove_console_ring) + COVE_RING_DATA;
	off += PAGE_ALIGN(lay->ring_size);
	lay->ctl_off = off;
	lay->ctl_size = COVE_CHAN_HDR + COVE_CTL_SLOTS * COVE_CTL_SLOT_SIZE;
	off += PAGE_ALIGN(lay->ctl_size);
	lay->lc_off = off;
	/* Payload exactly what the ioctl can carry: Cove sizes its calls by the slot. */
	lay->lc_slot_size = sizeof(struct cove_msg) + COVE_LCALL_PAYLOAD_MAX;
	lay->lc_size = COVE_CHAN_HDR + COVE_LC_SLOTS * lay->lc_slot_size;
	off += PAGE_ALIGN(lay->lc_size);
	return cove_layout_place(lay, off, part_size, initrd_size);
}

/* Zero the loader area and the image's span, then copy each segment in. */
int cove_image_load(struct cove_enclave *e, const void *img, size_t size)
{
	cove_image_copy(e->map, &e->lay, img);
	return 0;
}

#define PTE_P_RW	(_PAGE_PRESENT | _PAGE_RW)

struct cove_pt {
	u64 *pages;		/* virtual address of the first table */
	u64 pa;			/* and its physical address */
	unsigned int used, max;
};

static u64 *cove_pt_next(struct cove_pt *pt, u64 *entry)
{
	u64 off;

	if (!(*entry & _PAGE_PRESENT)) {
		if (pt->used == pt->max)
			return NULL;
		*entry = (pt->pa + (u64)pt->used * PAGE_SIZE) | PTE_P_RW;
		pt->used++;
	}
	off = (*entry & PTE_PFN_MASK) - pt->pa;
	return (void *)pt->pages + off;
}

static int cove_pt_map_2m(struct cove_pt *pt, u64 addr)
{
	u64 *pdpt, *pd;

	pdpt = cove_pt_next(pt, &pt->pages[(addr >> 39) & 511]);
	if (!pdpt)
		return -ENOMEM;
	pd = cove_pt_next(pt, &pdpt[(addr >> 30) & 511]);
	if (!pd)
		return -ENOMEM;
	pd[(addr >> 21) & 511] = addr | PTE_P_RW | _PAGE_PSE;
	return 0;
}

/*
 * The tables the trampoline loads into CR3 (so below 4 GiB) and Cove's entry
 * runs on: [0, 4 GiB) and the partition, identity-mapped with 2 MiB pages.
 * One contiguous allocation so the block can name it as one range.
 */
int cove_tables_build(struct cove_enclave *e)
{
	u64 base = e->mem[0].base, end = base + e->mem[0].size;
	unsigned int n, order;
	struct cove_pt pt;
	u64 addr;

	/* PML4, PDPTs for [0,4G) and the partition, PDs per GiB touched. */
	n = 1 + 1 + 4;
	if (end > SZ_4G) {
		u64 lo = max_t(u64, base, SZ_4G);

		n += ((end - 1) >> 39) - (lo >> 39) + 1;
		n += ((end - 1) >> 30) - (lo >> 30) + 1;
	}
	order = get_order((size_t)n * PAGE_SIZE);
	e->tables = alloc_pages(GFP_KERNEL | __GFP_DMA32 | __GFP_ZERO, order);
	if (!e->tables) {
		pr_err("cove: no memory below 4 GiB for the loader page tables\n");
		return -ENOMEM;
	}
	e->tables_order = order;
	pt.pages = page_address(e->tables);
	pt.pa = page_to_phys(e->tables);
	pt.used = 1;
	pt.max = 1U << order;
	for (addr = 0; addr < SZ_4G; addr += SZ_2M)
		if (cove_pt_map_2m(&pt, addr))
			goto bad;
	for (addr = max_t(u64, base, SZ_4G); addr < end; addr += SZ_2M)
		if (cove_pt_map_2m(&pt, addr))
			goto bad;
	return 0;
bad:
	pr_err("cove: loader page tables overflow (%u pages)\n", pt.max);
	cove_tables_free(e);
	return -ENOMEM;
}

void cove_tables_free(struct cove_enclave *e)
{
	if (e->tables)
		__free_pages(e->tables, e->tables_order);
	e->tables = NULL;
}

/* The host page: what the enclave may hold, for the protection layer. */
void cove_host_page_sync(struct cove_enclave *e)
{
	struct cove_host_page *h = e->host;
	unsigned int i;

	h->magic = COVE_HOST_MAGIC;
	h->version = COVE_TAIL_VERSION;
	WRITE_ONCE(h->nr_grants, min_t(unsigned int, h->nr_grants, e->nr_mem));
	WRITE_ONCE(h->nr_cpu_grants, min_t(unsigned int, h->nr_cpu_grants, e->nr_cpus));
	wmb();
	for (i = 0; i < e->nr_mem; i++) {
		h->grants[i].base = e->mem[i].base;
		h->grants[i].size = e->mem[i].size;
	}
	for (i = 0; i < e->nr_cpus; i++)
		h->cpu_grants[i] = e->apic_ids[i];
	wmb();
	WRITE_ONCE(h->nr_grants, e->nr_mem);
	WRITE_ONCE(h->nr_cpu_grants, e->nr_cpus);
	cove_doorbell_publish(h);
	wmb();
}

/*
 * The host's NUMA view for the enclave (tail version 4), in Linux's own
 * node ids: each node's span, so any memory granted later is covered too,
 * the node of each enclave core, and node_distance(). A host with one node,
 * or with ids the tail cannot hold, says nothing: the enclave is one node.
 */
static void cove_block_numa(struct cove_boot_tail *t, const struct cove_enclave *e)
{
	unsigned int i, n = 0;
	int nid, to;

	for_each_online_node(nid)
		n = max_t(unsigned int, n, nid + 1);
	if (n < 2 || n > COVE_NUMA_MAX_NODES)
		return;
	t->numa_nr_nodes = n;
	for (nid = 0; nid < (int)n; nid++) {
		if (node_online(nid) && node_spanned_pages(nid)) {
			t->numa_span[nid].base = PFN_PHYS(node_start_pfn(nid));
			t->numa_span[nid].size = PFN_PHYS(node_spanned_pages(nid));
		}
		for (to = 0; to < (int)n; to++)
			t->numa_distance[nid][to] = (u8)min(node_distance(nid, to), 255);
	}
	for (i = 0; i < e->nr_cpus; i++)
		t->cpu_node[i] = (u8)max(cpu_to_node(e->cpus[i]), 0);
}

static const char *const cove_protect_opt[] = {
	[COVE_PROTECT_DEFAULT] = "",
	[COVE_PROTECT_ON] = " protect=on",
	[COVE_PROTECT_OFF] = " protect=off",
	[COVE_PROTECT_REQUIRE] = " protect=require",
};

/* Write the boot block (the partition's loader area is already zero). */
int cove_block_fill(struct cove_enclave *e, const struct cove_create *req)
{
	struct cove_boot_block *bb = e->map + e->lay.block_off;
	struct pisces_boot_params *bp = &bb->pisces;
	struct cove_boot_tail *t = &bb->tail;
	u64 base = e->mem[0].base;
	unsigned int i;
	int n;

	BUILD_BUG_ON(sizeof(struct cove_boot_block) > COVE_BLOCK_SIZE);
	BUILD_BUG_ON(sizeof(struct cove_host_page) > PAGE_SIZE);

	n = snprintf(bp->cmd_line, sizeof(bp->cmd_line), "%s%s", req->cmdline,
		     cove_protect_opt[req->protect]);
	if (n >= (int)sizeof(bp->cmd_line)) {
		pr_err("cove: command line longer than %d bytes\n", PISCES_CMDLINE_MAX - 1);
		return -EINVAL;
	}
	bp->magic = PISCES_MAGIC;
	bp->boot_params_size = sizeof(*bp);
	bp->cpu_id = e->cpus[0];
	bp->apic_id = e->apic_ids[0];
	bp->cpu_khz = tsc_khz;
	bp->trampoline_code_pa = cove_trampoline_pa();
	bp->kernel_addr = base + e->lay.image_start;
	bp->kernel_size = e->lay.image_end - e->lay.image_start;
	if (e->lay.initrd_size) {
		bp->initrd_addr = base + e->lay.initrd_off;
		bp->initrd_size = e->lay.initrd_size;
	}
	bp->console_ring_addr = base + e->lay.ring_off;
	bp->console_ring_size = e->lay.ring_size;
	bp->control_buf_addr = base + e->lay.ctl_off;
	bp->control_buf_size = e->lay.ctl_size;
	bp->longcall_buf_addr = base + e->lay.lc_off;
	bp->longcall_buf_size = e->lay.lc_size;
	bp->base_mem_paddr = base;
	bp->base_mem_size = e->mem[0].size;

	t->magic = COVE_TAIL_MAGIC;
	t->version = COVE_TAIL_VERSION;
	t->tail_size = sizeof(*t);
	t->enclave_id = e->id;
	t->host_page_addr = page_to_phys(e->host_pg);
	t->loader_tables_addr = page_to_phys(e->tables);
	t->loader_tables_size = PAGE_SIZE << e->tables_order;
	t->host_time_ns = ktime_get_real_ns();
	t->doorbell_vector = COVE_DOORBELL_VECTOR;
	t->host_apic_id = cove_apic_id(0);
	t->state = COVE_STATE_LOADED;
	t->nr_cpus = e->nr_cpus;
	t->channels = COVE_CHANNELS_COVE;	/* our ring and channels, not Pisces's */
	for (i = 0; i < e->nr_cpus; i++) {
		t->cpus[i].apic_id = e->apic_ids[i];
		t->cpus[i].host_cpu = e->cpus[i];
	}
	cove_block_numa(t, e);

	e->bp = bb;
	e->ring = e->map + e->lay.ring_off;
	e->ring->magic = COVE_CONSOLE_MAGIC;
	e->ring->size = COVE_RING_DATA;
	cove_chan_setup(&e->ctl, e->map + e->lay.ctl_off, COVE_CTL_SLOTS, COVE_CTL_SLOT_SIZE);
	cove_chan_setup(&e->lc, e->map + e->lay.lc_off, COVE_LC_SLOTS, e->lay.lc_slot_size);
	wmb();
	return 0;
}
