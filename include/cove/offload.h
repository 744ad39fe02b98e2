/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System call offload (co-kernel mode): a job launched by `cove run` has a
 * proxy on the host, that very process, which makes on Linux the calls Cove
 * does not serve itself (arch/syscall_list.h says which) with the job's
 * memory mirrored at the same addresses. What is whose:
 *  - Cove's descriptor table holds only the enclave's own files (/proc,
 *    /sys, /dev, its initramfs); every other descriptor number is the
 *    proxy's, so host files, sockets and the job's stdio need no
 *    translation. Cove reserves each number it uses on the host too
 *    (COVE_LC_FD_RESERVE), so the two never hand out the same one.
 *  - Paths under /proc, /sys and /dev are the enclave's; others the host's.
 *  - The current directory is the host's until the job changes into one of
 *    the enclave's.
 */
#ifndef COVE_OFFLOAD_H
#define COVE_OFFLOAD_H

#include <cove/syscall.h>
#include <cove/types.h>

struct fd_numbers;
struct process;

/* Whether p's calls may go to a host proxy. */
bool offload_has_proxy(const struct process *p);
/* Make call nr of the current thread on the host: its result, or -errno. */
int64_t offload_syscall(uint64_t nr, const uint64_t args[6]);
/*
 * The same, with up to four arguments, not cut short by a signal or a
 * kill, which would end it at once: for a process already killed (writing
 * its core file), and for what must finish (a write-back, pages cleaned).
 */
int64_t offload_syscall_dying(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
/* The same with the arguments as a handler has them (ROUTE_SELF handlers). */
int64_t offload_syscall_regs(uint64_t nr, SYSCALL_ARGS);
/*
 * Serve syscall nr as its entry in the table says; args are the caller's
 * six registers. Called by the dispatcher for every call not NATIVE.
 */
int64_t offload_route(const struct syscall_entry_desc *e, uint64_t nr, const uint64_t args[6]);
/* Whether path (a user pointer) relative to dirfd names a host file. */
bool offload_path_is_host(int dirfd, uint64_t upath);
/* Whether fd is the host's: not in Cove's table, and there is a proxy. */
bool offload_fd_is_host(int fd);

/* Descriptor numbers of a job with a proxy: the host holds each one Cove uses. */
extern const struct fd_numbers offload_fd_numbers;

/*
 * Processes (kernel/offload/proxy_fork.c). fork: child c of p gets a host
 * proxy of its own, forked from p's (its host_job and proxy set); 0 or
 * -errno for the fork (EAGAIN past the host's limit of proxies per job).
 */
int offload_fork(struct process *p, struct process *c);
/*
 * A proxy of its own for a rank > 0 of host job `job`, forked from the
 * job's (`cove run`) before any rank runs: its id in *id, or -errno
 * (EAGAIN past the host's limit of proxies per job). The rank runs with
 * host_job = *id and proxy_forked set; an id no rank got goes back with
 * offload_rank_proxy_drop.
 */
int offload_rank_proxy(uint32_t job, uint32_t *id);
void offload_rank_proxy_drop(uint32_t id);
/*
 * execve of path (absolute) by the current process: a host program is
 * copied into the enclave's tree first. 0 (also when the host has no such
 * file: the tree may), or -errno for the execve.
 */
int offload_exec_stage(const char *path);
/* execve of p past its point of no return: its proxy closes its close-on-exec fds. */
void offload_exec(struct process *p);
/* p ended: a proxy fork made for it ends too (the job's own end is the job runner's). */
void offload_process_exit(struct process *p);
/* A signal the host sends to a forked process's job id (its proxy's): 0 or -ESRCH. */
int offload_signal_forked(uint32_t job, int sig);

/*
 * A job's environment (size bytes, as its job line's envsize= says) from
 * the proxy of host job host_job into buf: 0, or -errno with the reason
 * in err.
 */
int offload_env_fetch(uint32_t host_job, char *buf, uint32_t size, char *err, size_t errlen);

/* Fill [va, va+len) of the current process from host fd at off (file mmap). */
int64_t offload_pread_into(int fd, uint64_t va, uint64_t len, uint64_t off);
struct aspace;
/*
 * What as's MAP_SHARED mappings of host files wrote in [va, end) goes back
 * to the files (kernel/offload/offload_writeback.c): 0, or -EIO when some
 * could not (the console says which file and why).
 */
int offload_writeback(struct aspace *as, uint64_t va, uint64_t end);
/*
 * The host's path of host descriptor fd (its /proc/self/fd link there),
 * in out (len bytes with the NUL, at most OFFLOAD_PATH_SCRATCH - 32): the
 * proxy reads and writes through scratch, OFFLOAD_PATH_SCRATCH bytes of
 * the caller's writable memory that it is about to overwrite anyway.
 */
#define OFFLOAD_PATH_SCRATCH 4096
int offload_fd_host_path(int fd, uint64_t scratch, char *out, size_t len);

#endif /* COVE_OFFLOAD_H */
