/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host files a job may reach through `cove run` (host_path.c): files,
 * directories and pipes, never a kernel interface of the host.
 */
#ifndef COVE_TOOL_HOST_PATH_H
#define COVE_TOOL_HOST_PATH_H

#include <sys/stat.h>
#include <sys/types.h>

/*
 * open(2) of an enclave-given path: the fd, or -errno. -EACCES for a
 * device node or a file of procfs, sysfs and the like (even through a
 * symlink), -ELOOP for a /proc magic link on the way.
 */
int host_open(const char *path, int flags, mode_t mode);
/* stat(2) of an enclave-given path, refused where host_open refuses. */
int host_stat(const char *path, struct stat *st);

#endif /* COVE_TOOL_HOST_PATH_H */
