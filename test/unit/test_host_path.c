// SPDX-License-Identifier: GPL-2.0
/*
 * The host paths a job may open through `cove run`: its files, never the
 * host kernel's interfaces, however the path gets there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../../linux/tools/host_path.h"
#include "unit.h"

static char dir[64];

static const char *in_dir(const char *name)
{
	static char path[128];

	if (!dir[0]) {
		strcpy(dir, "/tmp/cove-host-path-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int expect_refused(int rc)
{
	if (rc >= 0)
		close(rc);
	return rc;
}

TEST(proc_self_mem_refused)
{
	struct stat st;

	CHECK_EQ(expect_refused(host_open("/proc/self/mem", O_RDWR, 0)), -EACCES);
	CHECK_EQ(expect_refused(host_open("/proc/self/mem", O_RDONLY, 0)), -EACCES);
	CHECK_EQ(host_stat("/proc/self/mem", &st), -EACCES);
	CHECK_EQ(expect_refused(host_open("/proc/self/status", O_RDONLY, 0)), -EACCES);
}

TEST(symlink_into_proc_refused)
{
	const char *link = in_dir("memlink");
	struct stat st;

	unlink(link);
	CHECK_EQ(symlink("/proc/self/mem", link), 0);
	CHECK_EQ(expect_refused(host_open(link, O_RDWR, 0)), -EACCES);
	CHECK_EQ(host_stat(link, &st), -EACCES);
	/* O_NOFOLLOW is the job's to ask for, and still works. */
	CHECK_EQ(expect_refused(host_open(link, O_RDONLY | O_NOFOLLOW, 0)), -ELOOP);
	unlink(link);
}

TEST(magic_links_not_followed)
{
	/* Would be this process's own stdout, wherever that leads. */
	CHECK_EQ(expect_refused(host_open("/proc/self/fd/1", O_WRONLY, 0)), -ELOOP);
	CHECK_EQ(expect_refused(host_open("/proc/self/exe", O_RDONLY, 0)), -ELOOP);
}

TEST(devices_refused)
{
	struct stat st;

	CHECK_EQ(expect_refused(host_open("/dev/null", O_RDWR, 0)), -EACCES);
	CHECK_EQ(host_stat("/dev/null", &st), -EACCES);
	if (!stat("/sys/kernel", &st))
		CHECK_EQ(expect_refused(host_open("/sys/kernel", O_RDONLY | O_DIRECTORY, 0)),
			 -EACCES);
}

TEST(files_still_work)
{
	const char *path = in_dir("data");
	struct stat st;
	char buf[8] = "";
	int fd;

	unlink(path);
	fd = host_open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "hello", 5), 5);
	close(fd);
	CHECK_EQ(host_stat(path, &st), 0);
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(st.st_mode & 07777, 0600);
	fd = host_open(path, O_RDONLY, 0);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 5);
	CHECK(!memcmp(buf, "hello", 5));
	/* Not inherited by anything the server might start. */
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	CHECK_EQ(expect_refused(host_open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)), -EEXIST);
	CHECK_EQ(expect_refused(host_open(in_dir("none/x"), O_WRONLY | O_CREAT, 0600)), -ENOENT);
	CHECK_EQ(expect_refused(host_open(in_dir("absent"), O_RDONLY, 0)), -ENOENT);
	fd = host_open(dir, O_RDONLY | O_DIRECTORY, 0);
	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	rmdir(dir);
}
