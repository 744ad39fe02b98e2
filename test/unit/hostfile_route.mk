UNIT_TESTS += hostfile_route
UNIT_SRCS_hostfile_route := test/unit/test_hostfile_route.c kernel/fs/hostfile_route.c kernel/fs/vfs_enclave.c
