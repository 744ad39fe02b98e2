// SPDX-License-Identifier: GPL-2.0
/*
 * The Pisces boot block -> boot_info. The block is the loader's, so every
 * address is checked against the partition before the kernel looks at or
 * writes through it, with sums that cannot wrap. Pure: the unit test and
 * the fuzzer run it on blocks built as a Pisces loader builds them.
 */
#include <arch/pisces_parse.h>
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/pisces_abi.h>
#include <cove/string.h>

/* Whether [base, base + size) lies in the partition; size 0 never does. */
static bool pisces_inside(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t pbase = bi->mem[0].base, psize = bi->mem[0].size;

	return size && base >= pbase && base - pbase <= psize && size <= psize - (base - pbase);
}

static int pisces_refuse(struct pisces_parsed *out, const char *why)
{
	out->error = why;
	return -EINVAL;
}

/* Hold [base, base + size) in whole pages; the caller checked it is inside. */
static int pisces_hold(struct boot_info *bi, struct pisces_parsed *out, uint64_t base,
		       uint64_t size, const char *what)
{
	uint64_t start = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + size, PAGE_SIZE);

	if (partition_reserve(bi, start, end - start, what))
		return pisces_refuse(out, "too many reserved ranges");
	return 0;
}

/* A buffer the loader named: absent (both 0) or inside the partition. */
static int pisces_buffer(struct boot_info *bi, struct pisces_parsed *out, uint64_t base,
			 uint64_t size, uint64_t min, const char *what, const char *bad)
{
	if (!base && !size)
		return 0;
	if (size < min || !pisces_inside(bi, base, size))
		return pisces_refuse(out, bad);
	return pisces_hold(bi, out, base, size, what);
}

_Static_assert(COVE_NUMA_MAX_NODES <= NUMA_MAX_NODES, "a host node id must fit a layout");

/*
 * The host's NUMA view (version 4): its node ids kept as they are, so the
 * enclave names nodes as the host does. Anything inconsistent leaves one
 * node: placement is an optimisation, never a reason not to boot.
 */
static void pisces_parse_numa(const struct cove_boot_tail *t, struct boot_info *bi,
			      struct pisces_parsed *out)
{
	struct numa_layout *l = &bi->numa;
	uint32_t n = t->numa_nr_nodes;

	numa_layout_single(l);
	if (!n)
		return;
	if (n > COVE_NUMA_MAX_NODES) {
		out->numa_note = "more host nodes than this kernel keeps";
		return;
	}
	l->nr_nodes = n;
	for (uint32_t i = 0; i < n; i++) {
		l->pxm[i] = i;
		if (t->numa_span[i].size &&
		    numa_layout_add_range(l, t->numa_span[i].base, t->numa_span[i].size, i))
			goto bad;
		for (uint32_t j = 0; j < n; j++) {
			uint8_t d = t->numa_distance[i][j];

			if (i == j ? d != NUMA_LOCAL_DISTANCE : d <= NUMA_LOCAL_DISTANCE)
				goto bad;
			l->distance[i][j] = d;
		}
	}
	for (uint32_t i = 0; i < bi->nr_cpus; i++) {
		if (t->cpu_node[i] >= n)
			goto bad;
		bi->cpus[i].node = t->cpu_node[i];
	}
	return;
bad:
	out->numa_note = "the host's node spans, distances or CPU nodes contradict each other";
	numa_layout_single(l);
	for (uint32_t i = 0; i < bi->nr_cpus; i++)
		bi->cpus[i].node = 0;
}

static int pisces_parse_extension(const struct cove_boot_tail *t, uint64_t block_phys,
				  pisces_phys_fn phys, struct boot_info *bi,
				  struct pisces_parsed *out)
{
	const struct cove_host_page *hp;
	uint32_t nr_cpus = t->nr_cpus;

