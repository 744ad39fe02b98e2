// SPDX-License-Identifier: GPL-2.0
/*
 * procview: what a program learns of the machine it runs on from /proc,
 * /sys and /dev, checked against what the kernel says through system
 * calls. Run as "procview NCPUS": NCPUS is the number of CPUs the job was
 * given, which every view must agree on.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

const char *prog = "procview";

static int checks;

#undef CHECK	/* common.h's, but counting each check */
#define CHECK(cond, ...)						\
	do {								\
		checks++;						\
		if (!(cond))						\
			die(__VA_ARGS__);				\
	} while (0)

/* A whole file into a static buffer, NUL-terminated: its length. */
static size_t slurp(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	if (n < 0)
		die("read %s: %s", path, strerror(errno));
	buf[got] = 0;
	close(fd);
	return got;
}

static char text[1 << 20];

static int count_lines_starting(const char *buf, const char *prefix)
{
	int n = 0;
	size_t len = strlen(prefix);

	for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, prefix, len))
			n++;
	}
	return n;
}

/* The number after "label" on its line, or -1. */
static long field(const char *buf, const char *label)
{
	const char *p = strstr(buf, label);

	return p ? strtol(p + strlen(label), NULL, 10) : -1;
}

static void check_cpus(int ncpus)
{
	char want[32], path[128];
	cpu_set_t set;
	DIR *d;
	struct dirent *e;
	int dirs = 0;

	slurp("/proc/cpuinfo", text, sizeof(text));
	CHECK(count_lines_starting(text, "processor\t: ") == ncpus,
	      "/proc/cpuinfo has %d processor lines, not %d", count_lines_starting(text, "processor\t: "),
	      ncpus);
	CHECK(count_lines_starting(text, "flags\t\t: ") == ncpus, "/proc/cpuinfo: flags lines");
	CHECK(strstr(text, " fpu ") && strstr(text, " sse2 "), "/proc/cpuinfo: no fpu/sse2 flag");
	CHECK(count_lines_starting(text, "model name\t: ") == ncpus, "/proc/cpuinfo: model name");
	snprintf(want, sizeof(want), "processor\t: %d\n", ncpus - 1);
	CHECK(strstr(text, want), "/proc/cpuinfo does not number CPUs 0..%d", ncpus - 1);

	CHECK(get_nprocs() == ncpus, "get_nprocs() = %d", get_nprocs());
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) == ncpus, "sysconf(ONLN) = %ld",
	      sysconf(_SC_NPROCESSORS_ONLN));
	CHECK(sysconf(_SC_NPROCESSORS_CONF) == ncpus, "sysconf(CONF) = %ld",
	      sysconf(_SC_NPROCESSORS_CONF));
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == ncpus,
	      "sched_getaffinity: %d CPUs", CPU_COUNT(&set));

	snprintf(want, sizeof(want), ncpus > 1 ? "0-%d\n" : "0\n", ncpus - 1);
	slurp("/sys/devices/system/cpu/online", text, sizeof(text));
	CHECK(!strcmp(text, want), "cpu/online is '%s', not '%s'", text, want);
	slurp("/sys/devices/system/cpu/possible", text, sizeof(text));
	CHECK(!strcmp(text, want), "cpu/possible is '%s'", text);
	slurp("/sys/devices/system/node/node0/cpulist", text, sizeof(text));
	CHECK(!strcmp(text, want), "node0/cpulist is '%s'", text);
	slurp("/sys/devices/system/node/online", text, sizeof(text));
	CHECK(!strcmp(text, "0\n"), "node/online is '%s'", text);

	d = opendir("/sys/devices/system/cpu");
	CHECK(d, "opendir /sys/devices/system/cpu: %s", strerror(errno));
	while ((e = readdir(d))) {
		unsigned n;
		char extra;

		if (sscanf(e->d_name, "cpu%u%c", &n, &extra) == 1) {
			CHECK(e->d_type == DT_DIR, "%s is not a directory entry", e->d_name);
			dirs++;
		}
	}
	closedir(d);
	CHECK(dirs == ncpus, "%d cpuN directories, not %d", dirs, ncpus);

	/* Every CPU's topology and at least an L1 data cache, as hwloc reads them. */
	for (int c = 0; c < ncpus; c++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/core_id", c);
		slurp(path, text, sizeof(text));
		CHECK(text[0] >= '0' && text[0] <= '9', "%s: '%s'", path, text);
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", c);
		slurp(path, text, sizeof(text));
		snprintf(want, sizeof(want), "%d", c);
		CHECK(strstr(text, want), "%s: '%s' does not hold the CPU itself", path, text);
	}
	slurp("/sys/devices/system/cpu/cpu0/cache/index0/level", text, sizeof(text));
	CHECK(!strcmp(text, "1\n"), "cache index0 level '%s'", text);
	slurp("/sys/devices/system/cpu/cpu0/cache/index0/shared_cpu_list", text, sizeof(text));
	CHECK(text[0] == '0', "cache index0 shared_cpu_list '%s'", text);
	printf("procview: cpus=%d cpuinfo, sysfs, sysconf and affinity agree\n", ncpus);
}

