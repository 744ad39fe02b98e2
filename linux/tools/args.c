// SPDX-License-Identifier: GPL-2.0
/*
 * Messages, exit statuses and argument parsing shared by every command.
 * A misuse ends in exactly one line on stderr and status 2, so scripts and
 * people can tell "you asked wrong" (2) from "it did not work" (1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cove.h"

const struct cove_cmd *cove_current;

/*
 * Messages quote what the user typed: a newline or an escape sequence in
 * an argument must not split the message or reach the terminal, so control
 * bytes are shown as \xNN.
 */
static void put_visible(const char *s, FILE *f)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static void vmessage(const char *fmt, va_list ap)
{
	char msg[2048];

	fflush(stdout);	/* what was printed so far comes before the message */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "cove%s%s: ", cove_current ? " " : "",
		cove_current ? cove_current->name : "");
	put_visible(msg, stderr);
	fputc('\n', stderr);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(EXIT_RUNTIME);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

int cmd_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	int c;

	opterr = 0;	/* our own messages, one line each */
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == 'h') {
		fputs(cove_current->usage, stdout);
		exit(0);
	}
	if (c == '?') {
		if (optopt)
			usage_error("unknown option '-%c' (see 'cove %s --help')", optopt,
				    cove_current->name);
		usage_error("unknown option '%s' (see 'cove %s --help')", argv[optind - 1],
			    cove_current->name);
	}
	if (c == ':')
		usage_error("option '%s' needs an argument", argv[optind - 1]);
	return c;
}

uint32_t arg_enclave_id(const char *s)
{
	uint64_t id;
	int rc = cli_parse_uint(s, 0, COVE_MAX_ENCLAVES - 1, &id);

	if (rc == -ERANGE)
		usage_error("no enclave %s (ids are 0 to %d)", s, COVE_MAX_ENCLAVES - 1);
	if (rc)
		usage_error("'%s' is not an enclave id (a number, 0 to %d)", s,
			    COVE_MAX_ENCLAVES - 1);
	return (uint32_t)id;
}

void arg_cpulist(const char *opt, const char *s, uint64_t mask[CLI_CPU_WORDS])
{
	int rc = cli_parse_cpulist(s, mask);

	if (rc == -ERANGE)
		usage_error("%s %s: CPU numbers go up to %d", opt, s, CLI_CPU_MAX - 1);
	if (rc)
		usage_error("%s '%s': not a CPU list (e.g. 2-3 or 2,5,7-9)", opt, s);
}

uint64_t arg_size(const char *opt, const char *s)
{
	uint64_t v;
	int rc = cli_parse_size(s, &v);

	if (rc == -ERANGE)
		usage_error("%s %s: too large", opt, s);
	if (rc)
		usage_error("%s '%s': not a size (bytes, or with K, M, G or T: 512M, 1G)", opt,
			    s);
	return v;
}

uint64_t arg_uint(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (cli_parse_uint(s, min, max, &v))
		usage_error("%s '%s': not a number from %llu to %llu", opt, s,
			    (unsigned long long)min, (unsigned long long)max);
	return v;
}

void args_expect(int argc, char **argv, int n, const char *what)
{
	int have = argc - optind;

	if (have < n)
		usage_error("missing %s", what);
	if (have > n)
		usage_error("unexpected argument '%s'", argv[optind + n]);
}

uint32_t args_only_enclave_id(int argc, char **argv)
{
	static const struct option opts[] = { HELP_OPTION, { 0 } };

	while (cmd_getopt(argc, argv, ":h", opts) != -1)
		;
	args_expect(argc, argv, 1, "enclave id");
	return arg_enclave_id(argv[optind]);
}
