# The cove CLI's pure parsers, checked against Cove's own job-line parser.
UNIT_TESTS += cove_cli
UNIT_SRCS_cove_cli := test/unit/test_cove_cli.c linux/tools/cli_parse.c kernel/job_parse.c \
	kernel/cmdline.c kernel/lib/kvsnprintf.c
