UNIT_TESTS += mb2
UNIT_SRCS_mb2 := test/unit/test_mb2.c arch/x86_64/boot/mb2_parse.c
