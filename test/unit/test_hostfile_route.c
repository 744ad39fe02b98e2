// SPDX-License-Identifier: GPL-2.0
/* Host tests of where a host job's paths go: the enclave, the host, or either. */
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

TEST(dot_and_slash_tricks_do_not_escape)
{
	CHECK(hostfile_route("//proc/cpuinfo", true) == HOSTFILE_ENCLAVE);
	CHECK(hostfile_route("/./sys/x", true) == HOSTFILE_ENCLAVE);
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
