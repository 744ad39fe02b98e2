/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files of a host-launched job that live on the host: its standard output
 * streams and the files it names, fetched through long calls.
 */
#ifndef COVE_HOSTFS_H
#define COVE_HOSTFS_H

#include <cove/types.h>

/* Largest host file staged into the enclave. */
#define HOSTFS_MAX_FILE (256 * MiB)

/* Write to stream 1 or 2 of the host job; bytes written or -errno. */
int64_t host_stream_write(uint32_t job, uint32_t stream, const void *buf, size_t len);

/*
 * Copy the host's program at path into the file system at the same path,
 * through the job's host-side server, and its interpreter (PT_INTERP) the
 * same way unless the enclave has it: ld.so then opens the libraries
 * itself. 0, or -errno with a reason in err.
 */
int hostfs_stage(const char *path, uint32_t job, char *err, size_t errlen);

#endif /* COVE_HOSTFS_H */
