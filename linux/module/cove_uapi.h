/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/cove: the ioctl interface between the cove CLI (linux/tools/cove)
 * and the loader module. Every call returns 0 or -1 with errno set; the
 * module also logs one line naming the reason for any refusal.
 */
#ifndef COVE_UAPI_H
#define COVE_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define COVE_DEVICE "/dev/cove"
/*
 * 2: owners (cove_owner, COVE_IOC_CHOWN); 3: ended jobs and their usage
 * (COVE_IOC_JOB_USAGE); 4: their counts (COVE_JOB_COUNTS, cove_job_usage.counts_*),
 * and running jobs' figures so far (COVE_JOB_USAGE_SO_FAR)
 */
#define COVE_UAPI_VERSION 4
#define COVE_MAX_ENCLAVES 8
#define COVE_CPUMASK_WORDS 4	/* host CPUs 0..255 */
#define COVE_UAPI_CMDLINE_MAX 1024
#define COVE_UAPI_REPORT_MAX 2048
#define COVE_UAPI_JOB_MAX 4096

/* cove_create.protect */
#define COVE_PROTECT_DEFAULT 0	/* the image's default (on where possible) */
#define COVE_PROTECT_ON 1
#define COVE_PROTECT_OFF 2
#define COVE_PROTECT_REQUIRE 3

/*
 * Who an enclave belongs to besides root: a user, a group (its members),
 * both, or nobody (flags 0: root only). Ids are numbers as the caller's
 * user namespace sees them; the module refuses ids that map to no one
 * ((uid_t)-1, for one) with EINVAL. See COVE_IOC_CHOWN for who may do what.
 */
#define COVE_OWNER_UID 0x1		/* uid names the owning user */
#define COVE_OWNER_GID 0x2		/* gid names the owning group */

struct cove_owner {
	__u32 flags;			/* COVE_OWNER_* */
	__u32 uid;
	__u32 gid;
	__u32 pad;			/* 0 */
};

struct cove_create {
	__u64 cpus[COVE_CPUMASK_WORDS];	/* host CPU numbers; the lowest boots */
	__u64 mem_size;			/* bytes, a multiple of the memory block */
	__u64 mem_base;			/* 0: the module picks; else exactly here */
	__u64 image_ptr;		/* user pointer to the Cove ELF */
	__u64 image_size;
	__u64 initrd_ptr;		/* 0 when none */
	__u64 initrd_size;
	__u32 protect;			/* COVE_PROTECT_* */
	__u32 boot_timeout_ms;		/* 0: 30000 */
	char cmdline[COVE_UAPI_CMDLINE_MAX];	/* extra Cove options */
	__u32 id;			/* out: the new enclave */
	__u32 pad;
	/* ABI 2; a caller of ABI 1 passes the struct without it (no owner). */
	struct cove_owner owner;
};

/* cove_status.state */
#define COVE_ENCLAVE_FREE 0
#define COVE_ENCLAVE_BOOTING 1
#define COVE_ENCLAVE_READY 2
#define COVE_ENCLAVE_FAILED 3	/* fault contained, or panic, or boot timeout */
#define COVE_ENCLAVE_STOPPED 4
#define COVE_ENCLAVE_HUNG 5	/* no heartbeat for hang_ms, though the host rang */

struct cove_status {
	__u32 id;			/* in */
	__u32 state;			/* COVE_ENCLAVE_* */
	__u64 cpus[COVE_CPUMASK_WORDS];
	__u32 nr_mem;
	__u32 guarded;			/* 0 no, 1 svm, 2 vmx */
	struct { __u64 base, size; } mem[16];
	__u64 console_bytes;		/* console bytes written so far */
	__u32 jobs_running;
	__u32 exit_status;		/* when STOPPED or FAILED by panic */
	__u64 create_ns;		/* create -> ready, host time */
	char report[COVE_UAPI_REPORT_MAX];	/* fault report, "" if none */
	/* ABI 2; a caller of ABI 1 passes the struct without these. */
	struct cove_owner owner;
	__u32 flags;			/* COVE_STATUS_* */
	__u32 pad;
};

