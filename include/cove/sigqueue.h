/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pending signals: a set of signal numbers plus what each instance says
 * (struct ksiginfo). A standard signal (1-31) pends at most once, as on
 * Linux; real-time signals (32-64) queue in order, up to SIGQUEUE_RT_MAX
 * per set. Pure logic, with no locking: the owner of a set locks it (a
 * process's lock, see kernel/signal.c). Shared with the host unit tests.
 */
#ifndef COVE_SIGQUEUE_H
#define COVE_SIGQUEUE_H

#include <cove/types.h>

#define NSIG 64
#define SIGRTMIN 32
#define SIGBIT(sig) (1ULL << ((sig) - 1))

/* Real-time instances one set holds; a full queue refuses sigqueue(). */
#define SIGQUEUE_RT_MAX 16
/* Every standard signal once, plus the real-time instances. */
#define SIGQUEUE_LEN (31 + SIGQUEUE_RT_MAX)

/* si_code values the kernel produces (Linux's). */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_TKILL (-6)

/* One instance: Linux's siginfo reduced to the fields Cove fills in. */
struct ksiginfo {
	int32_t signo;
	int32_t code;
	int32_t err;		/* si_errno */
	int32_t a;		/* si_pid, or si_tid (the timer's id) */
	int32_t b;		/* si_uid, or si_overrun */
	bool fault;		/* the fault layout: value is si_addr */
	bool dbg_seen;		/* a debugger saw it and passed it on: not reported again */
	uint64_t value;		/* si_value (a sigval), or si_addr */
};

struct sigpending {
	uint64_t set;		/* signals pending, bit sig - 1 */
	uint32_t count;
	struct ksiginfo q[SIGQUEUE_LEN];	/* oldest first */
};

enum sigqueue_added {
	SIGQ_QUEUED,		/* a new instance */
	SIGQ_MERGED,		/* a standard signal already pending: one instance stays */
	SIGQ_FULL,		/* real-time queue full: pending, but this info is lost */
};

/* Add one instance of info->signo (1..NSIG). */
enum sigqueue_added sigqueue_add(struct sigpending *p, const struct ksiginfo *info);
/*
 * Take the next signal not in blocked: synchronous fault signals first,
 * then the lowest number; fills *out, returns the signal or 0 if none.
 */
int sigqueue_take(struct sigpending *p, uint64_t blocked, struct ksiginfo *out);
/* True if a real-time instance of sig would not fit. */
bool sigqueue_full(const struct sigpending *p, int sig);
/* True if the POSIX timer with this id has an instance pending here. */
bool sigqueue_has_timer(const struct sigpending *p, int32_t timer_id);
/* Drop every instance of the signals in mask. */
void sigqueue_flush(struct sigpending *p, uint64_t mask);
/* Drop the instances a POSIX timer queued with this id (it is deleted). */
void sigqueue_flush_timer(struct sigpending *p, int32_t timer_id);
/* The signal sigqueue_take would pick from set (0 if empty). */
int sigset_next(uint64_t set);

/* Linux's 128-byte siginfo_t, as a handler or rt_sigtimedwait sees it. */
#define SIGINFO_SIZE 128
void siginfo_to_user(uint8_t out[SIGINFO_SIZE], const struct ksiginfo *info);
/* What rt_sigqueueinfo accepts from a program (the sigval layout). */
void siginfo_from_user(struct ksiginfo *info, const uint8_t in[SIGINFO_SIZE]);

#endif /* COVE_SIGQUEUE_H */
