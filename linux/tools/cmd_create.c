// SPDX-License-Identifier: GPL-2.0
/*
 * cove create: take CPUs and memory from Linux and boot Cove on them. The
 * module does the work in one COVE_IOC_CREATE; this side picks the image,
 * checks what it can beforehand, and explains a refusal in terms of what
 * was asked. Root only; --owner hands the enclave to a user or group.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "cove.h"
#include "image.h"

#define TAIL_BYTES 2048
#define TIMEOUT_MAX_S (UINT32_MAX / 1000)

struct create_args {
	uint64_t cpus[CLI_CPU_WORDS];
	uint64_t mem;
	uint32_t protect, timeout_s;
	const char *image, *initrd, *cmdline;
	char cpu_list[700];
	struct cove_owner owner;	/* flags 0: root only */
};

static uint32_t parse_protect(const char *s)
{
	if (!strcmp(s, "on"))
		return COVE_PROTECT_ON;
	if (!strcmp(s, "off"))
		return COVE_PROTECT_OFF;
	if (!strcmp(s, "require"))
		return COVE_PROTECT_REQUIRE;
	usage_error("--protect '%s': use on, off or require", s);
}

static void parse_args(int argc, char **argv, struct create_args *a)
{
	static const struct option opts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "protect", required_argument, NULL, 'p' },
		{ "image", required_argument, NULL, 'i' },
		{ "initrd", required_argument, NULL, 'r' },
		{ "cmdline", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "owner", required_argument, NULL, 'o' },
		HELP_OPTION,
		{ 0 },
	};
	bool have_cpus = false;
	int c;

	while ((c = cmd_getopt(argc, argv, ":c:m:p:i:t:o:h", opts)) != -1) {
		switch (c) {
		case 'c':
			arg_cpulist("--cpus", optarg, a->cpus);
			have_cpus = true;
			break;
		case 'm':
			a->mem = arg_size("--mem", optarg);
			break;
		case 'p':
			a->protect = parse_protect(optarg);
			break;
		case 'i':
			a->image = optarg;
			break;
		case 'r':
			a->initrd = optarg;
			break;
		case 'l':
			if (strlen(optarg) >= COVE_UAPI_CMDLINE_MAX)
				usage_error("--cmdline longer than %d bytes", COVE_UAPI_CMDLINE_MAX - 1);
			a->cmdline = optarg;
			break;
		case 't':
			a->timeout_s = (uint32_t)arg_uint("--timeout", optarg, 1, TIMEOUT_MAX_S);
			break;
		case 'o':
			arg_owner("--owner", optarg, &a->owner);
			break;
		}
	}
	args_expect(argc, argv, 0, "");
	if (!have_cpus)
		usage_error("missing --cpus LIST (the host CPUs to give the enclave)");
	if (!a->mem)
		usage_error("missing --mem SIZE (the memory to give the enclave)");
	cli_format_cpulist(a->cpus, a->cpu_list, sizeof(a->cpu_list));
}

/*
 * CPUs Linux does not have cannot be asked for: say so before anything is
 * offlined. Skipped quietly when sysfs cannot tell us.
 */
static void check_cpus_present(const struct create_args *a)
{
	uint64_t present[CLI_CPU_WORDS];
	char line[1024];
	FILE *f = fopen("/sys/devices/system/cpu/present", "re");
	bool ok;

	if (!f)
		return;
	ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	if (!ok || cli_parse_cpulist(line, present))
		return;
	for (unsigned int c = 0; c < CLI_CPU_MAX; c++) {
		if ((a->cpus[c / 64] >> (c % 64) & 1) && !(present[c / 64] >> (c % 64) & 1))
			fail("CPU %u does not exist (this machine has CPUs %s)", c, line);
	}
}

/* The boot did not finish: show why, give everything back, fail. */
static void __attribute__((noreturn)) boot_failed(int fd, uint32_t id, int err,
						  const struct create_args *a)
{
	struct cove_status st;
	const char *back = "nothing was taken";

	if (id < COVE_MAX_ENCLAVES && cove_status(fd, id, &st)) {
		console_tail(fd, id, TAIL_BYTES);
		if (strnlen(st.report, sizeof(st.report)))
			report_failure(fd, id);
		back = "its CPUs and memory are back with Linux";
		if (ioctl(fd, COVE_IOC_DESTROY, &id)) {
			warn("destroying enclave %u: %s", id, strerror(errno));
			back = "destroy it with 'cove destroy'";
		}
	}
	if (err == ETIMEDOUT)
		fail("Cove did not finish booting on CPUs %s within %u s; %s", a->cpu_list,
		     a->timeout_s ? a->timeout_s : 30, back);
	fail("Cove failed while booting on CPUs %s; %s", a->cpu_list, back);
}