/* cove_status.flags */
#define COVE_STATUS_REDACTED 0x1	/* not root: mem[].base and report withheld (0, "") */
#define COVE_STATUS_REPORT 0x2		/* there is a fault report, shown or not */

struct cove_console_read {
	__u32 id;
	__u32 pad;
	__u64 pos;			/* in: absolute position; out: next position */
	__u64 buf_ptr;
	__u64 buf_size;
	__u64 lost;			/* out: bytes overwritten before pos */
	__u64 len;			/* out: bytes copied */
};

/*
 * Launch a job; its long calls go to whoever waits for them with
 * COVE_IOC_LCALL_WAIT (the launching `cove run`).
 */
struct cove_launch {
	__u32 id;
	__u32 job;			/* out: job id */
	__u64 spec_ptr;			/* a jobs= line: "/path args ... [opt=val]" */
	__u64 spec_len;
};

/* A long call from a job (ops are COVE_LC_* in include/cove/pisces_abi.h). */
struct cove_lcall {
	__u32 id;
	__u32 job;			/* in: the job to serve */
	__u32 timeout_ms;		/* in: 0 = wait forever */
	__u32 op;			/* out */
	__u64 token;			/* out; pass back in the reply */
	__u64 arg[6];			/* out (request), in (reply) */
	__s32 result;			/* in (reply) */
	__u32 len;			/* out: payload bytes; in: reply bytes */
	__u64 buf_ptr;			/* payload buffer, both ways */
	__u64 buf_size;			/* in: its size (>= COVE_LCALL_PAYLOAD_MAX) */
};

#define COVE_LCALL_PAYLOAD_MAX 65536
/* timeout_ms of COVE_IOC_LCALL_WAIT: take what Cove published now, never sleep (-ETIMEDOUT). */
#define COVE_LCALL_POLL 0xffffffffU

struct cove_change {
	__u32 id;
	__u32 pad;
	__u64 cpus[COVE_CPUMASK_WORDS];	/* cores to add (add only) */
	__u64 mem_size;			/* memory to add or remove; 0 = none */
	__u64 mem_base;			/* 0: the module picks (add), the last added (remove) */
};

/* Give an enclave to another owner (root only). */
struct cove_chown {
	__u32 id;
	__u32 pad;
	struct cove_owner owner;	/* flags 0: back to root only */
};

/*
 * The jobs of an enclave (COVE_IOC_JOBS): those launched and not yet
 * ended, oldest first; with COVE_JOBS_ENDED (cove_jobs.flags) also the
 * last COVE_JOBS_ENDED_MAX that ended, flagged COVE_JOB_ENDED, in the
 * same order. Anyone may list them, as ps(1) lists processes.
 */
#define COVE_JOB_CMD_MAX 256

struct cove_job_info {
	__u32 job;			/* the host's id (cove_launch.job) */
	__u32 uid;			/* who launched it (the caller's user namespace) */
	__u32 number;			/* Cove's own number (its console), 0 until it runs */
	__u32 ranks;			/* 0 until it runs */
	__u64 cpus[COVE_CPUMASK_WORDS];	/* its cores, numbered inside the enclave */
	__u32 flags;			/* COVE_JOB_* */
	__s32 status;			/* COVE_JOB_ENDED: its wait(2) status; else 0 */
	char cmd[COVE_JOB_CMD_MAX];	/* the job line it was launched with (cut) */
};

