// SPDX-License-Identifier: GPL-2.0
/*
 * /proc: the enclave's machine (cpuinfo, meminfo, stat, ...) and, through
 * procfs_pid.c, its processes. Every file is written when it is opened.
 */
#include <cove/arch.h>
#include <cove/aspace_huge.h>
#include <cove/cpuinfo.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/pmem.h>
#include <cove/random.h>
#include <cove/sched.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include "procfs.h"
#include "procfs_fmt.h"
#include "synth.h"

#define USER_HZ 100

enum procfs_kind {
	PROC_TOP, PROC_SYS, PROC_SYS_KERNEL, PROC_SYS_VM,
	PROC_CPUINFO, PROC_MEMINFO, PROC_STAT, PROC_LOADAVG, PROC_UPTIME, PROC_VERSION,
	PROC_FILESYSTEMS, PROC_MOUNTS, PROC_SELF, PROC_THREAD_SELF,
	PROC_OSRELEASE, PROC_OSTYPE, PROC_HOSTNAME, PROC_PID_MAX, PROC_OVERCOMMIT,
	PROC_SYS_RANDOM, PROC_BOOT_ID, PROC_UUID,
};

#define D (S_IFDIR | 0555)
#define R (S_IFREG | 0444)
#define L (S_IFLNK | 0777)

static const struct synth_entry proc_top[] = {
	{ "cpuinfo", R, PROC_CPUINFO }, { "meminfo", R, PROC_MEMINFO },
	{ "stat", R, PROC_STAT }, { "loadavg", R, PROC_LOADAVG },
	{ "uptime", R, PROC_UPTIME }, { "version", R, PROC_VERSION },
	{ "filesystems", R, PROC_FILESYSTEMS }, { "mounts", R, PROC_MOUNTS },
	{ "self", L, PROC_SELF }, { "thread-self", L, PROC_THREAD_SELF },
	{ "sys", D, PROC_SYS }, { NULL, 0, 0 },
};
static const struct synth_entry proc_sys[] = {
	{ "kernel", D, PROC_SYS_KERNEL }, { "vm", D, PROC_SYS_VM }, { NULL, 0, 0 },
};
static const struct synth_entry proc_sys_kernel[] = {
	{ "osrelease", R, PROC_OSRELEASE }, { "ostype", R, PROC_OSTYPE },
	{ "hostname", R, PROC_HOSTNAME }, { "pid_max", R, PROC_PID_MAX },
	{ "random", D, PROC_SYS_RANDOM }, { NULL, 0, 0 },
};
/* UCX and systemd tell boots apart by boot_id; uuid is a new one per read. */
static const struct synth_entry proc_sys_random[] = {
	{ "boot_id", R, PROC_BOOT_ID }, { "uuid", R, PROC_UUID }, { NULL, 0, 0 },
};
static const struct synth_entry proc_sys_vm[] = {
	{ "overcommit_memory", R, PROC_OVERCOMMIT }, { NULL, 0, 0 },
};

#undef D
#undef R
#undef L

static const struct synth_entry *procfs_table(uint32_t kind)
{
	switch (kind) {
	case PROC_TOP: return proc_top;
	case PROC_SYS: return proc_sys;
	case PROC_SYS_KERNEL: return proc_sys_kernel;
	case PROC_SYS_VM: return proc_sys_vm;
	case PROC_SYS_RANDOM: return proc_sys_random;
	default: return NULL;
	}
}

