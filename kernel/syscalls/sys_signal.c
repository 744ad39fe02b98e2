// SPDX-License-Identifier: GPL-2.0
/* Signal calls: actions are recorded, delivery applies default actions. */
#include <cove/errno.h>
#include <cove/signal.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SS_DISABLE 2

int64_t sys_rt_sigaction(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;
	struct k_sigaction act;
	int sig = (int)a0;

	if (sig < 1 || sig > NSIG || a3 != 8)
		return -EINVAL;
	if (a2 && copy_to_user(a2, &p->sigactions[sig], sizeof(act)))
		return -EFAULT;
	if (a1) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		if (copy_from_user(&act, a1, sizeof(act)))
			return -EFAULT;
		p->sigactions[sig] = act;
	}
	return 0;
}

int64_t sys_rt_sigprocmask(SYSCALL_ARGS)
{
	struct task *t = task_current();
	uint64_t set;

	if (a3 != 8)
		return -EINVAL;
	if (a2 && copy_to_user(a2, &t->sigmask, sizeof(t->sigmask)))
		return -EFAULT;
	if (!a1)
		return 0;
	if (copy_from_user(&set, a1, sizeof(set)))
		return -EFAULT;
	switch (a0) {
	case SIG_BLOCK:
		t->sigmask |= set;
		break;
	case SIG_UNBLOCK:
		t->sigmask &= ~set;
		break;
	case SIG_SETMASK:
		t->sigmask = set;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int64_t sys_sigaltstack(SYSCALL_ARGS)
{
	struct {
		uint64_t sp;
		int32_t flags, pad;
		uint64_t size;
	} ss = { 0, SS_DISABLE, 0, 0 };

	if (a1 && copy_to_user(a1, &ss, sizeof(ss)))
		return -EFAULT;
	return 0;
}

/* Signals reach the caller's own process, or another live process. */
static int64_t sig_to_pid(int64_t pid, int sig)
{
	struct process *self = task_current()->proc, *p;

	if (pid == 0 || pid == -1 || pid == (int64_t)self->pid)
		return signal_send(self, sig);
	p = pid > 0 ? process_find((uint32_t)pid) : NULL;
	if (!p)
		return -ESRCH;
	return signal_send(p, sig);
}

int64_t sys_kill(SYSCALL_ARGS)
{
	return sig_to_pid((int64_t)a0, (int)a1);
}

int64_t sys_tkill(SYSCALL_ARGS)
{
	struct process *self = task_current()->proc;

	for (struct task *t = self->threads; t; t = t->thread_next) {
		if (t->tid == a0)
			return signal_send(self, (int)a1);
	}
	return sig_to_pid((int64_t)a0, (int)a1);
}

int64_t sys_tgkill(SYSCALL_ARGS)
{
	return sig_to_pid((int64_t)a0, (int)a2);
}
