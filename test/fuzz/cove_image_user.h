/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What linux/module/cove_image.c takes from the kernel, for building it in
 * user space (fuzz_cove_image.c): types, ELF definitions from glibc's
 * <elf.h>, a few size macros and pr_err, which the harness collects.
 */
#ifndef COVE_IMAGE_USER_H
#define COVE_IMAGE_USER_H

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

#define U64_MAX UINT64_MAX
#define SZ_1M 0x00100000ULL
#define SZ_1G 0x40000000ULL
#define PAGE_SIZE 4096ULL
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define offset_in_page(x) ((u64)(x) & (PAGE_SIZE - 1))
#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))

/*
 * Not format-checked: the module prints u64 (unsigned long long in the
 * kernel, unsigned long here) with %llx; both are 64 bits on x86-64.
 */
void cove_image_user_log(const char *fmt, ...);
#define pr_err(...) cove_image_user_log(__VA_ARGS__)

#endif /* COVE_IMAGE_USER_H */