static int procfs_lookup(const char *rel, bool follow, struct synth_node *n)
{
	struct task *me = task_current();
	const struct synth_entry *e;
	char name[32];
	uint32_t pid;

	synth_set(n, S_IFDIR | 0555, PROC_TOP);
	if (!synth_next(&rel, name, sizeof(name)))
		return 0;
	if (synth_number(name, "", &pid) && pid)
		return procfs_pid_lookup(pid, 0, rel, follow, n);
	e = synth_find(proc_top, name);
	if (!e)
		return -ENOENT;
	synth_set(n, e->mode, e->kind);
	if (e->kind == PROC_SELF || e->kind == PROC_THREAD_SELF) {
		n->pid = me->proc->pid;
		n->tid = e->kind == PROC_THREAD_SELF ? me->tid : 0;
		/* A link: the caller's own directory once followed (always, if not last). */
		if (!follow && !*rel)
			return 0;
		/* Named by its number from here on, as Linux's name for it is. */
		if (n->tid)
			ksnprintf(n->path, sizeof(n->path), "/proc/%u/task/%u%s", n->pid, n->tid, rel);
		else
			ksnprintf(n->path, sizeof(n->path), "/proc/%u%s", n->pid, rel);
		return procfs_pid_lookup(n->pid, n->tid, rel, follow, n);
	}
	while (synth_next(&rel, name, sizeof(name))) {
		const struct synth_entry *t = procfs_table(n->kind);

		if (!t)
			return -ENOTDIR;
		e = synth_find(t, name);
		if (!e)
			return -ENOENT;
		synth_set(n, e->mode, e->kind);
	}
	return 0;
}

