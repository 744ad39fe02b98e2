/* SPDX-License-Identifier: GPL-2.0 */
/* A Pisces LAUNCH_JOB (struct pisces_job_spec) as one of Cove's job lines. */
#ifndef COVE_PISCES_JOB_H
#define COVE_PISCES_JOB_H

#include <cove/pisces_abi.h>
#include <cove/types.h>

/*
 * Writes "ranks=N [cpus=LIST] [heap=B] [stack=B] [pagesize=2M] [env="..."]
 * PATH ARGS" (kernel/job/job.c's syntax) for spec into line. Pisces's
 * fields are fixed arrays the host filled: each is read only up to its
 * size. Returns 0, or -EINVAL with a message in err: no program, a
 * double quote (the job syntax's own) in any field, or a line longer than
 * cap.
 */
int pisces_job_line(const struct pisces_job_spec *spec, char *line, size_t cap, char *err,
		    size_t errlen);

#endif /* COVE_PISCES_JOB_H */
