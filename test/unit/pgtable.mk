UNIT_TESTS += pgtable
UNIT_SRCS_pgtable := test/unit/test_pgtable.c arch/x86_64/mm/pgtable.c
