// SPDX-License-Identifier: GPL-2.0
/*
 * pisces_parse() on blocks built the way a Pisces loader builds them: every
 * offset below is a number from the published pisces_boot_params (Kitten's
 * include/arch-x86_64/pisces/pisces_boot_params.h, HobbesOSR/kitten
 * 34f84674), never from include/cove/pisces_abi.h, so a change of our
 * header that moves a field fails here. Also pisces_job_line() on a
 * LAUNCH_JOB's job description, laid out the same way.
 */
#include <string.h>
#include "unit.h"
#include <arch/pisces_parse.h>
#include <cove/errno.h>
#include <cove/pisces_abi.h>
#include <cove/pisces_job.h>

#define BASE 0x40000000ULL		/* the partition, 256 MiB */
#define SIZE (256ULL << 20)
#define HOST_PAGE 0x9000ULL		/* outside it */
#define MEM_BACKED (1ULL << 20)		/* the first MiB of the partition is real here */

/* The published offsets (bytes into the block). */
#define OFF_LAUNCH_ESI 48
#define OFF_LAUNCH_TARGET 56
#define OFF_MAGIC 80
#define OFF_FLAGS 88
#define OFF_SIZE 96
#define OFF_CPU_ID 104
#define OFF_APIC_ID 112
#define OFF_CPU_KHZ 120
#define OFF_TRAMPOLINE 128
#define OFF_CMDLINE 152
#define OFF_KERNEL 1176
#define OFF_INITRD 1192
#define OFF_RING 1208
#define OFF_CTL 1224
#define OFF_LCALL 1240
#define OFF_XPMEM 1256
#define OFF_BASE_MEM 1272
#define PISCES_SIZE 1288

/* Cove's extension: its own offsets, from the extension's definition. */
#define EXT 2048

static uint8_t part[MEM_BACKED] __attribute__((aligned(4096)));
static uint8_t host_page[4096] __attribute__((aligned(4096)));
static struct boot_info bi;
static struct pisces_parsed pp;
static const struct pisces_image img = {
	.offset = BASE, .phys = BASE + 0x200000, .size = 0xb4000,
};

static const void *phys(uint64_t pa, uint64_t len)
{
	if (pa >= BASE && pa - BASE < MEM_BACKED && len <= MEM_BACKED - (pa - BASE))
		return part + (pa - BASE);
	if (pa == HOST_PAGE && len <= sizeof(host_page))
		return host_page;
	return NULL;
}

static void put64(uint32_t off, uint64_t v)
{
	memcpy(part + off, &v, 8);
}

static void put32(uint32_t off, uint32_t v)
{
	memcpy(part + off, &v, 4);
}

/* As Pisces's setup_boot_params: zeroed memory, then each piece in order. */
static void pisces_loader_block(void)
{
	uint64_t off = PISCES_SIZE, kernel_size = 0x70000, initrd;

	memset(part, 0, sizeof(part));
	put64(OFF_MAGIC, 0x000FE110);
	put64(OFF_SIZE, PISCES_SIZE);
	strcpy((char *)part + OFF_CMDLINE, "protect=off console=ring");
	put64(OFF_CPU_ID, 3);
	put64(OFF_APIC_ID, 6);
	put64(OFF_CPU_KHZ, 2400000);
	put64(OFF_TRAMPOLINE, 0x99000);
	put64(OFF_BASE_MEM, BASE);
	put64(OFF_BASE_MEM + 8, SIZE);
	off = (off + 4095) & ~4095ULL;		/* console ring, 64 KiB */
	put64(OFF_RING, BASE + off);
	put64(OFF_RING + 8, 65536);
	off += 65536;
	put64(OFF_CTL, BASE + off);		/* control, long-call and XPMEM: a page each */
	put64(OFF_CTL + 8, 4096);
	off += 4096;
	put64(OFF_LCALL, BASE + off);
	put64(OFF_LCALL + 8, 4096);
	off += 4096;
	put64(OFF_XPMEM, BASE + off);
	put64(OFF_XPMEM + 8, 4096);
	off += 4096;
	off = (off + 0x1fffff) & ~0x1fffffULL;	/* the kernel: 2 MiB aligned */
	put64(OFF_KERNEL, BASE + off);
	put64(OFF_KERNEL + 8, kernel_size);
	put64(OFF_LAUNCH_TARGET, BASE + off);
	put64(OFF_LAUNCH_ESI, BASE >> 12);
	initrd = (off + kernel_size + 4 * 0x200000 + 0x1fffff) & ~0x1fffffULL;
	put64(OFF_INITRD, BASE + initrd);
	put64(OFF_INITRD + 8, 123456);
}

