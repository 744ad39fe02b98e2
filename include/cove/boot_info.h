/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one boot description. Every entry path (multiboot2 from GRUB, the
 * Pisces block from a Linux loader) is turned into this before init/ runs;
 * nothing after init/ may know how the kernel was booted. The helpers are
 * kernel/boot_info.c.
 */
#ifndef COVE_BOOT_INFO_H
#define COVE_BOOT_INFO_H

#include <cove/numa.h>
#include <cove/types.h>

#define BOOT_MAX_MEM_RANGES 64
#define BOOT_MAX_RESERVED 32
#define BOOT_MAX_CPUS 256
#define BOOT_CMDLINE_MAX 1024
#define BOOT_NAME_MAX 64

/* boot_info.flags */
#define BOOT_FLAG_BARE (1U << 0)	/* the kernel owns the whole machine */
#define BOOT_FLAG_COKERNEL (1U << 1)	/* a host OS owns the rest */
#define BOOT_FLAG_EFI (1U << 2)	/* firmware was UEFI (informational only) */

struct boot_range {
	uint64_t base;
	uint64_t size;
};

/* boot_reserved.flags */
#define BOOT_RESERVED_DISCARDABLE (1U << 0)	/* loader data already consumed */

/* A range inside the partition that is not free: image, modules, tables. */
struct boot_reserved {
	uint64_t base;
	uint64_t size;
	uint32_t flags;
	char what[24];
};

struct boot_cpu {
	uint32_t apic_id;
	uint32_t acpi_id;
	/*
	 * Co-kernel: the host started the core and it waits in the protection
	 * layer's entry; false when the kernel must wake it with INIT/SIPI.
	 */
	bool host_started;
	uint32_t node;			/* NUMA node (numa.h); 0 without tables */
};

struct boot_info {
	uint32_t flags;

	/* Partition RAM, sorted by base, page aligned, not overlapping. */
	uint32_t nr_mem;
	struct boot_range mem[BOOT_MAX_MEM_RANGES];

	/* Parts of mem[] that are held at entry and must never be handed out. */
	uint32_t nr_reserved;
	struct boot_reserved reserved[BOOT_MAX_RESERVED];

	/* Partition CPUs; cpus[0] is the CPU that runs init. */
	uint32_t nr_cpus;
	struct boot_cpu cpus[BOOT_MAX_CPUS];

	/*
	 * Memory the partition may grow into at run time: in bare mode all
	 * firmware RAM; in co-kernel mode what the host granted.
	 */
	uint32_t nr_granted;
	struct boot_range granted[BOOT_MAX_MEM_RANGES];

	/*
	 * Physical memory the entry's page tables reach in the direct map
	 * (the allocator's metadata must lie below it); 0: 4 GiB.
	 */
	uint64_t boot_mapped_limit;

	/* What the firmware reported before any cmdline restriction. */
	uint64_t firmware_usable_bytes;
	uint32_t firmware_nr_cpus;

	/*
	 * Node of each physical range, distances (bare: from SRAT and SLIT).
	 * Zeroed (nr_nodes 0) reads as one node holding everything.
	 */
	struct numa_layout numa;

	char cmdline[BOOT_CMDLINE_MAX];
	char loader[BOOT_NAME_MAX];

	struct boot_range initrd;	/* size 0 when absent */
	uint64_t acpi_rsdp;		/* physical address, 0 when absent */

	/* Where the kernel image sits physically (it may be anywhere). */
	uint64_t kernel_phys;
	uint64_t kernel_size;

	/* Console: an I/O port UART (0 = none) and/or a host ring. */
	uint16_t console_port;
	struct boot_range console_ring;

	/* Co-kernel host channels (all 0 in bare mode). */
	struct boot_range control_chan;	/* host -> kernel requests */
	struct boot_range longcall_chan;	/* kernel -> host requests */
	uint64_t host_page;		/* host-owned: grants, fault report */
	uint64_t host_state;		/* u32 state then u32 exit status, for the host */
	uint64_t host_heartbeat;	/* u32 the boot CPU advances for the host */
	uint32_t doorbell_vector;	/* the host rings the boot CPU with this */
	uint32_t enclave_id;
	/*
	 * The formats at console_ring and the channels (COVE_CHANNELS_* of
	 * include/cove/pisces_abi.h), and the u64 whose bit 0 says "up" to a
	 * Pisces host (0 when there is none).
	 */
	uint32_t host_channels;
	uint64_t host_ready_flag;
};

/* kernel_main keeps the description here (after cmdline limits) for the rest. */
void kernel_set_boot_info(const struct boot_info *bi);
const struct boot_info *kernel_get_boot_info(void);
/* Whether a host OS owns the rest of the machine (Pisces entry). */
bool kernel_is_cokernel(void);

/*
 * Record [base, base+size) as held at entry (image, modules, host
 * channels). Returns 0, or -ENOSPC when bi->reserved is full.
 */
int partition_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *what);
/* Sum of bi->mem sizes. */
uint64_t partition_bytes(const struct boot_info *bi);

#endif /* COVE_BOOT_INFO_H */
