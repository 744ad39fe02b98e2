/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel logging. Every message goes to the in-memory log ring; messages at
 * or above the console level also go to the consoles.
 */
#ifndef COVE_KPRINTF_H
#define COVE_KPRINTF_H

#include <stdarg.h>
#include <cove/types.h>

enum log_level {
	LOG_EMERG = 0,
	LOG_ERR = 3,
	LOG_WARN = 4,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

void klog(int level, const char *fmt, ...) __printf(2, 3);
void vklog(int level, const char *fmt, va_list ap) __printf(2, 0);
/* kprintf is klog at LOG_INFO: the banner and reports. */
void kprintf(const char *fmt, ...) __printf(1, 2);
/* Messages above this level are kept in the ring but not printed. */
void klog_set_console_level(int level);

#define pr_emerg(...) klog(LOG_EMERG, __VA_ARGS__)
#define pr_err(...) klog(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) klog(LOG_WARN, __VA_ARGS__)
#define pr_info(...) klog(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

/* Program output: to the consoles and the ring as it is, no level. */
void klog_write_raw(const char *s, size_t len);

struct log_ring;
/* The ring every message lands in (read by self-tests and the host). */
const struct log_ring *klog_get_ring(void);

/* Panic path: forget who held the console lock so the report gets out. */
void klog_bust_locks(void);

#endif /* COVE_KPRINTF_H */
