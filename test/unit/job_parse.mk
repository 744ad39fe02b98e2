UNIT_TESTS += job_parse
UNIT_SRCS_job_parse := test/unit/test_job_parse.c kernel/job/job_parse.c kernel/lib/kvsnprintf.c
