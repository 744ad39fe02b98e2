UNIT_TESTS += cpio
UNIT_SRCS_cpio := test/unit/test_cpio.c kernel/fs/cpio.c
