# A thread's FPU state as Linux writes it in core files (arch/x86_64/kernel/fpu_export.c).
UNIT_TESTS += fpu_export
UNIT_SRCS_fpu_export := test/unit/test_fpu_export.c arch/x86_64/kernel/fpu_export.c
