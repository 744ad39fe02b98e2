UNIT_TESTS += exec_script
UNIT_SRCS_exec_script := test/unit/test_exec_script.c kernel/exec_script.c
