// SPDX-License-Identifier: GPL-2.0
/*
 * Calls Cove forwards to the job's host proxy, each checked against what
 * it must give: the host's own uname and ids, a host directory listed
 * with getdents64, files made, renamed and removed there, a host pipe
 * between two threads with poll and O_NONBLOCK, and a TCP echo server a
 * host process talks to, and reads refused into memory the job may not
 * write. Prints one "offload: NAME ok ..." line per check.
 *
 *   offload_probe DIR [PORT]     (DIR: a host directory it may write in)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <ctype.h>

const char *prog = "offload_probe";
static int failures;

#define CHECK(cond, name, ...)                                                        \
	do {                                                                          \
		if (cond) {                                                           \
			printf("offload: %s ok ", name);                              \
			printf(__VA_ARGS__);                                          \
			printf("\n");                                                 \
		} else {                                                              \
			printf("offload: %s FAILED (%s)\n", name, strerror(errno));   \
			failures++;                                                   \
		}                                                                     \
	} while (0)

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_dir(const char *dir)
{
	char path[512], *names[64];
	struct dirent *de;
	struct stat st;
	int n = 0, fd;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sub", dir);
	CHECK(mkdir(path, 0750) == 0, "mkdir", "%s", path);
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0640);
	CHECK(fd >= 0 && write(fd, "written by the job\n", 19) == 19, "create", "fd %d", fd);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 19, "fstat", "size %lld",
	      (long long)st.st_size);
	close(fd);
	{
		char from[512], to[512];

		snprintf(from, sizeof(from), "%s/a.txt", dir);
		snprintf(to, sizeof(to), "%s/b.txt", dir);
		CHECK(rename(from, to) == 0 && access(to, R_OK) == 0 && access(from, F_OK) < 0,
		      "rename", "a.txt -> b.txt");
		snprintf(from, sizeof(from), "%s/sub", dir);
		snprintf(to, sizeof(to), "%s/link", dir);
		CHECK(symlink("b.txt", to) == 0, "symlink", "link -> b.txt");
	}
	d = opendir(dir);
	CHECK(d != NULL, "opendir", "%s", dir);
	while (d && (de = readdir(d)) && n < 64) {
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	printf("offload: listing");
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
	snprintf(path, sizeof(path), "%s/sub", dir);
	CHECK(rmdir(path) == 0, "rmdir", "sub");
	snprintf(path, sizeof(path), "%s/link", dir);
	CHECK(unlink(path) == 0, "unlink", "link");
}

static int pipe_fds[2];

static void *pipe_writer(void *arg)
{
	(void)arg;
	usleep(100000);
	if (write(pipe_fds[1], "through a host pipe", 19) != 19)
		perror("write");
	close(pipe_fds[1]);
	return NULL;
}

static void check_pipe(void)
{
	struct pollfd pfd;
	pthread_t t;
	char buf[64] = "";
	ssize_t n;

	CHECK(pipe2(pipe_fds, O_CLOEXEC) == 0, "pipe2", "fds %d %d", pipe_fds[0], pipe_fds[1]);
	fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
	n = read(pipe_fds[0], buf, sizeof(buf));
	CHECK(n < 0 && errno == EAGAIN, "nonblock", "EAGAIN on an empty pipe");
	pthread_create(&t, NULL, pipe_writer, NULL);
	pfd.fd = pipe_fds[0];
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN), "poll", "readable");
	n = read(pipe_fds[0], buf, sizeof(buf) - 1);
	CHECK(n == 19 && !strcmp(buf, "through a host pipe"), "pipe", "'%s'", buf);
	pthread_join(t, NULL);
	close(pipe_fds[0]);
}

/*
 * The enclave's files (/proc) and the host's share one descriptor space:
 * numbers never clash, dup2 of either kind works, and /proc describes the
 * enclave (its CPUs), not the host.
 */
static void check_mixed_fds(const char *dir)
{
	char path[512], line[256];
	int local, host, copy, cpus = 0;
	FILE *f;

	local = open("/proc/cpuinfo", O_RDONLY);
	snprintf(path, sizeof(path), "%s/b.txt", dir);
	host = open(path, O_RDONLY);
	CHECK(local >= 0 && host >= 0 && local != host, "fdspace", "enclave %d host %d",
	      local >= 0, host >= 0);
	copy = dup2(local, 50);
	f = copy == 50 ? fdopen(copy, "r") : NULL;
	while (f && fgets(line, sizeof(line), f))
		cpus += !strncmp(line, "processor", 9);
	CHECK(cpus > 0, "proccpus", "%d", cpus);
	if (f)
		fclose(f);
	CHECK(read(host, line, 7) == 7 && !memcmp(line, "written", 7), "hostread", "after dup2");
	{
		char want[32], link[512] = "";
		bool seen_local = false, seen_host = false;
		struct dirent *de;
		DIR *d = opendir("/proc/self/fd");

		while (d && (de = readdir(d))) {
			seen_local |= atoi(de->d_name) == local && isdigit(de->d_name[0]);
			seen_host |= atoi(de->d_name) == host && isdigit(de->d_name[0]);
		}
		if (d)
			closedir(d);
		CHECK(seen_local && seen_host, "procfd", "lists both kinds");
		snprintf(want, sizeof(want), "/proc/self/fd/%d", host);
		CHECK(readlink(want, link, sizeof(link) - 1) > 0 && !strcmp(link, path),
		      "fdlink", "%s", link);
	}
	copy = dup2(host, local);
	CHECK(copy == local && lseek(local, 0, SEEK_SET) == 0 && read(local, line, 7) == 7,
	      "dup2host", "over an enclave fd");
	close(local);
	close(host);
}

