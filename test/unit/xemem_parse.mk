UNIT_TESTS += xemem_parse
# The test includes linux/module/cove_xemem_parse.c itself (test/fuzz/cove_xemem_user.h).
UNIT_SRCS_xemem_parse := test/unit/test_xemem_parse.c
UNIT_CFLAGS_xemem_parse := -Itest/fuzz
$(BUILD)/unit/xemem_parse: linux/module/cove_xemem_parse.c linux/module/cove_xemem_parse.h \
	test/fuzz/cove_xemem_user.h
