/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cove loader module: shared declarations. One enclave is a set of host
 * cores and host memory ranges taken away from Linux and handed to a Cove
 * co-kernel; see cove_enclave.c for its life cycle.
 */
#ifndef COVE_MODULE_H
#define COVE_MODULE_H

#include <linux/types.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/list.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/uidgid.h>

#include <cove/pisces_abi.h>
#include "cove_uapi.h"
#include "cove_image.h"		/* struct cove_layout, cove_image_check */

#define COVE_MAX_RANGES 16		/* cove_status.mem[] */
#define COVE_BLOCK_SIZE 8192		/* boot block: two pages */
#define COVE_RING_DATA (256 * 1024)
#define COVE_CTL_SLOTS 8
#define COVE_CTL_SLOT_SIZE 4096
#define COVE_LC_SLOTS 16
#define COVE_DOORBELL_VECTOR 0xf2
#define COVE_IMAGE_MAX (256UL << 20)	/* a sane upper bound for the ELF */
#define COVE_INITRD_MAX (1UL << 30)
#define COVE_LAUNCH_TIMEOUT_MS 10000
#define COVE_SHUTDOWN_TIMEOUT_MS 2000
#define COVE_JOBS_LIST_MAX 1024		/* entries one COVE_IOC_JOBS returns at most */

/* Who may use an enclave besides root (cove_owner.c); INVALID_UID/GID: nobody. */
struct cove_owner_ids {
	kuid_t uid;
	kgid_t gid;
};

struct cove_range {
	u64 base;
	u64 size;
};

/* A long call taken from the channel, waiting for (or being served by) its job's waiter. */
struct cove_lreq {
	struct list_head node;
	u64 seq;		/* also the token user space passes back */
	u32 op;
	u32 len;
	u64 arg[6];
};

struct cove_job {
	struct list_head node;
	u32 id;
	bool finished;
	bool orphan;			/* its launcher closed /dev/cove: calls get -EIO */
	const void *owner;		/* the launcher's open file */
	/*
	 * A forked process's id (cove_fork.c): the launched job it belongs
	 * to, 0 for a launched job itself; adoptable until the child proxy's
	 * own file took it over from the parent proxy's (owner).
	 */
	u32 fork_root;
	bool adoptable;
	kuid_t uid;			/* the launcher's user, for cove status */
	char cmd[COVE_JOB_CMD_MAX];	/* its job line, cut; set before it is listed */
	/* What Cove said at its start (COVE_LC_JOB_START), checked: under lc_lock. */
	bool running;
	bool shared;
	u32 number;
	u32 ranks;
	u64 cpus[COVE_CPUMASK_WORDS];
	/*
	 * Its end (COVE_LC_JOB_EXIT), and what its ranks used, checked
	 * (cove_usage.c): under lc_lock. launch_ns is set before it is listed.
	 */
	u64 launch_ns;			/* host time of its launch */
	u64 wall_ns;			/* launch to end */
	bool exited;
	int status;			/* wait(2) status of its end */
	u32 usage_flags;		/* COVE_JOB_USAGE, _REFUSED, _PENDING */
	u32 usage_nr;
	struct cove_rank_usage *usage;	/* usage_nr ranks, freed with the job */
	struct cove_rank_usage usage_total;
	struct list_head pending;	/* not yet handed to a waiter */
	struct list_head serving;	/* handed out, reply not yet in */
	wait_queue_head_t wq;
};

/*
 * A channel as the host made it: the header in the partition may say
 * anything later, so the host sizes and indexes from this copy only.
 */
struct cove_chan_view {
	struct cove_chan *hdr;		/* in the partition map; NULL once unmapped */
	u32 nr_slots;			/* a power of two */
	u32 slot_size;
};

/*
 * Locks, in the order they nest: cove_lifecycle (create, add, remove,
 * destroy), then e->ctl_lock (one control request at a time), then e->lock
 * (the partition map and what points into it), then e->lc_lock (job
 * lists). Destroy takes ctl_lock and lock around unmapping, so a request
 * in flight either finished or sees dead before the memory goes back.
 */
struct cove_enclave {
	u32 id;
	struct kref ref;
	struct mutex lock;		/* state, resources: held by lifecycle ops and readers */
	struct mutex ctl_lock;		/* one control-channel request at a time */
	u32 state;			/* COVE_ENCLAVE_* */
	bool dead;			/* being destroyed: set under ctl_lock and lock */
	/* Set before publish; chown writes it under cove_lifecycle and owner_lock. */
	spinlock_t owner_lock;
	struct cove_owner_ids owner;

