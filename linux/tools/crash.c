// SPDX-License-Identifier: GPL-2.0
/*
 * If cove itself crashes, say so on stderr with where (offsets into the
 * cove binary, for addr2line -e cove), then die by the same signal. A
 * launcher that sees a rank's `cove run` die by SIGSEGV otherwise has no
 * way to tell a bug in cove from the job's own crash.
 */
#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "cove.h"

#define CRASH_FRAMES 24

extern const char __ehdr_start;	/* where this (static-pie) binary was loaded */

static void crash_put(const char *s)
{
	ssize_t rc = write(STDERR_FILENO, s, strlen(s));

	(void)rc;
}

static void crash_put_hex(uintptr_t v)
{
	char buf[2 + 16 + 1], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	crash_put(p);
}

static void crash_handler(int sig, siginfo_t *si, void *uc)
{
	void *frames[CRASH_FRAMES];
	uintptr_t base = (uintptr_t)&__ehdr_start;
	int n = backtrace(frames, CRASH_FRAMES);

	(void)uc;
	crash_put("cove: internal error: ");
	crash_put(strsignal(sig));
	crash_put(" at address ");
	crash_put_hex((uintptr_t)si->si_addr);
	crash_put(" in thread ");
	crash_put_hex((uintptr_t)gettid());
	crash_put("; backtrace (offsets in cove, for addr2line -e):");
	for (int i = 0; i < n; i++) {
		crash_put(" ");
		crash_put_hex((uintptr_t)frames[i] - base);
	}
	crash_put("\n");
	signal(sig, SIG_DFL);
	raise(sig);
}

void cli_crash_report_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa;
	void *warm[1];

	/* The first backtrace() may allocate: not in a signal handler. */
	backtrace(warm, 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}
