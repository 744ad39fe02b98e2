// SPDX-License-Identifier: GPL-2.0
/*
 * forkexec: processes as a program sees them -- fork, vfork, posix_spawn,
 * execve, wait4/waitid with exit codes and WNOHANG, SIGCHLD, pipes (EOF,
 * EPIPE and SIGPIPE), close-on-exec, and a fork that cannot fit in memory
 * failing with ENOMEM while the parent goes on. One line per check
 * ("forkexec: NAME ok"), then "forkexec: ok N checks"; the first failure
 * prints "forkexec: FAIL ..." and exits 1.
 *   forkexec checkfd A B   (run by the close-on-exec check through exec)
 *                          exits 0 if fd A is closed and fd B is open
 *   forkexec flood MAX     fork children that wait, up to MAX, until fork
 *                          fails; "forkexec: flood N children, then ERRNO",
 *                          then they end and one more fork must work
 *                          (co-kernel: the host's limit of proxies per job)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "common.h"

const char *prog = "forkexec";

extern char **environ;

static int nchecks;

static void pass(const char *name)
{
	nchecks++;
	printf("forkexec: %s ok\n", name);
	fflush(stdout);
}

/* The child's wait status, or a failure. */
static int wait_for(pid_t pid)
{
	int status;
	pid_t got = waitpid(pid, &status, 0);

	if (got != pid)
		die("waitpid(%d) returned %d (%s)", pid, got, strerror(errno));
	return status;
}

static void expect_exit(pid_t pid, int code, const char *what)
{
	int st = wait_for(pid);

	if (!WIFEXITED(st) || WEXITSTATUS(st) != code)
		die("%s: status %#x, want exit %d", what, st, code);
}

/* Read fd to its end into buf (NUL-terminated). */
static size_t read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	if (n < 0)
		die("read from a pipe: %s", strerror(errno));
	buf[got] = 0;
	return got;
}

static void check_pipe_exec(void)
{
	char buf[128];
	int p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl("/bin/busybox", "busybox", "echo", "hello through a pipe", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	read_all(p[0], buf, sizeof(buf));
	close(p[0]);
	expect_exit(pid, 0, "busybox echo");
	if (strcmp(buf, "hello through a pipe\n"))
		die("the exec'd child wrote '%s'", buf);
	pass("fork-pipe-execve-waitpid");
}

static void check_exit_codes(void)
{
	pid_t pid = fork(), me;
	int st;

	if (pid == 0)
		_exit(42);
	expect_exit(pid, 42, "_exit(42)");
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		for (;;)
			pause();
	}
	st = wait_for(pid);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM)
		die("a child killed by SIGTERM: status %#x", st);
	me = getpid();
	pid = fork();
	if (pid == 0)
		exit(getppid() == me ? 5 : 6);
	expect_exit(pid, 5, "getppid in the child");
	pass("exit-codes-wexitstatus-wtermsig");
}

static void check_wnohang(void)
{
	int p[2], st;
	char c;
	pid_t pid;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		/* Blocks until the parent closes its write end: EOF. */
		_exit(read(p[0], &c, 1) == 0 ? 3 : 4);
	}
	close(p[0]);
	if (waitpid(pid, &st, WNOHANG) != 0)
		die("WNOHANG on a running child did not return 0");
	close(p[1]);
	expect_exit(pid, 3, "the child reading to EOF");
	if (waitpid(-1, &st, WNOHANG) != -1 || errno != ECHILD)
		die("waitpid with no children left: want ECHILD");
	pass("wnohang-echild");
}

static void check_vfork(void)
{
	static volatile int shared;
	pid_t pid;

	shared = 0;
	pid = vfork();
	if (pid == 0) {
		shared = 1;	/* the parent's memory: vfork shares it */
		_exit(7);
	}
	if (pid < 0)
		die("vfork: %s", strerror(errno));
	if (shared != 1)
		die("vfork: the child's store is not in the parent's memory");
	expect_exit(pid, 7, "vfork+_exit");
	pass("vfork-exit");
}

