UNIT_TESTS += ptwalk
# The test includes linux/module/cove_ptwalk.c itself, as the fuzz harness does.
UNIT_SRCS_ptwalk := test/unit/test_ptwalk.c
$(BUILD)/unit/ptwalk: linux/module/cove_ptwalk.c linux/module/cove_ptwalk.h
