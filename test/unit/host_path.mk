# Which host paths `cove run` opens for a job (linux/tools/host_path.c).
UNIT_TESTS += host_path
UNIT_SRCS_host_path := test/unit/test_host_path.c linux/tools/host_path.c
UNIT_CFLAGS_host_path := -D_GNU_SOURCE