	if (t->version != COVE_TAIL_VERSION || t->tail_size < sizeof(*t))
		return pisces_refuse(out, "the Cove extension has another version than this "
				     "kernel's (4)");
	if (!nr_cpus || nr_cpus > COVE_MAX_ENCLAVE_CPUS ||
	    t->cpus[0].apic_id != bi->cpus[0].apic_id)
		return pisces_refuse(out, "the extension's CPU list is malformed");
	for (uint32_t i = 0; i < nr_cpus && i < BOOT_MAX_CPUS; i++) {
		bi->cpus[i].apic_id = t->cpus[i].apic_id;
		bi->cpus[i].acpi_id = t->cpus[i].host_cpu;
		bi->cpus[i].host_started = i != 0;
	}
	bi->nr_cpus = nr_cpus;
	bi->firmware_nr_cpus = nr_cpus;

	hp = t->host_page_addr ? phys(t->host_page_addr, sizeof(*hp)) : NULL;
	if (!hp || !IS_ALIGNED(t->host_page_addr, PAGE_SIZE) ||
	    pisces_inside(bi, t->host_page_addr, PAGE_SIZE) || hp->magic != COVE_HOST_MAGIC ||
	    hp->nr_grants > COVE_MAX_GRANTS)
		return pisces_refuse(out, "the extension's host page is missing or malformed");
	bi->nr_granted = host_page_grants(hp, bi->granted, BOOT_MAX_MEM_RANGES);
	bi->host_page = t->host_page_addr;
	bi->host_state = block_phys + COVE_EXT_OFFSET + offsetof(struct cove_boot_tail, state);
	bi->host_heartbeat = block_phys + COVE_EXT_OFFSET +
			     offsetof(struct cove_boot_tail, heartbeat);
	bi->doorbell_vector = t->doorbell_vector;
	bi->enclave_id = t->enclave_id;
	if (t->channels != COVE_CHANNELS_PISCES && t->channels != COVE_CHANNELS_COVE)
		return pisces_refuse(out, "the extension asks for channels this kernel does "
				     "not know");
	out->channels = t->channels;
	out->host_time_ns = t->host_time_ns;
	pisces_parse_numa(t, bi, out);
	out->state_addr = bi->host_state;
	out->extension = true;
	return 0;
}

