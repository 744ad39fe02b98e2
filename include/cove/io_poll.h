/* SPDX-License-Identifier: GPL-2.0 */
/* Readiness of the enclave's own descriptors: poll, ppoll, select, pselect6. */
#ifndef COVE_IO_POLL_H
#define COVE_IO_POLL_H

#include <cove/types.h>

/* A deadline that never comes; 0 means "look once, do not wait". */
#define IO_POLL_FOREVER (~0ULL)

/*
 * Which of events (VFS_POLL*; POLLERR and POLLHUP always count) the
 * caller's descriptor fd has ready now; VFS_POLLNVAL if it is not open.
 */
unsigned int io_poll_fd(int fd, unsigned int events);

/*
 * Call scan(ctx) until it returns non-zero (ready count or -errno),
 * deadline (time_now_ns) passes, or a signal comes (-ERESTARTNOHAND).
 */
int64_t io_poll_wait(int64_t (*scan)(void *ctx), void *ctx, uint64_t deadline);

/* poll(2) on the user's pollfd array. */
int64_t io_poll_fds(uint64_t ufds, uint64_t nfds, uint64_t deadline);

#endif /* COVE_IO_POLL_H */
