UNIT_TESTS += pisces_parse
UNIT_SRCS_pisces_parse := test/unit/test_pisces_parse.c arch/x86_64/boot/pisces_parse.c \
	kernel/boot_info.c kernel/lib/host_grants.c kernel/lib/pisces_job.c kernel/lib/kvsnprintf.c \
	kernel/lib/numa_layout.c
