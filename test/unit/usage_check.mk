UNIT_TESTS += usage_check
# The test includes linux/module/cove_usage_check.c itself (test/fuzz/cove_usage_user.h).
UNIT_SRCS_usage_check := test/unit/test_usage_check.c
UNIT_CFLAGS_usage_check := -Itest/fuzz
$(BUILD)/unit/usage_check: linux/module/cove_usage_check.c linux/module/cove_usage_check.h \
	test/fuzz/cove_usage_user.h