static void check_memory(void)
{
	struct sysinfo si;
	long total, free_kb;

	slurp("/proc/meminfo", text, sizeof(text));
	total = field(text, "MemTotal:");
	free_kb = field(text, "MemFree:");
	CHECK(sysinfo(&si) == 0, "sysinfo");
	/* Within the partition (sysinfo's total), and most of it. */
	CHECK(total > 0 && (unsigned long)total * 1024 <= si.totalram * si.mem_unit &&
	      (unsigned long)total * 1024 >= si.totalram * si.mem_unit / 2,
	      "MemTotal %ld kB against a %lu kB partition", total,
	      si.totalram * si.mem_unit / 1024);
	CHECK(free_kb > 0 && free_kb <= total, "MemFree %ld kB of %ld", free_kb, total);
	CHECK(field(text, "SwapTotal:") == 0 && field(text, "Hugepagesize:") == 2048,
	      "meminfo: swap or huge page size");
	slurp("/sys/devices/system/node/node0/meminfo", text, sizeof(text));
	CHECK(field(text, "Node 0 MemTotal:") == total, "node0 MemTotal differs");
	printf("procview: meminfo MemTotal within the partition\n");
}

static void check_self(char **argv)
{
	char exe[256], link[256], want[512], *line;
	unsigned long lo, hi, here = (unsigned long)&exe, code = (unsigned long)&check_self;
	int text_seen = 0, stack_seen = 0, heap_seen = 0, fd, fds = 0;
	ssize_t n;
	DIR *d;
	struct dirent *e;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	CHECK(n > 0, "readlink /proc/self/exe: %s", strerror(errno));
	exe[n] = 0;
	CHECK(!strcmp(exe, argv[0]), "/proc/self/exe is '%s', not '%s'", exe, argv[0]);
	n = readlink("/proc/self", link, sizeof(link) - 1);
	CHECK(n > 0 && atoi((link[n] = 0, link)) == getpid(), "/proc/self -> '%s'", link);

	slurp("/proc/self/maps", text, sizeof(text));
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char perms[8], name[256] = "";

		if (sscanf(line, "%lx-%lx %7s %*x %*x:%*x %*u %255s", &lo, &hi, perms, name) < 3)
			die("maps line '%s'", line);
		if (code >= lo && code < hi && perms[2] == 'x' && !strcmp(name, exe))
			text_seen = 1;
		if (here >= lo && here < hi && !strcmp(name, "[stack]"))
			stack_seen = 1;
		heap_seen |= !strcmp(name, "[heap]");
	}
	CHECK(text_seen, "maps: no executable line of %s holds this code", exe);
	CHECK(stack_seen, "maps: [stack] does not hold this stack");
	CHECK(heap_seen, "maps: no [heap]");

	/* Files opened here show in fd/ under their own names. */
	fd = open("/data/fox.txt", O_RDONLY);
	CHECK(fd >= 3, "open /data/fox.txt");
	snprintf(want, sizeof(want), "/proc/self/fd/%d", fd);
	n = readlink(want, link, sizeof(link) - 1);
	CHECK(n > 0 && (link[n] = 0, !strcmp(link, "/data/fox.txt")), "%s -> '%s'", want, link);
	d = opendir("/proc/self/fd");
	CHECK(d, "opendir /proc/self/fd");
	while ((e = readdir(d))) {
		if (e->d_name[0] != '.')
			fds++;
	}
	closedir(d);
	/* 0, 1, 2, the file, and the directory being read. */
	CHECK(fds == 5, "/proc/self/fd lists %d descriptors, not 5", fds);
	close(fd);

	slurp("/proc/self/status", text, sizeof(text));
	CHECK(field(text, "\nPid:\t") == getpid() && field(text, "\nThreads:\t") == 1,
	      "status: Pid or Threads");
	CHECK(field(text, "\nVmRSS:\t") > 0, "status: VmRSS");
	slurp("/proc/self/stat", text, sizeof(text));
	{
		int fields = 2;	/* the pid and the name; each later one after a space */

		for (char *p = strrchr(text, ')'); p && *p && *p != '\n'; p++)
			fields += *p == ' ';
		CHECK(atoi(text) == getpid() && fields == 52, "stat: pid %d, %d fields",
		      atoi(text), fields);
	}
	n = (ssize_t)slurp("/proc/self/cmdline", text, sizeof(text));
	CHECK(n > 0 && !strcmp(text, argv[0]) && !strcmp(text + strlen(argv[0]) + 1, argv[1]),
	      "cmdline does not hold argv");
	n = (ssize_t)slurp("/proc/self/environ", text, sizeof(text));
	CHECK(memmem(text, (size_t)n, "\0PATH=/bin:/usr/bin\0", 20), "environ has no PATH");
	snprintf(want, sizeof(want), "/proc/self/task/%d/stat", getpid());
	CHECK(access(want, R_OK) == 0, "%s: %s", want, strerror(errno));
	n = readlink("/proc/thread-self", link, sizeof(link) - 1);
	snprintf(want, sizeof(want), "%d/task/%ld", getpid(), (long)syscall(SYS_gettid));
	CHECK(n > 0 && (link[n] = 0, !strcmp(link, want)), "/proc/thread-self -> '%s'", link);
	CHECK(chdir("/tmp") == 0, "chdir /tmp");
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	CHECK(n > 0 && (link[n] = 0, !strcmp(link, "/tmp")), "/proc/self/cwd -> '%s'", link);
	CHECK(chdir("/") == 0, "chdir /");
	printf("procview: self: exe, maps (text, [stack], [heap]), fd, status, stat, cmdline\n");
}