static void check_posix_spawn(void)
{
	char *ok_argv[] = { "busybox", "true", NULL };
	char *bad_argv[] = { "busybox", "false", NULL };
	char *none_argv[] = { "nothing", NULL };
	pid_t pid;
	int rc;

	rc = posix_spawn(&pid, "/bin/busybox", NULL, NULL, ok_argv, environ);
	if (rc)
		die("posix_spawn busybox true: %s", strerror(rc));
	expect_exit(pid, 0, "busybox true");
	rc = posix_spawn(&pid, "/bin/busybox", NULL, NULL, bad_argv, environ);
	if (rc)
		die("posix_spawn busybox false: %s", strerror(rc));
	expect_exit(pid, 1, "busybox false");
	rc = posix_spawn(&pid, "/no/such/program", NULL, NULL, none_argv, environ);
	/* glibc reports the exec's error; musl may too, or the child exits 127. */
	if (rc == 0)
		expect_exit(pid, 127, "posix_spawn of a missing file");
	else if (rc != ENOENT)
		die("posix_spawn of a missing file: %s", strerror(rc));
	pass("posix-spawn");
}

static volatile sig_atomic_t chld_seen, pipe_seen;

static void on_chld(int sig)
{
	(void)sig;
	chld_seen++;
}

static void on_pipe(int sig)
{
	(void)sig;
	pipe_seen++;
}

static void check_sigchld(void)
{
	struct sigaction sa = { .sa_handler = on_chld };
	pid_t pid;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGCHLD, &sa, NULL))
		die("sigaction SIGCHLD: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(0);
	expect_exit(pid, 0, "a child for SIGCHLD");
	for (int i = 0; i < 100 && !chld_seen; i++)
		usleep(1000);
	if (!chld_seen)
		die("no SIGCHLD handler ran after the child ended");
	signal(SIGCHLD, SIG_DFL);
	pass("sigchld-handler");
}

static void check_epipe(void)
{
	int p[2], st;
	pid_t pid;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	close(p[0]);
	signal(SIGPIPE, on_pipe);
	if (write(p[1], "x", 1) != -1 || errno != EPIPE)
		die("a write with no reader: want EPIPE");
	if (!pipe_seen)
		die("a write with no reader: no SIGPIPE");
	signal(SIGPIPE, SIG_DFL);
	pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);	/* not reached: SIGPIPE's default ends it */
	}
	close(p[1]);
	st = wait_for(pid);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGPIPE)
		die("a writer with SIGPIPE's default: status %#x", st);
	pass("epipe-sigpipe");
}

static void check_nonblock(void)
{
	char big[4096], c;
	int p[2];
	long total = 0;

	if (pipe2(p, O_NONBLOCK))
		die("pipe2: %s", strerror(errno));
	if (read(p[0], &c, 1) != -1 || errno != EAGAIN)
		die("an empty O_NONBLOCK pipe: want EAGAIN");
	memset(big, 'p', sizeof(big));
	for (;;) {
		ssize_t n = write(p[1], big, sizeof(big));

		if (n < 0)
			break;
		total += n;
	}
	if (errno != EAGAIN || total < 4096)
		die("filling an O_NONBLOCK pipe: %ld bytes, then %s", total, strerror(errno));
	close(p[0]);
	close(p[1]);
	pass("pipe-nonblock");
}

/* What a pipe looks like: a FIFO, named pipe:[N] in /proc/self/fd. */
static void check_pipe_names(void)
{
	char path[64], name[64], want[64];
	struct stat st;
	ssize_t n;
	int p[2];

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	if (fstat(p[0], &st) || !S_ISFIFO(st.st_mode))
		die("fstat of a pipe: not a FIFO (mode %o)", (unsigned)st.st_mode);
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", p[i]);
		n = readlink(path, name, sizeof(name) - 1);
		if (n < 0)
			die("readlink %s: %s", path, strerror(errno));
		name[n] = 0;
		if (strcmp(name, want))
			die("readlink %s: '%s', want '%s'", path, name, want);
	}
	if (lseek(p[0], 0, SEEK_SET) != -1 || errno != ESPIPE)
		die("lseek on a pipe: want ESPIPE");
	close(p[0]);
	close(p[1]);
	pass("pipe-names");
}

