UNIT_TESTS += elf
UNIT_SRCS_elf := test/unit/test_elf.c kernel/elf_load.c kernel/user_stack.c
