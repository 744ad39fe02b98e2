UNIT_TESTS += procfs
UNIT_SRCS_procfs := test/unit/test_procfs.c kernel/fs/procfs_fmt.c kernel/fs/procfs_args.c \
	kernel/fs/vfs_enclave.c kernel/lib/sbuf.c kernel/lib/kvsnprintf.c kernel/user_stack.c \
	arch/x86_64/kernel/cpuinfo_fmt.c