static int parse(void)
{
	memset(&bi, 0, sizeof(bi));
	return pisces_parse(part, BASE, &img, phys, &bi, &pp);
}

static bool reserved(uint64_t base, const char *what)
{
	for (uint32_t i = 0; i < bi.nr_reserved; i++) {
		if (bi.reserved[i].base == base && !strcmp(bi.reserved[i].what, what))
			return true;
	}
	return false;
}

TEST(pisces_loader_block_boots_on_defaults)
{
	pisces_loader_block();
	CHECK_EQ(parse(), 0);
	CHECK(!pp.extension);
	CHECK(pp.console_ok);
	CHECK_EQ(pp.channels, COVE_CHANNELS_PISCES);
	CHECK_EQ(pp.tsc_khz, 2400000);
	CHECK_EQ(pp.state_addr, 0);
	CHECK_EQ(bi.flags, BOOT_FLAG_COKERNEL);
	CHECK_EQ(bi.nr_mem, 1);
	CHECK_EQ(bi.mem[0].base, BASE);
	CHECK_EQ(bi.mem[0].size, SIZE);
	CHECK(!strcmp(bi.cmdline, "protect=off console=ring"));
	CHECK(!strcmp(bi.loader, "a Pisces loader"));
	CHECK_EQ(bi.nr_cpus, 1);
	CHECK_EQ(bi.cpus[0].apic_id, 6);
	CHECK_EQ(bi.cpus[0].acpi_id, 3);
	CHECK_EQ(bi.console_ring.base, BASE + 0x1000);
	CHECK_EQ(bi.console_ring.size, 65536);
	CHECK_EQ(bi.control_chan.base, BASE + 0x11000);
	CHECK_EQ(bi.control_chan.size, 4096);
	CHECK_EQ(bi.longcall_chan.base, BASE + 0x12000);
	CHECK_EQ(bi.kernel_phys, BASE + 0x200000);
	CHECK_EQ(bi.initrd.base, BASE + 0xc00000);
	CHECK_EQ(bi.initrd.size, 123456);
	CHECK_EQ(bi.host_channels, COVE_CHANNELS_PISCES);
	CHECK_EQ(bi.host_ready_flag, BASE + OFF_FLAGS);
	/* No extension: no host page, no grants (kernel_main grants the partition). */
	CHECK_EQ(bi.host_page, 0);
	CHECK_EQ(bi.nr_granted, 0);
	CHECK_EQ(bi.host_state, 0);
	CHECK(reserved(BASE, "boot block"));
	CHECK(reserved(BASE + 0x1000, "console ring"));
	CHECK(reserved(BASE + 0x11000, "control channel"));
	CHECK(reserved(BASE + 0x12000, "long-call channel"));
	CHECK(reserved(BASE + 0x13000, "XPMEM buffer"));
	CHECK(reserved(BASE + 0x200000, "kernel image"));
	CHECK(reserved(BASE + 0xc00000, "initrd"));
}

TEST(pisces_older_loader_without_size_boots)
{
	pisces_loader_block();
	put64(OFF_SIZE, 0);
	CHECK_EQ(parse(), 0);
}

static void check_refused(const char *says, bool console)
{
	CHECK_EQ(parse(), -EINVAL);
	CHECK(pp.error && strstr(pp.error, says));
	CHECK_EQ(pp.console_ok, console);
	if (!pp.error || !strstr(pp.error, says))
		printf("  refused with: %s\n", pp.error ? pp.error : "(nothing)");
}

TEST(pisces_bad_magic_refused)
{
	pisces_loader_block();
	put64(OFF_MAGIC, 0x000FE111);
	check_refused("magic", false);
}

TEST(pisces_bad_size_refused)
{
	pisces_loader_block();
	put64(OFF_SIZE, PISCES_SIZE - 8);
	check_refused("boot_params_size", false);
	put64(OFF_SIZE, 8192);
	check_refused("boot_params_size", false);
}

TEST(pisces_partition_not_where_the_image_runs_refused)
{
	pisces_loader_block();
	put64(OFF_BASE_MEM, BASE + 0x200000);
	check_refused("partition", false);
	pisces_loader_block();
	put64(OFF_BASE_MEM + 8, 0);
	check_refused("partition", false);
}

TEST(pisces_ring_outside_refused_untold)
{
	pisces_loader_block();
	put64(OFF_RING, BASE + SIZE - 4096);
	check_refused("console ring", false);
	put64(OFF_RING, UINT64_MAX - 100);	/* a sum that would wrap */
	check_refused("console ring", false);
}

