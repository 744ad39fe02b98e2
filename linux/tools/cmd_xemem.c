// SPDX-License-Identifier: GPL-2.0
/*
 * cove xemem: memory shared by key with an enclave's processes, without
 * copies (the module's XEMEM, cove_uapi.h).
 *
 *   cove xemem list ID                        segments both ways
 *   cove xemem attach ID KEY [-w] [--fill N] [--hold]
 *	map what an enclave process exported under KEY; print its size and a
 *	checksum (FNV-1a, 64 bits, the one user/xemem prints), write a pattern
 *	into it, or hold it until stdin ends and look again
 *   cove xemem offer ID KEY SIZE [-w] [--fill N] [--phys-file F]
 *	offer SIZE bytes of this process's memory under KEY (writable by the
 *	enclave with -w) until stdin ends; then print its checksum again and
 *	withdraw it
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "cove.h"

/* The checksum both sides print: FNV-1a over every byte. */
static uint64_t xemem_sum(const volatile uint8_t *p, uint64_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (uint64_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static void xemem_fill(volatile uint8_t *p, uint64_t len, uint64_t seed)
{
	for (uint64_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* A key: a number, decimal or 0x hex, not 0. */
static uint64_t arg_key(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *s == '-' || *end || errno || !v)
		usage_error("KEY '%s': not a number from 1 to %#llx (decimal or 0x hex)", s,
			    (unsigned long long)UINT64_MAX);
	return v;
}

/* Wait until stdin ends (a line or EOF): the test's "go on". */
static void xemem_wait_stdin(void)
{
	char c;

	while (read(0, &c, 1) == 1 && c != '\n')
		;
}

static void xemem_fail(int err, uint32_t id, uint64_t key, const char *what)
{
	int fd = cove_open();
	struct cove_status st;

	if (err == ENOENT && cove_status(fd, id, &st))
		fail("%s %#" PRIx64 ": enclave %u has no such segment", what, key, id);
	if (err == EACCES)
		fail("%s %#" PRIx64 ": permission denied (not yours, or not writable)", what, key);
	if (err == EBUSY)
		fail("%s %#" PRIx64 ": this process has it attached already", what, key);
	if (err == EEXIST)
		fail("%s %#" PRIx64 ": the key is offered already", what, key);
	if (err == ENOSPC)
		fail("%s %#" PRIx64 ": every slot for host segments is taken", what, key);
	if (err == EINVAL)
		fail("%s %#" PRIx64 ": invalid request (size: whole pages, 4 KiB to %lu)", what,
		     key, (unsigned long)COVE_XEMEM_OFFER_MAX);
	cove_ioctl_fail(err, id, what);
}

static sigjmp_buf xemem_bus;

static void xemem_on_bus(int sig)
{
	(void)sig;
	siglongjmp(xemem_bus, 1);
}

static int xemem_list(int argc, char **argv)
{
	struct cove_xemem_info info[128];
	struct cove_xemem_list req = { .nr = 128, .buf_ptr = (uintptr_t)info };
	int fd;

	args_expect(argc, argv, 1, "ID");
	req.id = arg_enclave_id(argv[optind]);
	fd = cove_open();
	if (ioctl(fd, COVE_IOC_XEMEM_LIST, &req))
		cove_ioctl_fail(errno, req.id, "listing segments of");
	printf("%-18s %-8s %12s %-5s %6s %5s\n", "KEY", "WAY", "BYTES", "MODE", "UID", "JOB");
	for (uint32_t i = 0; i < req.nr && i < 128; i++)
		printf("%#-18" PRIx64 " %-8s %12" PRIu64 " %-5s %6u %5u\n", (uint64_t)info[i].key,
		       info[i].dir == COVE_XEMEM_EXPORTED ? "exported" : "offered",
		       (uint64_t)info[i].size, info[i].flags & COVE_XEMEM_WRITE ? "rw" : "ro",
		       info[i].uid, info[i].job);
	return 0;
}

static int xemem_attach(int argc, char **argv, bool writable, bool fill, uint64_t seed,
			bool hold)
{
	struct cove_xemem_attach req = { 0 };
	volatile uint8_t *p;
	int fd;

	args_expect(argc, argv, 2, "ID KEY");
	req.id = arg_enclave_id(argv[optind]);
	req.key = arg_key(argv[optind + 1]);
	req.flags = writable || fill ? COVE_XEMEM_WRITE : 0;
	fd = cove_open();
	if (ioctl(fd, COVE_IOC_XEMEM_ATTACH, &req))
		xemem_fail(errno, req.id, req.key, "attaching");
	p = mmap(NULL, req.size, PROT_READ | (req.flags ? PROT_WRITE : 0), MAP_SHARED, req.fd, 0);
	if (p == MAP_FAILED)
		fail("mapping segment %#" PRIx64 ": %s", (uint64_t)req.key, strerror(errno));
	printf("xemem %#" PRIx64 ": %" PRIu64 " bytes, sum %016" PRIx64 "\n",
	       (uint64_t)req.key, (uint64_t)req.size, xemem_sum(p, req.size));
	if (fill) {
		xemem_fill(p, req.size, seed);
		printf("xemem %#" PRIx64 ": filled, sum %016" PRIx64 "\n", (uint64_t)req.key,
		       xemem_sum(p, req.size));
	}
	fflush(stdout);
	if (hold) {
		xemem_wait_stdin();
		signal(SIGBUS, xemem_on_bus);
		if (sigsetjmp(xemem_bus, 1))
			printf("xemem %#" PRIx64 ": revoked (SIGBUS)\n", (uint64_t)req.key);
		else
			printf("xemem %#" PRIx64 ": sum now %016" PRIx64 "\n", (uint64_t)req.key,
			       xemem_sum(p, req.size));
	}
	return 0;
}

static int xemem_offer(int argc, char **argv, bool writable, bool fill, uint64_t seed,
		       const char *phys_file)
{
	struct cove_xemem_offer req = { 0 };
	volatile uint8_t *p;
	FILE *f;
	int fd;

	args_expect(argc, argv, 3, "ID KEY SIZE");
	req.id = arg_enclave_id(argv[optind]);
	req.key = arg_key(argv[optind + 1]);
	req.size = arg_size("SIZE", argv[optind + 2]);
	req.flags = writable ? COVE_XEMEM_WRITE : 0;
	fd = cove_open();
	if (ioctl(fd, COVE_IOC_XEMEM_OFFER, &req))
		xemem_fail(errno, req.id, req.key, "offering");
	p = mmap(NULL, req.size, PROT_READ | PROT_WRITE, MAP_SHARED, req.fd, 0);
	if (p == MAP_FAILED)
		fail("mapping the offer: %s", strerror(errno));
	if (fill)
		xemem_fill(p, req.size, seed);
	if (phys_file) {
		f = fopen(phys_file, "w");
		if (!f || fprintf(f, "%#" PRIx64 "\n", (uint64_t)req.phys) < 0 || fclose(f))
			fail("%s: %s", phys_file, strerror(errno));
	}
	printf("xemem %#" PRIx64 ": offered %" PRIu64 " bytes (%s), sum %016" PRIx64 "\n",
	       (uint64_t)req.key, (uint64_t)req.size, writable ? "rw" : "ro",
	       xemem_sum(p, req.size));
	fflush(stdout);
	xemem_wait_stdin();
	printf("xemem %#" PRIx64 ": sum now %016" PRIx64 "\n", (uint64_t)req.key,
	       xemem_sum(p, req.size));
	munmap((void *)p, req.size);
	close(req.fd);		/* the last reference: the module withdraws it */
	printf("xemem %#" PRIx64 ": withdrawn\n", (uint64_t)req.key);
	return 0;
}

static int xemem_main(int argc, char **argv)
{
	static const struct option opts[] = {
		HELP_OPTION,
		{ "write", no_argument, NULL, 'w' },
		{ "fill", required_argument, NULL, 'f' },
		{ "hold", no_argument, NULL, 'H' },
		{ "phys-file", required_argument, NULL, 'p' },
		{ 0 }
	};
	bool writable = false, fill = false, hold = false;
	const char *phys_file = NULL, *sub;
	uint64_t seed = 0;
	int c;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
			fputs(cove_current->usage, stdout);
			return 0;
		}
		usage_error("missing what to do: list, attach or offer");
	}
	sub = argv[1];
	argc--;
	argv++;
	while ((c = cmd_getopt(argc, argv, ":hwf:", opts)) != -1) {
		switch (c) {
		case 'w':
			writable = true;
			break;
		case 'f':
			fill = true;
			seed = arg_uint("--fill", optarg, 0, UINT64_MAX);
			break;
		case 'H':
			hold = true;
			break;
		case 'p':
			phys_file = optarg;
			break;
		}
	}
	if (!strcmp(sub, "list"))
		return xemem_list(argc, argv);
	if (!strcmp(sub, "attach"))
		return xemem_attach(argc, argv, writable, fill, seed, hold);
	if (!strcmp(sub, "offer"))
		return xemem_offer(argc, argv, writable, fill, seed, phys_file);
	usage_error("unknown action '%s': list, attach or offer", sub);
}

const struct cove_cmd cmd_xemem = {
	.name = "xemem",
	.fn = xemem_main,
	.summary = "share memory by key with an enclave's processes (XEMEM)",
	.usage =
	"Usage: cove xemem list ID\n"
	"       cove xemem attach ID KEY [-w] [--fill N] [--hold]\n"
	"       cove xemem offer ID KEY SIZE [-w] [--fill N] [--phys-file FILE]\n"
	"\n"
	"Memory shared with the processes of enclave ID by a key, without copies.\n"
	"list: the segments enclave processes exported and host processes offered.\n"
	"attach: map the segment an enclave process exported under KEY (you must be\n"
	"  the user who ran its job, or root), print its size and checksum.\n"
	"offer: give SIZE bytes (whole pages, up to 4 MiB - 4 KiB) of this process's\n"
	"  memory to the enclave under KEY until stdin ends, then withdraw them.\n"
	"\n"
	"  -w, --write       attach: map it writable (the exporter must allow it);\n"
	"                    offer: let enclave processes write it\n"
	"      --fill N      write a pattern from seed N (attach implies -w)\n"
	"      --hold        attach: after stdin ends, read it again (revoked: SIGBUS)\n"
	"      --phys-file F offer: write its physical address to F (root only; tests)\n"
	"  -h, --help        this text\n",
};
