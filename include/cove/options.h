/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel command-line options init/ understands. */
#ifndef COVE_OPTIONS_H
#define COVE_OPTIONS_H

#include <cove/types.h>

enum panic_test_kind {
	PANIC_TEST_NONE,
	PANIC_TEST_PAGEFAULT,
	PANIC_TEST_GP,
	PANIC_TEST_UD,
	PANIC_TEST_DIVIDE,
	PANIC_TEST_PANIC,
	PANIC_TEST_STACK_OVERFLOW,
};

struct kernel_options {
	uint64_t mem_limit;		/* mem=: bytes of partition memory, 0 = all */
	uint64_t cpu_limit;		/* cpus=: CPUs in the partition, 0 = all */
	bool selftest;			/* selftest: run in-kernel self-tests */
	bool nox2apic;			/* nox2apic: drive the local APIC as xAPIC (MMIO) */
	bool strace;			/* strace: every job's system calls on the console */
	uint64_t loglevel;		/* loglevel=: console verbosity 0..7 */
	int panic_test;			/* panic_test=: fault on purpose, see enum */
	int poweroff;			/* poweroff=: enum poweroff_method */
	uint64_t idle_poll_us;		/* idle_poll=: microseconds idle CPUs poll first */
	int protect;			/* protect=: enum vmm_mode */
	int fault_inject;		/* fault_inject=: enum fault_inject_kind */
	int gdb_uart;			/* gdb=: 0 off, 1 com2 (jobs with gdb=1 debugged there) */
	uint64_t fault_addr;		/* fault_addr=: where wild_write writes (0 = past the partition) */
	char partition_add[64];		/* partition_add=BASE,SIZE: grow after boot */
	char partition_remove[64];	/* partition_remove=BASE,SIZE: shrink, CPUs up */
	/* The job (see include/cove/job.h and README) */
	char job_path[256];		/* job=: the program */
	char job_args[1024];		/* job.args=: its arguments */
	char job_env[1024];		/* job.env=: extra environment */
	char job_cpus[128];		/* job.cpus=: CPU list */
	char jobs_file[256];		/* jobs=: a file of jobs, one per line */
	uint64_t job_ranks, job_threads;
	uint64_t job_heap, job_stack;
	int job_pagesize;		/* 0 4K, 1 2M, 2 1G */
};

/* Filled once by options_parse on the boot CPU; read-only afterwards. */
extern struct kernel_options kernel_options;

/* Parse; every bad value is logged. Returns the number of errors. */
int options_parse(const char *cmdline);

enum fault_inject_kind {
	FAULT_INJECT_NONE,
	FAULT_INJECT_WILD_WRITE,	/* write to RAM outside the partition */
	FAULT_INJECT_LAYER_WRITE,	/* write into the protection layer's memory */
	FAULT_INJECT_TRIPLE,		/* triple fault */
	FAULT_INJECT_RESET,		/* platform reset through port 0xcf9 */
	FAULT_INJECT_APIC_BASE,		/* move the local APIC (MSR write) */
	FAULT_INJECT_VMRUN,		/* run a virtualization instruction */
	FAULT_INJECT_IPI_FOREIGN,	/* INIT/SIPI to a core outside the partition */
	FAULT_INJECT_GROW_UNGRANTED,	/* ask the layer for memory never granted */
	FAULT_INJECT_NMI_FOREIGN,	/* NMI to a core outside the partition */
	FAULT_INJECT_LAYER_CODE,	/* overwrite the protection layer's code */
	FAULT_INJECT_CHAN_SCRIBBLE,	/* co-kernel: corrupt the channel headers */
	FAULT_INJECT_LC_FLOOD,		/* co-kernel: republish long calls unanswered */
	FAULT_INJECT_DOORBELL_STORM,	/* co-kernel: ring the host without end */
	FAULT_INJECT_HANG,		/* every core spins with interrupts off */
	FAULT_INJECT_PANIC,		/* the kernel panics */
	FAULT_INJECT_MSR_WRITE,		/* turn the MTRRs off (a machine-wide MSR) */
	FAULT_INJECT_PCI_CONFIG,	/* read the platform's PCI configuration */
	FAULT_INJECT_AP_EARLY_WRITE,	/* each core the kernel starts: a wild write first */
	FAULT_INJECT_ON_REQUEST,	/* none at boot; a job may ask (cove_fault_inject) */
};

/*
 * Misbehave the way a buggy kernel could (fault_inject=), after boot;
 * addr: where a wild write goes (0 = just past the partition).
 */
void fault_inject_run(int kind, uint64_t addr);
/*
 * Boot CPU, before other CPUs start: what must act on each core as it
 * starts (fault_inject=ap_early_write: a wild write, before anything else).
 */
void fault_inject_init(void);

/* Fault on purpose (panic_test=), to show what a kernel fault report looks like. */
void panic_test_run(int kind);

#endif /* COVE_OPTIONS_H */
