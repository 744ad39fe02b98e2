// SPDX-License-Identifier: GPL-2.0
/*
 * cove add / cove remove: grow a running enclave by host CPUs and memory,
 * or give memory back. Cores are not removed: a core leaves with its
 * enclave (cove destroy).
 */
#include <errno.h>
#include <sys/ioctl.h>
#include "cove.h"

struct change_args {
	uint32_t id;
	bool have_cpus;
	uint64_t cpus[CLI_CPU_WORDS];
	uint64_t mem;
	char cpu_list[700], size[32];
};

static const struct option add_opts[] = {
	{ "cpus", required_argument, NULL, 'c' },
	{ "mem", required_argument, NULL, 'm' },
	HELP_OPTION,
	{ 0 },
};

/* remove has no --cpus: a core leaves only with its enclave. */
static const struct option remove_opts[] = {
	{ "mem", required_argument, NULL, 'm' },
	HELP_OPTION,
	{ 0 },
};

static void parse_args(int argc, char **argv, const char *shortopts,
		       const struct option *opts, struct change_args *a)
{
	int c;

	while ((c = cmd_getopt(argc, argv, shortopts, opts)) != -1) {
		if (c == 'c') {
			arg_cpulist("--cpus", optarg, a->cpus);
			a->have_cpus = true;
		} else if (c == 'm') {
			a->mem = arg_size("--mem", optarg);
		}
	}
	args_expect(argc, argv, 1, "enclave id");
	a->id = arg_enclave_id(argv[optind]);
	cli_format_cpulist(a->cpus, a->cpu_list, sizeof(a->cpu_list));
	cli_format_size(a->mem, a->size, sizeof(a->size));
}

static int add_main(int argc, char **argv)
{
	struct change_args a = { 0 };
	struct cove_change req = { 0 };
	int fd;

	parse_args(argc, argv, ":c:m:h", add_opts, &a);
	if (!a.have_cpus && !a.mem)
		usage_error("nothing to add: give --cpus LIST, --mem SIZE or both");
	fd = cove_open();
	req.id = a.id;
	MASK_COPY(req.cpus, a.cpus);
	req.mem_size = a.mem;
	if (!ioctl(fd, COVE_IOC_ADD, &req))
		return 0;
	switch (errno) {
	case EBUSY:
		if (!a.have_cpus)
			fail("the memory asked for is in use; dmesg says why");
		fail("%s %s is in use (by another enclave, or Linux cannot take it offline); "
		     "dmesg says which", cli_cpu_count(a.cpus) == 1 ? "CPU" : "one of CPUs",
		     a.cpu_list);
	case ENOMEM:
		fail("cannot offline %s of memory (not that much removable memory free)", a.size);
	case EINVAL:
		fail("enclave %u refused the addition (dmesg has the reason)", a.id);
	default:
		cove_ioctl_fail(errno, a.id, "adding to");
	}
}

static int remove_main(int argc, char **argv)
{
	struct change_args a = { 0 };
	struct cove_change req = { 0 };
	int fd;

	parse_args(argc, argv, ":m:h", remove_opts, &a);
	if (!a.mem)
		usage_error("missing --mem SIZE (the memory to give back)");
	fd = cove_open();
	req.id = a.id;
	req.mem_size = a.mem;
	if (!ioctl(fd, COVE_IOC_REMOVE, &req))
		return 0;
	switch (errno) {
	case EBUSY:
		fail("enclave %u cannot give back %s now: its jobs use that memory", a.id, a.size);
	case EINVAL:
		fail("enclave %u has no added memory of %s to give back (only memory added with "
		     "'cove add' can be)", a.id, a.size);
	default:
		cove_ioctl_fail(errno, a.id, "removing memory from");
	}
}

const struct cove_cmd cmd_add = {
	.name = "add",
	.fn = add_main,
	.summary = "give a running enclave more host CPUs or memory",
	.root_only = "give an enclave CPUs or memory",
	.usage =
	"Usage: cove add ID [--cpus LIST] [--mem SIZE]\n"
	"\n"
	"Take more host CPUs and/or memory offline and hand them to enclave ID.\n"
	"\n"
	"  -c, --cpus LIST  host CPUs, e.g. 4 or 4-5\n"
	"  -m, --mem SIZE   memory: bytes, or with K, M, G or T (256M)\n"
	"  -h, --help       this text\n",
};

const struct cove_cmd cmd_remove = {
	.name = "remove",
	.fn = remove_main,
	.summary = "take memory back from a running enclave",
	.root_only = "take memory back from an enclave",
	.usage =
	"Usage: cove remove ID --mem SIZE\n"
	"\n"
	"Give SIZE of memory added with 'cove add' back to Linux (the last added first).\n"
	"\n"
	"  -m, --mem SIZE   memory: bytes, or with K, M, G or T\n"
	"  -h, --help       this text\n",
};
