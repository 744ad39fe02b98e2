/* SPDX-License-Identifier: GPL-2.0 */
/* Starting an ELF program (static, or dynamic through its interpreter) as a new process. */
#ifndef COVE_EXEC_H
#define COVE_EXEC_H

#include <cove/cpumask.h>
#include <cove/types.h>

struct process;

struct exec_params {
	const char *path;
	const char *const *argv;	/* NULL-terminated */
	const char *const *envp;
	uint64_t heap_size;		/* brk area, mapped whole at start */
	uint64_t stack_size;
	uint64_t page_size;		/* largest page for its memory: 4K, 2M or 1G */
	struct cpumask cpus;		/* where its threads may run */
	struct process *parent;
	void *job_rank;			/* set on the process before it can run */
	uint32_t host_job;		/* co-kernel: stdout/stderr go to this host job */
	const char *host_cwd;		/* co-kernel: the host directory it starts in, or NULL */
	bool proxy;			/* co-kernel: host_job's launcher serves offloaded calls */
	bool proxy_forked;		/* with proxy: host_job's proxy is its alone, ends with it */
	bool debug;			/* stopped for a debugger first (cove/jobdbg.h) */
};

/* A program loaded into a new address space, not yet running. */
struct exec_image {
	struct aspace *as;		/* one reference, the caller's */
	uint64_t entry;			/* where its first thread starts */
	uint64_t sp;			/* its stack, argv/envp/auxv laid out */
};

/*
 * Read path (and the interpreter it names), check it, and build its
 * address space: image, heap, stack, arguments (exec_spawn's and execve's
 * common part; ep's cpus, parent, job and host fields are not looked at).
 * 0, or a negative errno with a one-line reason in err.
 */
int exec_build(const struct exec_params *ep, struct exec_image *img, char *err, size_t errlen);
/* The last component of path: what a process is named. */
const char *exec_basename(const char *path);

/*
 * Load path (and the interpreter it names) and start it. On failure returns
 * a negative errno and writes a one-line reason to err ("no such file",
 * "interpreter /lib/ld.so: no such file", ...).
 */
int exec_spawn(const struct exec_params *ep, struct process **out, char *err, size_t errlen);

#endif /* COVE_EXEC_H */
