/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The initial stack of a new process, laid out as the System V x86-64 ABI
 * and Linux do it, so unmodified static glibc and musl binaries start up:
 *
 *	stack_top ->	8 zero bytes (end marker)
 *			argv strings, envp strings, execfn string
 *			platform string (16-byte aligned below the above)
 *			16 AT_RANDOM bytes
 *			padding so that rsp ends up 16-byte aligned
 *			auxv pairs, ending with AT_NULL
 *			envp[], NULL
 *			argv[], NULL
 *	rsp ->		argc
 */
#ifndef COVE_USER_STACK_H
#define COVE_USER_STACK_H

#include <cove/types.h>

/* Auxiliary vector keys: the Linux values, which every libc hard-codes. */
#define AT_NULL 0
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_NOTELF 10
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_BASE_PLATFORM 24
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31
#define AT_SYSINFO_EHDR 33
#define AT_MINSIGSTKSZ 51

/* The most auxv pairs user_stack_build() writes, AT_NULL included. */
#define USER_STACK_AUXV_MAX 21

struct user_stack_args {
	const char *const *argv;	/* NULL-terminated; NULL means none */
	const char *const *envp;	/* NULL-terminated; NULL means none */
	const char *execfn;		/* AT_EXECFN string; NULL leaves it out */
	uint64_t at_phdr, at_phent, at_phnum, at_entry, at_base;
	uint64_t at_hwcap, at_hwcap2, at_clktck;	/* clktck is 100 */
	const uint8_t *random16;	/* 16 bytes for AT_RANDOM; required */
	const char *platform;		/* "x86_64"; NULL leaves AT_PLATFORM out */
	uint64_t at_minsigstksz;	/* e.g. 2048 */
	uint64_t at_sysinfo_ehdr;	/* the vDSO's address; 0 leaves it out */
};

/*
 * Writes the initial stack into buf, which holds the user memory
 * [stack_top - buf_size, stack_top); buf itself may have any alignment.
 * argc == 0 is written as given: whether exec accepts it is the caller's
 * policy. On success *sp is the initial rsp, 16-byte aligned and pointing at
 * argc. Returns 0, -E2BIG if the strings and tables do not fit, or -EINVAL
 * for a missing argument or a buffer that would extend below address 0.
 */
int user_stack_build(void *buf, size_t buf_size, uint64_t stack_top,
		     const struct user_stack_args *a, uint64_t *sp);

#endif /* COVE_USER_STACK_H */