	/* Cores, cpus[0] boots. */
	unsigned int nr_cpus;
	unsigned int cpus[COVE_MAX_ENCLAVE_CPUS];
	u32 apic_ids[COVE_MAX_ENCLAVE_CPUS];

	/* Memory: mem[0] is the boot partition. */
	unsigned int nr_mem;
	struct cove_range mem[COVE_MAX_RANGES];
	void *map;			/* mem[0], memremap()ed */

	struct cove_layout lay;
	/* What it was created from, kept for a restart (under cove_lifecycle). */
	struct cove_create req;
	void *img, *initrd;
	struct cove_boot_block *bp;
	struct cove_console_ring *ring;
	struct cove_chan_view ctl;
	struct cove_chan_view lc;
	u64 ctl_head;			/* our copy: Cove could scribble on the shared one */
	u64 lc_tail;			/* under lc_take */
	unsigned long lc_busy;		/* long-call slots taken, not yet answered */

	struct page *host_pg;
	struct cove_host_page *host;
	struct page *tables;		/* loader page tables, below 4 GiB */
	unsigned int tables_order;

	/* Poll thread and long calls. */
	struct task_struct *poll;
	/* One taker of long calls at a time: the poll thread, or a proxy polling (lock -> lc_take). */
	struct mutex lc_take;
	spinlock_t lc_lock;
	struct list_head jobs;
	u32 next_job;
	wait_queue_head_t state_wq;	/* waiters for state changes */

	/* Hang watch, poll thread only: the heartbeat last seen, since when, probed. */
	u32 hb_seen;
	unsigned long hb_since;
	bool hb_probed;

	u32 fault_seen;
	u32 exit_status;
	u64 create_start_ns;
	u64 create_ns;
	char report[COVE_REPORT_MAX];

	struct kobject *kobj;
	struct completion booted;	/* create is done with it: destroy may go */

	/* Proxies' mirrors of job memory (cove_mirror.c); mem[] changes under it too. */
	struct rw_semaphore mirror_sem;
	struct list_head mirrors;
	bool mirror_off;		/* the memory is going back: no more mirroring */

	/* XEMEM segments both ways (cove_xemem.c); made with e, freed with it. */
	struct cove_xemem *xemem;
};

/* cove_registry.c */
extern struct mutex cove_lifecycle;
struct cove_enclave *cove_get(u32 id);
/* cove_get for an id a user asked for: says "no enclave N" when there is none. */
struct cove_enclave *cove_get_asked(u32 id);
void cove_put(struct cove_enclave *e);
int cove_reserve_id(struct cove_enclave *e, u32 want);
void cove_unreserve_id(struct cove_enclave *e);
int cove_publish(struct cove_enclave *e);
void cove_unpublish(struct cove_enclave *e);
bool cove_cpu_taken(unsigned int cpu);
bool cove_range_taken(u64 base, u64 size);

/*
 * cove_owner.c: who may do what. The ioctl front end (cove_main.c) calls
 * these for every request, from its table of rights; an mmap or any other
 * way into an enclave must call cove_may_use() itself.
 */
bool cove_is_admin(void);		/* CAP_SYS_ADMIN, checked quietly */
/* 0, or -EPERM with a line naming what was refused (id 0: no enclave named). */
int cove_require_admin(const char *what, u32 id);
/* The owner (its user, or a member of its group) or root: 0, else -EPERM and a line. */
int cove_may_use(struct cove_enclave *e, const char *what);
/*
 * The same, silently, for what a request shows only to them (a running
 * job's figures, which cost the enclave an interrupt to gather).
 */
bool cove_may_ask(struct cove_enclave *e);
int cove_owner_from_user(const struct cove_owner *u, struct cove_owner_ids *k);
void cove_owner_to_user(struct cove_enclave *e, struct cove_owner *u);
void cove_owner_get(struct cove_enclave *e, struct cove_owner_ids *k);
int cove_chown(const struct cove_chown *req);

/* cove_enclave.c */
long cove_create(struct cove_create *req);
int cove_destroy(u32 id);
int cove_restart(u32 id);
int cove_add(struct cove_change *req);
int cove_remove(struct cove_change *req);
void cove_enclave_release(struct kref *ref);
void cove_destroy_all(void);

