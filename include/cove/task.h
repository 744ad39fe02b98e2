/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes and their threads. A task is one thread of a process, pinned
 * to one CPU at a time; it moves only when its affinity says it must.
 */
#ifndef COVE_TASK_H
#define COVE_TASK_H

#include <cove/cpumask.h>
#include <cove/hostfile.h>
#include <cove/ktimer.h>
#include <cove/mempolicy.h>
#include <cove/percpu.h>
#include <cove/sigqueue.h>
#include <cove/spinlock.h>
#include <cove/types.h>

struct aspace;
struct fdtable;
struct ramfs_node;
struct trap_frame;
struct process;
struct posix_timer;

/*
 * What threads did, counted (cove/acct.h): a process's ended threads' and
 * collected children's, for perf_event_open and a job's report.
 */
struct acct_counts {
	uint64_t switches;		/* times switched in */
	uint64_t migrations;		/* moves to another CPU */
	uint64_t kentries;		/* entries into the kernel from user code */
	uint64_t offloaded;		/* system calls the host proxy made for it */
};

/* A thread's alternate signal stack (sigaltstack). */
struct signal_stack {
	uint64_t sp;
	uint64_t size;			/* 0: none */
	uint32_t flags;			/* as set: SS_DISABLE, SS_AUTODISARM */
};

enum task_state {
	TASK_RUNNABLE,	/* on its CPU's run queue */
	TASK_RUNNING,
	TASK_BLOCKED,	/* waiting: futex, sleep, wait4 */
	TASK_DEAD,	/* exited; its stack is freed by the next switch */
};

struct task {
	uint64_t ksp;			/* saved kernel rsp while switched out */
	uint64_t kstack_top;
	uint32_t tid;
	volatile enum task_state state;
	uint32_t cpu;			/* the CPU it runs on */
	volatile uint32_t on_cpu;	/* still executing on some CPU's stack */
	bool on_rq;
	bool is_idle;
	struct cpumask affinity;
	struct process *proc;		/* NULL for idle tasks */
	void *fpu;			/* 64-byte aligned save area */
	void *fpu_alloc;
	uint64_t fs_base;
	uint64_t gs_base;
	uint64_t clear_child_tid;	/* set_tid_address / CLONE_CHILD_CLEARTID */
	uint64_t robust_list, robust_len;
	/*
	 * Signal state. sigmask, saved_sigmask, restore_sigmask, sigpending
	 * and exiting are under the process's lock; the thread itself reads
	 * its mask without it. sig_work is set by senders under that lock and
	 * read locklessly on the way to user mode (kernel/signal.c).
	 */
	uint64_t sigmask;
	uint64_t saved_sigmask;		/* sigsuspend: the mask to put back */
	/*
	 * The thread's own reasons to take the slow way back to user mode,
	 * one byte each so every writer keeps a plain store; the system call
	 * exit reads them as one word (exit_work, TASK_EXIT_WORK in
	 * arch/asm_offsets.h) instead of five loads and tests.
	 */
	union {
		struct {
			bool restore_sigmask;
			volatile bool sig_work;	/* a signal it does not block is pending */
			/*
			 * Another thread of its process is in execve: leave
			 * at the next way out (lockless).
			 */
			volatile bool exec_exit;
			/* Its user frame was rewritten: leave by IRET. */
			bool iret_exit;
			/*
			 * Its process is being killed (proc->kill_signal): set
			 * for every thread under proc->lock, never cleared.
			 */
			volatile bool kill_exit;
		};
		uint64_t exit_work;
	};
	bool exiting;			/* past task_exit: no signal is for it */
	bool started;			/* enqueued once: a wake may run it */
	bool vfork_wait;		/* in vfork until the child execs or ends; proc->lock */
	/* Waiting in the kernel while its debugged process is stopped (cove/jobdbg.h). */
	volatile bool dbg_parked;
	struct signal_stack altstack;	/* its own; no lock */
	uint64_t fault_addr;		/* the last user fault's address, for the handler */
	struct sigpending sigpending;	/* directed at this thread */
	struct task *rq_next;		/* run queue or sleeper list link */
	uint64_t deadline;		/* sleepers: when to wake, in ns */
	bool sleeping;			/* on its CPU's sleeper list */
	struct task *wait_next;		/* futex queue link */
	uint64_t wait_key;		/* its futex key (cove/futex.h); 0: not queued */
	const void *wait_space;
	uint32_t wait_bitset;
	void *wait_bucket;		/* futex bucket it is queued on */
	volatile int wake_reason;	/* 0 woken, -ETIMEDOUT, -EINTR */
	struct task *thread_next;	/* the process's thread list */
	uint64_t switches;
	/*
	 * Accounting (cove/acct.h), written by the CPU the thread runs on (or
	 * is switched on), read by others under acct_seq: entries into the
	 * kernel from its user code (system calls, faults, interrupts), user
	 * and system cycles, the counter at its last crossing (0 while it is
	 * off a CPU), and the sequence count: odd while a writer is between its
	 * stores, and when even, bit 1 set while the thread is in the kernel.
	 */
	uint64_t kentries;
	uint64_t acct_utime, acct_stime, acct_mark;
	uint64_t acct_seq;
	uint64_t acct_minflt;		/* faults that populated memory (a fork child's stack) */
	uint64_t run_ns;		/* time on a CPU, up to its last switch out */
	uint64_t run_since;		/* when it last switched in */
	/* set_mempolicy's policy; set by the thread itself, inherited by clone (no lock). */
	struct mempolicy mempolicy;
	uint64_t migrations;		/* moves to another CPU; by the scheduler */
	uint64_t offloaded;		/* system calls its host proxy made for it; its own */
};