/* A random (version 4) UUID in its text form, as Linux's uuid file. */
static void procfs_uuid(struct sbuf *sb, const uint8_t u[16])
{
	for (int i = 0; i < 16; i++) {
		uint8_t b = u[i];

		if (i == 6)
			b = (b & 0x0f) | 0x40;
		if (i == 8)
			b = (b & 0x3f) | 0x80;
		sbuf_printf(sb, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", b);
	}
	sbuf_puts(sb, "\n");
}

/*
 * This boot's id: drawn by the first reader, then fixed. Written once
 * under the flag's compare-and-swap (0 -> 1 drawing, 2 done); readers that
 * find it being drawn wait, which is a few instructions.
 */
static uint8_t proc_boot_id[16];
static int proc_boot_id_state;

static void procfs_boot_id(struct sbuf *sb)
{
	int want = 0;

	if (__atomic_compare_exchange_n(&proc_boot_id_state, &want, 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
		random_bytes(proc_boot_id, sizeof(proc_boot_id));
		__atomic_store_n(&proc_boot_id_state, 2, __ATOMIC_RELEASE);
	}
	while (__atomic_load_n(&proc_boot_id_state, __ATOMIC_ACQUIRE) != 2)
		arch_cpu_relax();
	procfs_uuid(sb, proc_boot_id);
}

static void procfs_cpuinfo(struct sbuf *sb)
{
	struct synth_cpus *sc = synth_cpus_get();

	if (!sc) {
		sb->overflow = true;
		return;
	}
	arch_cpuinfo_show(sb, sc->cpu, sc->n);
	kfree(sc);
}

static void procfs_meminfo(struct sbuf *sb)
{
	uint64_t used_2m, used_1g;
	struct pmem_stats st;
	struct synth_mem m;

	synth_mem_get(&m);
	fmt_meminfo_kb(sb, "MemTotal", m.total);
	fmt_meminfo_kb(sb, "MemFree", m.free);
	/* No caches to drop, no swap: what is free is what is available. */
	fmt_meminfo_kb(sb, "MemAvailable", m.free);
	fmt_meminfo_kb(sb, "Buffers", 0);
	/* The enclave's tree lives in memory, as Linux counts tmpfs. */
	fmt_meminfo_kb(sb, "Cached", m.cached);
	fmt_meminfo_kb(sb, "SwapCached", 0);
	fmt_meminfo_kb(sb, "SwapTotal", 0);
	fmt_meminfo_kb(sb, "SwapFree", 0);
	fmt_meminfo_kb(sb, "Shmem", m.cached);
	/*
	 * No separate hugetlb pool: MAP_HUGETLB takes any free 2 MiB block of
	 * the partition (cove/aspace_huge.h). So the pool shown is the 2 MiB
	 * pages in use plus every free one: what a program may still map,
	 * also counted in MemFree. Jobs get large pages without asking, too.
	 */
	pmem_get_stats(&st);
	aspace_hugetlb_in_use(&used_2m, &used_1g);
	fmt_meminfo_count(sb, "HugePages_Total", used_2m + st.free_2m_units);
	fmt_meminfo_count(sb, "HugePages_Free", st.free_2m_units);
	fmt_meminfo_count(sb, "HugePages_Rsvd", 0);
	fmt_meminfo_count(sb, "HugePages_Surp", 0);
	fmt_meminfo_kb(sb, "Hugepagesize", PAGE_SIZE_2M);
	fmt_meminfo_kb(sb, "Hugetlb", used_2m * PAGE_SIZE_2M + used_1g * PAGE_SIZE_1G);
}

/* Time in USER_HZ ticks. */
static uint64_t procfs_ticks(uint64_t ns)
{
	return (uint64_t)(ns / (NSEC_PER_SEC / USER_HZ));
}

/* Idle time of an online CPU: its idle task's run time. */
static uint64_t procfs_idle_ns(uint32_t cpu)
{
	struct runqueue *rq = sched_rq(cpu);

	return rq && rq->idle ? task_runtime_ns(rq->idle) : 0;
}

/* Whether CPU c is running a task now (not its idle loop). */
static uint32_t procfs_busy(uint32_t c)
{
	struct task *cur = percpu_of(c)->current;

	return cur && !cur->is_idle;
}

/*
 * Cove does not split busy time into user and system (its system time is
 * small by design): it is all reported as user time.
 */
static void procfs_stat_line(struct sbuf *sb, const char *name, uint64_t busy, uint64_t idle)
{
	sbuf_printf(sb, "%s %lu 0 0 %lu 0 0 0 0 0 0\n", name, procfs_ticks(busy),
		    procfs_ticks(idle));
}

static void procfs_stat(struct sbuf *sb)
{
	struct synth_cpus *sc = synth_cpus_get();
	uint64_t now = time_now_ns(), idle = 0, switches = 0;
	uint32_t pids[64], running = 0, nr = process_list_pids(pids, ARRAY_SIZE(pids));
	char name[16];

	if (!sc) {
		sb->overflow = true;
		return;
	}
	for (uint32_t i = 0; i < sc->n; i++)
		idle += MIN(procfs_idle_ns(sc->cpu[i].index), now);
	procfs_stat_line(sb, "cpu ", now * sc->n - idle, idle);
	for (uint32_t i = 0; i < sc->n; i++) {
		uint32_t c = sc->cpu[i].index;
		uint64_t ci = MIN(procfs_idle_ns(c), now);
		struct runqueue *rq = sched_rq(c);

		ksnprintf(name, sizeof(name), "cpu%u", c);
		procfs_stat_line(sb, name, now - ci, ci);
		switches += rq->nr_switches;
		running += rq->nr_queued + procfs_busy(c);
	}
	sbuf_printf(sb, "intr 0\nctxt %lu\nbtime %lu\nprocesses %u\n", switches,
		    time_boot_epoch(), nr);
	sbuf_printf(sb, "procs_running %u\nprocs_blocked 0\nsoftirq 0\n", running);
	kfree(sc);
}

/*
 * Cove keeps no decaying load average: all three figures are the tasks
 * runnable now, which on a machine that runs one thread per core is what
 * the averages would settle to.
 */
static void procfs_loadavg(struct sbuf *sb)
{
	uint32_t runnable = 0, tasks = 0, pids[256], last = 0;
	uint32_t n = process_list_pids(pids, ARRAY_SIZE(pids));

	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		struct percpu *pc = percpu_of(c);
		struct runqueue *rq;

		if (!pc || !pc->online)
			continue;
		rq = sched_rq(c);
		runnable += rq->nr_queued + procfs_busy(c);
		tasks += rq->nr_assigned;
	}
	for (uint32_t i = 0; i < n; i++)
		last = MAX(last, pids[i]);
	sbuf_printf(sb, "%u.00 %u.00 %u.00 %u/%u %u\n", runnable, runnable, runnable, runnable,
		    tasks, last);
}

static void procfs_uptime(struct sbuf *sb)
{
	uint64_t now = time_now_ns(), idle = 0;

	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		if (percpu_of(c) && percpu_of(c)->online)
			idle += procfs_idle_ns(c);
	}
	sbuf_printf(sb, "%lu.%02lu %lu.%02lu\n", (uint64_t)(now / NSEC_PER_SEC),
		    (uint64_t)(now % NSEC_PER_SEC / (NSEC_PER_SEC / 100)),
		    (uint64_t)(idle / NSEC_PER_SEC),
		    (uint64_t)(idle % NSEC_PER_SEC / (NSEC_PER_SEC / 100)));
}

