// SPDX-License-Identifier: GPL-2.0
/*
 * The partition and what the loader writes into it, laid out as the module
 * lays it out (cove_boot.c): the boot block at the base, then the console
 * ring and the two channels, the image at base + its link address, the
 * initrd (if GRUB gave one) on the next page after the image. The host page
 * is the stand-in's own, outside the partition.
 */
#include "standin.h"
#include "x86.h"

/* A page of its own: the layer maps exactly this page into the enclave. */
static union {
	struct cove_host_page page;
	uint8_t bytes[PAGE_SIZE];
} host_page __attribute__((aligned(PAGE_SIZE)));

_Static_assert(sizeof(struct cove_boot_block) <= BLOCK_SIZE, "block too small");
_Static_assert(sizeof(struct cove_host_page) <= PAGE_SIZE, "host page too small");

static bool overlaps(uint64_t base, uint64_t size, const struct range *r)
{
	return r->size && base < r->base + r->size && r->base < base + size;
}

/*
 * The lowest place for size bytes, aligned as the image wants, inside one
 * RAM range and clear of everything the stand-in still needs (itself,
 * Cove's module, the trampoline page).
 */
int enclave_place(const struct boot_facts *bf, struct enclave *e, uint64_t size,
		  const struct range *keep, uint32_t nr_keep)
{
	uint64_t align = e->align > 2 * MiB ? e->align : 2 * MiB;

	for (uint32_t i = 0; i < bf->nr_ram; i++) {
		const struct range *ram = &bf->ram[i];
		uint64_t base = ALIGN_UP(ram->base, align);
		bool moved = true;

		while (moved && base + size <= ram->base + ram->size) {
			moved = false;
			for (uint32_t k = 0; k < nr_keep; k++) {
				if (overlaps(base, size, &keep[k])) {
					base = ALIGN_UP(keep[k].base + keep[k].size, align);
					moved = true;
				}
			}
		}
		if (!moved && base + size <= ram->base + ram->size) {
			e->base = base;
			e->size = size;
			return 0;
		}
	}
	print("standin: no %lu MiB of free RAM (aligned to %lu MiB) for the partition; "
	      "give the machine more memory or ask for less (mem=)\n", size >> 20, align >> 20);
	return -1;
}

static void chan_init(struct cove_chan *ch, uint32_t nr_slots, uint32_t slot_size)
{
	ch->magic = COVE_CHAN_MAGIC;
	ch->nr_slots = nr_slots;
	ch->slot_size = slot_size;
}

static void host_page_fill(struct enclave *e)
{
	struct cove_host_page *h = &host_page.page;

	memset(&host_page, 0, sizeof(host_page));
	h->magic = COVE_HOST_MAGIC;
	h->version = COVE_TAIL_VERSION;
	h->grants[0].base = e->base;
	h->grants[0].size = e->size;
	h->cpu_grants[0] = e->apic_id;
	h->nr_grants = 1;
	h->nr_cpu_grants = 1;
	if (e->has_second)
		h->cpu_grants[h->nr_cpu_grants++] = e->second_apic_id;
	e->host = h;
}

