/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `cove run --gdb PORT`: a gdb remote-protocol server for the job, on
 * 127.0.0.1:PORT, in the job's proxy (gdb_stub.c). The job's process
 * stops before its first instruction and waits for gdb; Cove reports each
 * stop with long call COVE_LC_DEBUG (cove/debug_abi.h), which a server
 * thread hands over here and answers with gdb's next request.
 */
#ifndef COVE_GDB_STUB_H
#define COVE_GDB_STUB_H

#include <stdint.h>
#include "../module/cove_uapi.h"

/* Before the launch: listen on 127.0.0.1:port, or fail with a message. */
void gdbstub_listen(uint16_t port);
/* After proxy_setup: serve gdb for job `job` of enclave id (devfd: signals, kill). */
void gdbstub_start(int devfd, uint32_t id, uint32_t job);
/*
 * A COVE_LC_DEBUG long call as a server thread took it (payload in buf,
 * cap bytes): waits for gdb's next request and makes lc the reply.
 */
void gdbstub_lcall(struct cove_lcall *lc, char *buf, uint32_t cap);
/* The job is being killed (Ctrl-C twice): a stop waiting for gdb lets it go. */
void gdbstub_kill(void);
/* The job ended (wait(2) status): gdb hears of it, then the server ends. */
void gdbstub_job_ended(int status);

#endif /* COVE_GDB_STUB_H */
