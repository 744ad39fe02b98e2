UNIT_TESTS += ksyms
UNIT_SRCS_ksyms := test/unit/test_ksyms.c kernel/symbols.c
