/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signals with their default actions. Cove runs no user signal handlers
 * (HPC jobs rarely rely on them): a signal is ignored or kills the process.
 */
#ifndef COVE_SIGNAL_H
#define COVE_SIGNAL_H

#include <cove/types.h>

struct process;

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15
#define SIGCHLD 17
#define SIGSTOP 19

/* "SIGSEGV" for 11, "signal 42" style for others (buf is used then). */
const char *signal_name(int sig);
/* Apply sig to p as its action says; does not return if it kills the caller. */
int signal_send(struct process *p, int sig);
/* True if the default action of sig writes a core (reported as such). */
bool signal_dumps_core(int sig);

#endif /* COVE_SIGNAL_H */
