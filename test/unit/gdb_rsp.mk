# The gdb servers' protocol parsing (kernel/lib/gdb_rsp.c).
UNIT_TESTS += gdb_rsp
UNIT_SRCS_gdb_rsp := test/unit/test_gdb_rsp.c kernel/lib/gdb_rsp.c