/* readv on a pipe returns what is there: it does not wait to fill every buffer. */
static void check_pipe_readv(void)
{
	char a[5], b[64];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int p[2];

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	if (write(p[1], "12345", 5) != 5)
		die("write to a pipe: %s", strerror(errno));
	if (readv(p[0], iov, 2) != 5 || memcmp(a, "12345", 5))
		die("readv of a pipe holding exactly the first buffer");
	close(p[0]);
	close(p[1]);
	pass("pipe-readv");
}

static int thread_pipe[2];

static void *blocked_reader(void *arg)
{
	char c;

	(void)arg;
	return (void *)(long)read(thread_pipe[0], &c, 1);
}

/* fork in a process with another thread: only the caller goes on in the child. */
static void check_fork_threads(void)
{
	pthread_t t;
	void *ret;
	pid_t pid;

	if (pipe(thread_pipe) || pthread_create(&t, NULL, blocked_reader, NULL))
		die("pipe/pthread_create: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(12);
	expect_exit(pid, 12, "a child forked beside another thread");
	if (write(thread_pipe[1], "x", 1) != 1 || pthread_join(t, &ret) || (long)ret != 1)
		die("the parent's other thread did not go on after the fork");
	close(thread_pipe[0]);
	close(thread_pipe[1]);
	pass("fork-with-threads");
}

static int never_pipe[2];

static void *never_reader(void *arg)
{
	char c;

	(void)arg;
	read(never_pipe[0], &c, 1);	/* nobody writes: only execve ends it */
	return NULL;
}

/* execve in a process with another thread (asleep in a read): that thread goes, exec goes on. */
static void check_execve_threads(void)
{
	char buf[64];
	pthread_t t;
	int p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		if (pipe(never_pipe) || pthread_create(&t, NULL, never_reader, NULL))
			_exit(126);
		usleep(10000);		/* let it block */
		dup2(p[1], 1);
		execl("/bin/busybox", "busybox", "echo", "exec beside a thread", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	read_all(p[0], buf, sizeof(buf));
	close(p[0]);
	expect_exit(pid, 0, "execve beside a thread");
	if (strcmp(buf, "exec beside a thread\n"))
		die("execve beside a thread printed '%s'", buf);
	pass("execve-with-threads");
}

/* Process groups: a child leading its own group, and kill(-pgid) reaching it. */
static void check_process_group(void)
{
	int p[2], st;
	char c;
	pid_t pid;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (setpgid(0, 0) || getpgrp() != getpid())
			_exit(1);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		die("the child did not make its own process group");
	close(p[0]);
	if (kill(-pid, SIGUSR1))
		die("kill(-%d): %s", pid, strerror(errno));
	st = wait_for(pid);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGUSR1)
		die("a group killed with SIGUSR1: status %#x", st);
	if (kill(-pid, SIGUSR1) != -1 || errno != ESRCH)
		die("kill of a group with nobody left: want ESRCH");
	pass("process-group-kill");
}

/* Map all the memory there is, then fork: the copy cannot fit. */
static void check_fork_enomem(void)
{
	enum { CHUNK = 16 << 20, MAXCHUNKS = 1024 };
	static void *chunks[MAXCHUNKS];
	int n = 0, st;
	pid_t pid;

	while (n < MAXCHUNKS) {
		void *m = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (m == MAP_FAILED)
			break;
		chunks[n++] = m;
	}
	if (n < 4)
		die("only %d chunks of 16 MiB could be mapped", n);
	/* Leave room for the kernel's own small allocations. */
	munmap(chunks[--n], CHUNK);
	munmap(chunks[--n], CHUNK);
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		wait_for(pid);
		die("fork with %d MiB mapped succeeded; it should not fit", n * 16);
	}
	if (errno != ENOMEM)
		die("fork beyond memory: %s, want ENOMEM", strerror(errno));
	while (n > 0)
		munmap(chunks[--n], CHUNK);
	/* The parent goes on: another fork works. */
	pid = fork();
	if (pid == 0)
		_exit(9);
	expect_exit(pid, 9, "a fork after the failed one");
	(void)st;
	pass("fork-enomem");
}