TEST(pisces_buffers_outside_refused)
{
	pisces_loader_block();
	put64(OFF_CTL, 0x1000);
	check_refused("control buffer", true);
	pisces_loader_block();
	put64(OFF_CTL, 0);
	put64(OFF_CTL + 8, 0);
	check_refused("control buffer", true);
	pisces_loader_block();
	put64(OFF_LCALL, BASE + SIZE);
	check_refused("long-call buffer", true);
	pisces_loader_block();
	put64(OFF_XPMEM + 8, UINT64_MAX);
	check_refused("XPMEM", true);
	pisces_loader_block();
	put64(OFF_INITRD, BASE + SIZE - 4096);
	check_refused("initrd", true);
}

TEST(pisces_initrd_over_bss_refused)
{
	pisces_loader_block();
	put64(OFF_INITRD, BASE + 0x200000 + 0x80000);	/* after the file, inside .bss */
	check_refused("overlaps the kernel's .bss", true);
}

TEST(pisces_kernel_elsewhere_refused)
{
	pisces_loader_block();
	put64(OFF_KERNEL, BASE + 0x400000);
	check_refused("second 2 MiB", true);
}

TEST(pisces_no_tsc_rate_refused)
{
	pisces_loader_block();
	put64(OFF_CPU_KHZ, 0);
	check_refused("TSC", true);
}

/* Our module: the same block, and the extension at 2048. */
static void cove_extension(void)
{
	uint32_t host_magic = COVE_HOST_MAGIC, one = 1;
	uint64_t grant[2] = { BASE, SIZE };

	put32(EXT + 0, 0x45564f43);		/* "COVE" */
	put32(EXT + 4, 4);
	put32(EXT + 8, (uint32_t)sizeof(struct cove_boot_tail));
	put32(EXT + 12, 7);			/* enclave id */
	put64(EXT + 16, HOST_PAGE);
	put64(EXT + 40, 1700000000ULL * 1000000000ULL);
	put32(EXT + 48, 0xf2);			/* doorbell */
	put32(EXT + 64, 2);			/* nr_cpus */
	put32(EXT + 72, 6);			/* cpus[0].apic_id */
	put32(EXT + 88, 7);			/* cpus[1].apic_id */
	put32(EXT + offsetof(struct cove_boot_tail, channels), COVE_CHANNELS_COVE);
	memset(host_page, 0, sizeof(host_page));
	memcpy(host_page, &host_magic, 4);
	memcpy(host_page + 8, &one, 4);		/* nr_grants */
	memcpy(host_page + 16, grant, sizeof(grant));
}

TEST(pisces_cove_extension_read)
{
	pisces_loader_block();
	cove_extension();
	CHECK_EQ(parse(), 0);
	CHECK(pp.extension);
	CHECK_EQ(pp.channels, COVE_CHANNELS_COVE);
	CHECK_EQ(pp.state_addr, BASE + EXT + 56);
	CHECK_EQ(bi.host_channels, COVE_CHANNELS_COVE);
	CHECK_EQ(bi.host_page, HOST_PAGE);
	CHECK_EQ(bi.nr_granted, 1);
	CHECK_EQ(bi.granted[0].base, BASE);
	CHECK_EQ(bi.host_state, BASE + EXT + 56);
	CHECK_EQ(bi.host_heartbeat, BASE + EXT + 68);
	CHECK_EQ(bi.doorbell_vector, 0xf2);
	CHECK_EQ(bi.enclave_id, 7);
	CHECK_EQ(bi.nr_cpus, 2);
	CHECK_EQ(bi.cpus[1].apic_id, 7);
	CHECK(bi.cpus[1].host_started);
	CHECK(!strcmp(bi.loader, "a Pisces loader (cove.ko)"));
}

TEST(pisces_cove_extension_bad_refused)
{
	pisces_loader_block();
	cove_extension();
	put32(EXT + 4, 2);
	check_refused("version", true);
	pisces_loader_block();
	cove_extension();
	put32(EXT + 72, 9);			/* boot core not the block's */
	check_refused("CPU list", true);
	pisces_loader_block();
	cove_extension();
	put64(EXT + 16, BASE + 0x100000);	/* a host page inside the partition */
	check_refused("host page", true);
}

/* Version 4's NUMA view: count 1100, cpu_node 1104, spans 1168, distances 1424. */
#define EXT_NUMA_NODES (EXT + 1100)
#define EXT_CPU_NODE (EXT + 1104)
#define EXT_SPAN (EXT + 1168)
#define EXT_DIST (EXT + 1424)

