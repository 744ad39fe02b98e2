/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The co-kernel boot protocol and the shared-memory channels between a Linux
 * host (linux/module/) and Cove. Both sides compile this header: Cove's
 * kernel (freestanding, <stdint.h>) and the Linux module (__KERNEL__).
 *
 * The boot block is Pisces's own, byte for byte: struct pisces_boot_params
 * as Kitten's include/arch-x86_64/pisces/pisces_boot_params.h lays it out
 * (HobbesOSR/kitten, commit 34f84674ed5826611b8039fb63845aba223ee2f6), the
 * layout of the Pisces loader of 2015-2016. A Pisces loader places, in the
 * partition [base, base + size):
 *
 *   base + 0                 struct pisces_boot_params (1288 bytes)
 *   next 4 KiB page          console ring (struct pisces_cons_ringbuf, 64 KiB)
 *   next page                control buffer, host -> enclave (a pisces_xbuf)
 *   next page                long-call buffer, enclave -> host (a pisces_xbuf)
 *   next page                XPMEM buffer (Cove leaves it alone)
 *   base + 2 MiB (aligned)   the kernel image, as a flat file; entered at
 *                            its first byte (kernel_addr)
 *   2 MiB aligned, after the image and 8 MiB for its .bss: the initrd
 *
 * Cove's own fields follow in the block's first page, at COVE_EXT_OFFSET,
 * a place Pisces leaves zero: struct cove_boot_tail, found by its magic and
 * version. Without it (a Pisces loader) Cove boots on defaults: the ring
 * and buffers in Pisces's formats, the boot core only, no host page, no
 * grants beyond the partition. Our module (linux/module/) writes the
 * extension and asks, through it, for Cove's richer formats on the same
 * addresses (COVE_CHANNELS_COVE): the ring below, and struct cove_chan
 * channels.
 *
 * Every core enters in 64-bit mode with paging on, the partition
 * identity-mapped and %esi = page frame number of the block. A Pisces
 * loader enters through the launch code at the block's start, which loads
 * %esi from launch_code_esi and jumps to launch_code_target_addr (the
 * image's first byte, a jump to the Pisces entry). Our module enters the
 * boot core at the image header's entry_phys; every other core, at boot
 * or added later, enters the protection layer's text (cpu_entry_phys),
 * says it arrived in its cove_boot_tail.cpus[] entry and waits in the
 * layer's own memory until the layer releases it: into guest mode when
 * protection is on, so the kernel never runs unguarded on it.
 */
#ifndef COVE_PISCES_ABI_H
#define COVE_PISCES_ABI_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#define PISCES_MAGIC 0x000FE110ULL
#define PISCES_CMDLINE_MAX 1024
#define PISCES_LAUNCH_CODE_ASM 48

/* pisces_boot_params.flags: the enclave sets it once it is up (Pisces's READY). */
#define PISCES_FLAG_INITIALIZED 0x1ULL

/* All addresses are physical. */
struct pisces_boot_params {
	/* The loader's stub: load %esi, jump to the kernel. */
	uint8_t launch_code_asm[PISCES_LAUNCH_CODE_ASM];
	uint64_t launch_code_esi;
	uint64_t launch_code_target_addr;
	uint8_t init_dbg_buf[16];
	uint64_t magic;			/* PISCES_MAGIC */
	volatile uint64_t flags;	/* PISCES_FLAG_* */
	uint64_t boot_params_size;	/* 0 (older loaders), else >= PISCES_BOOT_PARAMS_SIZE */
	uint64_t cpu_id;		/* host number of the boot core */
	uint64_t apic_id;		/* APIC ID of the boot core */
	uint64_t cpu_khz;		/* TSC frequency */
	uint64_t trampoline_code_pa;	/* the host's real-mode trampoline */
	uint64_t domain_xcall_master_apicid;
	uint64_t domain_xcall_vector;
	char cmd_line[PISCES_CMDLINE_MAX];
	uint64_t kernel_addr;
	uint64_t kernel_size;
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t console_ring_addr;
	uint64_t console_ring_size;
	uint64_t control_buf_addr;	/* host -> enclave */
	uint64_t control_buf_size;
	uint64_t longcall_buf_addr;	/* enclave -> host */
	uint64_t longcall_buf_size;
	uint64_t xpmem_buf_addr;
	uint64_t xpmem_buf_size;
	uint64_t base_mem_paddr;	/* the partition */
	uint64_t base_mem_size;
} __attribute__((packed));

#define PISCES_BOOT_PARAMS_SIZE 1288

/* The published offsets, as numbers: a change here is a different protocol. */
#define PISCES_ASSERT_AT(field, off) \
	_Static_assert(offsetof(struct pisces_boot_params, field) == (off), "Pisces " #field)
PISCES_ASSERT_AT(launch_code_asm, 0);
PISCES_ASSERT_AT(launch_code_esi, 48);
PISCES_ASSERT_AT(launch_code_target_addr, 56);
PISCES_ASSERT_AT(init_dbg_buf, 64);
PISCES_ASSERT_AT(magic, 80);
PISCES_ASSERT_AT(flags, 88);
PISCES_ASSERT_AT(boot_params_size, 96);
PISCES_ASSERT_AT(cpu_id, 104);
PISCES_ASSERT_AT(apic_id, 112);
PISCES_ASSERT_AT(cpu_khz, 120);
PISCES_ASSERT_AT(trampoline_code_pa, 128);
PISCES_ASSERT_AT(domain_xcall_master_apicid, 136);
PISCES_ASSERT_AT(domain_xcall_vector, 144);
PISCES_ASSERT_AT(cmd_line, 152);
PISCES_ASSERT_AT(kernel_addr, 1176);
PISCES_ASSERT_AT(kernel_size, 1184);
PISCES_ASSERT_AT(initrd_addr, 1192);
PISCES_ASSERT_AT(initrd_size, 1200);
PISCES_ASSERT_AT(console_ring_addr, 1208);
PISCES_ASSERT_AT(console_ring_size, 1216);
PISCES_ASSERT_AT(control_buf_addr, 1224);
PISCES_ASSERT_AT(control_buf_size, 1232);
PISCES_ASSERT_AT(longcall_buf_addr, 1240);
PISCES_ASSERT_AT(longcall_buf_size, 1248);
PISCES_ASSERT_AT(xpmem_buf_addr, 1256);
PISCES_ASSERT_AT(xpmem_buf_size, 1264);
PISCES_ASSERT_AT(base_mem_paddr, 1272);
PISCES_ASSERT_AT(base_mem_size, 1280);
_Static_assert(sizeof(struct pisces_boot_params) == PISCES_BOOT_PARAMS_SIZE, "Pisces block size");

/* Where a Pisces loader puts the kernel: the partition's second 2 MiB. */
#define PISCES_KERNEL_ALIGN 0x200000ULL
/* What it leaves after the image for its .bss before the initrd. */
#define PISCES_BSS_PAD (4 * PISCES_KERNEL_ALIGN)

/*
 * The console ring (Pisces's pisces_cons_ringbuf): the enclave writes at
 * write_idx under lock (a byte exchanged to 1, stored 0 to release) and,
 * when full, moves read_idx on; the host reads from read_idx.
 */
struct pisces_cons_ringbuf {
	volatile uint64_t lock;
	volatile uint64_t read_idx;
	volatile uint64_t write_idx;
	volatile uint64_t cur_len;
	uint8_t buf[];			/* console_ring_size - 32 bytes */
} __attribute__((packed));

#define PISCES_CONS_HDR 32

/*
 * A cross-OS buffer (Pisces's pisces_xbuf), the control and long-call
 * buffers both. The server (the enclave for control, the host for long
 * calls) writes its core and vector, total_size (the buffer less this
 * header) and READY. A sender waits for PENDING clear, sets it, writes
 * data_len and the first total_size bytes, raises STAGED, rings the
 * server; further chunks each wait for STAGED to drop. The server takes
 * chunks (lowering STAGED after each), raises ACTIVE, handles the message,
 * lowers ACTIVE, stages its answer the same way and raises COMPLETE. The
 * sender reads the answer and leaves only READY set.
 */
#define PISCES_XBUF_READY 0x01ULL
#define PISCES_XBUF_PENDING 0x02ULL
#define PISCES_XBUF_STAGED 0x04ULL
#define PISCES_XBUF_ACTIVE 0x08ULL
#define PISCES_XBUF_COMPLETE 0x10ULL

struct pisces_xbuf {
	volatile uint64_t flags;	/* PISCES_XBUF_* */
	uint32_t host_apic;
	uint32_t host_vector;
	uint32_t enclave_cpu;
	uint32_t enclave_vector;
	uint32_t total_size;
	uint32_t data_len;
	uint8_t data[];
} __attribute__((packed));

#define PISCES_XBUF_HDR 32
_Static_assert(offsetof(struct pisces_xbuf, enclave_vector) == 20, "Pisces xbuf");
_Static_assert(offsetof(struct pisces_xbuf, data) == PISCES_XBUF_HDR, "Pisces xbuf");

/* A control message and its answer (Pisces's pisces_cmd, pisces_resp). */
struct pisces_cmd {
	uint64_t cmd;			/* PISCES_CMD_* */
	uint32_t data_len;		/* bytes after this header (data follows) */
} __attribute__((packed));

struct pisces_resp {
	uint64_t status;		/* 0, or (uint64_t)-1: Pisces's only failure */
	uint32_t data_len;		/* data follows */
} __attribute__((packed));

#define PISCES_MSG_HDR 12
_Static_assert(sizeof(struct pisces_cmd) == PISCES_MSG_HDR, "Pisces command header");
#define PISCES_STATUS_OK 0ULL
#define PISCES_STATUS_ERR ((uint64_t)-1)

/* Pisces's control commands (ENCLAVE_CMD_*), host -> enclave. */
#define PISCES_CMD_ADD_CPU 100
#define PISCES_CMD_ADD_MEM 101
#define PISCES_CMD_REMOVE_CPU 110
#define PISCES_CMD_REMOVE_MEM 111
#define PISCES_CMD_LAUNCH_JOB 200
#define PISCES_CMD_LOAD_FILE 201
#define PISCES_CMD_STORE_FILE 202
#define PISCES_CMD_SHUTDOWN 900

struct pisces_cmd_cpu {		/* ADD_CPU, REMOVE_CPU */
	struct pisces_cmd hdr;
	uint64_t phys_cpu_id;
	uint64_t apic_id;
} __attribute__((packed));

struct pisces_cmd_mem {		/* ADD_MEM, REMOVE_MEM */
	struct pisces_cmd hdr;
	uint64_t phys_addr;
	uint64_t size;
} __attribute__((packed));

#define PISCES_JOB_LARGE_PAGES 0x1ULL	/* pisces_job_spec.flags */

struct pisces_job_spec {
	char name[64];
	char exe_path[256];
	char argv[256];			/* blank-separated */
	char envp[256];			/* blank-separated NAME=value */
	uint64_t flags;			/* PISCES_JOB_* */
	uint8_t num_ranks;
	uint64_t cpu_mask;		/* the enclave's own CPU numbers */
	uint64_t heap_size;
	uint64_t stack_size;
} __attribute__((packed));

_Static_assert(offsetof(struct pisces_job_spec, num_ranks) == 840, "Pisces job spec");
_Static_assert(sizeof(struct pisces_job_spec) == 865, "Pisces job spec");

struct pisces_cmd_launch_job {
	struct pisces_cmd hdr;
	struct pisces_job_spec spec;
} __attribute__((packed));

struct pisces_file_pair {	/* LOAD_FILE, STORE_FILE */
	char lnx_file[128];
	char lwk_file[128];
} __attribute__((packed));

/* Pisces's long calls, enclave -> host (PISCES_LCALL_*), for reference. */
#define PISCES_LCALL_VFS_READ 10000
#define PISCES_LCALL_VFS_WRITE 10001
#define PISCES_LCALL_VFS_OPEN 10002
#define PISCES_LCALL_VFS_CLOSE 10003
#define PISCES_LCALL_VFS_SIZE 10004

struct pisces_lcall {
	uint64_t lcall;
	uint32_t data_len;		/* data follows */
} __attribute__((packed));

/* Cove's extension of the block, in its first page after the Pisces fields. */
#define COVE_TAIL_MAGIC 0x45564f43U	/* "COVE" little-endian */
#define COVE_TAIL_VERSION 4
#define COVE_EXT_OFFSET 2048
#define COVE_MAX_ENCLAVE_CPUS 64
#define COVE_MAX_GRANTS 32
#define COVE_NUMA_MAX_NODES 16	/* host node ids at or past this: one node */

/* cove_boot_tail.channels: the formats at the Pisces ring and buffer addresses. */
#define COVE_CHANNELS_PISCES 0	/* pisces_cons_ringbuf, pisces_xbuf */
#define COVE_CHANNELS_COVE 1	/* cove_console_ring, cove_chan */

/*
 * The image header, in the first 64 KiB of the first loadable segment,
 * 8-byte aligned: how a loader recognises a Cove image and finds its
 * 64-bit entry. Addresses are link-time physical addresses; a loader adds
 * (partition base) to each.
 */
#define COVE_IMAGE_MAGIC 0x31474d4945564f43ULL	/* "COVEIMG1" */
#define COVE_IMAGE_SEARCH 65536

struct cove_image_header {
	uint64_t magic;
	uint32_t version;	/* COVE_TAIL_VERSION the image speaks */
	uint32_t header_size;
	uint64_t entry_phys;	/* 64-bit Pisces entry */
	uint64_t image_start;	/* lowest p_paddr */
	uint64_t image_end;	/* end of everything, .bss included */
	uint64_t align;		/* the partition base must be aligned to this */
	uint64_t cpu_entry_phys;	/* 64-bit entry of every other core (layer text) */
} __attribute__((packed));

/* One enclave core, as the host gave it. */
struct cove_boot_cpu {
	uint32_t apic_id;
	uint32_t host_cpu;	/* the host's number for it (informational) */
	uint64_t arrived;	/* set to 1 by the core once it left the trampoline */
} __attribute__((packed));

/* cove_boot_tail.state: Cove's own view, written by Cove. */
#define COVE_STATE_LOADED 0	/* the loader wrote the block */
#define COVE_STATE_BOOTING 1	/* the entry ran */
#define COVE_STATE_READY 2	/* channels served, jobs accepted */
#define COVE_STATE_STOPPED 3	/* shut down on request; cores parked */
#define COVE_STATE_PANIC 4	/* the kernel panicked; cores parked */

/* A physical span of the host's memory (cove_boot_tail.numa_span). */
struct cove_numa_span {
	uint64_t base;
	uint64_t size;		/* 0: the node has no memory */
} __attribute__((packed));

struct cove_boot_tail {
	uint32_t magic;		/* COVE_TAIL_MAGIC */
	uint32_t version;	/* COVE_TAIL_VERSION */
	uint32_t tail_size;	/* sizeof(struct cove_boot_tail) */
	uint32_t enclave_id;
	uint64_t host_page_addr;	/* struct cove_host_page, outside the partition */
	uint64_t loader_tables_addr;	/* page tables the entry runs on, outside */
	uint64_t loader_tables_size;
	uint64_t host_time_ns;	/* host CLOCK_REALTIME when the block was written */
	uint32_t doorbell_vector;	/* IPI vector the host rings Cove with */
	uint32_t host_apic_id;	/* a host core (for a Cove -> host doorbell) */
	volatile uint32_t state;	/* COVE_STATE_* */
	volatile uint32_t exit_status;	/* valid in STOPPED / PANIC */
	uint32_t nr_cpus;	/* cpus[0] is the boot core */
	/*
	 * Advanced by the boot core each time it answers the host's doorbell
	 * or serves requests from idle: a host that sees it stand still while
	 * it rings decides the kernel is hung.
	 */
	volatile uint32_t heartbeat;
	struct cove_boot_cpu cpus[COVE_MAX_ENCLAVE_CPUS];
	uint32_t channels;	/* COVE_CHANNELS_*: what a loader asks for */
	/*
	 * Version 4: the host's NUMA view, in its own node ids. 0 nodes: the
	 * host did not say (one node). numa_span[n] is the physical span of
	 * the host's node n, which every range the partition holds or may be
	 * given lies in; cpu_node[i] is the node of cpus[i]; numa_distance the
	 * host's node_distance().
	 */
	uint32_t numa_nr_nodes;
	uint8_t cpu_node[COVE_MAX_ENCLAVE_CPUS];
	struct cove_numa_span numa_span[COVE_NUMA_MAX_NODES];
	uint8_t numa_distance[COVE_NUMA_MAX_NODES][COVE_NUMA_MAX_NODES];
} __attribute__((packed));

/*
 * What our module writes: the Pisces block, then the extension where a
 * Pisces loader leaves zero. The offsets pisces_head.asm and
 * vmm/ap_entry.asm read by number are asserted where they are used.
 */
struct cove_boot_block {
	struct pisces_boot_params pisces;
	uint8_t pisces_free[COVE_EXT_OFFSET - PISCES_BOOT_PARAMS_SIZE];
	struct cove_boot_tail tail;
} __attribute__((packed));

_Static_assert(sizeof(struct cove_boot_block) <= 4096, "the extension leaves the block's page");

/*
 * The console: Cove appends, the host reads. head counts every byte ever
 * written; data[head % size] is next. A reader that fell more than size
 * behind has lost (head - size - its position) bytes.
 */
#define COVE_CONSOLE_MAGIC 0x4e4f4343U	/* "CCON" */

struct cove_console_ring {
	uint32_t magic;
	uint32_t pad;
	uint64_t size;		/* bytes of data, a power of two */
	volatile uint64_t head;
	uint64_t reserved[5];
	char data[];
} __attribute__((packed));

/*
 * A channel: nr_slots request slots, each slot_size bytes (header then
 * payload). The producer fills slot[head % nr_slots], sets its seq to
 * head + 1 and done to 0, then publishes head + 1 (and rings the doorbell
 * on the control channel). The consumer takes requests in order (tail),
 * writes the result into the same slot and sets done = seq last. The
 * producer owns a slot again once done == seq.
 */
#define COVE_CHAN_MAGIC 0x4e414843U	/* "CHAN" */

struct cove_chan {
	uint32_t magic;
	uint32_t nr_slots;	/* a power of two */
	uint32_t slot_size;	/* bytes per slot, header included */
	uint32_t pad;
	volatile uint64_t head;	/* requests published by the producer */
	volatile uint64_t tail;	/* requests taken by the consumer */
	uint64_t reserved[5];
	/* slots follow at offset COVE_CHAN_HDR */
} __attribute__((packed));

#define COVE_CHAN_HDR 64

struct cove_msg {
	volatile uint64_t seq;	/* the head value that published it (>= 1) */
	volatile uint64_t done;	/* == seq when the result is in */
	uint32_t op;
	int32_t result;		/* 0 or a positive count, or -errno */
	uint32_t len;		/* payload bytes used (request, then reply) */
	uint32_t job;		/* the job a long call belongs to */
	uint64_t arg[6];
	/* payload follows, up to slot_size - sizeof(struct cove_msg) */
} __attribute__((packed));

/* Control channel: host -> Cove. */
/*
 * COVE_CTL_SIGNAL's answer when the signal ends every rank of the job (its
 * default action, no handler): the job's end is as good as told, and a
 * launcher's `cove run` may die of it at once, as the ranks would on Linux.
 */
#define COVE_SIGNAL_ENDS_JOB 1

enum cove_ctl_op {
	COVE_CTL_LAUNCH = 1,	/* payload: a job line (jobs= syntax); arg0 = job id */
	COVE_CTL_ADD_MEM,	/* arg0 base, arg1 size (already granted) */
	COVE_CTL_REMOVE_MEM,	/* arg0 base, arg1 size: give it back or -EBUSY */
	COVE_CTL_ADD_CPU,	/* arg0 APIC ID (already waiting in the layer's entry) */
	COVE_CTL_SHUTDOWN,	/* stop jobs, park every core */
	COVE_CTL_KILL,		/* arg0 job id */
	COVE_CTL_SIGNAL,	/* arg0 job id, arg1 signal: as kill(2) to each rank;
				 * answers COVE_SIGNAL_ENDS_JOB if every rank dies of it */
	COVE_CTL_JOB_USAGE,	/* arg0 job id, arg1 first rank: -> its ranks in all
				 * (-ESRCH: not running); payload, len bytes: struct
				 * cove_rank_usage of ranks arg1.. so far, as many as fit */
	/*
	 * XEMEM ops sit apart from the others' sequence, so either list grows
	 * without renumbering the other. arg0 grant slot, arg1 key: the host
	 * has withdrawn that host segment (its grant slot is clear already);
	 * unmap it from every process and from the nested tables. The host
	 * frees the pages only once the layer says every core let go
	 * (xemem_live), or, unguarded, on this answer.
	 */
	COVE_CTL_XEMEM_REVOKE = 0x20,
};

/* Long-call channel: Cove -> host (served for the job's owner on the host). */
enum cove_lc_op {
	COVE_LC_OPEN = 1,	/* payload: path; arg0 flags (O_*), arg1 mode -> handle */
	COVE_LC_READ,		/* arg0 handle, arg1 offset, arg2 len -> payload */
	COVE_LC_WRITE,		/* arg0 handle (1, 2 = job stdout/stderr), arg1 offset, payload */
	COVE_LC_CLOSE,		/* arg0 handle */
	COVE_LC_STAT,		/* payload: path, or none and arg0 handle ->
				 * arg0 size, arg1 mode, arg2 mtime, arg3 inode */
	COVE_LC_JOB_EXIT,	/* arg0 status (wait(2) encoding), job = id; for the id
				 * of a forked process (COVE_LC_FORK), its proxy ends;
				 * a launched job's may carry what its ranks used
				 * (COVE_JOB_EXIT_USAGE) */
	COVE_LC_SYSCALL,	/* payload: struct cove_lc_syscall -> arg0 the call's
				 * return value (or -errno), result 0 */
	COVE_LC_FD_RESERVE,	/* arg0 lowest number, arg1 1 = exactly that one ->
				 * a host descriptor number Cove now owns */
	COVE_LC_FD_RELEASE,	/* arg0 a number COVE_LC_FD_RESERVE gave */
	COVE_LC_FD_LIST,	/* -> payload: the job's host descriptors, uint32_t each
				 * (not the proxy's own, not Cove's placeholders) */
	COVE_LC_CANCEL,		/* arg0 the seq of a COVE_LC_SYSCALL still unanswered:
				 * a signal came for its thread, cut the call short */
	COVE_LC_JOB_START,	/* posted once a job's ranks run: arg0-3 its CPUs (a mask
				 * of the enclave's own numbers), arg4 ranks, arg5 Cove's
				 * job number | COVE_JOB_START_SHARED; for `cove status` */
	COVE_LC_FORK,		/* arg0 the child's pid, arg1 flags (COVE_LC_FORK_RANK): the
				 * proxy forks a proxy of its own for it -> arg0 the
				 * child's job id (or -errno), result 0 */
	COVE_LC_EXEC,		/* the process execs: its proxy closes its close-on-exec
				 * host descriptors and forgets the old memory */
	COVE_LC_ENV,		/* arg0 offset, arg1 most bytes -> arg0 the size of the
				 * environment `cove run` holds for the job, payload
				 * its bytes from offset on ("NAME=VALUE\0" each) */
	COVE_LC_OP_LAST = COVE_LC_ENV,	/* the last of the ops numbered from 1 on */
	/* XEMEM, served by the module itself, not the job's proxy (0x20 on: see COVE_CTL). */
	COVE_LC_XEMEM_EXPORT = 0x20,	/* payload: struct cove_xemem_export -> 0, -EEXIST,
					 * -EINVAL (a range not the enclave's), -ENOSPC */
	COVE_LC_XEMEM_REMOVE,	/* arg0 key: -> 0 once no host process can reach its pages */
};

#define COVE_JOB_START_SHARED (1ULL << 32)	/* it shares its cores (share=1) */
/*
 * COVE_LC_JOB_EXIT of a launched job whose every rank started: arg1 ==
 * COVE_JOB_EXIT_COUNTS says the payload is what its ranks used and did,
 * arg2 of them (the ranks COVE_LC_JOB_START named), one struct
 * cove_rank_usage each in rank order, as time(1) counts a process: itself
 * and the children it collected. COVE_JOB_EXIT_USAGE (an older Cove): the
 * same with only the first COVE_RANK_USAGE_V1 bytes of each. arg1 0 (an
 * older Cove still, a forked process, a job that never ran whole): no
 * figures; anything else is a malformed report. The host checks every
 * figure against its own clock and the enclave's size before it shows any
 * (linux/module/cove_usage_check.c). An older host ignores a JOB_EXIT's
 * payload and arguments past arg0, or refuses a kind it does not know
 * (the job still ends).
 */
#define COVE_JOB_EXIT_USAGE 0x55534147ULL	/* "GASU": times and memory per rank */
#define COVE_JOB_EXIT_COUNTS 0x544e4347ULL	/* "GCNT": those, then the counts */
/*
 * arg3 of a JOB_EXIT. A signal from the host that kills every rank ends
 * the job for the host at once (its launcher must see the signal, not
 * its own SIGKILL of the rest), while the ranks are still on their way
 * out: that first JOB_EXIT has no figures and says COVE_JOB_EXIT_FOLLOWS.
 * Once the ranks are gone a second one, COVE_JOB_EXIT_LATE, brings what
 * they used, as a whole job's end does. An older host drops the second
 * (the job is over for it).
 */
#define COVE_JOB_EXIT_FOLLOWS 0x574f4c46ULL	/* "FLOW": the figures come later */
#define COVE_JOB_EXIT_LATE 0x4554414cULL	/* "LATE": the figures of an ended job */

struct cove_rank_usage {
	uint64_t utime_ns;	/* user CPU time */
	uint64_t stime_ns;	/* system CPU time */
	uint64_t maxrss_kib;	/* peak resident memory, KiB (ru_maxrss) */
	uint64_t minflt;	/* page faults served without I/O (ru_minflt) */
	/* COVE_JOB_EXIT_COUNTS on: */
	uint64_t switches;	/* times a thread of it was switched in */
	uint64_t migrations;	/* moves of a thread to another core */
	uint64_t kentries;	/* entries into the kernel from its user code */
	uint64_t offloaded;	/* system calls its host proxy made for it */
} __attribute__((packed));

#define COVE_RANK_USAGE_V1 32	/* bytes per rank of a COVE_JOB_EXIT_USAGE report */
_Static_assert(sizeof(struct cove_rank_usage) == 64, "rank usage");
/*
 * COVE_LC_FORK arg1: the new proxy is for a rank > 0 of the job, asked
 * before any rank runs; it passes no signal on (`cove run` passes them to
 * every rank).
 */
#define COVE_LC_FORK_RANK 1ULL

/*
 * XEMEM: memory shared across the boundary, named by a 64-bit key (the
 * XEMEM idea of Kitten/Hobbes). An enclave process exports pages of the
 * partition (COVE_LC_XEMEM_EXPORT, the physical ranges in the payload,
 * checked by the host against the partition); a host process offers
 * pages of its own memory through the host page's xemem[] slots, which
 * the layer checks before it puts them in the nested tables.
 */
#define COVE_XEMEM_WRITE 0x1U		/* the other side may map it writable */
#define COVE_XEMEM_FLAGS COVE_XEMEM_WRITE
#define COVE_XEMEM_MAX_RANGES 256	/* physical ranges of one exported segment */
#define COVE_XEMEM_SIZE_MAX (1ULL << 30)	/* bytes of one exported segment */
#define COVE_XEMEM_GRANTS 8		/* host segments one enclave may be offered at once */

struct cove_xemem_export {
	uint64_t key;		/* not 0 */
	uint64_t size;		/* bytes, whole pages: the sum of the ranges */
	uint32_t flags;		/* COVE_XEMEM_* */
	uint32_t nr_ranges;	/* 1..COVE_XEMEM_MAX_RANGES */
	struct {
		uint64_t base, size;	/* physical, whole pages, in segment order */
	} ranges[];
} __attribute__((packed));

/*
 * An offloaded system call. The proxy makes call nr with these arguments
 * as they are: pointers are the job's, and the proxy sees the job's memory
 * at the same addresses (the module's mirror of the page tables at pt_root,
 * which it walks itself, checking every table and page is the enclave's).
 * map_gen changes whenever the job unmapped something: the proxy then drops
 * what it mirrored before. Every job address lies in [COVE_JOB_VA_START,
 * COVE_JOB_VA_END), the window a proxy keeps for the mirror.
 */
struct cove_lc_syscall {
	uint64_t nr;
	uint64_t arg[6];
	uint64_t pt_root;	/* physical address of the caller's top page table */
	uint64_t map_gen;
	uint32_t pid, tid;	/* the caller in Cove, for messages */
} __attribute__((packed));

#define COVE_JOB_VA_START 0x10000ULL
#define COVE_JOB_VA_END 0x100000000000ULL	/* 16 TiB */

/* Handles every job has from the start: the stdio of its `cove run`. */
#define COVE_LC_STDIN 0		/* read only; a stream, the offset is ignored */
#define COVE_LC_STDOUT 1
#define COVE_LC_STDERR 2

/*
 * The host page: owned by the host, outside the partition. The guest's
 * nested tables map it read-only (or not at all); the protection layer
 * writes the fault report here. grants[] is what the host allows the
 * partition to grow into; the layer checks every change against it.
 */
#define COVE_HOST_MAGIC 0x54534f48U	/* "HOST" */
#define COVE_REPORT_MAX 2048

struct cove_host_range {
	uint64_t base;
	uint64_t size;
} __attribute__((packed));

/* cove_host_page.guarded: 0 unguarded, else which nested paging guards it. */
#define COVE_GUARDED_NPT 1	/* AMD nested page tables */
#define COVE_GUARDED_EPT 2	/* Intel extended page tables */

struct cove_host_page {
	uint32_t magic;
	uint32_t version;
	volatile uint32_t nr_grants;
	volatile uint32_t nr_cpu_grants;
	struct cove_host_range grants[COVE_MAX_GRANTS];
	uint32_t cpu_grants[COVE_MAX_ENCLAVE_CPUS];	/* APIC IDs */
	/* Written by the protection layer only. */
	volatile uint32_t fault_seq;	/* 0 until a violation was contained */
	volatile uint32_t guarded;	/* COVE_GUARDED_* once every core entered */
	char fault_report[COVE_REPORT_MAX];
	/*
	 * Memory the layer has taken out of the nested tables and flushed
	 * from every core's TLB: only after released_seq moves past the
	 * request, with this range, may the host reuse it. Layer-written.
	 */
	volatile uint32_t released_seq;
	uint32_t pad;
	struct cove_host_range released;
	/*
	 * The Cove -> host doorbell, host-written: Cove rings it with a fixed
	 * IPI of this vector to this (physical) APIC ID after publishing a long
	 * call, and the protection layer lets exactly that IPI out of the
	 * enclave. 0 = none: the host polls.
	 */
	volatile uint32_t lc_doorbell_apic_id;
	volatile uint32_t lc_doorbell_vector;
	/*
	 * Rings the protection layer let out, and rings it dropped because
	 * nothing had changed for the host since the last one. Layer-written.
	 */
	volatile uint32_t doorbell_rings;
	volatile uint32_t doorbell_dropped;
	/*
	 * Host segments offered to the enclave (XEMEM), host-written: a slot
	 * with size 0 is free. gen changes with each offer made in a slot.
	 * The layer maps a slot in the nested tables only as it reads it
	 * here, read-only unless flags has COVE_XEMEM_WRITE.
	 */
	struct {
		uint64_t key;
		uint64_t base;
		uint64_t size;
		uint32_t flags;
		uint32_t gen;
	} __attribute__((packed)) xemem[COVE_XEMEM_GRANTS];
	/*
	 * Layer-written: the gen of the slot's offer the nested tables map,
	 * 0 once none (unmapped and flushed from every core). The host
	 * reuses a slot's pages only after it reads 0 here.
	 */
	volatile uint32_t xemem_live[COVE_XEMEM_GRANTS];
} __attribute__((packed));

#endif /* COVE_PISCES_ABI_H */