int enclave_fill(struct enclave *e, const char *cmdline, uint32_t tsc_khz, uint64_t tables,
		 const struct range *initrd)
{
	uint64_t off = BLOCK_SIZE, ring_off, ring_size, ctl_off, ctl_size, lc_off, lc_size;
	uint64_t initrd_off = ALIGN_UP(e->image_end, PAGE_SIZE);
	struct cove_boot_block *bb = (void *)e->base;
	struct pisces_boot_params *bp = &bb->pisces;
	struct cove_boot_tail *t = &bb->tail;
	size_t len = strlen(cmdline);

	ring_off = off;
	ring_size = sizeof(struct cove_console_ring) + RING_DATA;
	off += ALIGN_UP(ring_size, PAGE_SIZE);
	ctl_off = off;
	ctl_size = COVE_CHAN_HDR + CTL_SLOTS * CTL_SLOT_SIZE;
	off += ALIGN_UP(ctl_size, PAGE_SIZE);
	lc_off = off;
	lc_size = COVE_CHAN_HDR + LC_SLOTS * LC_SLOT_SIZE;
	off += ALIGN_UP(lc_size, PAGE_SIZE);
	if (off > e->image_start) {
		print("standin: the image starts at %lx, inside the loader's area (%lx bytes)\n",
		      e->image_start, off);
		return -1;
	}
	if (e->image_end > e->size) {
		print("standin: a %lu MiB partition cannot hold the image (%lu MiB)\n",
		      e->size >> 20, (uint64_t)((e->image_end + MiB - 1) >> 20));
		return -1;
	}
	if (initrd->size && (initrd_off > e->size || initrd->size > e->size - initrd_off)) {
		print("standin: a %lu MiB partition cannot hold the image and the %lu KiB initrd\n",
		      e->size >> 20, initrd->size >> 10);
		return -1;
	}
	if (len >= sizeof(bp->cmd_line)) {
		print("standin: Cove's command line is %lu bytes, longer than the block's %u\n",
		      (uint64_t)len, PISCES_CMDLINE_MAX - 1);
		return -1;
	}

	/* image_load zeroed [base, base + image_end): the loader area included. */
	memcpy(bp->cmd_line, cmdline, len + 1);
	bp->magic = PISCES_MAGIC;
	bp->boot_params_size = sizeof(*bp);
	bp->cpu_id = e->apic_id;	/* the stand-in numbers its cores by APIC ID */
	bp->apic_id = e->apic_id;
	bp->cpu_khz = tsc_khz;
	bp->trampoline_code_pa = TRAMP_PA;
	bp->kernel_addr = e->base + e->image_start;
	bp->kernel_size = e->image_end - e->image_start;
	bp->console_ring_addr = e->base + ring_off;
	bp->console_ring_size = ring_size;
	bp->control_buf_addr = e->base + ctl_off;
	bp->control_buf_size = ctl_size;
	bp->longcall_buf_addr = e->base + lc_off;
	bp->longcall_buf_size = lc_size;
	if (initrd->size) {
		memcpy((void *)(e->base + initrd_off), (const void *)initrd->base, initrd->size);
		bp->initrd_addr = e->base + initrd_off;
		bp->initrd_size = initrd->size;
	}
	bp->base_mem_paddr = e->base;
	bp->base_mem_size = e->size;

	host_page_fill(e);
	t->magic = COVE_TAIL_MAGIC;
	t->version = COVE_TAIL_VERSION;
	t->tail_size = sizeof(*t);
	t->enclave_id = 1;
	t->host_page_addr = (uint64_t)e->host;
	t->loader_tables_addr = tables;
	t->loader_tables_size = 6 * PAGE_SIZE;	/* head.asm: PML4, PDPT, 4 PDs */
	t->host_time_ns = 0;	/* no wall clock here; nothing tested depends on it */
	t->doorbell_vector = DOORBELL_VECTOR;
	t->host_apic_id = apic_self_id();
	t->state = COVE_STATE_LOADED;
	t->nr_cpus = 1;
	t->channels = COVE_CHANNELS_COVE;
	t->cpus[0].apic_id = e->apic_id;
	t->cpus[0].host_cpu = e->apic_id;
	if (e->has_second) {
		t->cpus[1].apic_id = e->second_apic_id;
		t->cpus[1].host_cpu = e->second_apic_id;
		t->nr_cpus = 2;
	}

	e->bp = bb;
	e->ring = (void *)(e->base + ring_off);
	e->ring->magic = COVE_CONSOLE_MAGIC;
	e->ring->size = RING_DATA;
	e->ctl = (void *)(e->base + ctl_off);
	chan_init(e->ctl, CTL_SLOTS, CTL_SLOT_SIZE);
	e->lc = (void *)(e->base + lc_off);
	chan_init(e->lc, LC_SLOTS, LC_SLOT_SIZE);
	e->ctl_head = 0;
	e->lc_tail = 0;
	barrier();
	return 0;
}