/*
 * A fork child's stack deeper than its parent's was, with a system call
 * writing into the deep part before the child touched it, and its heap
 * grown past its parent's break: Cove populates those parts of a child
 * late (mm/aspace_stack.c, sys_brk), and they must read as fresh memory.
 */
static int fork_dive(int depth, int fd)
{
	volatile char frame[16 << 10];
	char got[4096];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth > 0) {
		int rc = fork_dive(depth - 1, fd);

		return rc ? rc : frame[0] != (char)depth || frame[sizeof(frame) - 1] != (char)depth;
	}
	/* The deepest frame: read() writes where nothing touched before. */
	if (read(fd, got, sizeof(got)) != (ssize_t)sizeof(got))
		return 2;
	for (size_t i = 0; i < sizeof(got); i++)
		if (got[i] != 'd')
			return 3;
	return 0;
}

static void check_fork_child_memory(void)
{
	char *before = malloc(100), *grown;
	static char block[4096];
	int fds[2];
	pid_t pid;

	if (!before || pipe(fds))
		die("malloc or pipe failed");
	strcpy(before, "the parent's heap");
	memset(block, 'd', sizeof(block));
	if (write(fds[1], block, sizeof(block)) != (ssize_t)sizeof(block))
		die("pipe write failed");
	pid = fork();
	if (pid == 0) {
		/* 640 KiB of stack frames (the test's stack is 1 MiB): far below the parent's. */
		int rc = fork_dive(40, fds[0]);

		if (rc)
			_exit(10 + rc);
		if (strcmp(before, "the parent's heap"))
			_exit(20);
		/* The raw call: musl's sbrk refuses to grow. */
		grown = (char *)syscall(SYS_brk, 0);
		if (syscall(SYS_brk, grown + (4 << 20)) != (long)(grown + (4 << 20)))
			_exit(21);
		for (size_t i = 0; i < (4 << 20); i += 4096)
			if (grown[i])
				_exit(22);
		memset(grown, 1, 4 << 20);
		_exit(0);
	}
	expect_exit(pid, 0, "a fork child going deeper into its stack and heap");
	close(fds[0]);
	close(fds[1]);
	free(before);
	pass("fork-child-stack-and-heap");
}

static void check_cloexec(void)
{
	char a[16], b[16];
	int fa = open("/tests/forkexec.jobs", O_RDONLY | O_CLOEXEC);
	int fb = open("/tests/forkexec.jobs", O_RDONLY);
	pid_t pid;

	if (fa < 0 || fb < 0)
		die("open /tests/forkexec.jobs: %s", strerror(errno));
	snprintf(a, sizeof(a), "%d", fa);
	snprintf(b, sizeof(b), "%d", fb);
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", "forkexec", "checkfd", a, b, (char *)NULL);
		_exit(127);
	}
	expect_exit(pid, 0, "the exec'd child's descriptors");
	close(fa);
	close(fb);
	pass("cloexec");
}

/*
 * A child writes to a file it inherited: the same open file, so the
 * parent's next write lands after the child's (one offset, as on Linux).
 * In a job with a host proxy the file is the host's, in the child's own
 * proxy forked from the parent's.
 */
static void check_inherited_fd(void)
{
	const char *path = "/tmp/forkexec-inherit";
	char buf[64];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	pid_t pid;

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(write(fd, "from the child\n", 15) == 15 ? 0 : 1);
	expect_exit(pid, 0, "the child writing to an inherited file");
	if (write(fd, "from the parent\n", 16) != 16 || lseek(fd, 0, SEEK_SET) != 0)
		die("the parent's write after its child's: %s", strerror(errno));
	read_all(fd, buf, sizeof(buf));
	close(fd);
	unlink(path);
	if (strcmp(buf, "from the child\nfrom the parent\n"))
		die("an inherited file holds '%s'", buf);
	pass("inherited-fd");
}

