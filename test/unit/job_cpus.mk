UNIT_TESTS += job_cpus
UNIT_SRCS_job_cpus := test/unit/test_job_cpus.c kernel/job/job_cpus.c kernel/job/job_parse.c \
		      kernel/lib/kvsnprintf.c
