// SPDX-License-Identifier: GPL-2.0
/* Waiting for children: wait4 and waitid (the bookkeeping is kernel/task.c's). */
#include <cove/errno.h>
#include <cove/rusage.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define WAIT_LINUX_FLAGS 0xe0000000	/* __WNOTHREAD, __WALL, __WCLONE */

#define P_ALL 0
#define P_PID 1
#define P_PGID 2

int64_t sys_wait4(SYSCALL_ARGS)
{
	int64_t pid = (int32_t)a0;
	uint64_t ustatus = a1, options = (uint32_t)a2, urusage = a3;	/* options: an int */
	struct process_wait_result res;
	int rc;

	if (options & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | WAIT_LINUX_FLAGS))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	rc = process_wait(pid, (options & WNOHANG) ? WAIT_NOHANG : 0, &res);
	if (rc > 0 && ustatus && copy_to_user(ustatus, &res.status, sizeof(res.status)))
		return -EFAULT;
	if (rc >= 0 && urusage) {
		int64_t ru[RUSAGE_WORDS] = { 0 };

		if (rc > 0)
			rusage_of_wait(&res, ru);
		if (copy_to_user(urusage, ru, sizeof(ru)))
			return -EFAULT;
	}
	return rc;
}

int64_t sys_waitid(SYSCALL_ARGS)
{
	uint64_t idtype = (uint32_t)a0, id = (uint32_t)a1, uinfo = a2, options = (uint32_t)a3;
	struct process_wait_result res;
	int32_t info[32] = { 0 };	/* a siginfo_t: 128 bytes */
	int64_t pid;
	int rc, group = 0;

	if (options & ~(uint64_t)(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT |
				  WAIT_LINUX_FLAGS))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		pid = -1;
		break;
	case P_PID:
		if ((int32_t)id <= 0)
			return -EINVAL;
		pid = (int32_t)id;
		break;
	case P_PGID:
		if ((int32_t)id < 0)
			return -EINVAL;
		pid = -(int64_t)(id ? (int32_t)id : (int32_t)task_current()->proc->pgid);
		group = WAIT_GROUP;
		break;
	default:
		return -EINVAL;
	}
	/* Cove stops no process: only ends are reported (WEXITED). */
	if (!(options & WEXITED))
		return (options & WNOHANG) ? 0 : -ECHILD;
	rc = process_wait(pid, ((options & WNOHANG) ? WAIT_NOHANG : 0) |
			  ((options & WNOWAIT) ? WAIT_NOWAIT : 0) | group, &res);
	if (rc < 0)
		return rc;
	if (rc > 0) {
		info[0] = SIGCHLD;		/* si_signo */
		info[2] = res.si_code;		/* si_code */
		info[4] = (int32_t)res.pid;	/* si_pid */
		info[5] = 0;			/* si_uid */
		info[6] = res.si_status;	/* si_status */
	}
	if (uinfo && copy_to_user(uinfo, info, sizeof(info)))
		return -EFAULT;
	if (a4) {
		int64_t ru[RUSAGE_WORDS] = { 0 };

		if (rc > 0)
			rusage_of_wait(&res, ru);
		if (copy_to_user(a4, ru, sizeof(ru)))
			return -EFAULT;
	}
	return 0;
}