#define COVE_JOB_RUNNING 0x1		/* its ranks run (cpus, ranks, number are set) */
#define COVE_JOB_SHARED 0x2		/* it shares its cores with other such jobs */
#define COVE_JOB_ORPHAN 0x4		/* its launcher is gone; it is being killed */
#define COVE_JOB_ENDED 0x8		/* it ended (status); COVE_IOC_JOB_USAGE has the rest */
/* cove_job_usage.flags */
#define COVE_JOB_USAGE 0x10		/* Cove reported what its ranks used, and it held */
#define COVE_JOB_USAGE_REFUSED 0x20	/* Cove's report was impossible (the module logs why) */
#define COVE_JOB_COUNTS 0x40		/* with COVE_JOB_USAGE: the counts are there too */
#define COVE_JOB_USAGE_SO_FAR 0x80	/* a running job's figures now (owner and root only) */
/* Ended by a signal from the host while its ranks were still ending: Cove reports them later */
#define COVE_JOB_USAGE_PENDING 0x100

/* cove_jobs.flags (in); a module before it lists running jobs only */
#define COVE_JOBS_ENDED 0x1
#define COVE_JOBS_ENDED_MAX 16

struct cove_jobs {
	__u32 id;
	__u32 nr;			/* in: room in buf (entries); out: entries written */
	__u32 total;			/* out: jobs there are (more than nr: cut) */
	__u32 flags;			/* in: COVE_JOBS_* */
	__u64 buf_ptr;			/* struct cove_job_info[nr] */
};

/*
 * What an ended job's ranks used (COVE_IOC_JOB_USAGE), as Cove reported it
 * with the job's end and the module checked it against its own clock and
 * the enclave's size: each rank's own and the children it collected, as
 * time(1) counts. Anyone may ask, as ps(1) shows times. A running job's
 * figures so far go to the enclave's owner and root (COVE_JOB_USAGE_SO_FAR,
 * wall_ns since its launch: asked of Cove and checked the same way); to
 * others, and from a Cove that does not report: flags without
 * COVE_JOB_USAGE, nr 0. Unknown job: ENOENT.
 */
struct cove_rank_times {
	__u64 user_ns;
	__u64 system_ns;
	__u64 maxrss_kib;		/* peak resident memory */
	__u64 minflt;			/* page faults served without I/O */
};

/* What an ended job's ranks did (COVE_JOB_COUNTS), counted as the times are. */
struct cove_rank_counts {
	__u64 switches;			/* context switches (a thread switched in) */
	__u64 migrations;		/* moves of a thread to another core */
	__u64 kentries;			/* entries into Cove from its code: calls, faults, interrupts */
	__u64 offloaded;		/* system calls its host proxy made for it */
};

struct cove_job_usage {
	__u32 id;
	__u32 job;
	__u32 nr;			/* in: room in buf (ranks); out: ranks there are */
	__u32 flags;			/* out: COVE_JOB_ENDED, COVE_JOB_USAGE[_REFUSED] */
	__u64 wall_ns;			/* out: launch to end, host time (ended jobs) */
	struct cove_rank_times total;	/* out: the ranks' sums; maxrss the largest */
	__u64 buf_ptr;			/* struct cove_rank_times[nr], rank order */
	/* From version 4 (COVE_JOB_USAGE_SIZE_V3 before): */
	__u64 counts_ptr;		/* struct cove_rank_counts[nr], rank order; 0: none */
	struct cove_rank_counts counts_total;	/* out: the ranks' sums */
};

/* The sizes ABI 1 callers pass: still accepted (the new fields read as 0). */
#define COVE_CREATE_SIZE_V1 1120
#define COVE_STATUS_SIZE_V1 2376
#define COVE_JOB_USAGE_SIZE_V3 64

/*
 * Who may make each request (the module checks; cove(1) PERMISSIONS):
 *   root (CAP_SYS_ADMIN) only: CREATE, DESTROY, ADD, REMOVE, RESTART, CHOWN
 *   the enclave's owner or root: LAUNCH, LCALL_WAIT, LCALL_REPLY, KILL, CONSOLE,
 *     MIRROR, SIGNAL, FORK, ADOPT,
 *     XEMEM_ATTACH (and the exporter's user only), XEMEM_OFFER, XEMEM_LIST
 *   everyone: STATUS (physical addresses and the fault report: root only), JOBS,
 *     JOB_USAGE
 * Refused: EPERM. An enclave with no owner is root's only.
 */