static void __attribute__((noreturn)) create_refused(int err, const struct create_args *a)
{
	char size[32];

	cli_format_size(a->mem, size, sizeof(size));
	switch (err) {
	case EBUSY:
		if (cli_cpu_count(a->cpus) == 1)
			fail("CPU %s is in use (by another enclave, or Linux cannot take it "
			     "offline); dmesg says which", a->cpu_list);
		fail("one of CPUs %s is in use (by another enclave, or Linux cannot take it "
		     "offline); dmesg says which", a->cpu_list);
	case ENOEXEC:
		fail("%s is not a Cove image", a->image);
	case ENOMEM:
		fail("cannot offline %s of memory (not that much removable memory free; "
		     "try less, or see dmesg)", size);
	case ENOSPC:
		fail("no free enclave slot (at most %d enclaves)", COVE_MAX_ENCLAVES);
	case EINVAL:
		fail("the module refused CPUs %s with %s of memory (dmesg has the reason)",
		     a->cpu_list, size);
	default:
		cove_ioctl_fail(err, 0, "creating");
	}
}

static int create_main(int argc, char **argv)
{
	static struct create_args a;
	static struct cove_create req;
	size_t image_size, initrd_size = 0;
	void *image, *initrd = NULL;
	const char *why;
	int fd;

	parse_args(argc, argv, &a);
	if (!a.image)
		a.image = image_default();
	image = read_whole_file(a.image, &image_size);
	why = image_problem(image, image_size);
	if (why)
		fail("%s is not a Cove image (%s)", a.image, why);
	if (a.initrd)
		initrd = read_whole_file(a.initrd, &initrd_size);
	check_cpus_present(&a);
	fd = cove_open();

	MASK_COPY(req.cpus, a.cpus);
	req.mem_size = a.mem;
	req.image_ptr = (uintptr_t)image;
	req.image_size = image_size;
	req.initrd_ptr = (uintptr_t)initrd;
	req.initrd_size = initrd_size;
	req.protect = a.protect;
	req.boot_timeout_ms = a.timeout_s * 1000;
	req.owner = a.owner;
	if (a.cmdline)
		snprintf(req.cmdline, sizeof(req.cmdline), "%s", a.cmdline);
	req.id = UINT32_MAX;	/* a failed boot still names its enclave */
	if (ioctl(fd, COVE_IOC_CREATE, &req)) {
		int err = errno;

		if (err == ETIMEDOUT || err == EIO)
			boot_failed(fd, req.id, err, &a);
		create_refused(err, &a);
	}
	printf("%u\n", req.id);
	return 0;
}

const struct cove_cmd cmd_create = {
	.name = "create",
	.fn = create_main,
	.summary = "boot Cove on host CPUs and memory taken from Linux",
	.root_only = "create an enclave",
	.usage =
	"Usage: cove create --cpus LIST --mem SIZE [--protect on|off|require] [--image PATH]\n"
	"                   [--initrd PATH] [--cmdline STR] [--timeout SEC]\n"
	"                   [--owner USER[:GROUP]]\n"
	"\n"
	"Take the host CPUs LIST and SIZE bytes of memory offline, boot Cove there and print\n"
	"the new enclave's id. Root only.\n"
	"\n"
	"  -c, --cpus LIST       host CPUs, e.g. 2-3 or 2,5,7-9 (the lowest boots)\n"
	"  -m, --mem SIZE        memory: bytes, or with K, M, G or T (512M, 1G)\n"
	"  -p, --protect MODE    on (guard it where the CPU can), off, or require\n"
	"                        (refuse to run unguarded); default: the image's (on)\n"
	"  -i, --image PATH      the Cove image (default: $COVE_IMAGE, else\n"
	"                        /usr/lib/cove/cove.elf, else this build tree's cove.elf)\n"
	"      --initrd PATH     an initramfs for Cove\n"
	"      --cmdline STR     extra Cove options (see cove(1))\n"
	"  -t, --timeout SEC     how long the boot may take (default 30)\n"
	"  -o, --owner USER[:GROUP]  who may run jobs there and read its console besides\n"
	"                        root: a user, and/or (:GROUP) a group's members; names or\n"
	"                        numbers (default: nobody, root only; see cove chown)\n"
	"  -h, --help            this text\n",
};
