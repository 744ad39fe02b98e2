UNIT_TESTS += log_ring
UNIT_SRCS_log_ring := test/unit/test_log_ring.c kernel/log_ring.c
