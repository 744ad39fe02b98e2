// SPDX-License-Identifier: GPL-2.0
/*
 * on_signal: a job that handles what its launcher forwards. Installs
 * SA_SIGINFO handlers for SIGINT, SIGTERM and SIGUSR1, says "ready", then
 * waits in pause() and reports each signal it catches; after N of them it
 * exits 0. Used to show a Ctrl-C on `cove run` reaches a job's handler.
 *
 *   on_signal [N=2]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

const char *prog = "on_signal";

static volatile sig_atomic_t caught, last, from_kernel;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last = sig;
	from_kernel = si->si_code == SI_KERNEL || si->si_code == SI_USER;
	caught++;
}

int main(int argc, char **argv)
{
	long want = argc > 1 ? atol(argv[1]) : 2;
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
	int seen = 0;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGUSR1, &sa, NULL))
		die("sigaction failed");
	printf("on_signal: ready\n");
	fflush(stdout);
	while (seen < want) {
		pause();
		while (seen < caught) {
			seen++;
			printf("on_signal: caught %s%s\n", strsignal(last),
			       from_kernel ? "" : " (odd si_code)");
			fflush(stdout);
		}
	}
	printf("on_signal: done\n");
	return 0;
}
