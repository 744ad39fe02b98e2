/* SPDX-License-Identifier: GPL-2.0 */
/* Pipes inside the enclave (kernel/fs/pipe.c). */
#ifndef COVE_PIPE_H
#define COVE_PIPE_H

#include <cove/types.h>

struct file;

/* Writes up to this many bytes are never split, as on Linux. */
#define PIPE_BUF 4096

/*
 * A new pipe: its read end and write end, one reference each, O_NONBLOCK
 * from flags. 0, or -ENOMEM (both NULL then).
 */
int pipe_create(uint32_t flags, struct file **rd, struct file **wr);

#endif /* COVE_PIPE_H */
