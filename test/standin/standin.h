/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Pisces host stand-in: a bare-metal program GRUB boots next to
 * build/cove.elf (a multiboot2 module). It plays the part of the Linux
 * loader module (linux/module/) where Linux itself is too slow to boot:
 * under Bochs, to run the VMX back end in co-kernel mode. CPU 0 stays the
 * host's; one or two other cores become the enclave.
 */
#ifndef STANDIN_H
#define STANDIN_H

#include <cove/pisces_abi.h>
#include <cove/string.h>
#include <cove/types.h>

/* The real-mode page every started core begins in; trampoline.asm's org. */
#define TRAMP_PA 0x8000UL

/* What the loader puts in front of the image, as the module does (cove.h). */
#define BLOCK_SIZE (8 * KiB)
#define RING_DATA ((uint64_t)(64 * KiB))
#define CTL_SLOTS 8
#define CTL_SLOT_SIZE 4096
#define LC_SLOTS 4
#define LC_SLOT_SIZE 4096
#define DOORBELL_VECTOR 0xf2
/* The stand-in's own doorbell, Cove -> host (doorbell.c): any free vector. */
#define LC_DOORBELL_VECTOR 0xf3
/* The longest job line the stand-in sends (a control slot holds more). */
#define JOB_MAX 256
/* Payload bytes of a long-call slot: the stand-in's bound, never the slot's len. */
#define LC_PAYLOAD_MAX (LC_SLOT_SIZE - sizeof(struct cove_msg))
/* The one job the stand-in launches; long calls for any other are refused. */
#define JOB_ID 1

/* Exit statuses of the stand-in's own verdict line (bochs-run.sh reads it). */
enum standin_status {
	STANDIN_OK = 0,		/* the expected outcome was seen */
	STANDIN_WRONG = 1,	/* the run ended, but not as expected */
	STANDIN_BAD_INPUT = 2,	/* bad command line, module or memory map */
	STANDIN_TIMEOUT = 3,	/* the enclave never reached an end */
};

struct range {
	uint64_t base, size;
};

/* The stand-in's options (options.c). */
enum expect {
	EXPECT_READY, EXPECT_CONTAINED, EXPECT_CHANGED, EXPECT_PANIC, EXPECT_RESET, EXPECT_HUNG,
};
extern const char *const expect_names[];	/* indexed by enum expect */

#define NO_CORE UINT64_MAX

struct options {
	enum expect expect;
	bool aim_watch;		/* aim Cove's wild write at the watched page */
	uint64_t mem;		/* partition bytes */
	uint64_t core;		/* the enclave's boot core's APIC ID */
	uint64_t second;	/* a second enclave core's APIC ID, or NO_CORE */
	uint64_t timeout_s;	/* emulated seconds to reach an end */
	uint64_t hang_ms;	/* heartbeat silence before the enclave is hung (0: never) */
	char job[JOB_MAX];	/* the job line to launch once READY ("" = none) */
	bool pisces;		/* pisces=1: a Pisces loader's block, no Cove extension */
};

int parse_options(const char *cmdline, struct options *o);	/* errors, each said */

/* What GRUB told us (mb2.c). */
#define MAX_RAM_RANGES 32
struct boot_facts {
	char cmdline[512];		/* the stand-in's own options */
	char module_cmdline[2 * PISCES_CMDLINE_MAX];	/* Cove's, from module2 (checked later) */
	struct range module;		/* cove.elf as GRUB loaded it */
	struct range initrd;		/* the second module, if any: Cove's initramfs */
	struct range ram[MAX_RAM_RANGES];	/* available RAM */
	uint32_t nr_ram;
	uint32_t nr_modules;
};

/* The enclave as the host sees it (enclave.c fills it). */
struct enclave {
	uint64_t base, size;		/* the partition */
	uint32_t apic_id;		/* its boot core */
	bool has_second;		/* a second core, tail.cpus[1] */
	uint32_t second_apic_id;
	uint64_t entry;			/* physical 64-bit Pisces entry (boot core) */
	uint64_t cpu_entry;		/* the protection layer's, every other core */
	uint64_t image_start, image_end, align;
	uint64_t image_file_end;	/* end of the bytes a flat file of it holds (no .bss) */
	struct cove_boot_block *bp;
	struct cove_console_ring *ring;
	struct cove_chan *ctl;
	struct cove_chan *lc;
	struct cove_host_page *host;
	uint64_t ctl_head;		/* our copy: the enclave could scribble on its own */
	uint64_t lc_tail;		/* long calls taken; ours, as ctl_head */
	const char *broken;		/* why the enclave broke the protocol, or NULL */
	/* The heartbeat watch (serve.c), as the module's cove_watch_heartbeat. */
	uint64_t hang_ms;		/* 0: not watched */
	uint32_t hb_seen;		/* the heartbeat as last read */
	uint64_t hb_since;		/* TSC when it last moved; 0: not watching yet */
	bool hb_probed;			/* rung once the silence reached hang_ms / 2 */
	bool hung;
};

/* print.c: the host's serial console (COM1). */
void serial_init(void);
void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_raw(const char *s, size_t len);

