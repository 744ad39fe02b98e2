UNIT_TESTS += partition
UNIT_SRCS_partition := test/unit/test_partition.c init/partition.c kernel/boot_info.c kernel/lib/ranges.c kernel/lib/kvsnprintf.c
