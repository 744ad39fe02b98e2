/* SPDX-License-Identifier: GPL-2.0 */
/* Error numbers: the Linux values, so the syscall layer can pass them on. */
#ifndef COVE_ERRNO_H
#define COVE_ERRNO_H

#include <cove/types.h>

#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define E2BIG 7
#define ESRCH 3
#define ENOEXEC 8
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOTTY 25
#define EMFILE 24
#define ESPIPE 29
#define EPIPE 32
#define ENOTDIR 20
#define EISDIR 21
#define EFBIG 27
#define ENOTEMPTY 39
#define ELOOP 40
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ECHILD 10
#define ETIMEDOUT 110
#define ENXIO 6
#define EOPNOTSUPP 95

/*
 * Kernel-internal: an interrupted call asks to be restarted, the way Linux
 * spells it. The way back to user mode (kernel/signal.c) turns these into a
 * restart or EINTR; a program never sees them.
 */
#define ERESTARTSYS 512		/* restart if the handler has SA_RESTART (or none ran) */
#define ERESTARTNOINTR 513	/* always restart */
#define ERESTARTNOHAND 514	/* restart only if no handler ran */

static inline bool errno_is_restart(int64_t rc)
{
	return rc <= -ERESTARTSYS && rc >= -ERESTARTNOHAND;
}

#endif /* COVE_ERRNO_H */