#define COVE_IOC_MAGIC 0xC0
#define COVE_IOC_CREATE		_IOWR(COVE_IOC_MAGIC, 1, struct cove_create)
#define COVE_IOC_DESTROY	_IOW(COVE_IOC_MAGIC, 2, __u32)
#define COVE_IOC_STATUS		_IOWR(COVE_IOC_MAGIC, 3, struct cove_status)
#define COVE_IOC_CONSOLE	_IOWR(COVE_IOC_MAGIC, 4, struct cove_console_read)
#define COVE_IOC_LAUNCH		_IOWR(COVE_IOC_MAGIC, 5, struct cove_launch)
#define COVE_IOC_LCALL_WAIT	_IOWR(COVE_IOC_MAGIC, 6, struct cove_lcall)
#define COVE_IOC_LCALL_REPLY	_IOW(COVE_IOC_MAGIC, 7, struct cove_lcall)
#define COVE_IOC_ADD		_IOW(COVE_IOC_MAGIC, 8, struct cove_change)
#define COVE_IOC_REMOVE		_IOW(COVE_IOC_MAGIC, 9, struct cove_change)
#define COVE_IOC_KILL		_IOW(COVE_IOC_MAGIC, 10, struct cove_launch)
/* Destroy and create again from the same cores, memory, image and options. */
#define COVE_IOC_RESTART	_IOW(COVE_IOC_MAGIC, 11, __u32)
/* 12..19 are left for the syscall-offload requests (12-15 below). */
#define COVE_IOC_CHOWN		_IOW(COVE_IOC_MAGIC, 20, struct cove_chown)
#define COVE_IOC_JOBS		_IOWR(COVE_IOC_MAGIC, 21, struct cove_jobs)
#define COVE_IOC_JOB_USAGE	_IOWR(COVE_IOC_MAGIC, 22, struct cove_job_usage)

/*
 * Syscall offload: the launcher of job `job` (the same open file) mirrors
 * the job's memory by mmap()ing this file MAP_SHARED over
 * [COVE_JOB_VA_START, COVE_JOB_VA_END) (pisces_abi.h), after telling the
 * module which tables to walk -- the pt_root and map_gen of each
 * COVE_LC_SYSCALL request, passed on before serving it.
 */
struct cove_mirror_set {
	__u32 id;
	__u32 job;
	__u64 pt_root;
	__u64 map_gen;
};

/*
 * A signal for every rank of a job, as kill(2) (Ctrl-C on `cove run`).
 * Returns 1 (COVE_SIGNAL_ENDS_JOB) when every rank dies of it: the job
 * has ended with that signal as far as its launcher is concerned.
 */
struct cove_signal {
	__u32 id;
	__u32 job;
	__u32 sig;
	__u32 pad;
};

#define COVE_IOC_MIRROR		_IOW(COVE_IOC_MAGIC, 12, struct cove_mirror_set)
#define COVE_IOC_SIGNAL		_IOW(COVE_IOC_MAGIC, 13, struct cove_signal)

/*
 * A forked process's own proxy (McKernel forks mcexec the same way). When
 * a process of job `job` forks in the enclave, its proxy (the file that
 * serves `job`) asks for a job id for the child (COVE_IOC_FORK: out
 * `child`), forks itself, and the child proxy opens /dev/cove again and
 * takes the id over from the file it inherited (COVE_IOC_ADOPT: `job` the
 * child's id, `from_fd` that inherited descriptor), then serves and
 * mirrors that id alone and closes the inherited descriptor, so only the
 * first proxy's file keeps the job alive. A proxy that could not fork
 * gives the id back (COVE_IOC_FORK with COVE_FORK_DROP, `job` the child's
 * id). The ids of one job's live processes are limited (module parameter
 * fork_max): beyond it COVE_IOC_FORK fails with EAGAIN.
 */
