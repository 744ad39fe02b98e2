// SPDX-License-Identifier: GPL-2.0
/*
 * covectl: a tiny driver for /dev/cove, for the module's own tests (the
 * real CLI is linux/tools/cove). Every failure prints one line
 * "covectl: <call>: <strerror> (errno <NAME>)" and exits 1.
 *
 *   covectl create [-c CPULIST] [-m SIZE] [-b BASE] [-i IMAGE] [-r INITRD]
 *                  [-p on|off|require] [-t MS] [-l CMDLINE]
 *                  [-u UID] [-g GID] [-f OWNER_FLAGS] [-1]    -> "id N"
 *   covectl destroy ID
 *   covectl status ID [-1]
 *   covectl chown ID [-u UID] [-g GID] [-f OWNER_FLAGS]
 *   covectl console ID
 *   covectl run ID 'JOB LINE'      launch, serve its long calls, print its exit
 *   covectl add ID [-c CPULIST] [-m SIZE] [-b BASE]
 *   covectl remove ID [-m SIZE] [-b BASE]
 *   covectl badioctl
 *
 * -u and -g set the owner's uid and gid (any number, 4294967295 included)
 * and its flag; -f sets the flags as given. -1 passes the struct of ABI 1,
 * without the owner fields (an old CLI's request).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cove_uapi.h"

#define LC_OPEN 1
#define LC_READ 2
#define LC_WRITE 3
#define LC_CLOSE 4
#define LC_STAT 5
#define LC_JOB_EXIT 6

static int fd = -1;

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case ENOMEM: return "ENOMEM";
	case ENOEXEC: return "ENOEXEC";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EIO: return "EIO";
	case ENOTTY: return "ENOTTY";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EACCES: return "EACCES";
	default: return "?";
	}
}

static void die_errno(const char *what)
{
	int e = errno;

	printf("covectl: %s: %s (errno %s)\n", what, strerror(e), errname(e));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of covectl.c\n");
	exit(2);
}

static uint64_t size_arg(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'G': case 'g': v <<= 30; break;
	case 'M': case 'm': v <<= 20; break;
	case 'K': case 'k': v <<= 10; break;
	}
	return v;
}

static void cpus_arg(const char *s, __u64 *mask)
{
	char *end;
	long a, b;

	while (*s) {
		a = strtol(s, &end, 10);
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b && a >= 0 && a < COVE_CPUMASK_WORDS * 64; a++)
			mask[a / 64] |= 1ULL << (a % 64);
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			usage();
	}
}

static void *read_file(const char *path, __u64 *size)
{
	struct stat st;
	void *buf;
	int f = open(path, O_RDONLY);

	if (f < 0 || fstat(f, &st) < 0)
		die_errno(path);
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || read(f, buf, st.st_size) != st.st_size)
		die_errno(path);
	close(f);
	*size = st.st_size;
	return buf;
}

/* -u, -g, -f into an owner; false for an option that is not one of them. */
static bool owner_opt(int opt, struct cove_owner *o)
{
	switch (opt) {
	case 'u':
		o->uid = strtoul(optarg, NULL, 0);
		o->flags |= COVE_OWNER_UID;
		return true;
	case 'g':
		o->gid = strtoul(optarg, NULL, 0);
		o->flags |= COVE_OWNER_GID;
		return true;
	case 'f':
		o->flags = strtoul(optarg, NULL, 0);
		return true;
	}
	return false;
}

