/* SPDX-License-Identifier: GPL-2.0 */
/* Core files (kernel/coredump.c). */
#ifndef COVE_COREDUMP_H
#define COVE_COREDUMP_H

struct ksiginfo;
struct process;
struct task;
struct trap_frame;

/*
 * The current thread takes the signal info says, whose default action dumps
 * core, with f its user registers: write p's core file (within
 * RLIMIT_CORE; info is its NT_SIGINFO, gdb's $_siginfo), then end p with
 * that signal, "core dumped" only if the file was written.
 */
void coredump_and_exit(struct process *p, const struct ksiginfo *info,
		       const struct trap_frame *f) __attribute__((noreturn));
/* Thread t of a process another thread is dumping waits here until it is done. */
void coredump_park(struct task *t);

#endif /* COVE_COREDUMP_H */
