/* SPDX-License-Identifier: GPL-2.0 */
/* What a process has used, for the calls that report it (kernel/syscalls/sys_rusage.c). */
#ifndef COVE_RUSAGE_H
#define COVE_RUSAGE_H

#include <cove/types.h>

struct process;

/* struct rusage as Linux x86-64 lays it out: 18 longs. */
#define RUSAGE_WORDS 18

/* The CPU-time clock clk (CLOCK_*_CPUTIME_ID or Linux's encoded ids) in ns; -EINVAL. */
int rusage_cpu_clock_ns(int64_t clk, uint64_t *ns);
struct process_wait_result;
/* The rusage wait4 and waitid give for the child wait collected. */
void rusage_of_wait(const struct process_wait_result *res, int64_t ru[RUSAGE_WORDS]);

#endif /* COVE_RUSAGE_H */
