/* SPDX-License-Identifier: GPL-2.0 */
/* The enclave's tree: one ramfs and its lock, shared by rootfs.c and rootfs_ops.c. */
#ifndef COVE_FS_ROOTFS_H
#define COVE_FS_ROOTFS_H

#include <cove/ramfs.h>
#include <cove/spinlock.h>
#include <cove/vfs.h>

/* Every ramfs call on the tree (vfs_root()) is made under this lock; rootfs.c owns both. */
extern spinlock_t rootfs_lock;

#endif /* COVE_FS_ROOTFS_H */
