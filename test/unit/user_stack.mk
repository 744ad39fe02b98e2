UNIT_TESTS += user_stack
UNIT_SRCS_user_stack := test/unit/test_user_stack.c kernel/user_stack.c
