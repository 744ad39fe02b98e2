// SPDX-License-Identifier: GPL-2.0
/* Default signal actions: ignore, or end the whole process. */
#include <cove/errno.h>
#include <cove/kprintf.h>
#include <cove/signal.h>
#include <cove/task.h>

static const char *const signal_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
	[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
	[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM",
	[15] = "SIGTERM", [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",
	[19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG",
	[24] = "SIGXCPU", [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF",
	[28] = "SIGWINCH", [29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(signal_names) && signal_names[sig])
		return signal_names[sig];
	return "a real-time signal";
}

bool signal_dumps_core(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case 24: case 25: case 31:
		return true;
	default:
		return false;
	}
}

static bool signal_ignored_by_default(int sig)
{
	/* SIGCHLD, SIGCONT, SIGURG, SIGWINCH; stop signals too: no job control here. */
	return sig == SIGCHLD || sig == 18 || sig == 23 || sig == 28 || sig == SIGSTOP ||
	       sig == 20 || sig == 21 || sig == 22;
}

int signal_send(struct process *p, int sig)
{
	uint64_t handler;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig == 0 || p->exited)
		return p->exited ? -ESRCH : 0;
	handler = p->sigactions[sig].handler;
	if (sig != SIGKILL && sig != SIGSTOP) {
		if (handler == 1)		/* SIG_IGN */
			return 0;
		if (handler > 1) {
			/* A handler is installed but Cove cannot call it: say so, then act. */
			pr_warn("signal: %s[%u] has a handler for %s; Cove applies the default action\n",
				p->name, p->pid, signal_name(sig));
		}
		if (signal_ignored_by_default(sig))
			return 0;
	}
	if (task_current()->proc == p)
		process_exit(p, 0, sig, signal_dumps_core(sig));
	/* Another process: mark it; its threads die on their way to user mode. */
	process_kill(p, sig, signal_dumps_core(sig));
	return 0;
}
