// SPDX-License-Identifier: GPL-2.0
/*
 * cove console [-f] ID: the enclave's console ring, read through
 * COVE_IOC_CONSOLE. The module keeps the ring; we keep only a position, so
 * any number of readers can follow one enclave.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cove.h"

#define CONSOLE_CHUNK 65536
#define FOLLOW_POLL_MS 100

int console_copy(int fd, uint32_t id, uint64_t *pos, int out_fd, bool note_lost)
{
	static char buf[CONSOLE_CHUNK];

	for (;;) {
		struct cove_console_read r = {
			.id = id, .pos = *pos, .buf_ptr = (uintptr_t)buf, .buf_size = sizeof(buf),
		};

		if (ioctl(fd, COVE_IOC_CONSOLE, &r))
			return -errno;
		if (r.lost && note_lost) {
			char note[64];
			int n = snprintf(note, sizeof(note), "[%" PRIu64 " bytes lost]\n",
					 (uint64_t)r.lost);

			write_all(out_fd, note, (size_t)n);
		}
		/* Never trust a length larger than what we lent. */
		if (r.len > sizeof(buf))
			r.len = sizeof(buf);
		if (r.len && write_all(out_fd, buf, r.len))
			exit(EXIT_RUNTIME);	/* the reader went away (closed pipe) */
		*pos = r.pos;
		if (!r.len)
			return 0;
	}
}

void console_tail(int fd, uint32_t id, uint64_t bytes)
{
	struct cove_status st;
	uint64_t pos = 0;
	char c;

	if (!cove_status(fd, id, &st))
		return;
	if (st.console_bytes > bytes) {
		/* Start at a line boundary, so the tail does not open mid-line. */
		pos = st.console_bytes - bytes;
		for (;;) {
			struct cove_console_read r = {
				.id = id, .pos = pos, .buf_ptr = (uintptr_t)&c, .buf_size = 1,
			};

			if (ioctl(fd, COVE_IOC_CONSOLE, &r) || !r.len)
				return;
			pos = r.pos;
			if (c == '\n')
				break;
		}
	}
	fputs("--- last lines of the enclave console ---\n", stderr);
	console_copy(fd, id, &pos, STDERR_FILENO, false);
	fputs("---\n", stderr);
}

static int console_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		HELP_OPTION,
		{ 0 },
	};
	bool follow = false, seen = false;
	uint64_t pos = 0;
	uint32_t id;
	int c, fd, rc;

	while ((c = cmd_getopt(argc, argv, ":fh", opts)) != -1) {
		if (c == 'f')
			follow = true;
	}
	args_expect(argc, argv, 1, "enclave id");
	id = arg_enclave_id(argv[optind]);
	fd = cove_open();
	if (follow)
		catch_interrupts();
	for (;;) {
		rc = console_copy(fd, id, &pos, STDOUT_FILENO, true);
		if (rc == -ENOENT && seen)
			return 0;	/* destroyed while we followed it: the end */
		if (rc)
			cove_ioctl_fail(-rc, id, "console of");
		seen = true;
		if (!follow || cove_interrupts)
			return 0;
		sleep_ms(FOLLOW_POLL_MS);
		if (cove_interrupts)
			return 0;
	}
}

const struct cove_cmd cmd_console = {
	.name = "console",
	.fn = console_main,
	.summary = "print an enclave's console (-f: keep following it)",
	.usage =
	"Usage: cove console [-f] ID\n"
	"\n"
	"Print the console of enclave ID: everything Cove wrote that the ring still holds.\n"
	"\n"
	"  -f, --follow   keep printing what Cove writes (every 100 ms) until the enclave\n"
	"                 is destroyed or Ctrl-C\n"
	"  -h, --help     this text\n",
};
