// SPDX-License-Identifier: GPL-2.0
/*
 * The system call table, number -> handler and name, generated from the
 * one list (arch/syscall_list.h). A call served elsewhere (offloaded, or
 * missing) keeps its name, for the console, and no handler.
 */
#include <cove/syscalls.h>

#define SYSCALL_ENTRY_NATIVE(nr, name, fn) [nr] = { fn, #name, SYSCALL_NATIVE, -1, -1 },
#define SYSCALL_ENTRY_MISSING(nr, name) [nr] = { NULL, #name, SYSCALL_MISSING, -1, -1 },
#define SYSCALL_ENTRY_OFFLOAD(nr, name) [nr] = { NULL, #name, SYSCALL_OFFLOAD, -1, -1 },
#define SYSCALL_ENTRY_ROUTED(nr, name, fn, route) [nr] = { fn, #name, route },

/* -Woverride-init (in -Wextra) refuses a number listed twice. */
const struct syscall_entry_desc syscall_table[SYSCALL_MAX] = {
	SYSCALL_LIST(SYSCALL_ENTRY_NATIVE, SYSCALL_ENTRY_MISSING, SYSCALL_ENTRY_OFFLOAD,
		     SYSCALL_ENTRY_ROUTED)
};

/*
 * The handlers the arch entry's fast path calls straight: NATIVE calls
 * only; NULL sends a number (routed, offloaded, missing) to the full
 * dispatch (syscall_dispatch), which routes and reports.
 */
#define SYSCALL_FAST_NATIVE(nr, name, fn) [nr] = fn,
#define SYSCALL_FAST_NONE(nr, name, ...)

const syscall_fn syscall_native_fn[SYSCALL_MAX] = {
	SYSCALL_LIST(SYSCALL_FAST_NATIVE, SYSCALL_FAST_NONE, SYSCALL_FAST_NONE,
		     SYSCALL_FAST_NONE)
};

/* No fast call at all: what the entry reads while strace is on. */
static const syscall_fn syscall_no_fast_fn[SYSCALL_MAX];

/*
 * The table the arch entry reads: one load instead of a test of
 * syscall_tracing on every call. Set by syscall_fast_path(), from the boot
 * options before any job runs; read-only after.
 */
const syscall_fn *syscall_fast_fn = syscall_native_fn;

void syscall_fast_path(bool on)
{
	syscall_fast_fn = on ? syscall_native_fn : syscall_no_fast_fn;
}

const char *syscall_name(uint64_t nr)
{
	if (nr >= SYSCALL_MAX)
		return "an out-of-range call";
	return syscall_table[nr].name ? syscall_table[nr].name : "an unnamed call";
}
