/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host proxy of a job (syscall offload): the calls Cove forwards are
 * made here, on Linux, with the job's memory mirrored at the same
 * addresses. See proxy.c.
 */
#ifndef COVE_PROXY_H
#define COVE_PROXY_H

#include <stdbool.h>
#include <stdint.h>

/*
 * After the launch: move our own descriptors out of the job's way and
 * mirror job `job` of enclave `id`. Returns the device fd to use from now
 * on (its number changed), or fails with a message.
 */
int proxy_setup(int devfd, uint32_t id, uint32_t job);
/*
 * In a proxy forked for a forked process: serve and mirror job `job` (its
 * id, given to the proxy we were forked from) through a device file of our
 * own. The device fd to use from now on, or -errno.
 */
int proxy_adopt(uint32_t job);
/*
 * COVE_LC_EXEC: the job's process execs. Close our close-on-exec host
 * descriptors (not Cove's placeholders, not those keep() claims) and
 * forget the old image's memory. 0 or -errno.
 */
int64_t proxy_exec(bool (*keep)(int fd));
/* Serve one COVE_LC_SYSCALL request (the payload as received): the result. */
int64_t proxy_syscall(const void *payload, uint32_t len);
/* COVE_LC_FD_RESERVE and COVE_LC_FD_RELEASE: a number for a file of Cove's. */
int64_t proxy_fd_reserve(uint64_t min, uint64_t exact);
int64_t proxy_fd_release(uint64_t fd);
/* COVE_LC_FD_LIST: the job's host descriptors into buf (uint32_t each). */
int64_t proxy_fd_list(void *buf, uint32_t cap, uint32_t *len);
/*
 * Move fd to the lowest free private number (out of the job's way, which
 * it can neither close nor copy), close-on-exec; fails with a message.
 */
int proxy_private_fd(int fd);
/* Whether nr is a call Cove may forward (its syscall list says so). */
bool proxy_call_allowed(uint64_t nr);

#endif /* COVE_PROXY_H */
