/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copying to and from the current process's memory. Regions are populated
 * when made, so a range the region list allows is mapped: the check is the
 * whole protection, and the copy is a plain memcpy through the user mapping.
 */
#ifndef COVE_UACCESS_H
#define COVE_UACCESS_H

#include <cove/types.h>

int copy_from_user(void *dst, uint64_t src, size_t len);
int copy_to_user(uint64_t dst, const void *src, size_t len);
/* Copies a NUL-terminated string; -ENAMETOOLONG if it does not fit max. */
int64_t strncpy_from_user(char *dst, uint64_t src, size_t max);
/* True if the current process may access [addr, addr+len) as asked. */
bool user_range_ok(uint64_t addr, size_t len, bool write);

#endif /* COVE_UACCESS_H */