/*
 * A thread blocked in a host call (a read of an empty host pipe) and a
 * signal for it from another thread of the job: without SA_RESTART the
 * read fails with EINTR, with it the read goes on and gets the byte
 * written later -- as on Linux.
 */
static int intr_fds[2];
static volatile int intr_handled;
static ssize_t intr_result;
static int intr_errno;

static void on_usr1(int sig)
{
	(void)sig;
	intr_handled++;
}

static void *intr_reader(void *arg)
{
	char c;

	(void)arg;
	intr_result = read(intr_fds[0], &c, 1);
	intr_errno = errno;
	return NULL;
}

static void check_interrupted_call(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	pthread_t t;

	if (pipe(intr_fds))
		return;
	for (int restart = 0; restart < 2; restart++) {
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigaction(SIGUSR1, &sa, NULL);
		intr_handled = 0;
		pthread_create(&t, NULL, intr_reader, NULL);
		usleep(300000);
		pthread_kill(t, SIGUSR1);
		usleep(300000);
		if (restart && write(intr_fds[1], "x", 1) != 1)
			perror("write");
		pthread_join(t, NULL);
		if (restart)
			CHECK(intr_result == 1 && intr_handled == 1, "restart",
			      "read restarted after SA_RESTART handler");
		else
			CHECK(intr_result < 0 && intr_errno == EINTR && intr_handled == 1, "eintr",
			      "read interrupted by a signal from a thread");
	}
	close(intr_fds[0]);
	close(intr_fds[1]);
}

/* Accept one connection and send back each byte upper-cased, until EOF. */
static void check_tcp(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, ls, cs, total = 0;
	char buf[256];
	ssize_t n;

	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CHECK(ls >= 0 && bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(ls, 1) == 0,
	      "listen", "port %d", port);
	printf("offload: listening\n");
	fflush(stdout);
	cs = accept(ls, NULL, NULL);
	CHECK(cs >= 0, "accept", "fd %d", cs);
	while (cs >= 0 && (n = recv(cs, buf, sizeof(buf), 0)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			buf[i] = (char)toupper((unsigned char)buf[i]);
		send(cs, buf, (size_t)n, 0);
		total += (int)n;
	}
	CHECK(total > 0, "echo", "%d bytes", total);
	close(cs);
	close(ls);
}

/*
 * A host read() into memory the job may not write fails with EFAULT, as on
 * Linux, and leaves it as it was: a page the host wrote once, then made
 * read-only, then inaccessible; and the program's own code. Made writable
 * again, the page takes the bytes.
 */
static void check_readonly(const char *dir)
{
	long pg = sysconf(_SC_PAGESIZE);
	ssize_t first, ro, none, code, rw;
	int e_ro, e_none, e_code;
	unsigned char *p;
	char path[512];
	bool kept;
	int fd;

	snprintf(path, sizeof(path), "%s/ro.txt", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || p == MAP_FAILED || write(fd, "host bytes", 10) != 10) {
		CHECK(0, "readonly", "setup");
		return;
	}
	first = pread(fd, p, 10, 0);
	memset(p, 'j', (size_t)pg);
	mprotect(p, (size_t)pg, PROT_READ);
	ro = pread(fd, p, 10, 0);
	e_ro = errno;
	mprotect(p, (size_t)pg, PROT_NONE);
	none = pread(fd, p, 10, 0);
	e_none = errno;
	code = pread(fd, (void *)check_readonly, 10, 0);
	e_code = errno;
	mprotect(p, (size_t)pg, PROT_READ | PROT_WRITE);
	kept = p[0] == 'j' && p[9] == 'j';
	rw = pread(fd, p, 10, 0);
	if (first != 10 || ro != -1 || e_ro != EFAULT || none != -1 || e_none != EFAULT ||
	    code != -1 || e_code != EFAULT || !kept || rw != 10 || memcmp(p, "host bytes", 10))
		printf("offload: readonly: first %zd, read-only %zd (%s), none %zd (%s), code %zd "
		       "(%s), kept %d, writable %zd\n", first, ro, strerror(e_ro), none,
		       strerror(e_none), code, strerror(e_code), kept, rw);
	CHECK(first == 10 && ro == -1 && e_ro == EFAULT && none == -1 && e_none == EFAULT &&
	      code == -1 && e_code == EFAULT && kept && rw == 10 && !memcmp(p, "host bytes", 10),
	      "readonly", "EFAULT into read-only, inaccessible and code pages");
	munmap(p, (size_t)pg);
	close(fd);
	unlink(path);
}

int main(int argc, char **argv)
{
	struct utsname u;

	if (argc < 2) {
		fprintf(stderr, "usage: offload_probe DIR [PORT]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(uname(&u) == 0, "uname", "%s %s", u.sysname, u.nodename);
	printf("offload: ids uid %d euid %d gid %d\n", (int)getuid(), (int)geteuid(),
	       (int)getgid());
	check_dir(argv[1]);
	check_mixed_fds(argv[1]);
	check_pipe();
	check_interrupted_call();
	CHECK(write(42, "x", 1) < 0 && errno == EBADF, "badfd", "EBADF on a closed fd");
	check_readonly(argv[1]);
	if (argc > 2)
		check_tcp(atoi(argv[2]));
	printf("offload: %s\n", failures ? "FAILED" : "all ok");
	return failures ? 1 : 0;
}
