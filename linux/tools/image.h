/* SPDX-License-Identifier: GPL-2.0 */
/* The Cove image and initrd files `cove create` hands to the module. */
#ifndef COVE_TOOL_IMAGE_H
#define COVE_TOOL_IMAGE_H

#include <stddef.h>

/* The whole file in memory; any failure ends the command with a message. */
void *read_whole_file(const char *path, size_t *size);
/* Why buf is not a Cove image (ELF, header magic), or NULL if it is one. */
const char *image_problem(const void *buf, size_t size);
/* $COVE_IMAGE, else the installed image, else the one of this build tree. */
const char *image_default(void);

#endif /* COVE_TOOL_IMAGE_H */