static void check_devices(void)
{
	char buf[64], buf2[64];
	int fd;

	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 0 && write(fd, "x", 1) == 1,
	      "/dev/null");
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof(buf));
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf) && !buf[0] && !buf[63],
	      "/dev/zero");
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf) &&
	      read(fd, buf2, sizeof(buf2)) == sizeof(buf2) && memcmp(buf, buf2, sizeof(buf)),
	      "/dev/urandom");
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "x", 1) == -1 && errno == ENOSPC, "/dev/full");
	close(fd);
	printf("procview: /dev/null, zero, urandom, full behave\n");
}

static void check_errors(void)
{
	struct stat st;
	char a[256], b[256];
	int fd, root;

	errno = 0;
	CHECK(open("/proc/cpuinfo", O_WRONLY) == -1 && errno == EACCES,
	      "writing /proc/cpuinfo: %s", strerror(errno));
	CHECK(open("/proc/no-such", O_RDONLY) == -1 && errno == ENOENT, "/proc/no-such");
	CHECK(open("/proc/self/fd/200", O_RDONLY) == -1 && errno == ENOENT, "fd/200");
	CHECK(stat("/proc/cpuinfo", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0,
	      "stat /proc/cpuinfo");
	CHECK(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode), "lstat /proc/self");
	CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0x103,
	      "stat /dev/null");
	CHECK(stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode), "/dev/shm");
	/* /dev/shm is a writable directory of the enclave's own tree. */
	fd = open("/dev/shm/procview", O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "shm", 3) == 3 && pread(fd, a, 3, 0) == 3 && !memcmp(a, "shm", 3),
	      "/dev/shm/procview: %s", strerror(errno));
	close(fd);
	CHECK(unlink("/dev/shm/procview") == 0, "unlink /dev/shm/procview");
	CHECK(mkdir("/proc/x", 0755) == -1 && errno == EACCES, "mkdir in /proc");
	CHECK(unlink("/dev/null") == -1 && errno == EACCES, "unlink /dev/null");

	/* pread and lseek see the one text taken at open. */
	fd = open("/proc/cpuinfo", O_RDONLY);
	CHECK(fd >= 0 && read(fd, a, sizeof(a)) == sizeof(a), "read cpuinfo");
	CHECK(pread(fd, b, 100, 10) == 100 && !memcmp(a + 10, b, 100), "pread cpuinfo");
	CHECK(lseek(fd, 5, SEEK_SET) == 5 && read(fd, b, 10) == 10 && !memcmp(a + 5, b, 10),
	      "lseek cpuinfo");
	close(fd);

	/* Names reached other ways than straight: "..", a base directory, the cwd. */
	CHECK(access("/proc/../proc/./cpuinfo", R_OK) == 0, "/proc/../proc/./cpuinfo");
	root = open("/", O_RDONLY | O_DIRECTORY);
	fd = openat(root, "sys/devices/system/cpu/online", O_RDONLY);
	CHECK(fd >= 0, "openat(/, sys/...): %s", strerror(errno));
	close(fd);
	close(root);
	CHECK(chdir("/proc") == 0, "chdir /proc: %s", strerror(errno));
	fd = open("meminfo", O_RDONLY);
	CHECK(fd >= 0, "open meminfo from /proc: %s", strerror(errno));
	close(fd);
	CHECK(chdir("/") == 0, "chdir /");
	printf("procview: errors and odd names as Linux gives them\n");
}

int main(int argc, char **argv)
{
	int ncpus = (int)arg_ulong(argc, argv, 1, 0, 1, 256);

	if (argc < 2)
		die("usage: procview NCPUS");
	check_cpus(ncpus);
	check_memory();
	check_self(argv);
	check_devices();
	check_errors();
	printf("procview: ok (%d checks)\n", checks);
	return 0;
}
