/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signals, as Linux delivers them. A signal pends on a thread (tgkill, a
 * fault) or on the process (kill, timers) and is taken by a thread that
 * does not block it on its way back to user mode: the default action
 * (ignore, or end the process), or a handler called on a frame the
 * architecture builds on the user stack and undoes at rt_sigreturn.
 *
 * Locking: a process's lock covers its actions, both pending sets, every
 * thread's mask and sig_work. Senders wake the chosen thread (sched_wake)
 * with that lock held: the lock order is process lock, then run queue.
 */
#ifndef COVE_SIGNAL_H
#define COVE_SIGNAL_H

#include <cove/sigqueue.h>
#include <cove/types.h>

struct process;
struct task;
struct trap_frame;
struct k_sigaction;
struct signal_stack;

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGSYS 31

/* sigaction flags (Linux's). */
#define SA_NOCLDSTOP 0x00000001ULL
#define SA_SIGINFO 0x00000004ULL
#define SA_RESTORER 0x04000000ULL
#define SA_ONSTACK 0x08000000ULL
#define SA_RESTART 0x10000000ULL
#define SA_NODEFER 0x40000000ULL
#define SA_RESETHAND 0x80000000ULL

#define SIG_DFL 0
#define SIG_IGN 1

/* sigaltstack */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048

/* si_code of faults. */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define TRAP_BRKPT 1
#define TRAP_TRACE 2

/* "SIGSEGV" for 11, "a real-time signal" for 32-64. */
const char *signal_name(int sig);
/* True if the default action of sig writes a core (reported as such). */
bool signal_dumps_core(int sig);

/*
 * Send sig to p as kill(2) from the kernel would (si_code SI_KERNEL when
 * no process is sending): from any context, interrupts included, but not
 * with p's lock held. 0, or -EINVAL / -ESRCH.
 */
int signal_send(struct process *p, int sig);
/*
 * Whether sig sent to p now ends it, as its default action, without a
 * core or a debugger to stop for: no handler, not ignored, and some
 * thread takes it. Not with p's lock held.
 */
bool signal_ends_process(struct process *p, int sig);
/*
 * The general form: to the process (tid 0) or to its thread tid, with this
 * information. -EAGAIN when a real-time signal's queue is full and
 * must_queue asks for it (sigqueue), -ESRCH when the target is gone.
 */
int signal_send_info(struct process *p, uint32_t tid, const struct ksiginfo *info,
		     bool must_queue);
/*
 * A timer of p expired (p->lock held): queue info for the process, or
 * thread tid. False if the timer's previous signal still pends (an
 * overrun). *kill: it was SIGKILL, to send with process_kill once unlocked.
 */
bool signal_timer_fire_locked(struct process *p, uint32_t tid, const struct ksiginfo *info,
			      bool *kill);
/*
 * A fault in the current thread: queue it for the handler and return true,
 * or return false when the default action must end the process (no
 * handler, or the signal is blocked or ignored: Linux forces those).
 */
bool signal_fault(const struct ksiginfo *info);
/* Queue sig at the current thread even if blocked or ignored (a bad sigreturn frame). */
void signal_force(int sig);

/*
 * True if the current thread has a signal to take (or its process is being
 * killed): a long kernel wait polls this and returns -EINTR. Lockless.
 */
bool signal_pending_current(void);

/*
 * The way back to user mode, interrupts off: reschedule, die if killed,
 * take pending signals (running default actions, building handler frames),
 * restart or fail an interrupted call. Returns with interrupts off.
 */
void signal_exit_to_user(struct trap_frame *f);
/* Whether the current thread has exit work (the cheap test before the call). */
bool signal_exit_work(const struct trap_frame *f);

/* The current thread's mask becomes mask (never SIGKILL/SIGSTOP); recalculates its work. */
void signal_set_mask(uint64_t mask);
/* rt_sigaction: old gets the action, act (if any) replaces it. -EINVAL for a bad sig. */
int signal_action(int sig, const struct k_sigaction *act, struct k_sigaction *old);
/* rt_sigpending: what is pending for the current thread and blocked. */
uint64_t signal_pending_blocked(void);
/* pause: sleep until a signal is to be taken; -ERESTARTNOHAND. */
int signal_pause(void);
/* rt_sigsuspend: pause with mask in place, the old one back afterwards. */
int signal_suspend(uint64_t mask);
/*
 * The calling thread's mask for the rest of this call (ppoll, pselect6):
 * a signal it lets through is delivered on the way out, under it, and the
 * old mask comes back after; signal_mask_call_done(rc) puts the old mask
 * back at once unless the call was interrupted, so nothing is delivered
 * under it then (as Linux).
 */
void signal_mask_for_call(uint64_t mask);
void signal_mask_call_done(int64_t rc);
/*
 * rt_sigtimedwait: take a signal of set, waiting until *deadline_ns
 * (time_now_ns; NULL: forever). The signal, -EAGAIN (time is up) or
 * -EINTR (another signal is to be taken).
 */
int signal_timedwait(uint64_t set, struct ksiginfo *info, const uint64_t *deadline_ns);
/* sigaltstack from stack pointer sp: 0 or -EPERM/-EINVAL/-ENOMEM. */
int signal_altstack_set(const struct signal_stack *ss, uint64_t sp);
/* The flags sigaltstack reports at sp: SS_DISABLE, SS_ONSTACK, plus the set ones. */
uint32_t signal_altstack_flags(const struct signal_stack *ss, uint64_t sp);
/* A thread is exiting (p->lock held, t->exiting set): process signals go to another. */
void signal_thread_exit_locked(struct task *t);
/* The process's last thread is gone: stop its timers (kernel/itimer.c). */
void itimer_process_exit(struct process *p);
/* A timer signal was taken: its overrun count, and the timer may signal again. */
int itimer_signal_taken(struct process *p, int32_t timer_id);

/*
 * Architecture. A handler's frame, built on the user stack (or the
 * alternate one) from f: 0, or -EFAULT if it cannot be written there.
 */
struct signal_delivery {
	const struct ksiginfo *info;
	const struct k_sigaction *ka;
	uint64_t oldmask;		/* the mask the handler's return puts back */
	const struct signal_stack *altstack;
};
int arch_signal_setup_frame(struct trap_frame *f, const struct signal_delivery *d);
/*
 * rt_sigreturn: restore f and the FPU from the frame at the user stack;
 * gives back the mask and alternate stack saved there. -EFAULT: bad frame.
 */
int arch_signal_restore_frame(struct trap_frame *f, uint64_t *mask, struct signal_stack *ss);
/*
 * An interrupted system call's fate before a handler runs (ka) or when
 * none does (ka NULL): restart it, or make it fail with EINTR.
 */
void arch_signal_syscall_restart(struct trap_frame *f, const struct k_sigaction *ka);
/* True if f is a system call returning one of the restart codes. */
bool arch_signal_restart_pending(const struct trap_frame *f);
/* The user stack pointer saved in f. */
uint64_t arch_signal_user_sp(const struct trap_frame *f);

#endif /* COVE_SIGNAL_H */