/* cove_state.c: how an enclave ends; each releases every waiter */
void cove_fail(struct cove_enclave *e, const char *why);
/* The enclave stopped answering: HUNG, with why. */
void cove_hung(struct cove_enclave *e, const char *why);
void cove_stopped(struct cove_enclave *e);

/* cove_cpu.c */
int cove_cpus_from_mask(const __u64 *mask, unsigned int *cpus, unsigned int *nr);
int cove_cpus_offline(u32 owner, const unsigned int *cpus, unsigned int nr);
void cove_cpus_online(const unsigned int *cpus, unsigned int nr);
u32 cove_apic_id(unsigned int cpu);
unsigned long cove_trampoline_pa(void);
int cove_start_cpus(struct cove_enclave *e, unsigned int first, unsigned int nr,
		    unsigned int timeout_ms);
void cove_init_cpus(const u32 *apic_ids, unsigned int nr);
void cove_doorbell(struct cove_enclave *e);
/* An NMI to the enclave's boot core: Cove reports where it was, then stops. */
void cove_nmi_boot_core(struct cove_enclave *e);

/* cove_mem.c */
int cove_mem_take(u32 owner, u64 *base, u64 size, u64 align);
void cove_mem_give_back(u64 base, u64 size);
int cove_mem_check(u64 base, u64 size);
/* Whether [pa, pa+len) lies in one range of e's memory (the caller keeps e->mem still). */
bool cove_mem_owns(const struct cove_enclave *e, u64 pa, u64 len);
/* The same with e as a void context, for the walkers and parsers that take one. */
bool cove_mem_owns_cb(void *e, u64 pa, u64 len);
void cove_mem_scrub(u64 base, u64 size);

/* cove_fence.c: Linux may not online what an enclave owns */
int cove_fence_init(void);
void cove_fence_exit(void);
void cove_fence_cpu(unsigned int cpu, u32 owner);	/* owner 0: Linux's again */
int cove_fence_mem_add(u64 base, u64 size, u32 owner);
void cove_fence_mem_del(u64 base, u64 size);

/* cove_boot.c */
int cove_layout(struct cove_layout *lay, u64 part_size, u64 initrd_size);
int cove_image_load(struct cove_enclave *e, const void *img, size_t size);
int cove_tables_build(struct cove_enclave *e);
void cove_tables_free(struct cove_enclave *e);
int cove_block_fill(struct cove_enclave *e, const struct cove_create *req);
void cove_host_page_sync(struct cove_enclave *e);

/* cove_shared.c: every read of enclave-written memory */
void cove_chan_setup(struct cove_chan_view *v, void *hdr, u32 nr_slots, u32 slot_size);
struct cove_msg *cove_chan_slot(const struct cove_chan_view *v, u64 n);
u32 cove_chan_payload_max(const struct cove_chan_view *v);
int cove_shared_check(struct cove_enclave *e);
int cove_lc_head(struct cove_enclave *e, u64 *head);
int cove_lc_take_one(struct cove_enclave *e, u64 seq, struct cove_msg *copy);
void cove_lc_answer(struct cove_enclave *e, u64 seq, int result, const u64 *args, u32 len);
/* Free the requests on list, answering each a waiter still expects with -EIO (e->lock held). */
void cove_lc_drop(struct cove_enclave *e, struct list_head *list);
/* One copy of long call seq's payload (len checked by cove_lc_take_one): 0 or -EIO. */
int cove_lc_payload(struct cove_enclave *e, u64 seq, void *buf, u32 len);

/* cove_chan.c */
int cove_ctl_send(struct cove_enclave *e, u32 op, const u64 *args, unsigned int nargs,
		  const void *payload, u32 len, unsigned int timeout_ms);
/* The same, with Cove's answer's payload copied (cove_chan.c says how). */
int cove_ctl_call(struct cove_enclave *e, u32 op, const u64 *args, unsigned int nargs,
		  const void *payload, u32 len, void *reply, u32 reply_cap, u32 *reply_len,
		  unsigned int timeout_ms);
