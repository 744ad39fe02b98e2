/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf_event_open's counters (kernel/perf_event.c): the software events
 * Linux offers on a machine without a PMU -- task and CPU clock, context
 * switches, CPU migrations, page faults -- counting one thread of the
 * caller's process, read with read(2) and driven by the PERF_EVENT_IOC_*
 * ioctls. The hardware events need a PMU: there is none under the
 * emulators Cove is tested in (QEMU TCG's CPUID leaf 0xA is zero), so
 * they are ENOENT, as on Linux in the same machine.
 */
#ifndef COVE_PERF_EVENT_H
#define COVE_PERF_EVENT_H

#include <cove/types.h>

struct file;
struct process;
struct task;

/* Linux's PERF_COUNT_SW_* (uapi/linux/perf_event.h). */
enum perf_sw_event {
	PERF_SW_CPU_CLOCK = 0,
	PERF_SW_TASK_CLOCK = 1,
	PERF_SW_PAGE_FAULTS = 2,
	PERF_SW_CONTEXT_SWITCHES = 3,
	PERF_SW_CPU_MIGRATIONS = 4,
	PERF_SW_PAGE_FAULTS_MIN = 5,
	PERF_SW_PAGE_FAULTS_MAJ = 6,
	PERF_SW_ALIGNMENT_FAULTS = 7,
	PERF_SW_EMULATION_FAULTS = 8,
	PERF_SW_DUMMY = 9,
	PERF_SW_COUNTED,		/* the ones counted here */
};

/* read_format bits offered: PERF_FORMAT_TOTAL_TIME_ENABLED/_RUNNING, _ID, _LOST. */
#define PERF_FORMAT_TOTAL_TIME_ENABLED	1
#define PERF_FORMAT_TOTAL_TIME_RUNNING	2
#define PERF_FORMAT_ID			4
#define PERF_FORMAT_GROUP		8
#define PERF_FORMAT_LOST		16

/* What a counter counts, parsed and checked from a struct perf_event_attr. */
struct perf_counter_spec {
	enum perf_sw_event event;
	uint64_t read_format;
	bool disabled;
	bool exclude_user, exclude_kernel;
	bool enable_on_exec;	/* disabled until the thread's next execve */
	/*
	 * inherit: the whole process pid, its threads live and ended and the
	 * children it has collected; else thread tid of pid.
	 */
	bool inherit;
	uint32_t pid, tid;
};

/* A counter as an open file (O_RDWR), or NULL when out of memory. */
struct file *perf_counter_file(const struct perf_counter_spec *spec);
/* execve of t (in p) succeeded: its enable_on_exec counters start. */
void perf_task_exec(struct process *p, struct task *t);
/*
 * t (of p) is gone (task_free, p->lock not held): the counters of it, or
 * of its process, keep their last figure.
 */
void perf_task_gone(struct process *p, struct task *t);

#endif /* COVE_PERF_EVENT_H */