/* forkexec flood MAX: how many waiting children a fork may make. */
static int flood(unsigned long max)
{
	static pid_t kids[4096];
	unsigned long n = 0;
	int p[2], err = 0;
	pid_t pid;
	char c;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	while (n < max && n < sizeof(kids) / sizeof(kids[0])) {
		pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			close(p[1]);
			_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
		}
		kids[n++] = pid;
	}
	printf("forkexec: flood %lu children, then %s\n", n,
	       err == EAGAIN ? "EAGAIN" : err == ENOMEM ? "ENOMEM" : err ? strerror(err) : "none");
	close(p[0]);
	close(p[1]);
	for (unsigned long i = 0; i < n; i++)
		expect_exit(kids[i], 0, "a flood child");
	pid = fork();
	if (pid == 0)
		_exit(9);
	if (pid < 0)
		die("fork after the flood ended: %s", strerror(errno));
	expect_exit(pid, 9, "a fork after the flood");
	printf("forkexec: flood ok\n");
	return 0;
}

static void check_execve_errors(void)
{
	static char huge[200 * 1024];
	char *argv[] = { "x", huge, NULL };
	char *none[] = { "x", NULL };
	int fd;

	if (execve("/no/such/file", none, environ) != -1 || errno != ENOENT)
		die("execve of a missing file: want ENOENT, got %s", strerror(errno));
	if (execve("/tests", none, environ) != -1 || errno != EACCES)
		die("execve of a directory: want EACCES, got %s", strerror(errno));
	fd = open("/tmp/forkexec-notelf", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (fd < 0 || write(fd, "not an ELF file\n", 16) != 16)
		die("making /tmp/forkexec-notelf: %s", strerror(errno));
	close(fd);
	chmod("/tmp/forkexec-notelf", 0755);
	if (execve("/tmp/forkexec-notelf", none, environ) != -1 || errno != ENOEXEC)
		die("execve of a non-ELF file: want ENOEXEC, got %s", strerror(errno));
	memset(huge, 'a', sizeof(huge) - 1);
	if (execve("/bin/busybox", argv, environ) != -1 || errno != E2BIG)
		die("execve with 200 KiB of arguments: want E2BIG, got %s", strerror(errno));
	/* Still here, intact. */
	pass("execve-errors");
}

/* Write an executable file holding text. */
static void make_script(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die("making %s: %s", path, strerror(errno));
	close(fd);
	chmod(path, 0755);
}

/*
 * "#!" scripts: the interpreter (this program, found by /proc/self/exe)
 * runs with the line's argument, the script as named, then the caller's
 * arguments (the "scriptargs" mode of main checks them); a script whose
 * interpreter is a script; and the errors Linux gives.
 */
static void check_scripts(void)
{
	char self[256], text[512];
	char *args[] = { "ignored-argv0", "x", NULL };
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;

	if (n <= 0)
		die("readlink /proc/self/exe: %s", strerror(errno));
	self[n] = 0;
	snprintf(text, sizeof(text), "#! %s  scriptargs one  two \n", self);
	make_script("/tmp/forkexec-script", text);
	make_script("/tmp/forkexec-nested", "#!/tmp/forkexec-script\n");
	make_script("/tmp/forkexec-nointerp", "#!/no/such/interpreter\n");
	make_script("/tmp/forkexec-empty", "#!  \n");
	pid = fork();
	if (pid == 0) {
		execv("/tmp/forkexec-script", args);
		_exit(100 + errno);
	}
	expect_exit(pid, 0, "a #! script run by its interpreter");
	pid = fork();
	if (pid == 0) {
		execv("/tmp/forkexec-nested", args);
		_exit(100 + errno);
	}
	/* The inner script's interpreter gets: its argument, the inner script, the outer one, x. */
	expect_exit(pid, 2, "a #! script whose interpreter is a script");
	if (execv("/tmp/forkexec-nointerp", args) != -1 || errno != ENOENT)
		die("a script with a missing interpreter: want ENOENT, got %s", strerror(errno));
	if (execv("/tmp/forkexec-empty", args) != -1 || errno != ENOEXEC)
		die("a script naming no interpreter: want ENOEXEC, got %s", strerror(errno));
	pass("scripts");
}

/* argv as check_scripts arranges it: 0 directly, 2 through a nested script, 1 otherwise. */
static int check_script_args(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[2], "/tmp/forkexec-script") && !strcmp(argv[3], "x"))
		return 0;
	if (argc == 5 && !strcmp(argv[2], "/tmp/forkexec-script") &&
	    !strcmp(argv[3], "/tmp/forkexec-nested") && !strcmp(argv[4], "x"))
		return 2;
	for (int i = 0; i < argc; i++)
		fprintf(stderr, "forkexec: script argv[%d] = '%s'\n", i, argv[i]);
	return 1;
}

