UNIT_TESTS += buddy
UNIT_SRCS_buddy := test/unit/test_buddy.c mm/buddy.c
