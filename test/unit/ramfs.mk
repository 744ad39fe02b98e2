UNIT_TESTS += ramfs
UNIT_SRCS_ramfs := test/unit/test_ramfs.c kernel/fs/ramfs.c kernel/fs/cpio.c