/* select, pselect and ppoll on a pipe a child writes to late, then closes. */
static void check_select_pipes(void)
{
	struct timeval tv = { 0, 0 };
	struct timespec ts = { 5, 0 };
	struct pollfd pfd;
	sigset_t none;
	fd_set rd;
	int fds[2], n;
	char c;
	pid_t pid;

	if (pipe(fds))
		die("pipe: %s", strerror(errno));
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	if (select(fds[0] + 1, &rd, NULL, NULL, &tv) != 0 || FD_ISSET(fds[0], &rd))
		die("select on an empty pipe with a zero timeout: not 0 with the set cleared");
	pid = fork();
	if (pid == 0) {
		usleep(20000);
		if (write(fds[1], "s", 1) != 1)
			_exit(1);
		usleep(20000);
		_exit(0);
	}
	close(fds[1]);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	tv.tv_sec = 5;
	n = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	if (n != 1 || !FD_ISSET(fds[0], &rd))
		die("select waiting for a pipe: %d (%s)", n, strerror(errno));
	if (read(fds[0], &c, 1) != 1 || c != 's')
		die("read after select");
	/* Then the writer ends: end of file is readable too. */
	sigemptyset(&none);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	n = pselect(fds[0] + 1, &rd, NULL, NULL, &ts, &none);
	if (n != 1 || !FD_ISSET(fds[0], &rd) || read(fds[0], &c, 1) != 0)
		die("pselect for end of file: %d (%s)", n, strerror(errno));
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	n = ppoll(&pfd, 1, &ts, &none);
	if (n != 1 || !(pfd.revents & POLLHUP))
		die("ppoll at end of file: %d revents %#x", n, pfd.revents);
	expect_exit(pid, 0, "the late writer");
	close(fds[0]);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	if (select(fds[0] + 1, &rd, NULL, NULL, &tv) != -1 || errno != EBADF)
		die("select on a closed descriptor: want EBADF, got %s", strerror(errno));
	pass("select-pselect-ppoll");
}

/* Read fd to its end, counting bytes and checking each is c. */
static size_t drain(int fd, char c)
{
	static char buf[16384];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != c)
				die("drain: byte %zu is %#x, not %#x", total + (size_t)i, buf[i], c);
		total += (size_t)n;
	}
	if (n < 0)
		die("drain: %s", strerror(errno));
	return total;
}

/*
 * A blocking write larger than a pipe holds goes in whole (POSIX), and
 * sendfile of a file into a pipe with less room than the chunk loses
 * nothing (busybox cat copies with sendfile; Python's communicate through
 * cat once lost 4 KiB).
 */