void procfs_mounts(struct sbuf *sb)
{
	sbuf_puts(sb, "rootfs / rootfs rw 0 0\n"
		      "proc /proc proc rw,nosuid,nodev,noexec 0 0\n"
		      "sysfs /sys sysfs rw,nosuid,nodev,noexec 0 0\n"
		      "devtmpfs /dev devtmpfs rw,nosuid 0 0\n");
}

static int procfs_fill_dir(const struct synth_node *n, struct sbuf *sb)
{
	const struct synth_entry *t = procfs_table(n->kind);

	if (!t)
		return -ENOTDIR;
	synth_list(t, sb);
	if (n->kind == PROC_TOP)
		procfs_pid_list(sb);
	return 0;
}

static int procfs_fill(const struct synth_node *n, struct sbuf *sb)
{
	if (n->kind >= PROC_PID_KINDS)
		return procfs_pid_fill(n, sb);
	if (S_ISDIR(n->mode))
		return procfs_fill_dir(n, sb);
	switch (n->kind) {
	case PROC_SELF:
		sbuf_printf(sb, "%u", n->pid);
		break;
	case PROC_THREAD_SELF:
		sbuf_printf(sb, "%u/task/%u", n->pid, n->tid);
		break;
	case PROC_CPUINFO:
		procfs_cpuinfo(sb);
		break;
	case PROC_MEMINFO:
		procfs_meminfo(sb);
		break;
	case PROC_STAT:
		procfs_stat(sb);
		break;
	case PROC_LOADAVG:
		procfs_loadavg(sb);
		break;
	case PROC_UPTIME:
		procfs_uptime(sb);
		break;
	case PROC_VERSION:
		/* The release is the one uname reports, which libcs check. */
		sbuf_puts(sb, "Cove version 0.1.0 (Linux ABI 6.1.0-cove) lightweight kernel\n");
		break;
	case PROC_FILESYSTEMS:
		sbuf_puts(sb, "nodev\tsysfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tramfs\n");
		break;
	case PROC_MOUNTS:
		procfs_mounts(sb);
		break;
	case PROC_OSRELEASE:
		sbuf_puts(sb, "6.1.0-cove\n");
		break;
	case PROC_OSTYPE:
		sbuf_puts(sb, "Linux\n");
		break;
	case PROC_HOSTNAME:
		sbuf_puts(sb, "cove\n");
		break;
	case PROC_PID_MAX:
		/* Linux's largest; Cove's ids count up and are never reused. */
		sbuf_puts(sb, "4194304\n");
		break;
	case PROC_BOOT_ID:
		procfs_boot_id(sb);
		break;
	case PROC_UUID: {
		uint8_t u[16];

		random_bytes(u, sizeof(u));
		procfs_uuid(sb, u);
		break;
	}
	case PROC_OVERCOMMIT:
		/* 2: never overcommit. Cove backs every mapping when it is made. */
		sbuf_puts(sb, "2\n");
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int procfs_open(const struct synth_node *n, uint32_t flags, struct file **out)
{
	return n->kind >= PROC_PID_KINDS ? procfs_pid_open(n, flags, out) : -EINVAL;
}

const struct synth_tree procfs_tree = {
	.name = "proc",
	.dev = VFS_DEV_PROC,
	.lookup = procfs_lookup,
	.fill = procfs_fill,
	.open = procfs_open,
};