static int cmd_create(int argc, char **argv)
{
	static struct cove_create c;
	unsigned long req = COVE_IOC_CREATE;
	int opt;

	while ((opt = getopt(argc, argv, "c:m:b:i:r:p:t:l:u:g:f:1")) != -1) {
		if (owner_opt(opt, &c.owner))
			continue;
		switch (opt) {
		case 'c': cpus_arg(optarg, c.cpus); break;
		case 'm': c.mem_size = size_arg(optarg); break;
		case 'b': c.mem_base = size_arg(optarg); break;
		case 'i': c.image_ptr = (uintptr_t)read_file(optarg, &c.image_size); break;
		case 'r': c.initrd_ptr = (uintptr_t)read_file(optarg, &c.initrd_size); break;
		case 'p':
			c.protect = !strcmp(optarg, "on") ? COVE_PROTECT_ON :
				    !strcmp(optarg, "off") ? COVE_PROTECT_OFF :
				    !strcmp(optarg, "require") ? COVE_PROTECT_REQUIRE : 99;
			break;
		case 't': c.boot_timeout_ms = strtoul(optarg, NULL, 0); break;
		case 'l': snprintf(c.cmdline, sizeof(c.cmdline), "%s", optarg); break;
		case '1': req = _IOWR(COVE_IOC_MAGIC, 1, char[COVE_CREATE_SIZE_V1]); break;
		default: usage();
		}
	}
	if (ioctl(fd, req, &c) < 0) {
		if (c.id)
			printf("id %u (kept for inspection)\n", c.id);
		die_errno("create");
	}
	printf("id %u\n", c.id);
	return 0;
}

static const char *state_name(unsigned int s)
{
	static const char *const n[] = { "free", "booting", "ready", "failed", "stopped" };

	return s < 5 ? n[s] : "?";
}

static int cmd_status(unsigned int id, bool v1)
{
	static struct cove_status s;
	unsigned int i;

	s.id = id;
	/* An ABI 1 caller's buffer ends before the owner: nothing may land there. */
	memset(&s.owner, 0xa5, sizeof(s) - COVE_STATUS_SIZE_V1);
	if (ioctl(fd, v1 ? _IOWR(COVE_IOC_MAGIC, 3, char[COVE_STATUS_SIZE_V1]) : COVE_IOC_STATUS,
		  &s) < 0)
		die_errno("status");
	printf("state %s\ncpus", state_name(s.state));
	for (i = 0; i < COVE_CPUMASK_WORDS * 64; i++)
		if (s.cpus[i / 64] & (1ULL << (i % 64)))
			printf(" %u", i);
	printf("\n");
	for (i = 0; i < s.nr_mem && i < 16; i++)
		printf("mem %#llx %#llx\n", (unsigned long long)s.mem[i].base,
		       (unsigned long long)s.mem[i].size);
	printf("guarded %u\nconsole_bytes %llu\njobs %u\nexit %u\ncreate_ms %llu\n",
	       s.guarded, (unsigned long long)s.console_bytes, s.jobs_running, s.exit_status,
	       (unsigned long long)s.create_ns / 1000000);
	if (s.report[0])
		printf("report %s\n", s.report);
	if (v1)
		printf("tail %s\n", s.owner.flags == 0xa5a5a5a5 && s.pad == 0xa5a5a5a5 ?
		       "untouched" : "WRITTEN");
	else
		printf("owner flags %u uid %u gid %u\nstatus flags %u\n", s.owner.flags,
		       s.owner.uid, s.owner.gid, s.flags);
	return 0;
}

static int cmd_chown(int argc, char **argv)
{
	struct cove_chown c = { .id = strtoul(argv[1], NULL, 0) };
	int opt;

	optind = 2;
	while ((opt = getopt(argc, argv, "u:g:f:")) != -1) {
		if (!owner_opt(opt, &c.owner))
			usage();
	}
	if (ioctl(fd, COVE_IOC_CHOWN, &c) < 0)
		die_errno("chown");
	printf("ok\n");
	return 0;
}

static int cmd_console(unsigned int id)
{
	static char buf[65536];
	struct cove_console_read r = { .id = id, .buf_ptr = (uintptr_t)buf,
				       .buf_size = sizeof(buf) };

	do {
		if (ioctl(fd, COVE_IOC_CONSOLE, &r) < 0)
			die_errno("console");
		if (r.lost)
			printf("[%llu bytes lost]\n", (unsigned long long)r.lost);
		fwrite(buf, 1, r.len, stdout);
	} while (r.len);
	return 0;
}

