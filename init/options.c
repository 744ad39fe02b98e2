// SPDX-License-Identifier: GPL-2.0
/* The kernel command line, as a table of options. */
#include <cove/arch.h>
#include <cove/cmdline.h>
#include <cove/fault_kinds.h>
#include <cove/jobdbg_uart.h>
#include <cove/kprintf.h>
#include <cove/options.h>
#include <cove/sched.h>
#include <cove/syscall.h>

struct kernel_options kernel_options = {
	.loglevel = LOG_INFO,
	.job_heap = 64 << 20,
	.job_stack = 8 << 20,
	.job_pagesize = 1,
	.idle_poll_us = 1000,
	.protect = 1,
};

/* Same order as enum vmm_mode and enum fault_inject_kind. */
static const char *const protect_choices[] = { "off", "on", "require", NULL };
#define FAULT_KIND_NAME(kind) #kind,
static const char *const fault_inject_choices[] = { COVE_FAULT_KINDS(FAULT_KIND_NAME) NULL };
_Static_assert(ARRAY_SIZE(fault_inject_choices) == FAULT_INJECT_ON_REQUEST + 2,
	       "enum fault_inject_kind follows COVE_FAULT_KINDS");

static const char *const pagesize_choices[] = { "4K", "2M", "1G", NULL };

static const char *const panic_test_choices[] = {
	"none", "pagefault", "gp", "ud", "divide", "panic", "stackoverflow", NULL,
};

/* Same order as enum poweroff_method. */
static const char *const poweroff_choices[] = { "auto", "acpi", "halt", NULL };
static const char *const gdb_choices[] = { "off", "com2", NULL };

static const struct cmdline_opt kernel_option_table[] = {
	{ .name = "mem", .type = CMDLINE_SIZE, .dest = &kernel_options.mem_limit,
	  .min = 1 << 20 },
	{ .name = "cpus", .type = CMDLINE_UINT, .dest = &kernel_options.cpu_limit,
	  .min = 1, .max = 256 },
	{ .name = "selftest", .type = CMDLINE_FLAG, .dest = &kernel_options.selftest },
	{ .name = "nox2apic", .type = CMDLINE_FLAG, .dest = &kernel_options.nox2apic },
	{ .name = "strace", .type = CMDLINE_FLAG, .dest = &kernel_options.strace },
	{ .name = "loglevel", .type = CMDLINE_UINT, .dest = &kernel_options.loglevel,
	  .min = 0, .max = 7 },
	{ .name = "panic_test", .type = CMDLINE_CHOICE, .dest = &kernel_options.panic_test,
	  .choices = panic_test_choices },
	{ .name = "poweroff", .type = CMDLINE_CHOICE, .dest = &kernel_options.poweroff,
	  .choices = poweroff_choices },
	{ .name = "protect", .type = CMDLINE_CHOICE, .dest = &kernel_options.protect,
	  .choices = protect_choices },
	{ .name = "fault_inject", .type = CMDLINE_CHOICE, .dest = &kernel_options.fault_inject,
	  .choices = fault_inject_choices },
	{ .name = "fault_addr", .type = CMDLINE_SIZE, .dest = &kernel_options.fault_addr },
	{ .name = "partition_add", .type = CMDLINE_STRING, .dest = kernel_options.partition_add,
	  .dest_size = sizeof(kernel_options.partition_add) },
	{ .name = "partition_remove", .type = CMDLINE_STRING,
	  .dest = kernel_options.partition_remove,
	  .dest_size = sizeof(kernel_options.partition_remove) },
	{ .name = "gdb", .type = CMDLINE_CHOICE, .dest = &kernel_options.gdb_uart,
	  .choices = gdb_choices },
	{ .name = "idle_poll", .type = CMDLINE_UINT, .dest = &kernel_options.idle_poll_us,
	  .max = 1000000 },
	{ .name = "job", .type = CMDLINE_STRING, .dest = kernel_options.job_path,
	  .dest_size = sizeof(kernel_options.job_path) },
	{ .name = "job.args", .type = CMDLINE_STRING, .dest = kernel_options.job_args,
	  .dest_size = sizeof(kernel_options.job_args) },
	{ .name = "job.env", .type = CMDLINE_STRING, .dest = kernel_options.job_env,
	  .dest_size = sizeof(kernel_options.job_env) },
	{ .name = "job.cpus", .type = CMDLINE_STRING, .dest = kernel_options.job_cpus,
	  .dest_size = sizeof(kernel_options.job_cpus) },
	{ .name = "jobs", .type = CMDLINE_STRING, .dest = kernel_options.jobs_file,
	  .dest_size = sizeof(kernel_options.jobs_file) },
	{ .name = "job.ranks", .type = CMDLINE_UINT, .dest = &kernel_options.job_ranks,
	  .min = 1, .max = 256 },
	{ .name = "job.threads", .type = CMDLINE_UINT, .dest = &kernel_options.job_threads,
	  .min = 1, .max = 256 },
	{ .name = "job.heap", .type = CMDLINE_SIZE, .dest = &kernel_options.job_heap,
	  .min = 2 << 20 },
	{ .name = "job.stack", .type = CMDLINE_SIZE, .dest = &kernel_options.job_stack,
	  .min = 256 << 10, .max = 1ULL << 30 },
	{ .name = "job.pagesize", .type = CMDLINE_CHOICE, .dest = &kernel_options.job_pagesize,
	  .choices = pagesize_choices },
};

static void options_report_error(void *ctx, const char *msg)
{
	(void)ctx;
	pr_err("cmdline: %s\n", msg);
}

static void options_report_unknown(void *ctx, const char *msg)
{
	(void)ctx;
	pr_warn("cmdline: %s\n", msg);
}

int options_parse(const char *cmdline)
{
	int errors = cmdline_parse(cmdline, kernel_option_table, ARRAY_SIZE(kernel_option_table),
				   options_report_error, options_report_unknown, NULL);

	klog_set_console_level((int)kernel_options.loglevel);
	arch_set_poweroff_method((enum poweroff_method)kernel_options.poweroff);
	sched_set_idle_poll(kernel_options.idle_poll_us * 1000);
	syscall_trace_set(kernel_options.strace);
	jobdbg_set_uart(kernel_options.gdb_uart ? JOBDBG_UART_COM2 : 0);
	return errors;
}
