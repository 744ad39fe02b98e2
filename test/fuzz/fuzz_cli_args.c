// SPDX-License-Identifier: GPL-2.0
/*
 * The cove CLI's option handling (linux/tools/args.c): getopt through
 * cmd_getopt and the arg_* parsers, on argv words split from the input at
 * NULs. The promise: a misuse is exactly one line on stderr and status 2;
 * --help is the usage on stdout and status 0; anything else returns.
 * exit() is wrapped (-Wl,--wrap=exit) to come back here.
 */
#include <setjmp.h>
#include <stdbool.h>
#include "../../linux/tools/cove.h"
#include "fuzz.h"

#define FUZZ_ARGS 32

static jmp_buf fuzz_exit_jmp;
static bool fuzz_parsing;	/* libFuzzer's own exit() must stay exit() */

void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status)
{
	if (!fuzz_parsing)
		__real_exit(status);
	fuzz_parsing = false;
	longjmp(fuzz_exit_jmp, 0x100 | (status & 0xff));
}

static const struct cove_cmd fuzz_cmd = {
	.name = "fuzz", .usage = "Usage: cove fuzz\n",
};

/* Parse argv like a command with options of every kind; see the caller. */
static void fuzz_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "ranks", required_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		HELP_OPTION,
		{ 0 },
	};
	uint64_t mask[CLI_CPU_WORDS];
	int c;

	while ((c = cmd_getopt(argc, argv, "+:c:m:n:fh", opts)) != -1) {
		switch (c) {
		case 'c':
			arg_cpulist("--cpus", optarg, mask);
			FUZZ_ASSERT(cli_cpu_count(mask) > 0);
			break;
		case 'm':
			FUZZ_ASSERT(arg_size("--mem", optarg) > 0);
			break;
		case 'n':
			FUZZ_ASSERT(arg_uint("--ranks", optarg, 1, 256) - 1 < 256);
			break;
		case 'f':
			break;
		default:
			FUZZ_ASSERT(!"cmd_getopt returned an option nobody asked for");
		}
	}
	args_expect(argc, argv, 1, "enclave id");
	FUZZ_ASSERT(arg_enclave_id(argv[optind]) < COVE_MAX_ENCLAVES);
}

static size_t fuzz_lines(const char *s, size_t n)
{
	size_t lines = 0;

	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out_buf[8192], err_buf[8192];
	char *text = fuzz_cstr(data, size), *argv[FUZZ_ARGS + 2];
	FILE *saved_out = stdout, *saved_err = stderr, *out, *err;
	int argc = 1, status;
	long out_len, err_len;

	argv[0] = "cove";
	for (char *p = text; argc <= FUZZ_ARGS && p <= text + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	out = fmemopen(out_buf, sizeof(out_buf), "w");
	err = fmemopen(err_buf, sizeof(err_buf), "w");
	FUZZ_ASSERT(out && err);
	stdout = out;
	stderr = err;
	cove_current = &fuzz_cmd;
	optind = 0;	/* glibc: start over */
	status = setjmp(fuzz_exit_jmp);
	if (!status) {
		fuzz_parsing = true;
		fuzz_parse(argc, argv);
		fuzz_parsing = false;
	}
	out_len = ftell(out);
	err_len = ftell(err);
	stdout = saved_out;
	stderr = saved_err;
	fclose(out);
	fclose(err);
	if (status == (0x100 | EXIT_USAGE)) {
		FUZZ_ASSERT(err_len > 0 && (size_t)err_len < sizeof(err_buf) - 1);
		FUZZ_ASSERT(fuzz_lines(err_buf, (size_t)err_len) == 1);
		FUZZ_ASSERT(!strncmp(err_buf, "cove fuzz: ", 11));
		FUZZ_ASSERT(err_buf[err_len - 1] == '\n');
	} else if (status == 0x100) {
		FUZZ_ASSERT(err_len == 0 && out_len > 0);	/* --help */
	} else {
		FUZZ_ASSERT(!status && err_len == 0);
	}
	free(text);
	return 0;
}