#define COVE_FORK_DROP 0x1

struct cove_fork {
	__u32 id;
	__u32 job;
	__u32 child;			/* out (FORK) */
	__s32 from_fd;			/* ADOPT */
	__u32 flags;			/* COVE_FORK_* */
	__u32 pad;			/* 0 */
};

#define COVE_IOC_FORK		_IOWR(COVE_IOC_MAGIC, 14, struct cove_fork)
#define COVE_IOC_ADOPT		_IOW(COVE_IOC_MAGIC, 15, struct cove_fork)

/*
 * XEMEM: memory shared by key between host processes and an enclave's
 * processes, without copies (cove(1) XEMEM, linux/module/cove_xemem.c).
 * Each request needs the enclave's owner or root, as COVE_IOC_LAUNCH.
 *
 * ATTACH: a segment an enclave process exported under key. The caller
 * must be the user who launched the exporting job, or root (EACCES);
 * a process attaches a key once at a time (EBUSY). The new descriptor
 * (fd, close-on-exec) maps it: mmap(NULL, size, PROT_READ[|PROT_WRITE],
 * MAP_SHARED, fd, 0); writable only when flags asked for it and the
 * exporter allowed it (EACCES). Once the exporter removes it or ends,
 * the mapping is gone: later accesses get SIGBUS. Unknown key: ENOENT.
 *
 * OFFER: size bytes of fresh, zeroed host memory (whole pages, up to
 * COVE_XEMEM_OFFER_MAX) that enclave processes may attach under key,
 * writable by them only with COVE_XEMEM_WRITE. The caller maps it through
 * fd the same way (always writable). Closing fd (and every mapping of it)
 * withdraws the offer: the enclave loses it first, then the memory is
 * freed. phys: its physical base, for root only (tests aim at it).
 */
#define COVE_XEMEM_OFFER_MAX ((4UL << 20) - 4096)
#ifndef COVE_XEMEM_WRITE
#define COVE_XEMEM_WRITE 0x1U		/* as pisces_abi.h: the other side may write */
#endif

struct cove_xemem_attach {
	__u32 id;
	__u32 flags;			/* in: COVE_XEMEM_WRITE (pisces_abi.h) */
	__u64 key;
	__u64 size;			/* out */
	__s32 fd;			/* out */
	__u32 seg_flags;		/* out: what the exporter allows */
};

struct cove_xemem_offer {
	__u32 id;
	__u32 flags;			/* in: COVE_XEMEM_WRITE: the enclave may write */
	__u64 key;
	__u64 size;
	__s32 fd;			/* out */
	__u32 pad;
	__u64 phys;			/* out, root only */
};

/* LIST: up to nr segments into buf (struct cove_xemem_info each); nr out: how many there are. */
struct cove_xemem_info {
	__u64 key;
	__u64 size;
	__u32 flags;
	__u32 uid;			/* exported: whose job; offered: who offered */
	__u32 job;			/* exported: the job; offered: 0 */
	__u32 dir;			/* COVE_XEMEM_EXPORTED or COVE_XEMEM_OFFERED */
};

#define COVE_XEMEM_EXPORTED 1
#define COVE_XEMEM_OFFERED 2

struct cove_xemem_list {
	__u32 id;
	__u32 nr;			/* in: room in buf; out: segments there are */
	__u64 buf_ptr;
};

#define COVE_IOC_XEMEM_ATTACH	_IOWR(COVE_IOC_MAGIC, 24, struct cove_xemem_attach)
#define COVE_IOC_XEMEM_OFFER	_IOWR(COVE_IOC_MAGIC, 25, struct cove_xemem_offer)
#define COVE_IOC_XEMEM_LIST	_IOWR(COVE_IOC_MAGIC, 26, struct cove_xemem_list)

#endif /* COVE_UAPI_H */
