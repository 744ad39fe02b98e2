/* SPDX-License-Identifier: GPL-2.0 */
/* What signal.c and signal_deliver.c share; the caller holds the process's lock. */
#ifndef KERNEL_SIGNAL_INTERNAL_H
#define KERNEL_SIGNAL_INTERNAL_H

#include <cove/signal.h>
#include <cove/types.h>

struct process;
struct task;

#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* sig's action ignores it (SIG_IGN, or SIG_DFL for an ignored-by-default signal). */
bool signal_ignored(const struct process *p, int sig);
/* t->sig_work: does t have a pending signal it does not block? */
void signal_recalc(struct task *t);
/*
 * t's mask becomes mask. Signals it unblocks that are ignored are dropped
 * (so "pending and not blocked" always means "to take"); process signals
 * it now blocks go to a thread that can take them.
 */
void signal_set_mask_locked(struct task *t, uint64_t mask);

#endif /* KERNEL_SIGNAL_INTERNAL_H */
