// SPDX-License-Identifier: GPL-2.0
/*
 * jobprobe: what one job of several sees. It says which CPU it runs on and
 * what it reads from descriptors it inherited, so a test can check that
 * jobs started at once got cores of their own and their launcher's files.
 *
 *   jobprobe TAG [--sleep MS] [--fd N] [--fd-env NAME]...
 *	prints "jobprobe TAG: cpu C of N threads T" (C from sched_getcpu, N
 *	the CPUs it may use, T its OMP_NUM_THREADS), then for each
 *	descriptor (N, or the number in variable NAME, as PMI_FD names the
 *	launcher's socket): a socket gets "ping TAG" and its answer is
 *	printed, anything else is read to its end and printed; then sleeps MS
 *	and prints "jobprobe TAG: done".
 *   jobprobe --pair N -- CMD ARGS...
 *	the launcher's side, on the host: a socketpair whose one end becomes
 *	descriptor N of CMD (as a PMI server hands a rank its socket); it
 *	answers the first message M with "pong M" and exits with CMD's status.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *prog = "jobprobe";

static void probe_fd(const char *tag, int fd)
{
	char buf[256];
	struct stat st;
	ssize_t n;
	size_t got = 0;

	if (fstat(fd, &st))
		die("fd %d: %s", fd, strerror(errno));
	if (S_ISSOCK(st.st_mode)) {
		n = snprintf(buf, sizeof(buf), "ping %s", tag);
		if (write(fd, buf, (size_t)n) != n)
			die("fd %d: write: %s", fd, strerror(errno));
	}
	while (got < sizeof(buf) - 1) {
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n < 0)
			die("fd %d: read: %s", fd, strerror(errno));
		if (n == 0)
			break;
		got += (size_t)n;
		if (S_ISSOCK(st.st_mode))
			break;	/* one answer */
	}
	buf[got] = 0;
	buf[strcspn(buf, "\n")] = 0;
	printf("jobprobe %s: fd %d: %s\n", tag, fd, buf);
}

/* The launcher's side: hand CMD one end of a socketpair at number fd, answer it once. */
static int run_pair(int fd, char **cmd)
{
	char buf[128], reply[160];
	int sv[2], status;
	pid_t pid;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(sv[0]);
		if (sv[1] != fd && (dup2(sv[1], fd) < 0 || close(sv[1])))
			die("dup2: %s", strerror(errno));
		execvp(cmd[0], cmd);
		die("%s: %s", cmd[0], strerror(errno));
	}
	close(sv[1]);
	n = read(sv[0], buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		n = snprintf(reply, sizeof(reply), "pong %s", buf);
		if (write(sv[0], reply, (size_t)n) != n)
			die("write: %s", strerror(errno));
		printf("jobprobe pair: got \"%s\"\n", buf);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	const char *tag, *omp;
	long sleep_ms = 0;
	cpu_set_t set;

	if (argc >= 5 && !strcmp(argv[1], "--pair") && !strcmp(argv[3], "--"))
		return run_pair(atoi(argv[2]), argv + 4);
	if (argc < 2 || argv[1][0] == '-')
		die("usage: jobprobe TAG [--sleep MS] [--fd N] [--fd-env NAME]... | "
		    "--pair N -- CMD...");
	tag = argv[1];
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	omp = getenv("OMP_NUM_THREADS");
	printf("jobprobe %s: cpu %d of %d threads %s\n", tag, sched_getcpu(), CPU_COUNT(&set),
	       omp ? omp : "-");
	fflush(stdout);
	for (int i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			die("%s needs a value", argv[i]);
		if (!strcmp(argv[i], "--sleep")) {
			sleep_ms = atol(v);
		} else if (!strcmp(argv[i], "--fd")) {
			probe_fd(tag, atoi(v));
		} else if (!strcmp(argv[i], "--fd-env")) {
			const char *num = getenv(v);

			if (!num)
				die("no variable %s", v);
			probe_fd(tag, atoi(num));
		} else {
			die("unknown option %s", argv[i]);
		}
		i++;
	}
	fflush(stdout);
	if (sleep_ms) {
		struct timespec ts = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	printf("jobprobe %s: done\n", tag);
	return 0;
}