static void numa_two_nodes(void)
{
	put32(EXT_NUMA_NODES, 2);
	part[EXT_CPU_NODE] = 1;			/* both enclave cores on node 1 */
	part[EXT_CPU_NODE + 1] = 1;
	put64(EXT_SPAN, 0);			/* node 0: below the partition */
	put64(EXT_SPAN + 8, BASE);
	put64(EXT_SPAN + 16, BASE);		/* node 1: the partition and past it */
	put64(EXT_SPAN + 24, 4 * SIZE);
	part[EXT_DIST] = 10;
	part[EXT_DIST + 1] = 21;
	part[EXT_DIST + 16] = 21;
	part[EXT_DIST + 17] = 10;
}

TEST(pisces_numa_from_the_host)
{
	_Static_assert(offsetof(struct cove_boot_tail, numa_distance) == 1424, "tail layout");
	pisces_loader_block();
	cove_extension();
	numa_two_nodes();
	CHECK_EQ(parse(), 0);
	CHECK(!pp.numa_note);
	CHECK_EQ(bi.numa.nr_nodes, 2);
	CHECK_EQ(numa_layout_node_of(&bi.numa, BASE), 1);
	CHECK_EQ(numa_layout_node_of(&bi.numa, BASE - 4096), 0);
	CHECK_EQ(bi.numa.distance[0][1], 21);
	CHECK_EQ(bi.cpus[0].node, 1);
	CHECK_EQ(bi.cpus[1].node, 1);
}

TEST(pisces_numa_without_it_one_node)
{
	pisces_loader_block();
	cove_extension();
	CHECK_EQ(parse(), 0);
	CHECK(!pp.numa_note);
	CHECK_EQ(bi.numa.nr_nodes, 1);
	CHECK_EQ(bi.cpus[1].node, 0);
}

/* Whatever the host says of nodes, the block boots: one node and a note. */
TEST(pisces_numa_bad_one_node)
{
	static const uint32_t bad[] = { 0, 1, 2, 3, 4 };

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		pisces_loader_block();
		cove_extension();
		numa_two_nodes();
		switch (bad[k]) {
		case 0:
			put32(EXT_NUMA_NODES, COVE_NUMA_MAX_NODES + 1);
			break;
		case 1:
			put64(EXT_SPAN + 16, BASE - 4096);	/* the spans overlap */
			break;
		case 2:
			part[EXT_DIST + 17] = 11;		/* not 10 to itself */
			break;
		case 3:
			part[EXT_CPU_NODE + 1] = 2;		/* a node the host did not count */
			break;
		case 4:
			put64(EXT_SPAN + 16, ~0ULL - 4095);	/* a span that wraps */
			break;
		}
		CHECK_EQ(parse(), 0);
		CHECK(pp.numa_note != NULL);
		CHECK_EQ(bi.numa.nr_nodes, 1);
		CHECK_EQ(bi.numa.nr_ranges, 0);
		CHECK_EQ(bi.cpus[0].node, 0);
		CHECK_EQ(bi.cpus[1].node, 0);
	}
}

/* A LAUNCH_JOB's spec: name 0, exe_path 64, argv 320, envp 576, flags 832, ranks 840. */
TEST(pisces_job_spec_becomes_a_job_line)
{
	uint8_t spec[865] = { 0 };
	uint64_t mask = 0x6, heap = 64 << 20;
	char line[1024], err[128];

	strcpy((char *)spec + 0, "hello");
	strcpy((char *)spec + 64, "/bin/hello");
	strcpy((char *)spec + 320, "a b");
	strcpy((char *)spec + 576, "X=1");
	spec[840] = 2;
	memcpy(spec + 841, &mask, 8);
	memcpy(spec + 849, &heap, 8);
	CHECK_EQ(pisces_job_line((const void *)spec, line, sizeof(line), err, sizeof(err)), 0);
	CHECK(!strcmp(line, "ranks=2 cpus=1,2 heap=67108864 env=\"X=1\" /bin/hello a b"));
	if (strcmp(line, "ranks=2 cpus=1,2 heap=67108864 env=\"X=1\" /bin/hello a b"))
		printf("  line: %s\n", line);

	memset(spec, 0, sizeof(spec));
	memset(spec + 64, 'p', 256);		/* unterminated: read to its size only */
	CHECK_EQ(pisces_job_line((const void *)spec, line, sizeof(line), err, sizeof(err)), 0);
	CHECK_EQ(strlen(line), strlen("ranks=1 ") + 256);
	CHECK_EQ(pisces_job_line((const void *)spec, line, 64, err, sizeof(err)), -EINVAL);

	memset(spec, 0, sizeof(spec));
	CHECK_EQ(pisces_job_line((const void *)spec, line, sizeof(line), err, sizeof(err)),
		 -EINVAL);
	CHECK(strstr(err, "no program"));
	strcpy((char *)spec + 64, "/bin/x\"y");
	CHECK_EQ(pisces_job_line((const void *)spec, line, sizeof(line), err, sizeof(err)),
		 -EINVAL);
}
