/* SPDX-License-Identifier: GPL-2.0 */
/* The long-call server of `cove run` (lcall.c). */
#ifndef COVE_TOOL_LCALL_H
#define COVE_TOOL_LCALL_H

#include <stddef.h>
#include <stdint.h>

/*
 * The job's environment, "NAME=VALUE\0" each, len bytes, which Cove asks
 * for (COVE_LC_ENV) as the job starts; block must outlive serving.
 */
void lcall_set_env(const char *block, size_t len);

/*
 * Serve job's long calls until it exits; returns the status `cove run`
 * ends with (the job's exit status, or 128 + signal). An interrupt kills
 * the job and serving goes on until Cove reports its end; a failed or
 * destroyed enclave ends the command.
 */
int lcall_serve(int fd, uint32_t id, uint32_t job);
/* After lcall_serve: the signal that killed the job, or 0. */
int lcall_term_signal(void);

#endif /* COVE_TOOL_LCALL_H */