/* mb2.c */
int mb2_read(uint32_t magic, uint64_t info, struct boot_facts *bf);	/* 0 or -1, said why */

/* image.c */
int image_check(const void *img, uint64_t size, struct enclave *e);
void image_load(const void *img, struct enclave *e);

/* enclave.c */
int enclave_place(const struct boot_facts *bf, struct enclave *e, uint64_t size,
		  const struct range *keep, uint32_t nr_keep);
int enclave_fill(struct enclave *e, const char *cmdline, uint32_t tsc_khz, uint64_t tables,
		 const struct range *initrd);

/* pisces.c: pisces=1, the stand-in as a plain Pisces loader. */
int pisces_fill(struct enclave *e, const char *cmdline, uint32_t tsc_khz,
		const struct range *initrd);
bool pisces_start(struct enclave *e);
const char *pisces_serve(const struct options *o, const char *job);	/* NULL: all seen */

/* cpu.c: TSC, local APIC, starting and stopping a core (rdtsc: arch/x86.h). */
uint32_t tsc_calibrate(void);
void delay_us(uint64_t us);
uint64_t tsc_deadline(uint64_t ms);
bool tsc_passed(uint64_t deadline);
uint64_t tsc_ms_since(uint64_t t0);
void apic_init(void);
void apic_eoi(void);
uint32_t apic_self_id(void);
void apic_send_init(uint32_t apic_id);
void apic_send_fixed(uint32_t apic_id, uint8_t vector);
void apic_send_nmi(uint32_t apic_id);
void core_start(uint32_t apic_id, uint64_t cr3, uint32_t arg_pfn, uint64_t entry);
bool core_take_back(uint32_t apic_id, uint64_t cr3);
int tramp_check(void);

/* serve.c: watch the enclave, relay its console, serve its job (jobs.c). */
enum serve_end {
	END_READY,		/* state READY */
	END_JOB_EXIT,		/* the job said it ended (JOB_EXIT) */
	END_STOPPED,		/* state STOPPED */
	END_PANIC,		/* state PANIC without a fault report */
	END_FAULT,		/* the layer bumped fault_seq */
	END_BROKEN,		/* the enclave broke the channel protocol (e->broken) */
	END_HUNG,		/* the heartbeat stood still though rung (e->hung) */
	END_TIMEOUT,
};
enum serve_want { WANT_READY, WANT_JOB_EXIT, WANT_STOP };
enum serve_end serve_until(struct enclave *e, uint64_t deadline, enum serve_want want);
void serve_drain(struct enclave *e, uint64_t ms);

/* heartbeat.c: the module's hang detection (needs e->hang_ms; READY only). */
bool heartbeat_watch(struct enclave *e);
int ctl_send(struct enclave *e, uint32_t op, uint64_t arg0, const char *payload, uint32_t len,
	     uint64_t timeout_ms);
const char *state_name(uint32_t state);

/* files.c: the host's files, the initrd module's regular files, read only. */
void files_init(const struct range *cpio);
int32_t files_stat_path(const char *path, uint64_t arg[6]);
int32_t files_stat_handle(uint64_t handle, uint64_t arg[6]);
int32_t files_open(const char *path, uint64_t flags);
int32_t files_read(uint64_t handle, uint64_t offset, uint32_t len, uint8_t *out);
int32_t files_close(uint64_t handle);

/* jobs.c: the job's long calls (its output, its exit, the host's files). */
struct job_seen {
	bool exited;		/* JOB_EXIT came */
	uint32_t wait_status;	/* its wait(2) status */
	uint32_t calls;		/* long calls answered */
};
extern struct job_seen job_seen;
int job_compose(char *dst, size_t cap, const char *line);
void lc_serve(struct enclave *e);
void job_flush(void);

/* watch.c: the host memory the enclave must not touch. */
void watch_arm(void);
uint64_t watch_target(void);
bool watch_intact(uint64_t *where, uint64_t *now);

/* nmi.c: an IDT with one gate, so an NMI from the enclave is counted, not fatal. */
void nmi_watch_arm(void);
uint32_t nmi_count(void);
void nmi_entry(void);
void idt_set_gate(uint8_t vector, void (*entry)(void));

/* doorbell.c: the Cove -> host doorbell the stand-in offers, and its rings. */
void doorbell_arm(struct cove_host_page *h);
void doorbell_disarm(void);
uint32_t doorbell_count(void);
void doorbell_entry(void);
void spurious_entry(void);

/* reset.c: a CMOS mark that tells the next boot the machine was reset under us. */
bool reset_mark_take(void);
void reset_mark_set(void);
void reset_mark_clear(void);

/* head.asm */
extern uint64_t standin_pml4[];
extern volatile uint32_t core_home_apic;
extern char core_home[];
extern char __image_start[], __image_end[];
void __noreturn halt_forever(void);

/* tramp_blob.asm */
extern const uint8_t tramp_blob[], tramp_blob_end[];

/* lib.c (the rest of the string functions are the kernel's, kernel/lib/string.c) */
const char *strstr(const char *h, const char *n);

#endif /* STANDIN_H */
