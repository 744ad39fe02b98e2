// SPDX-License-Identifier: GPL-2.0
/* Signal calls: actions, masks, sending, waiting, and the return from a handler. */
#include <cove/errno.h>
#include <cove/kprintf.h>
#include <cove/signal.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>
#include <arch/trap.h>

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIGSET_SIZE 8		/* the kernel's sigset_t: 64 signals */

/* struct stack_t */
struct user_stack {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
};

static bool sig_number_ok(uint64_t sig)
{
	return sig <= NSIG;	/* 0 only asks whether the target exists */
}

int64_t sys_rt_sigaction(SYSCALL_ARGS)
{
	struct k_sigaction act, old;
	int rc;

	if (a3 != SIGSET_SIZE)
		return -EINVAL;
	if (a1 && copy_from_user(&act, a1, sizeof(act)))
		return -EFAULT;
	rc = signal_action((int)a0, a1 ? &act : NULL, &old);
	if (rc)
		return rc;
	if (a2 && copy_to_user(a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_rt_sigprocmask(SYSCALL_ARGS)
{
	struct task *t = task_current();
	uint64_t set, old = t->sigmask;

	if (a3 != SIGSET_SIZE)
		return -EINVAL;
	if (a1) {
		if (copy_from_user(&set, a1, sizeof(set)))
			return -EFAULT;
		switch (a0) {
		case SIG_BLOCK:
			signal_set_mask(old | set);
			break;
		case SIG_UNBLOCK:
			signal_set_mask(old & ~set);
			break;
		case SIG_SETMASK:
			signal_set_mask(set);
			break;
		default:
			return -EINVAL;
		}
	}
	if (a2 && copy_to_user(a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_sigaltstack(SYSCALL_ARGS)
{
	struct task *t = task_current();
	uint64_t sp = syscall_frame()->rsp;
	struct user_stack uss, old = {
		.sp = t->altstack.sp,
		.flags = (int32_t)signal_altstack_flags(&t->altstack, sp),
		.size = t->altstack.size,
	};

	if (a0) {
		struct signal_stack ss;
		int rc;

		if (copy_from_user(&uss, a0, sizeof(uss)))
			return -EFAULT;
		ss.sp = uss.sp;
		ss.size = uss.size;
		ss.flags = (uint32_t)uss.flags;
		rc = signal_altstack_set(&ss, sp);
		if (rc)
			return rc;
	}
	if (a1 && copy_to_user(a1, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_rt_sigreturn(SYSCALL_ARGS)
{
	struct task *t = task_current();
	struct trap_frame *f = syscall_frame();
	struct signal_stack ss;
	uint64_t mask;

	if (arch_signal_restore_frame(f, &mask, &ss)) {
		pr_err("%s[%u]: rt_sigreturn found no valid signal frame at sp %lx\n", t->proc->name,
		       t->tid, f->rsp);
		signal_force(SIGSEGV);
		return 0;
	}
	signal_set_mask(mask);
	/* As Linux: an alternate stack that cannot be put back stays as it is. */
	signal_altstack_set(&ss, f->rsp);
	return (int64_t)f->rax;
}

/* A signal from this process: si_pid is ours. */
static struct ksiginfo sig_info(int sig, int code)
{
	struct ksiginfo info = { .signo = sig, .code = code };

	info.a = (int32_t)task_current()->proc->pid;
	return info;
}

static int kill_one(struct process *p, void *ctx)
{
	return signal_send_info(p, 0, ctx, false);
}

int64_t sys_kill(SYSCALL_ARGS)
{
	struct process *self = task_current()->proc;
	/* An int, as Linux reads it: the upper half of the register may be anything. */
	int64_t pid = (int32_t)a0;
	struct ksiginfo info = sig_info((int)a1, SI_USER);

	if (!sig_number_ok(a1))
		return -EINVAL;
	/* -1 (everyone the caller may signal) still reaches only the caller. */
	if (pid == -1 || pid == (int64_t)self->pid)
		return signal_send_info(self, 0, &info, false);
	/* A group: 0 the caller's, -N group N. */
	if (pid <= 0)
		return process_signal_group(pid ? (uint32_t)-pid : self->pgid, &info);
	/* Under the process table's lock: a child may end and be freed meanwhile. */
	return process_with((uint32_t)pid, kill_one, &info);
}

/*
 * The process one of whose threads is tid (thread ids are unique
 * system-wide): the caller's own first, as tkill is nearly always used,
 * then the first 64 processes (a node runs a job's few ranks).
 */
static bool sig_has_thread(struct process *p, uint32_t tid)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	bool found = false;

	for (struct task *t = p->threads; t && !found; t = t->thread_next)
		found = t->tid == tid;
	spin_unlock_irqrestore(&p->lock, flags);
	return found;
}

static struct process *sig_process_of_thread(uint32_t tid)
{
	struct process *self = task_current()->proc;
	uint32_t pids[64], n;

	if (sig_has_thread(self, tid))
		return self;
	n = process_list_pids(pids, ARRAY_SIZE(pids));
	for (uint32_t i = 0; i < n; i++) {
		struct process *p = process_find(pids[i]);

		if (p && sig_has_thread(p, tid))
			return p;
	}
	return NULL;
}

int64_t sys_tkill(SYSCALL_ARGS)
{
	struct ksiginfo info = sig_info((int)a1, SI_TKILL);
	struct process *p;

	if ((int64_t)a0 <= 0 || !sig_number_ok(a1))
		return -EINVAL;
	p = sig_process_of_thread((uint32_t)a0);
	if (!p)
		return -ESRCH;
	return signal_send_info(p, (uint32_t)a0, &info, false);
}

int64_t sys_tgkill(SYSCALL_ARGS)
{
	struct ksiginfo info = sig_info((int)a2, SI_TKILL);
	struct process *p;

	if ((int64_t)a0 <= 0 || (int64_t)a1 <= 0 || !sig_number_ok(a2))
		return -EINVAL;
	p = process_find((uint32_t)a0);
	if (!p)
		return -ESRCH;
	return signal_send_info(p, (uint32_t)a1, &info, false);
}

/* rt_sigqueueinfo and rt_tgsigqueueinfo: the program's own siginfo. */
static int64_t sig_queueinfo(uint64_t tgid, uint32_t tid, uint64_t sig, uint64_t uinfo)
{
	struct process *self = task_current()->proc, *p;
	uint8_t buf[SIGINFO_SIZE];
	struct ksiginfo info;

	if ((int64_t)tgid <= 0 || !sig_number_ok(sig))
		return -EINVAL;
	if (copy_from_user(buf, uinfo, sizeof(buf)))
		return -EFAULT;
	siginfo_from_user(&info, buf);
	info.signo = (int32_t)sig;
	info.fault = false;
	/* Only the kernel may claim a kernel-made si_code to someone else. */
	if ((info.code >= 0 || info.code == SI_TKILL) && tgid != self->pid)
		return -EPERM;
	p = process_find((uint32_t)tgid);
	if (!p)
		return -ESRCH;
	return signal_send_info(p, tid, &info, true);
}

int64_t sys_rt_sigqueueinfo(SYSCALL_ARGS)
{
	return sig_queueinfo(a0, 0, a1, a2);
}

int64_t sys_rt_tgsigqueueinfo(SYSCALL_ARGS)
{
	if ((int64_t)a1 <= 0)
		return -EINVAL;
	return sig_queueinfo(a0, (uint32_t)a1, a2, a3);
}

int64_t sys_rt_sigpending(SYSCALL_ARGS)
{
	uint64_t set;

	/* Linux takes any size up to its sigset: only the first bytes are written. */
	if (a1 > SIGSET_SIZE)
		return -EINVAL;
	set = signal_pending_blocked();
	return copy_to_user(a0, &set, a1);
}

int64_t sys_pause(SYSCALL_ARGS)
{
	return signal_pause();
}

int64_t sys_rt_sigsuspend(SYSCALL_ARGS)
{
	uint64_t mask;

	if (a1 != SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&mask, a0, sizeof(mask)))
		return -EFAULT;
	return signal_suspend(mask);
}

int64_t sys_rt_sigtimedwait(SYSCALL_ARGS)
{
	uint64_t set, deadline;
	struct ksiginfo info;
	int64_t ts[2];
	int sig;

	if (a3 != SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, a0, sizeof(set)))
		return -EFAULT;
	if (a2) {
		if (copy_from_user(ts, a2, sizeof(ts)))
			return -EFAULT;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
			return -EINVAL;
		/* Far enough: the sum cannot wrap (2^63 ns is 292 years). */
		if ((uint64_t)ts[0] > (1ULL << 62) / NSEC_PER_SEC)
			ts[0] = (int64_t)((1ULL << 62) / NSEC_PER_SEC);
		deadline = time_now_ns() + (uint64_t)ts[0] * NSEC_PER_SEC + (uint64_t)ts[1];
	}
	sig = signal_timedwait(set, &info, a2 ? &deadline : NULL);
	if (sig <= 0)
		return sig;
	if (a1) {
		uint8_t buf[SIGINFO_SIZE];

		siginfo_to_user(buf, &info);
		if (copy_to_user(a1, buf, sizeof(buf)))
			return -EFAULT;
	}
	return sig;
}
