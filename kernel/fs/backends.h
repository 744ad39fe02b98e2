/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VFS's back ends, as vfs.c and file.c see them. A new file system
 * adds its tables here and its place in vfs.c's routing.
 */
#ifndef COVE_FS_BACKENDS_H
#define COVE_FS_BACKENDS_H

#include <cove/types.h>
#include <cove/vfs.h>

/* rootfs_ops.c: the enclave's own tree, the root of every path. */
extern const struct vfs_fs_ops rootfs_fs_ops;
extern const struct vfs_file_ops rootfs_file_ops;

/* hostfile_paths.c and hostfile.c: a host job's files on the host. */
extern const struct vfs_fs_ops hostfile_fs_ops;
extern const struct vfs_file_ops hostfile_file_ops;
/* fd 0 of a host job: the stdin of its `cove run`. NULL if out of memory. */
struct file *hostfile_open_stdin(uint32_t job);

/* shmfs.c: /dev/shm, the enclave's tmpfs (cove/shmfs.h). */
extern const struct vfs_fs_ops shmfs_fs_ops;

/* synth.h: /proc, /sys and /dev, the trees made when opened (synth_fs_ops). */

/* console_file.c: the console; stream 1 or 2 of a host job, or the log (job 0). */
extern const struct vfs_file_ops console_file_ops;
struct file *console_file_open(uint32_t host_job, uint32_t stream);

#endif /* COVE_FS_BACKENDS_H */
