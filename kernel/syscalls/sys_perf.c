// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event_open: a struct perf_event_attr checked as Linux checks it,
 * for the counters Cove has (cove/perf_event.h): software events counted
 * for a thread, or with inherit a whole process, on whatever CPU it runs,
 * from the start or from its next execve (what `perf stat ./app` asks).
 * What Cove does not offer fails as Linux fails for it: a hardware event
 * with ENOENT (no PMU); sampling, groups and per-CPU counting with
 * EOPNOTSUPP or EINVAL.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/perf_event.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

/* struct perf_event_attr: the first version's 64 bytes hold all Cove reads. */
#define PERF_ATTR_SIZE_VER0	64
#define PERF_ATTR_MAX		4096	/* a page, as Linux allows */

#define PERF_TYPE_SOFTWARE	1

/* The flags word (attr offset 40): Linux's bit fields, in order. */
#define ATTR_DISABLED		(1ULL << 0)
#define ATTR_INHERIT		(1ULL << 1)
#define ATTR_PINNED		(1ULL << 2)
#define ATTR_EXCLUSIVE		(1ULL << 3)
#define ATTR_EXCLUDE_USER	(1ULL << 4)
#define ATTR_EXCLUDE_KERNEL	(1ULL << 5)
#define ATTR_FREQ		(1ULL << 10)
#define ATTR_ENABLE_ON_EXEC	(1ULL << 12)

#define PERF_SAMPLE_MAX		(1ULL << 25)	/* Linux 6.1's first unknown sample_type bit */

#define PERF_FLAG_FD_NO_GROUP	1
#define PERF_FLAG_FD_OUTPUT	2
#define PERF_FLAG_PID_CGROUP	4
#define PERF_FLAG_FD_CLOEXEC	8

#define PERF_FORMAT_ALL		(PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING | \
				 PERF_FORMAT_ID | PERF_FORMAT_GROUP | PERF_FORMAT_LOST)

struct perf_attr_head {
	uint32_t type, size;
	uint64_t config;
	uint64_t sample_period;		/* or sample_freq */
	uint64_t sample_type;
	uint64_t read_format;
	uint64_t flags;
	uint32_t wakeup_events, bp_type;
	uint64_t config1;
};

/* Bytes past what Cove reads must be zero: a field it does not know asks for something. */
static int perf_attr_tail_zero(uint64_t uattr, uint32_t size)
{
	uint8_t chunk[64];

	for (uint32_t off = PERF_ATTR_SIZE_VER0; off < size; off += sizeof(chunk)) {
		uint32_t n = MIN((uint32_t)sizeof(chunk), size - off);

		if (copy_from_user(chunk, uattr + off, n))
			return -EFAULT;
		for (uint32_t i = 0; i < n; i++) {
			if (chunk[i])
				return -E2BIG;
		}
	}
	return 0;
}

/* Within process_with: whether p has thread tid (or tid is p itself). */
static int perf_has_thread(struct process *p, void *arg)
{
	uint32_t tid = *(uint32_t *)arg;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	int rc = p->pid == tid ? 0 : -ESRCH;

	for (struct task *t = p->threads; t && rc; t = t->thread_next) {
		if (t->tid == tid)
			rc = 0;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return rc;
}

/*
 * The counted thread: pid 0 is the caller, else a thread of its process or
 * a process of the enclave by its pid (its first thread: Cove's thread ids
 * of a process's first thread are its pid). An enclave runs one user's
 * jobs, so any of its processes may be counted, as Linux lets a user count
 * its own.
 */
static int perf_target(int32_t pid, struct perf_counter_spec *spec)
{
	struct task *self = task_current();
	uint32_t tid = (uint32_t)pid;

	spec->pid = self->proc->pid;
	spec->tid = self->tid;
	if (pid == 0)
		return 0;
	if (pid < 0)
		return -EINVAL;
	spec->tid = tid;
	if (process_with(spec->pid, perf_has_thread, &tid) == 0)
		return 0;
	spec->pid = tid;
	return process_with(tid, perf_has_thread, &tid);
}

int64_t sys_perf_event_open(SYSCALL_ARGS)
{
	uint64_t uattr = a0;
	int32_t pid = (int32_t)a1, cpu = (int32_t)a2, group_fd = (int32_t)a3;
	uint64_t fflags = a4;
	struct perf_attr_head attr = { 0 };
	struct perf_counter_spec spec = { 0 };
	uint32_t size;
	struct file *f;
	int rc, fd;

	if (fflags & ~(uint64_t)(PERF_FLAG_FD_NO_GROUP | PERF_FLAG_FD_OUTPUT |
				 PERF_FLAG_PID_CGROUP | PERF_FLAG_FD_CLOEXEC))
		return -EINVAL;
	if (copy_from_user(&size, uattr + 4, sizeof(size)))
		return -EFAULT;
	if (!size)
		size = PERF_ATTR_SIZE_VER0;
	if (size < PERF_ATTR_SIZE_VER0 || size > PERF_ATTR_MAX) {
		/* Linux writes the size it knows back, then fails. */
		size = PERF_ATTR_SIZE_VER0;
		return copy_to_user(uattr + 4, &size, sizeof(size)) ? -EFAULT : -E2BIG;
	}
	if (copy_from_user(&attr, uattr, PERF_ATTR_SIZE_VER0))
		return -EFAULT;
	rc = perf_attr_tail_zero(uattr, size);
	if (rc)
		return rc;
	/* What samples would hold is checked even for counting, which perf stat asks it for. */
	if ((attr.read_format & ~(uint64_t)PERF_FORMAT_ALL) ||
	    (attr.sample_type & ~(PERF_SAMPLE_MAX - 1)))
		return -EINVAL;
	/*
	 * No PMU: hardware, cache, raw and every other PMU's events are
	 * ENOENT, as Linux answers in the same emulated machine.
	 */
	if (attr.type != PERF_TYPE_SOFTWARE)
		return -ENOENT;
	if (attr.config >= PERF_SW_COUNTED)
		return -ENOENT;
	if (attr.sample_period || (attr.flags & ATTR_FREQ))
		return -EOPNOTSUPP;	/* counting only */
	if ((attr.read_format & PERF_FORMAT_GROUP) || group_fd != -1 ||
	    (fflags & (PERF_FLAG_FD_OUTPUT | PERF_FLAG_PID_CGROUP)))
		return -EINVAL;
	if (cpu != -1)
		return cpu < -1 ? -EINVAL : -EOPNOTSUPP;	/* per-CPU counting */
	rc = perf_target(pid, &spec);
	if (rc)
		return rc;
	spec.event = (enum perf_sw_event)attr.config;
	spec.read_format = attr.read_format;
	spec.disabled = attr.flags & ATTR_DISABLED;
	spec.exclude_user = attr.flags & ATTR_EXCLUDE_USER;
	spec.exclude_kernel = attr.flags & ATTR_EXCLUDE_KERNEL;
	spec.inherit = attr.flags & ATTR_INHERIT;
	/* Linux: the counter waits for exec only if it starts disabled. */
	spec.enable_on_exec = (attr.flags & ATTR_ENABLE_ON_EXEC) && spec.disabled;
	f = perf_counter_file(&spec);
	if (!f)
		return -ENOMEM;
	fd = fd_install(task_current()->proc->files, f, 0, fflags & PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
