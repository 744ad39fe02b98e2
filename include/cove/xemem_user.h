/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XEMEM for enclave programs: Cove's own system calls that share memory
 * with host processes by key (kernel/xemem.c). Plain macros, so user/
 * programs build against them as the kernel's syscall list does.
 *
 *   addr = syscall(COVE_SYS_XEMEM_MAKE, key, len, flags)
 *	New zeroed memory of len bytes (whole pages) mapped read-write in the
 *	caller, exported under key: a host process may map it, writable
 *	only with COVE_XEMEM_WRITE in flags. Until removed, or the process
 *	ends.
 *   syscall(COVE_SYS_XEMEM_REMOVE, key)
 *	No host process can reach it any more when this returns; the
 *	memory leaves the caller too.
 *   addr = syscall(COVE_SYS_XEMEM_ATTACH, key, flags)
 *	Map the host segment offered under key; writable only if flags has
 *	COVE_XEMEM_WRITE and the host allowed it. Its size: *len_out if
 *	the third argument points to a uint64_t.
 *   syscall(COVE_SYS_XEMEM_DETACH, addr)
 *
 * Neither kind of mapping is inherited over fork, nor may munmap or
 * mprotect change it (EINVAL / EACCES): remove and detach do.
 */
#ifndef COVE_XEMEM_USER_H
#define COVE_XEMEM_USER_H

#define COVE_SYS_XEMEM_MAKE 1010
#define COVE_SYS_XEMEM_REMOVE 1011
#define COVE_SYS_XEMEM_ATTACH 1012
#define COVE_SYS_XEMEM_DETACH 1013

#ifndef COVE_XEMEM_WRITE
#define COVE_XEMEM_WRITE 0x1U
#endif

#endif /* COVE_XEMEM_USER_H */
