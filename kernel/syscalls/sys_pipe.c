// SPDX-License-Identifier: GPL-2.0
/* pipe and pipe2: a pipe inside the enclave (kernel/fs/pipe.c) as two descriptors. */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/pipe.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

#define O_DIRECT 040000

int64_t sys_pipe2(SYSCALL_ARGS)
{
	struct fdtable *files = task_current()->proc->files;
	uint64_t ufds = a0, flags = (uint32_t)a1;	/* an int */
	struct file *rd, *wr;
	int32_t fds[2];
	bool cloexec = flags & O_CLOEXEC;
	int rc;

	/* O_DIRECT (packet mode) is not offered. */
	if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!user_range_ok(ufds, sizeof(fds), true))
		return -EFAULT;
	rc = pipe_create((uint32_t)flags, &rd, &wr);
	if (rc)
		return rc;
	/* A table sharing numbers with a host reserves them there (fd_install). */
	fds[0] = fd_install(files, rd, 0, cloexec);
	if (fds[0] < 0) {
		file_put(rd);
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(files, wr, 0, cloexec);
	if (fds[1] < 0) {
		fd_close(files, fds[0]);
		file_put(wr);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(files, fds[0]);
		fd_close(files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

int64_t sys_pipe(SYSCALL_ARGS)
{
	return sys_pipe2(a0, 0, 0, 0, 0, 0);
}