struct k_sigaction {
	uint64_t handler;		/* SIG_DFL 0, SIG_IGN 1, else a user function */
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct process {
	uint32_t pid;
	spinlock_t lock;
	struct aspace *as;
	struct fdtable *files;
	struct ramfs_node *cwd;
	uint32_t host_job;		/* co-kernel: the host job it is part of, or 0 */
	bool cwd_on_host;		/* relative paths are the host's (cove/hostfile.h) */
	bool proxy;			/* its host job serves offloaded calls (cove/offload.h) */
	bool proxy_forked;		/* host_job is a proxy fork made for it: ends with it */
	bool mem_refused_said;		/* mm/pmem_refused.c said so once; set by exchange */
	char host_cwd[HOSTFILE_PATH_MAX];	/* that host directory; "" if the host did not say */
	struct task *threads;
	uint32_t nr_live;		/* threads not yet exited */
	uint32_t nr_tasks;		/* threads not yet freed */
	struct process *parent;
	/*
	 * parent's pid, 0 when parent is NULL: set with parent (under
	 * proc_table_lock once p is in the table), so getppid reads it
	 * without that global lock and cannot meet a freed parent.
	 */
	uint32_t ppid;
	bool exited;			/* every thread gone */
	/*
	 * Its parent was told (SIGCHLD sent), under proc_table_lock: only now
	 * may a wait reap it, so a waiter never finds a child ended whose
	 * SIGCHLD has not been sent yet (as Linux's exit_notify).
	 */
	bool notified;
	bool reaped;			/* collected by wait4 or the job */
	int exit_code;
	int term_signal;		/* 0 = exited normally */
	bool dumped;			/* killed by a signal whose default dumps core */
	volatile int kill_signal;	/* pending fatal signal for the threads */
	struct k_sigaction sigactions[NSIG + 1];	/* under lock */
	struct sigpending sigpending;	/* directed at the process; under lock */
	/*
	 * Timers that signal (kernel/itimer.c). timer_lock orders setting and
	 * deleting them; their functions never take it, only lock.
	 */
	spinlock_t timer_lock;
	struct ktimer itimer_real;	/* alarm, setitimer(ITIMER_REAL) */
	uint64_t itimer_interval;	/* ns; under lock */
	struct posix_timer *posix_timers;	/* under lock */
	struct cpumask allowed;		/* CPUs the job gave this process */
	char name[32];
	void *job_rank;			/* the job rank this process is, if any */
	struct task *waiter;		/* a thread blocked in wait4 for a child; table lock */
	/*
	 * Children (kernel/task.c, under the process table's lock): parent
	 * is NULL for a job's ranks and for orphans, whose parent ended
	 * first; an orphan is collected as soon as it ends.
	 */
	int exit_signal;		/* sent to the parent at its end (SIGCHLD); 0: none */
	uint32_t job_rank_of;		/* the rank (job_rank) it is or descends from */
	uint32_t pgid, sid;		/* process group and session */
	struct process *reap_next;	/* a list of processes to free */
	/* vfork: the parent's thread asleep until this process execs or ends; under lock. */
	struct task *vfork_parent;
	uint64_t start_ns;		/* when it was made, ns since boot */
	uint64_t exec_heap, exec_stack;	/* the job's heap= and stack=, for execve's images */
	/*
	 * Accounting (cove/acct.h), in cycles: ended threads' times (under
	 * lock), and collected children's with their largest peak memory
	 * (under the process table's lock, taken by wait).
	 */
	uint64_t acct_dead_utime, acct_dead_stime, acct_dead_minflt;
	uint64_t acct_child_utime, acct_child_stime, acct_child_minflt;
	uint64_t acct_child_maxrss;	/* bytes */
	/* RLIMIT_CORE, soft and hard (Cove's default: unlimited); under lock, inherited. */
	uint64_t core_limit[2];
	/*
	 * The thread writing a core file for it (kernel/coredump.c), under
	 * lock: the others wait in the kernel (coredump_park) until it is done,
	 * so the registers it writes down are the ones they stopped with.
	 */
	struct task *core_dumper;
	uint32_t core_parked;		/* threads waiting so; atomic */
	/* Its core file: bytes written (0: none), else why not, for the job's report. */
	uint64_t core_bytes;
	const char *core_note;
	int core_errno;
	/*
	 * A debugger's hold on it (kernel/debug/jobdbg.c; cove/jobdbg.h), under
	 * lock; dbg_stopped is also read without it on the way to user mode.
	 * While stopped, every thread but dbg_step waits in the kernel;
	 * dbg_agent is the thread talking to the debugger meanwhile.
	 */
	bool dbg_on;			/* started with gdb=1; off once it detaches */
	bool dbg_initial;		/* its first thread stops before its first instruction */
	volatile bool dbg_stopped;
	struct task *dbg_agent;
	struct task *dbg_step;		/* let run for one instruction */
	/*
	 * Counts (cove/acct.h) of its ended threads (under lock) and of its
	 * collected children (under the process table's lock, as above).
	 */
	struct acct_counts acct_dead_counts, acct_child_counts;
};

/* The task running on this CPU (the idle task when nothing else is). */
static inline struct task *task_current(void)
{
	return this_cpu()->current;
}
/* A new thread of proc on cpu, with a kernel stack and FPU area; not started. */
struct task *task_create(struct process *proc, uint32_t cpu);
/* Prepare t to enter user mode with the register state in frame. */
void task_set_user_frame(struct task *t, const struct trap_frame *frame);
/* The user register frame at the top of t's kernel stack. */
struct trap_frame *task_user_frame(struct task *t);
void task_free(struct task *t);
/* End the calling thread; the process ends with its last thread. */
void task_exit(int code) __noreturn;
/* Mark p killed by sig and make its threads leave (not the caller's process). */
void process_kill(struct process *p, int sig, bool dumped);
/* Kill the whole process (exit_group, fatal signal). */
void process_exit(struct process *p, int code, int signal, bool dumped) __noreturn;

struct process *process_create(const char *name, struct process *parent);
/* Called when the last task of p is freed (never on p's own stack). */
void process_reap_tasks_done(struct process *p);
struct process *process_find(uint32_t pid);
/*
 * fn(p, ctx) on the live process pid with the process table locked, so p
 * cannot be freed meanwhile (for /proc). fn may take p's, its address
 * space's and its descriptor table's locks, but must not block, nor make
 * or free processes. fn's result, or -ESRCH if there is no such process.
 */
int process_with(uint32_t pid, int (*fn)(struct process *p, void *ctx), void *ctx);
/* Within process_with: p's parent's pid, 0 if it has none or it is gone. */
uint32_t process_parent_pid_locked(const struct process *p);
/*
 * getppid: the pid of p's parent; 0 for a job's rank or an orphan (the
 * parent's end clears the link, under the table's lock, before it is freed).
 */
static inline uint32_t process_parent_pid(const struct process *p)
{
	return __atomic_load_n(&p->ppid, __ATOMIC_RELAXED);
}
/* Time t has run on a CPU, now included if it is running. */
uint64_t task_runtime_ns(const struct task *t);
/* The pids of live processes, at most max of them; returns how many. */
uint32_t process_list_pids(uint32_t *pids, uint32_t max);
/*
 * Whoever runs processes (the job runner) hears of every process whose
 * last thread has exited; it decides when the process is reaped.
 */
typedef void (*process_exit_hook_fn)(struct process *p);
void process_set_exit_hook(process_exit_hook_fn hook);
/* ... and of every process fork makes, before it runs. */
typedef void (*process_fork_hook_fn)(struct process *child);
void process_set_fork_hook(process_fork_hook_fn hook);
void process_fork_notify(struct process *child);

/* What wait4/waitid learn of a child that ended. */
struct process_wait_result {
	uint32_t pid;
	int status;			/* wait4's: (code << 8), or the signal | 0x80 for a core */
	int si_code;			/* waitid's: CLD_EXITED 1, CLD_KILLED 2, CLD_DUMPED 3 */
	int si_status;			/* the exit code or the signal */
	/* What it and its collected children used (cove/acct.h): wait4's rusage. */
	uint64_t utime_ns, stime_ns, maxrss, minflt;
	uint64_t utime_cycles, stime_cycles;
	struct acct_counts counts;
};
#define WAIT_NOHANG 1
#define WAIT_GROUP 2		/* pid is -pgid, whatever the group (waitid's P_PGID, group 1 too) */
#define WAIT_NOWAIT 0x01000000
/*
 * Collect an ended child of the current process: pid > 0 that one, -1
 * any, 0 one of the caller's process group, < -1 one of group -pid. The
 * child's pid (res filled), 0 with WAIT_NOHANG when none has ended yet,
 * -ECHILD when there is no such child, -ERESTARTSYS for a signal.
 */
int process_wait(int64_t pid, int options, struct process_wait_result *res);
/* The vfork parent of p (if any) may run again: p has exec'd or ended. */
void process_vfork_release(struct process *p);
/* kill(-pgid): info to every live process of group pgid; 0, or -ESRCH if it has none. */
int process_signal_group(uint32_t pgid, const struct ksiginfo *info);
/* Kill every live process descended from job rank rank_of, but not the rank itself. */
void process_kill_descendants(uint32_t rank_of);

/* Whether a blocked t must not sleep: a signal for it, or its process killed. */
static inline bool task_signal_wakes(const struct task *t)
{
	return t->proc && (t->sig_work || t->proc->kill_signal || t->exec_exit);
}

/* Architecture: the first switch into a new task lands in this function. */
void arch_task_init_stack(struct task *t);
void arch_task_switch(struct task *prev, struct task *next);
/* execve, on the current thread t: FPU state, FS and GS bases as a new program's. */
void arch_task_exec_reset(struct task *t);

#endif /* COVE_TASK_H */