static void check_pipe_whole_writes(void)
{
	enum { BIG = 200000, CAP = 65536, PRE = 1000 };
	static char big[BIG];
	int a[2], b[2];
	size_t got;
	pid_t pid;

	memset(big, 'w', sizeof(big));
	if (pipe(a))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		close(a[1]);
		usleep(20000);	/* the writer finds the pipe full first */
		_exit(drain(a[0], 'w') == BIG ? 0 : 1);
	}
	close(a[0]);
	if (write(a[1], big, BIG) != BIG)
		die("a blocking write of %d bytes into a pipe was cut short", BIG);
	close(a[1]);
	expect_exit(pid, 0, "the reader of a whole write");

	memset(big, 's', sizeof(big));
	/*
	 * In /tmp: the file and the pipe are on one side in both modes (the
	 * enclave's bare, the host's in a job with a proxy, whose pipes are
	 * the host's); sendfile between an enclave file and a host pipe is
	 * EINVAL (cat then copies by read and write).
	 */
	a[0] = open("/tmp/forkexec-sendfile", O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (a[0] < 0 || write(a[0], big, CAP) != CAP || lseek(a[0], 0, SEEK_SET) != 0 || pipe(b))
		die("making the file and pipe for sendfile: %s", strerror(errno));
	if (write(b[1], big, PRE) != PRE)
		die("filling the pipe");
	pid = fork();
	if (pid == 0) {
		ssize_t n;
		size_t sent = 0;

		close(b[0]);
		while ((n = sendfile(b[1], a[0], NULL, CAP)) > 0)
			sent += (size_t)n;
		_exit(n == 0 && sent == CAP ? 0 : 1);
	}
	close(a[0]);
	close(b[1]);
	usleep(20000);	/* sendfile finds too little room first */
	got = drain(b[0], 's');
	if (got != PRE + CAP)
		die("sendfile between pipes: %zu bytes came out of %d", got, PRE + CAP);
	expect_exit(pid, 0, "sendfile of a file into a pipe with less room");
	unlink("/tmp/forkexec-sendfile");
	close(b[0]);
	pass("pipe-whole-writes");
}

static void check_waitid(void)
{
	siginfo_t si;
	pid_t pid = fork();

	if (pid == 0)
		_exit(11);
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED))
		die("waitid: %s", strerror(errno));
	if (si.si_pid != pid || si.si_code != CLD_EXITED || si.si_status != 11 ||
	    si.si_signo != SIGCHLD)
		die("waitid: pid %d code %d status %d", si.si_pid, si.si_code, si.si_status);
	/* By process group: the caller's, named (the first rank's is group 1), and 0. */
	for (int i = 0; i < 2; i++) {
		pid = fork();
		if (pid == 0)
			_exit(20 + i);
		memset(&si, 0, sizeof(si));
		if (waitid(P_PGID, i ? 0 : (id_t)getpgrp(), &si, WEXITED))
			die("waitid P_PGID %d: %s", i ? 0 : getpgrp(), strerror(errno));
		if (si.si_pid != pid || si.si_status != 20 + i)
			die("waitid P_PGID: pid %d status %d", si.si_pid, si.si_status);
	}
	pass("waitid");
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "checkfd")) {
		int closed = fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF;
		int open_ = fcntl(atoi(argv[3]), F_GETFD) >= 0;

		return closed && open_ ? 0 : 1;
	}
	if (argc >= 2 && !strcmp(argv[1], "scriptargs one  two"))
		return check_script_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "flood"))
		return flood(arg_ulong(argc, argv, 2, 0, 1, 4096));
	check_pipe_exec();
	check_exit_codes();
	check_wnohang();
	check_vfork();
	check_posix_spawn();
	check_sigchld();
	check_epipe();
	check_nonblock();
	check_pipe_names();
	check_pipe_readv();
	check_fork_threads();
	check_execve_threads();
	check_process_group();
	check_cloexec();
	check_fork_child_memory();
	check_inherited_fd();
	check_execve_errors();
	check_scripts();
	check_select_pipes();
	check_pipe_whole_writes();
	check_waitid();
	check_fork_enomem();
	printf("forkexec: ok %d checks\n", nchecks);
	return 0;
}
