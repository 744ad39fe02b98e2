/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/shm and memfd_create: files whose bytes are shared memory (kernel/fs/shmfs.c). */
#ifndef COVE_SHMFS_H
#define COVE_SHMFS_H

#include <cove/types.h>

struct file;

/* Whether an absolute, normalised path is /dev/shm or below. Pure. */
bool shmfs_owns(const char *abs);
/*
 * memfd_create: a new empty file of the same kind with no name in any
 * directory (name is only what /proc/self/fd shows), opened with open(2)
 * flags. 0 or -ENOMEM.
 */
int shmfs_memfd(const char *name, uint32_t flags, struct file **out);

#endif /* COVE_SHMFS_H */
