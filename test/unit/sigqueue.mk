UNIT_TESTS += sigqueue
UNIT_SRCS_sigqueue := test/unit/test_sigqueue.c kernel/sigqueue.c
