// SPDX-License-Identifier: GPL-2.0
/*
 * A process's argv, environment and program path, read back off the top
 * of its stack (see stack_args_parse in procfs_fmt.h). Exec keeps no copy:
 * like Linux, /proc shows what is in the process's memory now. Pure.
 */
#include <cove/errno.h>
#include <cove/string.h>
#include <cove/user_stack.h>
#include "procfs_fmt.h"

/* The most auxv pairs walked back over before giving up. */
#define ARGS_AUXV_MAX 64

struct args_win {
	const uint8_t *mem;
	uint64_t lo, top;		/* user addresses of mem[0] and its end */
};

static bool args_word(const struct args_win *w, uint64_t va, uint64_t *v)
{
	if (va < w->lo || va + 8 > w->top || va + 8 < va)
		return false;
	memcpy(v, w->mem + (va - w->lo), 8);
	return true;
}

static bool args_in_strings(const struct args_win *w, uint64_t va, uint64_t strings_end)
{
	return va >= w->lo && va < strings_end;
}

/* The NUL-terminated string at va ends before limit: one past its NUL. */
static bool args_string_end(const struct args_win *w, uint64_t va, uint64_t limit,
			    uint64_t *end)
{
	if (va < w->lo || va >= limit)
		return false;
	for (; va < limit; va++) {
		if (!w->mem[va - w->lo]) {
			*end = va + 1;
			return true;
		}
	}
	return false;
}

int stack_args_parse(const void *win, size_t len, uint64_t top, struct stack_args *out)
{
	struct args_win w = { win, top - len, top };
	uint64_t v, key, at, execfn, aux, q, argc = 0, lowest = ~0ULL;

	if (len < 64 || top < len || !IS_ALIGNED(top, 8))
		return -EINVAL;
	/* The end marker, then the path string (and its NUL) just below it. */
	if (!args_word(&w, top - 8, &v) || v != 0 || w.mem[len - 9] != 0 || w.mem[len - 10] == 0)
		return -EINVAL;
	execfn = top - 10;
	while (execfn > w.lo && w.mem[execfn - 1 - w.lo] != 0)
		execfn--;
	if (execfn == w.lo)
		return -EINVAL;
	/* The highest (AT_EXECFN, execfn) pair below the strings is the vector's. */
	for (at = ALIGN_DOWN(execfn, 8) - 16; at >= w.lo + 8 * 4; at -= 8) {
		if (args_word(&w, at, &key) && key == AT_EXECFN && args_word(&w, at + 8, &v) &&
		    v == execfn)
			break;
	}
	if (at < w.lo + 8 * 4)
		return -EINVAL;
	/* Back to its first pair: before it sits envp's NULL, never a key. */
	aux = at;
	for (int i = 0; i < ARGS_AUXV_MAX; i++) {
		if (!args_word(&w, aux - 16, &key) || key == AT_NULL || key >= 64)
			break;
		aux -= 16;
	}
	if (!args_word(&w, aux - 8, &v) || v != 0)
		return -EINVAL;
	/* envp[] back to argv's NULL, then argv[] back to argc. */
	for (q = aux - 16; args_word(&w, q, &v) && v; q -= 8) {
		if (!args_in_strings(&w, v, execfn))
			return -EINVAL;
		lowest = MIN(lowest, v);
	}
	if (!args_word(&w, q, &v) || v != 0)
		return -EINVAL;
	out->env_end = execfn;
	out->env_start = lowest;	/* corrected below once argv's strings are known */
	for (q -= 8; args_word(&w, q, &v) && args_in_strings(&w, v, execfn); q -= 8) {
		argc++;
		lowest = MIN(lowest, v);
	}
	if (!args_word(&w, q, &v) || v != argc)
		return -EINVAL;
	/* The strings are contiguous: argv's from the lowest, then the environment's. */
	out->argc = argc;
	out->arg_start = lowest == ~0ULL ? execfn : lowest;
	out->arg_end = out->arg_start;
	for (uint64_t i = 0; i < argc; i++) {
		if (!args_string_end(&w, out->arg_end, execfn, &out->arg_end))
			return -EINVAL;
	}
	out->env_start = out->arg_end;
	out->execfn = execfn;
	return 0;
}