int pisces_parse(const void *block, uint64_t block_phys, const struct pisces_image *img,
		 pisces_phys_fn phys, struct boot_info *bi, struct pisces_parsed *out)
{
	const struct pisces_boot_params *bp = block;
	const struct cove_boot_tail *t =
		(const struct cove_boot_tail *)((const uint8_t *)block + COVE_EXT_OFFSET);
	uint64_t base = bp->base_mem_paddr, size = bp->base_mem_size;
	static const char loader[] = "a Pisces loader", loader_ext[] = "a Pisces loader (cove.ko)";
	bool ext = t->magic == COVE_TAIL_MAGIC;
	uint64_t block_size;
	int rc;

	memset(out, 0, sizeof(*out));
	if (bp->magic != PISCES_MAGIC)
		return pisces_refuse(out, "the block's magic is not Pisces's 0x000FE110");
	/* Loaders before boot_params_size existed leave it 0. */
	if (bp->boot_params_size && (bp->boot_params_size < PISCES_BOOT_PARAMS_SIZE ||
				     bp->boot_params_size > PAGE_SIZE))
		return pisces_refuse(out, "the block's boot_params_size is not a Pisces block's "
				     "(1288 bytes up to a page)");
	if (!size || !IS_ALIGNED(base, PISCES_KERNEL_ALIGN) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    base + size < base || base != img->offset)
		return pisces_refuse(out, "the partition is empty, misaligned or not where the "
				     "image runs");
	bi->flags = BOOT_FLAG_COKERNEL;
	bi->nr_mem = 1;
	bi->mem[0].base = base;
	bi->mem[0].size = size;
	bi->firmware_usable_bytes = size;

	if (bp->console_ring_size < PISCES_CONS_HDR + 256 ||
	    !pisces_inside(bi, bp->console_ring_addr, bp->console_ring_size))
		return pisces_refuse(out, "the console ring is missing or outside the partition");
	out->console_ok = true;

	block_size = ext ? COVE_EXT_OFFSET + sizeof(*t) : PISCES_BOOT_PARAMS_SIZE;
	if (!pisces_inside(bi, block_phys, block_size))
		return pisces_refuse(out, "the block is outside the partition");
	if (bp->kernel_addr != img->phys || bp->kernel_addr != base + PISCES_KERNEL_ALIGN)
		return pisces_refuse(out, "the kernel is not at the partition's second 2 MiB, "
				     "where it runs");
	if (!pisces_inside(bi, img->phys, img->size) || bp->kernel_size > img->size)
		return pisces_refuse(out, "the partition cannot hold the kernel and its .bss");
	if (bp->initrd_size && pisces_inside(bi, bp->initrd_addr, bp->initrd_size) &&
	    bp->initrd_addr < img->phys + img->size &&
	    img->phys < bp->initrd_addr + bp->initrd_size)
		return pisces_refuse(out, "the initrd overlaps the kernel's .bss");

	rc = pisces_hold(bi, out, block_phys, block_size, "boot block");
	if (!rc)
		rc = pisces_hold(bi, out, bp->console_ring_addr, bp->console_ring_size,
				 "console ring");
	if (!rc)
		rc = pisces_buffer(bi, out, bp->control_buf_addr, bp->control_buf_size,
				   PISCES_XBUF_HDR + 256, "control channel",
				   "the control buffer is missing, too small or outside the "
				   "partition");
	if (!rc && (!bp->control_buf_addr || !bp->control_buf_size))
		rc = pisces_refuse(out, "the control buffer is missing, too small or outside the "
				   "partition");
	if (!rc)
		rc = pisces_buffer(bi, out, bp->longcall_buf_addr, bp->longcall_buf_size,
				   PISCES_XBUF_HDR, "long-call channel",
				   "the long-call buffer is outside the partition");
	if (!rc)
		rc = pisces_buffer(bi, out, bp->xpmem_buf_addr, bp->xpmem_buf_size, 1,
				   "XPMEM buffer", "the XPMEM buffer is outside the partition");
	if (!rc)
		rc = pisces_hold(bi, out, img->phys, img->size, "kernel image");
	if (!rc)
		rc = pisces_buffer(bi, out, bp->initrd_size ? bp->initrd_addr : 0,
				   bp->initrd_size, 1, "initrd",
				   "the initrd is outside the partition");
	if (rc)
		return rc;
	if (!bp->cpu_khz || bp->cpu_khz > UINT32_MAX)
		return pisces_refuse(out, "the loader did not give the TSC frequency");

	memcpy(bi->cmdline, bp->cmd_line, MIN(sizeof(bi->cmdline), sizeof(bp->cmd_line)) - 1);
	bi->cmdline[sizeof(bi->cmdline) - 1] = 0;
	bi->kernel_phys = img->phys;
	bi->kernel_size = img->size;
	bi->initrd.base = bp->initrd_size ? bp->initrd_addr : 0;
	bi->initrd.size = bp->initrd_size;
	bi->console_ring.base = bp->console_ring_addr;
	bi->console_ring.size = bp->console_ring_size;
	bi->control_chan.base = bp->control_buf_addr;
	bi->control_chan.size = bp->control_buf_size;
	bi->longcall_chan.base = bp->longcall_buf_addr;
	bi->longcall_chan.size = bp->longcall_buf_size;
	bi->host_ready_flag = block_phys + offsetof(struct pisces_boot_params, flags);
	/* Pisces gives the boot core; more come with ADD_CPU. */
	bi->nr_cpus = 1;
	bi->firmware_nr_cpus = 1;
	bi->cpus[0].apic_id = (uint32_t)bp->apic_id;
	bi->cpus[0].acpi_id = (uint32_t)bp->cpu_id;
	out->tsc_khz = bp->cpu_khz;
	out->channels = COVE_CHANNELS_PISCES;
	if (ext) {
		rc = pisces_parse_extension(t, block_phys, phys, bi, out);
		if (rc)
			return rc;
	}
	bi->host_channels = out->channels;
	memcpy(bi->loader, ext ? loader_ext : loader, ext ? sizeof(loader_ext) : sizeof(loader));
	return 0;
}
