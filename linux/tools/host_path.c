// SPDX-License-Identifier: GPL-2.0
/*
 * Opening host paths for a job. The path comes from the enclave, which the
 * host does not trust, and the server may run as root: a path that reaches
 * the host kernel's own interfaces (/proc/self/mem patches this process's
 * code, /dev/mem and /dev/cove reach the machine, /sys retunes it) is
 * refused whoever's rights the server has. Cove keeps /proc, /sys and /dev
 * for the enclave's own, so an honest job never asks for them here.
 *
 * Three guards, in order:
 *  - /proc magic links (/proc/PID/fd/N, .../exe, .../root) are not followed
 *    (openat2 RESOLVE_NO_MAGICLINKS), so no fd of this process is reachable;
 *  - the file is looked at through an O_PATH fd before it is opened, since
 *    opening a device can act by itself (a tape rewinds, a watchdog arms);
 *  - the opened fd is checked again: not a device node, and not on a file
 *    system that is a kernel interface (fstatfs), whatever path led there.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "host_path.h"

/* File systems whose files are the kernel's interfaces rather than data. */
static bool host_fs_is_kernel(long type)
{
	switch (type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case SELINUX_MAGIC:
	case SMACK_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case BPF_FS_MAGIC:
	case EFIVARFS_MAGIC:
	case PSTOREFS_MAGIC:
	case BINFMTFS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case NSFS_MAGIC:
		return true;
	default:
		return false;
	}
}

/* 0 if fd is a file a job may have, else -EACCES (or fstat's error). */
static int host_fd_check(int fd)
{
	struct statfs sfs;
	struct stat st;

	if (fstat(fd, &st) || fstatfs(fd, &sfs))
		return -errno;
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || host_fs_is_kernel((long)sfs.f_type))
		return -EACCES;
	return 0;
}

static int host_openat2(const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(unsigned int)flags,
		.mode = flags & O_CREAT ? mode : 0,	/* openat2 refuses a stray mode */
		.resolve = RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS)
		return -errno;
	/* Before Linux 5.6: magic links are followed, the checks on the file still hold. */
	fd = open(path, flags, mode);
	return fd < 0 ? -errno : (int)fd;
}

/* fd if it is a file a job may have; else it is closed and the reason returned. */
static int host_keep(int fd)
{
	int err;

	if (fd < 0)
		return fd;
	err = host_fd_check(fd);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* An O_PATH fd for path, checked: opens nothing, so it cannot act. */
static int host_look(const char *path, int flags)
{
	return host_keep(host_openat2(path, O_PATH | O_CLOEXEC |
				      (flags & (O_NOFOLLOW | O_DIRECTORY)), 0));
}

int host_open(const char *path, int flags, mode_t mode)
{
	int fd = host_look(path, flags);

	if (fd >= 0)
		close(fd);
	else if (fd != -ENOENT || !(flags & O_CREAT))
		return fd;
	/* Checked again once open: whatever the path led to is what counts. */
	return host_keep(host_openat2(path, flags | O_CLOEXEC | O_NOCTTY, mode));
}

int host_stat(const char *path, struct stat *st)
{
	int fd = host_look(path, 0), err = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st))
		err = -errno;
	close(fd);
	return err;
}