/* cove_doorbell.c: the Cove -> host interrupt (polling stays the fallback). */
void cove_doorbell_init(void);
void cove_doorbell_exit(void);
bool cove_doorbell_present(void);
void cove_doorbell_publish(struct cove_host_page *h);
/* Wait up to timeout_ms for a ring newer than *seen: 1 if one came. */
int cove_doorbell_wait(int *seen, unsigned int timeout_ms);
int cove_poll_start(struct cove_enclave *e);
void cove_poll_stop(struct cove_enclave *e);
/* e: the enclave req->id names, looked up and allowed by the ioctl front end. */
int cove_launch(struct cove_enclave *e, struct cove_launch *req, const void *owner);
void cove_orphan_jobs(const void *owner);
int cove_jobs_list(struct cove_enclave *e, struct cove_jobs *req);
int cove_kill(struct cove_enclave *e, struct cove_launch *req);
int cove_lcall_wait(struct cove_enclave *e, struct cove_lcall *req, const void *file);
int cove_lcall_reply(struct cove_enclave *e, const struct cove_lcall *req, const void *file);
/* Whether job id of e was launched through file (its proxy). */
bool cove_job_launched_by(struct cove_enclave *e, u32 id, const void *file);
int cove_signal(struct cove_enclave *e, struct cove_signal *req, const void *file);

/* cove_fork.c: a forked process's own proxy (COVE_IOC_FORK, COVE_IOC_ADOPT) */
long cove_fork(struct cove_enclave *e, struct cove_fork *req, struct file *file);
long cove_adopt(struct cove_enclave *e, struct cove_fork *req, struct file *file);
/* Under e->lc_lock: 0 if file may take and answer j's calls, else -errno. */
int cove_fork_may_serve(struct cove_enclave *e, struct cove_job *j, const void *file);
/* file closes: the forked ids it serves end (before cove_orphan_jobs). */
void cove_fork_release(struct file *file);
/* cove_chan.c, for cove_fork.c: under e->lc_lock */
struct cove_job *cove_job_find(struct cove_enclave *e, u32 id);

/* cove_mirror.c: job memory seen by the job's host proxy */
int cove_mirror_mmap(struct file *file, struct vm_area_struct *vma);
long cove_mirror_set(struct cove_enclave *e, struct file *file, struct cove_mirror_set *req);
void cove_mirror_release(struct file *file);
void cove_mirror_forget_all(struct cove_enclave *e);
void cove_mirror_revoke(struct cove_enclave *e);
void cove_jobs_free(struct cove_enclave *e);
/* cove_usage.c: a launched job's end and what its ranks used (poll side, under lc_take) */
void cove_usage_take(struct cove_enclave *e, u64 seq, const struct cove_msg *m);
/* A COVE_JOB_EXIT_LATE report: figures for a job that ended already, nothing to wake. */
bool cove_usage_is_late(const struct cove_msg *m);
int cove_job_usage(struct cove_enclave *e, struct cove_job_usage *req);
void cove_console_tail(struct cove_enclave *e, size_t bytes);

/* cove_xemem.c: memory shared by key with an enclave's processes */
int cove_xemem_init(struct cove_enclave *e);
void cove_xemem_free(struct cove_enclave *e);
/* Destroy, its cores stopped, before its memory is Linux's again. */
void cove_xemem_destroy(struct cove_enclave *e);
/* An XEMEM long call, answered here: true; false if op is not XEMEM's. */
bool cove_xemem_lcall(struct cove_enclave *e, u64 seq, const struct cove_msg *m);
int cove_xemem_attach(struct cove_enclave *e, struct cove_xemem_attach *req);
int cove_xemem_offer(struct cove_enclave *e, struct cove_xemem_offer *req);
int cove_xemem_list(struct cove_enclave *e, struct cove_xemem_list *req);
/* cove_chan.c: the user who launched job (its proxy's), false if it is not running. */
bool cove_job_uid(struct cove_enclave *e, u32 job, kuid_t *uid);

/* cove_sysfs.c */
int cove_sysfs_init(void);
void cove_sysfs_exit(void);
int cove_sysfs_add(struct cove_enclave *e);
void cove_sysfs_del(struct cove_enclave *e);
const char *cove_state_name(u32 state);

/* cove_trampoline.S */
extern const u8 cove_tramp_start[], cove_tramp_end[];
extern const u8 cove_tramp_gdt_desc[], cove_tramp_gdt[];
extern const u8 cove_tramp_pm_ptr[], cove_tramp_lm_ptr[];
extern const u8 cove_tramp_pm32[], cove_tramp_lm64[];
extern const u8 cove_tramp_cr3[], cove_tramp_pfn[], cove_tramp_entry[];

#endif /* COVE_MODULE_H */
