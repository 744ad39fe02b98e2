// SPDX-License-Identifier: GPL-2.0
/*
 * Co-kernel entry, C side: turn the loader's Pisces block into struct
 * boot_info (pisces_parse.c). The boot tables (pisces_head.asm) map low
 * memory at the direct map, which is where the block, the partition and the
 * host page are read. Nothing here touches a port: the platform's devices
 * belong to the host.
 */
#include <arch/memlayout.h>
#include <arch/pisces_parse.h>
#include <arch/platform.h>
#include <arch/x86.h>
#include <cove/boot_info.h>
#include <cove/console.h>
#include <cove/exit.h>
#include <cove/host.h>
#include <cove/init.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/pisces_abi.h>
#include <cove/string.h>

/* pisces_head.asm and vmm/ap_entry.asm read these by number. */
_Static_assert(offsetof(struct pisces_boot_params, apic_id) == 112, "BP_APIC_ID");
_Static_assert(offsetof(struct cove_boot_block, tail) == 2048, "BP_TAIL");
_Static_assert(offsetof(struct cove_boot_tail, state) == 56, "TAIL_STATE");

extern char __kernel_phys_start[], __kernel_end[];

/* The boot description: filled here, then owned by kernel_main. */
static struct boot_info pisces_boot_info;

/* The low direct map covers every address the parser may be handed. */
static const void *pisces_phys(uint64_t pa, uint64_t len)
{
	(void)len;
	return phys_to_virt(pa);
}

/* Before any console works the only witness is the extension's state word. */
static void __noreturn pisces_give_up(const struct pisces_parsed *pp, const char *why)
{
	pr_emerg("boot: %s; cannot boot\n", why);
	if (pp->state_addr) {
		volatile uint32_t *state = phys_to_virt(pp->state_addr);

		state[1] = EXIT_PANIC;
		__atomic_store_n(&state[0], COVE_STATE_PANIC, __ATOMIC_RELEASE);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_boot_pisces(uint64_t block, uint64_t offset)
{
	const struct cove_boot_block *bb = phys_to_virt(block);
	struct boot_info *bi = &pisces_boot_info;
	struct pisces_image img;
	struct pisces_parsed pp;
	uint32_t eax, ebx, ecx, edx;
	int rc;

	kmap_image_offset = offset;
	img.offset = offset;
	img.phys = (uint64_t)__kernel_phys_start + offset;
	img.size = (uint64_t)__kernel_end - KERNEL_VMA_BASE - (uint64_t)__kernel_phys_start;
	rc = pisces_parse(bb, block, &img, pisces_phys, bi, &pp);
	/* The ring first, so every later complaint reaches the host. */
	if (pp.console_ok) {
		bool cove = bb->tail.magic == COVE_TAIL_MAGIC &&
			    bb->tail.channels == COVE_CHANNELS_COVE;

		if (!host_console_init(bb->pisces.console_ring_addr,
				       bb->pisces.console_ring_size, cove))
			pisces_give_up(&pp, "the console ring is malformed");
	}
	if (rc)
		pisces_give_up(&pp, pp.error);
	if (pp.numa_note)
		pr_warn("numa: %s; one node\n", pp.numa_note);

	/* The same CPUID test pisces_head.asm made when it built the tables. */
	cpuid(0x80000001, 0, &eax, &ebx, &ecx, &edx);
	bi->boot_mapped_limit = (edx & (1U << 26)) ? PISCES_MAPPED_LIMIT_1G : BOOT_MAPPED_LIMIT;

	/* The platform's PIT, RTC and PICs are the host's. */
	platform_has_8259 = false;
	platform_tsc_khz = (uint32_t)pp.tsc_khz;
	platform_epoch_s = pp.host_time_ns / 1000000000ULL;

	kernel_main(bi);
}
