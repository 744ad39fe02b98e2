// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel command line (init/options.c over kernel/cmdline.c): in
 * co-kernel mode the host user writes it (cove create --cmdline). Every
 * bad value must be one error message and leave the options in range; the
 * kernel functions options_parse calls are stood in for here.
 */
#include <stdarg.h>
#include <cove/arch.h>
#include <cove/jobdbg_uart.h>
#include <cove/kprintf.h>
#include <cove/options.h>
#include <cove/sched.h>
#include "fuzz.h"

static int fuzz_errors;

void klog(int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	FUZZ_ASSERT(!strncmp(msg, "cmdline: ", 9) && strlen(msg) > 10);
	if (level == LOG_ERR)
		fuzz_errors++;
}

void klog_set_console_level(int level)
{
	FUZZ_ASSERT(level >= 0 && level <= 7);
}

void arch_set_poweroff_method(enum poweroff_method m)
{
	FUZZ_ASSERT(m == POWEROFF_AUTO || m == POWEROFF_ACPI || m == POWEROFF_HALT);
}

void sched_set_idle_poll(uint64_t ns)
{
	FUZZ_ASSERT(ns <= 1000000000ULL);
}

void syscall_trace_set(bool on)
{
	(void)on;
}

void jobdbg_set_uart(uint16_t port)
{
	FUZZ_ASSERT(port == 0 || port == JOBDBG_UART_COM2);
}

#define FUZZ_TERMINATED(field) FUZZ_ASSERT(memchr(field, 0, sizeof(field)))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kernel_options defaults;
	static bool saved;
	const struct kernel_options *o = &kernel_options;
	char *line = fuzz_cstr(data, size);
	int errors;

	if (!saved) {
		defaults = kernel_options;
		saved = true;
	}
	kernel_options = defaults;
	fuzz_errors = 0;
	errors = options_parse(line);
	FUZZ_ASSERT(errors == fuzz_errors);
	FUZZ_ASSERT(o->cpu_limit <= 256 && o->loglevel <= 7);
	FUZZ_ASSERT(!o->mem_limit || o->mem_limit >= 1 << 20);
	FUZZ_ASSERT(o->job_ranks <= 256 && o->job_threads <= 256);
	FUZZ_ASSERT(o->job_heap >= 2 << 20);
	FUZZ_ASSERT(o->job_stack >= 256 << 10 && o->job_stack <= 1ULL << 30);
	FUZZ_ASSERT(o->job_pagesize >= 0 && o->job_pagesize <= 2);
	FUZZ_ASSERT(o->protect >= 0 && o->protect <= 2);
	FUZZ_ASSERT(o->panic_test >= PANIC_TEST_NONE && o->panic_test <= PANIC_TEST_STACK_OVERFLOW);
	FUZZ_ASSERT(o->fault_inject >= 0 && o->fault_inject <= FAULT_INJECT_ON_REQUEST);
	FUZZ_TERMINATED(o->partition_add);
	FUZZ_TERMINATED(o->partition_remove);
	FUZZ_TERMINATED(o->job_path);
	FUZZ_TERMINATED(o->job_args);
	FUZZ_TERMINATED(o->job_env);
	FUZZ_TERMINATED(o->job_cpus);
	FUZZ_TERMINATED(o->jobs_file);
	free(line);
	return 0;
}
