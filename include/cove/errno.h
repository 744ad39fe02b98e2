/* SPDX-License-Identifier: GPL-2.0 */
/* Error numbers: the Linux values, so the syscall layer can pass them on. */
#ifndef COVE_ERRNO_H
#define COVE_ERRNO_H

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
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOTTY 25
#define EMFILE 24
#define ESPIPE 29
#define ENOTDIR 20
#define EISDIR 21
#define EFBIG 27
#define ENOTEMPTY 39
#define ELOOP 40
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ECHILD 10
#define ETIMEDOUT 110

#endif /* COVE_ERRNO_H */