/* Launch a job and serve its long calls: writes to 1/2, files read-only. */
static int cmd_run(unsigned int id, const char *line)
{
	static char buf[COVE_LCALL_PAYLOAD_MAX];
	struct cove_launch l = { .id = id, .spec_ptr = (uintptr_t)line,
				 .spec_len = strlen(line) };
	struct cove_lcall c;
	int f;

	if (ioctl(fd, COVE_IOC_LAUNCH, &l) < 0)
		die_errno("launch");
	printf("job %u\n", l.job);
	fflush(stdout);
	for (;;) {
		memset(&c, 0, sizeof(c));
		c.id = id;
		c.job = l.job;
		c.buf_ptr = (uintptr_t)buf;
		c.buf_size = sizeof(buf);
		if (ioctl(fd, COVE_IOC_LCALL_WAIT, &c) < 0)
			die_errno("lcall wait");
		if (c.op == LC_JOB_EXIT) {
			printf("job %u exit %llu\n", l.job, (unsigned long long)c.arg[0]);
			return 0;
		}
		c.result = -ENOSYS;
		switch (c.op) {
		case LC_WRITE:
			c.result = write(c.arg[0] == 2 ? 2 : 1, buf, c.len);
			c.len = 0;
			break;
		case LC_OPEN:
			buf[c.len < sizeof(buf) ? c.len : sizeof(buf) - 1] = 0;
			f = open(buf, O_RDONLY);
			c.result = f < 0 ? -errno : f;
			c.len = 0;
			break;
		case LC_READ:
			c.result = pread(c.arg[0], buf, c.arg[2], c.arg[1]);
			if (c.result < 0)
				c.result = -errno;
			c.len = c.result > 0 ? c.result : 0;
			break;
		case LC_STAT: {
			struct stat st;

			buf[c.len < sizeof(buf) ? c.len : sizeof(buf) - 1] = 0;
			c.result = stat(buf, &st) < 0 ? -errno : 0;
			if (!c.result) {
				c.arg[0] = st.st_size;
				c.arg[1] = st.st_mode;
				c.arg[2] = st.st_mtime;
			}
			c.len = 0;
			break;
		}
		case LC_CLOSE:
			c.result = close(c.arg[0]) < 0 ? -errno : 0;
			c.len = 0;
			break;
		default:
			c.len = 0;
			break;
		}
		if (ioctl(fd, COVE_IOC_LCALL_REPLY, &c) < 0)
			die_errno("lcall reply");
	}
}

static int cmd_change(unsigned long req, int argc, char **argv)
{
	struct cove_change c = { .id = strtoul(argv[1], NULL, 0) };
	int opt;

	optind = 2;
	while ((opt = getopt(argc, argv, "c:m:b:")) != -1) {
		switch (opt) {
		case 'c': cpus_arg(optarg, c.cpus); break;
		case 'm': c.mem_size = size_arg(optarg); break;
		case 'b': c.mem_base = size_arg(optarg); break;
		default: usage();
		}
	}
	if (ioctl(fd, req, &c) < 0)
		die_errno(req == COVE_IOC_ADD ? "add" : "remove");
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	__u32 id;

	if (argc < 2)
		usage();
	fd = open(COVE_DEVICE, O_RDWR);
	if (fd < 0)
		die_errno(COVE_DEVICE);
	if (!strcmp(argv[1], "create"))
		return cmd_create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "badioctl")) {
		if (ioctl(fd, _IO(COVE_IOC_MAGIC, 99), 0) < 0)
			die_errno("ioctl 99");
		return 0;
	}
	if (argc < 3)
		usage();
	id = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "destroy")) {
		if (ioctl(fd, COVE_IOC_DESTROY, &id) < 0)
			die_errno("destroy");
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "status"))
		return cmd_status(id, argc > 3 && !strcmp(argv[3], "-1"));
	if (!strcmp(argv[1], "chown"))
		return cmd_chown(argc - 1, argv + 1);
	if (!strcmp(argv[1], "console"))
		return cmd_console(id);
	if (!strcmp(argv[1], "run") && argc == 4)
		return cmd_run(id, argv[3]);
	if (!strcmp(argv[1], "add"))
		return cmd_change(COVE_IOC_ADD, argc - 1, argv + 1);
	if (!strcmp(argv[1], "remove"))
		return cmd_change(COVE_IOC_REMOVE, argc - 1, argv + 1);
	usage();
	return 2;
}
