// SPDX-License-Identifier: GPL-2.0
/* Host tests of where a host job's paths go: the enclave, the host, or either. */
#include <string.h>
#include <cove/errno.h>
#include <cove/hostfile.h>
#include "unit.h"

TEST(relative_paths_follow_the_cwd)
{
	CHECK(hostfile_route("input.dat", true) == HOSTFILE_HOST);
	CHECK(hostfile_route("./data/in", true) == HOSTFILE_HOST);
	CHECK(hostfile_route("../in", true) == HOSTFILE_HOST);
	/* After chdir into the enclave's tree they are the enclave's. */
	CHECK(hostfile_route("input.dat", false) == HOSTFILE_ENCLAVE);
	/* Even a relative "proc" is a file where cove run was started. */
	CHECK(hostfile_route("proc/x", true) == HOSTFILE_HOST);
}

TEST(absolute_paths_fall_back_to_the_host)
{
	CHECK(hostfile_route("/home/user/in.dat", true) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/home/user/in.dat", false) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/", true) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/bin/busybox", true) == HOSTFILE_FALLBACK);
}

TEST(machine_trees_stay_in_the_enclave)
{
	CHECK(hostfile_route("/proc", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/proc/self/maps", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/sys/devices/system/cpu/online", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/dev/null", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/dev/", true) == HOSTFILE_ENCLAVE);
}

/* Shared memory segments (shm_open, MPI) are the enclave's tmpfs, never the host's /dev/shm. */
TEST(dev_shm_stays_in_the_enclave)
{
	CHECK(hostfile_route("/dev/shm", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/dev/shm/mpich_shm_1234", false) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("//dev//shm/seg", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/tmp/../dev/shm/seg", true) == HOSTFILE_ENCLAVE);
}

TEST(dot_and_slash_tricks_do_not_escape)
{
	CHECK(hostfile_route("//proc/cpuinfo", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/./sys/devices/system/cpu/x", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/./sys/class/net", true) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/../../dev/zero", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/.//./..//proc", true) == HOSTFILE_ENCLAVE);
}

TEST(similar_names_are_not_the_trees)
{
	CHECK(hostfile_route("/processes/in", true) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/system", true) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/devices.txt", true) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/.proc", true) == HOSTFILE_FALLBACK);
	CHECK(hostfile_route("/...", true) == HOSTFILE_FALLBACK);
}

static const char *join(const char *cwd, const char *path)
{
	static char out[HOSTFILE_PATH_MAX];

	return hostfile_path_join(cwd, path, out, sizeof(out)) ? "ERR" : out;
}

TEST(relative_paths_join_the_host_cwd)
{
	CHECK(!strcmp(join("/tmp/work", "in.dat"), "/tmp/work/in.dat"));
	CHECK(!strcmp(join("/tmp/work", "./sub//x/"), "/tmp/work/sub/x"));
	CHECK(!strcmp(join("/tmp/work", "../other"), "/tmp/other"));
	CHECK(!strcmp(join("/tmp/work", "."), "/tmp/work"));
	CHECK(!strcmp(join("/", "a"), "/a"));
	CHECK(!strcmp(join("", "a"), "/a"));
}

TEST(dotdot_stops_at_the_root)
{
	CHECK(!strcmp(join("/tmp", "../../.."), "/"));
	CHECK(!strcmp(join("/", ".."), "/"));
	CHECK(!strcmp(join("/a/b", "../../c/../d"), "/d"));
}

TEST(absolute_paths_ignore_the_cwd)
{
	CHECK(!strcmp(join("/tmp/work", "/etc//passwd"), "/etc/passwd"));
	CHECK(!strcmp(join("/tmp/work", "/"), "/"));
	CHECK(!strcmp(join("/tmp/work", "/x/./y/../z"), "/x/z"));
}

TEST(too_long_is_refused)
{
	char out[9];

	CHECK(hostfile_path_join("/tmp", "abc", out, sizeof(out)) == 0);
	CHECK(!strcmp(out, "/tmp/abc"));
	CHECK(hostfile_path_join("/tmp", "abcd", out, sizeof(out)) == -ENAMETOOLONG);
	CHECK(hostfile_path_join("/longer/than/9", "x", out, sizeof(out)) == -ENAMETOOLONG);
	CHECK(hostfile_path_join("/", "x", out, 1) == -ENAMETOOLONG);
}
