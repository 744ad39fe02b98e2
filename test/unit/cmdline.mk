UNIT_TESTS += cmdline
UNIT_SRCS_cmdline := test/unit/test_cmdline.c kernel/cmdline.c kernel/lib/kvsnprintf.c
