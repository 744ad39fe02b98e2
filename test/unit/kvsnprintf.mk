UNIT_TESTS += kvsnprintf
UNIT_SRCS_kvsnprintf := test/unit/test_kvsnprintf.c kernel/lib/kvsnprintf.c
