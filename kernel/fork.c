// SPDX-License-Identifier: GPL-2.0
/*
 * New processes: fork, vfork and clone without CLONE_VM or with
 * CLONE_VM | CLONE_VFORK (posix_spawn). The child is a copy of the
 * caller's process: its memory (copied now, see mm/aspace_fork.c, or
 * shared until exec for vfork), descriptors, signal actions, cwd and the
 * CPUs the job gave it; the calling thread alone goes on in the child.
 * A process with a host proxy gets a child with a proxy of its own,
 * forked on the host from the caller's (kernel/offload/proxy_fork.c).
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/fork.h>
#include <cove/kprintf.h>
#include <cove/offload.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/syscall.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <arch/fpu.h>
#include <arch/trap.h>

/*
 * The parts of the caller's process the child gets. Its memory first: a
 * fork that does not fit fails before the host forks a proxy for it.
 */
static int fork_copy_process(struct process *p, struct process *c, bool share_vm)
{
	unsigned long flags;
	int rc = 0;

	if (share_vm) {
		aspace_get(p->as);
		c->as = p->as;
	} else {
		c->as = aspace_clone(p->as, syscall_frame()->rsp, &rc);
		if (!c->as)
			return rc;
	}
	c->allowed = p->allowed;
	c->exec_heap = p->exec_heap;
	c->exec_stack = p->exec_stack;
	c->host_job = p->host_job;
	c->cwd = p->cwd;
	c->cwd_on_host = p->cwd_on_host;
	memcpy(c->host_cwd, p->host_cwd, sizeof(c->host_cwd));
	flags = spin_lock_irqsave(&p->lock);
	memcpy(c->sigactions, p->sigactions, sizeof(c->sigactions));
	spin_unlock_irqrestore(&p->lock, flags);
	/*
	 * With a host proxy: the child's, forked from the caller's, holds the
	 * numbers of the descriptors copied next (a thread of the caller
	 * opening or closing one of Cove's files meanwhile is the only race,
	 * as with any fork beside such a thread).
	 */
	if (p->proxy) {
		rc = offload_fork(p, c);
		if (rc)
			return rc;
	}
	c->files = fdtable_dup(p->files);
	return c->files ? 0 : -ENOMEM;
}

/* Undo a child that never ran: nobody waits for it (its proxy, if made, ends). */
static void fork_discard(struct process *c)
{
	offload_process_exit(c);
	if (c->files)
		fdtable_put(c->files);
	c->files = NULL;
	c->parent = NULL;
	c->ppid = 0;
	c->reaped = true;
	process_reap_tasks_done(c);
}

/* The thread of the child: the caller's registers, returning 0. */
static struct task *fork_child_task(struct task *parent, struct process *c,
				    const struct fork_args *fa)
{
	struct trap_frame frame;
	struct task *t;
	uint32_t cpu = sched_pick_cpu(&parent->affinity);

	if (cpu >= CPUMASK_BITS)
		cpu = parent->cpu;
	t = task_create(c, cpu);
	if (!t)
		return NULL;
	t->affinity = parent->affinity;
	t->fs_base = (fa->flags & CLONE_SETTLS) ? fa->tls : parent->fs_base;
	t->gs_base = parent->gs_base;
	t->sigmask = parent->sigmask;
	t->altstack = parent->altstack;
	t->mempolicy = parent->mempolicy;
	/* The kernel never touches the FPU: the registers are still the caller's. */
	fpu_save(t->fpu);
	if (fa->flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = fa->ctid;
	frame = *syscall_frame();
	frame.rax = 0;
	if (fa->newsp)
		frame.rsp = fa->newsp;
	task_set_user_frame(t, &frame);
	return t;
}

/*
 * vfork: sleep until the child execs or ends. The child's release
 * (process_vfork_release) must find this thread here, so even a kill does
 * not end the wait: it kills the child too, and the wait ends with it.
 * While vfork_wait is set the child has not reached its release, so it
 * cannot have been freed: c is safe to use under p->lock.
 */
static void fork_vfork_wait(struct process *c)
{
	struct task *me = task_current();
	struct process *p = me->proc;
	bool killed = false;

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&p->lock);

		if (!me->vfork_wait) {
			spin_unlock_irqrestore(&p->lock, flags);
			return;
		}
		if (p->kill_signal && !killed) {
			killed = true;
			process_kill(c, SIGKILL, false);
		}
		me->wake_reason = 0;
		me->state = TASK_BLOCKED;
		sched_block(&p->lock, flags);
	}
}

int64_t process_fork(const struct fork_args *fa)
{
	struct task *parent = task_current(), *t;
	struct process *p = parent->proc, *c;
	bool share_vm = fa->flags & CLONE_VM;
	uint32_t tid;
	int rc;

	/* CLONE_VM without CLONE_VFORK would be a second process in this memory: no. */
	if (share_vm && !(fa->flags & CLONE_VFORK))
		return -EINVAL;
	if (fa->flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES | CLONE_FS))
		return -EINVAL;
	if ((fa->flags & CLONE_PARENT_SETTID) && !user_range_ok(fa->ptid, sizeof(uint32_t), true))
		return -EFAULT;
	c = process_create(p->name, p);
	if (!c)
		return -EAGAIN;
	c->exit_signal = (int)(fa->flags & 0xff);
	rc = fork_copy_process(p, c, share_vm);
	if (rc) {
		fork_discard(c);
		return rc;
	}
	t = fork_child_task(parent, c, fa);
	if (!t) {
		fork_discard(c);
		return -ENOMEM;
	}
	tid = t->tid;
	if (fa->flags & CLONE_PARENT_SETTID)
		copy_to_user(fa->ptid, &tid, sizeof(tid));
	/* glibc's fork keeps the child's tid at ctid in the child's own memory. */
	if (fa->flags & CLONE_CHILD_SETTID)
		aspace_write(c->as, fa->ctid, &tid, sizeof(tid));
	if (fa->flags & CLONE_VFORK) {
		parent->vfork_wait = true;
		c->vfork_parent = parent;
	}
	process_fork_notify(c);
	sched_enqueue(t);
	if (fa->flags & CLONE_VFORK)
		fork_vfork_wait(c);
	return c->pid;
}

int64_t sys_fork(SYSCALL_ARGS)
{
	struct fork_args fa = { .flags = SIGCHLD };

	return process_fork(&fa);
}

int64_t sys_vfork(SYSCALL_ARGS)
{
	struct fork_args fa = { .flags = CLONE_VM | CLONE_VFORK | SIGCHLD };

	return process_fork(&fa);
}
