# A debugger's view of a thread's registers (arch/x86_64/kernel/dbg_regs.c).
UNIT_TESTS += dbg_regs
UNIT_SRCS_dbg_regs := test/unit/test_dbg_regs.c arch/x86_64/kernel/dbg_regs.c
