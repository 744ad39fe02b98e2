// SPDX-License-Identifier: GPL-2.0
/* Writing, sleeping and being interrupted: the process-level plumbing. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cove.h"

volatile sig_atomic_t cove_interrupts;

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void on_interrupt(int sig)
{
	(void)sig;
	cove_interrupts++;
}

void catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	/* An interrupt cuts the sleep short, which is what callers want. */
	nanosleep(&ts, NULL);
}
