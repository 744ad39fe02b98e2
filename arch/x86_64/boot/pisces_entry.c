// SPDX-License-Identifier: GPL-2.0
/*
 * Co-kernel entry, C side: turn the loader's Pisces block into struct
 * boot_info. The boot tables (pisces_head.asm) map low memory at the direct
 * map, which is where the block, the partition and the host page are read.
 * Nothing here touches a port: the platform's devices belong to the host.
 */
#include <cove/boot_info.h>
#include <cove/console.h>
#include <cove/exit.h>
#include <cove/host.h>
#include <cove/init.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/pisces_abi.h>
#include <cove/ranges.h>
#include <cove/string.h>
#include <arch/memlayout.h>
#include <arch/platform.h>
#include <arch/x86.h>

/* pisces_head.asm reads these by number. */
_Static_assert(offsetof(struct pisces_boot_params, apic_id) == 24, "BP_APIC_ID");
_Static_assert(offsetof(struct pisces_boot_params, tail) == 1168, "BP_TAIL");
_Static_assert(offsetof(struct cove_boot_tail, state) == 56, "TAIL_STATE");

extern char __kernel_phys_start[], __kernel_end[];

/* The boot description: filled here, then owned by kernel_main. */
static struct boot_info pisces_boot_info;

/* Before any console works the only witness is the block's state word. */
static void __noreturn pisces_give_up(struct pisces_boot_params *bp, const char *why)
{
	pr_emerg("boot: %s; cannot boot\n", why);
	bp->tail.exit_status = EXIT_PANIC;
	__atomic_store_n(&bp->tail.state, COVE_STATE_PANIC, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void pisces_reserve(struct pisces_boot_params *bp, struct boot_info *bi, uint64_t base,
			   uint64_t size, const char *what)
{
	if (!size)
		return;
	if (!ranges_contain(bi->mem, bi->nr_mem, base, size))
		pisces_give_up(bp, "the loader put a region outside the partition");
	if (partition_reserve(bi, ALIGN_DOWN(base, PAGE_SIZE),
			      ALIGN_UP(base + size, PAGE_SIZE) - ALIGN_DOWN(base, PAGE_SIZE), what))
		pisces_give_up(bp, "too many reserved ranges");
}

static void pisces_fill_cpus(struct pisces_boot_params *bp, struct boot_info *bi,
			     phys_addr_t block)
{
	const struct cove_boot_tail *t = &bp->tail;

	if (!t->nr_cpus || t->nr_cpus > COVE_MAX_ENCLAVE_CPUS || t->cpus[0].apic_id != bp->apic_id)
		pisces_give_up(bp, "the block's CPU list is malformed");
	for (uint32_t i = 0; i < t->nr_cpus && i < BOOT_MAX_CPUS; i++) {
		bi->cpus[i].apic_id = t->cpus[i].apic_id;
		bi->cpus[i].acpi_id = t->cpus[i].host_cpu;
		bi->cpus[i].host_started = i != 0;
	}
	bi->nr_cpus = t->nr_cpus;
	bi->firmware_nr_cpus = t->nr_cpus;
}

static void pisces_fill_grants(struct pisces_boot_params *bp, struct boot_info *bi)
{
	const struct cove_host_page *hp = phys_to_virt(bp->tail.host_page_addr);

	if (!bp->tail.host_page_addr || hp->magic != COVE_HOST_MAGIC ||
	    hp->nr_grants > COVE_MAX_GRANTS)
		pisces_give_up(bp, "the host page is missing or malformed");
	bi->nr_granted = host_page_grants(hp, bi->granted, BOOT_MAX_MEM_RANGES);
	bi->host_page = bp->tail.host_page_addr;
}

void arch_boot_pisces(uint64_t block, uint64_t offset)
{
	struct pisces_boot_params *bp = phys_to_virt(block);
	struct boot_info *bi = &pisces_boot_info;
	uint32_t eax, ebx, ecx, edx;
	uint64_t image_base;

	kmap_image_offset = offset;
	/* The ring first, so every later complaint reaches the host. */
	if (!host_console_init(bp->console_ring_addr, bp->console_ring_size))
		pisces_give_up(bp, "the console ring is malformed");
	if (bp->magic != PISCES_MAGIC || bp->boot_params_size < sizeof(*bp) ||
	    bp->tail.magic != COVE_TAIL_MAGIC || bp->tail.version != COVE_TAIL_VERSION ||
	    bp->tail.tail_size < sizeof(bp->tail))
		pisces_give_up(bp, "the Pisces block has a bad magic, size or version");

	bi->flags = BOOT_FLAG_COKERNEL;
	/* The same CPUID test pisces_head.asm made when it built the tables. */
	cpuid(0x80000001, 0, &eax, &ebx, &ecx, &edx);
	bi->boot_mapped_limit = (edx & (1U << 26)) ? PISCES_MAPPED_LIMIT_1G : BOOT_MAPPED_LIMIT;
	memcpy(bi->loader, "a Pisces loader (cove.ko)", sizeof("a Pisces loader (cove.ko)"));
	memcpy(bi->cmdline, bp->cmd_line, MIN(sizeof(bi->cmdline), sizeof(bp->cmd_line)) - 1);

	if (!bp->base_mem_size || !IS_ALIGNED(bp->base_mem_paddr, PAGE_SIZE_2M) ||
	    !IS_ALIGNED(bp->base_mem_size, PAGE_SIZE) || bp->base_mem_paddr != offset)
		pisces_give_up(bp, "the partition is empty, misaligned or not where the image is");
	bi->nr_mem = 1;
	bi->mem[0].base = bp->base_mem_paddr;
	bi->mem[0].size = bp->base_mem_size;
	bi->firmware_usable_bytes = bp->base_mem_size;

	image_base = (uint64_t)__kernel_phys_start + offset;
	bi->kernel_phys = image_base;
	bi->kernel_size = (uint64_t)__kernel_end - KERNEL_VMA_BASE - (uint64_t)__kernel_phys_start;
	pisces_reserve(bp, bi, block, bp->boot_params_size, "boot block");
	pisces_reserve(bp, bi, bp->console_ring_addr, bp->console_ring_size, "console ring");
	pisces_reserve(bp, bi, bp->control_buf_addr, bp->control_buf_size, "control channel");
	pisces_reserve(bp, bi, bp->longcall_buf_addr, bp->longcall_buf_size, "long-call channel");
	pisces_reserve(bp, bi, image_base, bi->kernel_size, "kernel image");
	pisces_reserve(bp, bi, bp->initrd_addr, bp->initrd_size, "initrd");
	bi->initrd.base = bp->initrd_addr;
	bi->initrd.size = bp->initrd_size;

	bi->console_ring.base = bp->console_ring_addr;
	bi->console_ring.size = bp->console_ring_size;
	bi->control_chan.base = bp->control_buf_addr;
	bi->control_chan.size = bp->control_buf_size;
	bi->longcall_chan.base = bp->longcall_buf_addr;
	bi->longcall_chan.size = bp->longcall_buf_size;
	bi->host_state = block + offsetof(struct pisces_boot_params, tail.state);
	bi->host_heartbeat = block + offsetof(struct pisces_boot_params, tail.heartbeat);
	bi->doorbell_vector = bp->tail.doorbell_vector;
	bi->enclave_id = bp->tail.enclave_id;
	pisces_fill_cpus(bp, bi, block);
	pisces_fill_grants(bp, bi);

	/* The platform's PIT, RTC and PICs are the host's. */
	platform_has_8259 = false;
	platform_tsc_khz = bp->cpu_khz;
	platform_epoch_s = bp->tail.host_time_ns / 1000000000ULL;
	if (!platform_tsc_khz)
		pisces_give_up(bp, "the loader did not give the TSC frequency");

	kernel_main(bi);
}
