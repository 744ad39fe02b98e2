// SPDX-License-Identifier: GPL-2.0
/*
 * Calls whose route depends on more than one argument, or that change
 * what later routes decide (ROUTE_SELF in the syscall list).
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/offload.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/vfs.h>
#include <arch/syscall_list.h>

/*
 * dup2/dup3 onto newfd: a file of Cove's copies within Cove's table (its
 * number reserved on the host first); a host file is the proxy's to copy,
 * and a file of Cove's at newfd is closed as dup2 would close it.
 */
static int64_t offload_dup_to(uint64_t nr, SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;
	int oldfd = (int)a0, newfd = (int)a1;
	struct file *f;

	if (!offload_has_proxy(p))
		return nr == __NR_dup2 ? sys_dup2(a0, a1, a2, a3, a4, a5)
				       : sys_dup3(a0, a1, a2, a3, a4, a5);
	if (offload_fd_is_host(oldfd)) {
		f = fd_get(p->files, newfd);
		file_put(f);
		if (f && oldfd != newfd)
			fd_forget(p->files, newfd);	/* the host replaces its placeholder */
		return offload_syscall_regs(nr, a0, a1, a2, a3, a4, a5);
	}
	return nr == __NR_dup2 ? sys_dup2(a0, a1, a2, a3, a4, a5)
			       : sys_dup3(a0, a1, a2, a3, a4, a5);
}

int64_t sys_dup2_routed(SYSCALL_ARGS)
{
	return offload_dup_to(__NR_dup2, a0, a1, a2, a3, a4, a5);
}

int64_t sys_dup3_routed(SYSCALL_ARGS)
{
	return offload_dup_to(__NR_dup3, a0, a1, a2, a3, a4, a5);
}

/* After a host chdir, relative paths are the host's until one into the enclave. */
int64_t sys_chdir_routed(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;
	int64_t rc;

	if (!offload_path_is_host(AT_FDCWD, a0))
		return sys_chdir(a0, a1, a2, a3, a4, a5);
	rc = offload_syscall_regs(__NR_chdir, a0, a1, a2, a3, a4, a5);
	if (rc == 0)
		p->cwd_on_host = true;
	return rc;
}

int64_t sys_fchdir_routed(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;
	int64_t rc;

	if (!offload_fd_is_host((int)a0))
		return sys_fchdir(a0, a1, a2, a3, a4, a5);
	rc = offload_syscall_regs(__NR_fchdir, a0, a1, a2, a3, a4, a5);
	if (rc == 0)
		p->cwd_on_host = true;
	return rc;
}

/*
 * link and rename in all their forms, as linkat's or renameat2's five
 * arguments: both names the host's go to the host (as those two calls),
 * both the enclave's (its /dev/shm, or any in bare mode) stay here, and
 * one of each is two file systems, EXDEV.
 */
static int64_t two_names_routed(bool link, SYSCALL_ARGS)
{
	bool from_host = offload_path_is_host((int)a0, a1);
	bool to_host = offload_path_is_host((int)a2, a3);

	if (from_host != to_host)
		return -EXDEV;
	if (from_host)
		return offload_syscall_regs(link ? __NR_linkat : __NR_renameat2, a0, a1, a2, a3,
					    a4, 0);
	return sys_two_names(link, a0, a1, a2, a3, a4, 0);
}

int64_t sys_link_routed(SYSCALL_ARGS)
{
	return two_names_routed(true, AT_FDCWD, a0, AT_FDCWD, a1, 0, 0);
}

int64_t sys_linkat_routed(SYSCALL_ARGS)
{
	return two_names_routed(true, a0, a1, a2, a3, a4, a5);
}

int64_t sys_rename_routed(SYSCALL_ARGS)
{
	return two_names_routed(false, AT_FDCWD, a0, AT_FDCWD, a1, 0, 0);
}

int64_t sys_renameat_routed(SYSCALL_ARGS)
{
	return two_names_routed(false, a0, a1, a2, a3, 0, 0);
}

int64_t sys_renameat2_routed(SYSCALL_ARGS)
{
	return two_names_routed(false, a0, a1, a2, a3, a4, a5);
}

#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)

/*
 * Cove's files in the range are closed here; the host closes its own (and
 * the numbers it held for ours) when the call goes on to the proxy.
 */
int64_t sys_close_range_routed(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;
	uint64_t lo = (uint32_t)a0, hi = (uint32_t)a1;

	if (lo > hi || (a2 & ~(uint64_t)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)))
		return -EINVAL;
	for (uint64_t fd = lo; fd <= hi && fd < FD_MAX; fd++) {
		if (a2 & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(p->files, (int)fd, true);
		else if (offload_has_proxy(p))
			fd_forget(p->files, (int)fd);
		else
			fd_close(p->files, (int)fd);
	}
	if (offload_has_proxy(p))
		return offload_syscall_regs(__NR_close_range, a0, a1, a2, a3, a4, a5);
	return 0;
}

int64_t sys_getcwd_routed(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;

	if (offload_has_proxy(p) && p->cwd_on_host)
		return offload_syscall_regs(__NR_getcwd, a0, a1, a2, a3, a4, a5);
	return sys_getcwd(a0, a1, a2, a3, a4, a5);
}
