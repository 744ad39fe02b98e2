// SPDX-License-Identifier: GPL-2.0
/*
 * klog: format once, keep in the ring, print if important enough. A single
 * lock orders lines from all CPUs so they never interleave mid-line.
 */
#include <cove/console.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/log_ring.h>
#include <cove/spinlock.h>
#include <generated/config.h>

#define KLOG_LINE_MAX 512

/* The log itself; written only under klog_lock. */
static char klog_buf[CONFIG_LOG_RING_SIZE] __aligned(64);
static struct log_ring klog_ring = { klog_buf, CONFIG_LOG_RING_SIZE, 0 };
static spinlock_t klog_lock = SPINLOCK_INIT;
/* Set by options_parse on the boot CPU; a racy read only picks a level. */
static int klog_console_level = LOG_INFO;

void klog_set_console_level(int level)
{
	klog_console_level = level;
}

void klog_bust_locks(void)
{
	klog_lock.owner = klog_lock.next;
}

const struct log_ring *klog_get_ring(void)
{
	return &klog_ring;
}

void vklog(int level, const char *fmt, va_list ap)
{
	char line[KLOG_LINE_MAX];
	const char *prefix = "";
	int n;

	/* Emergency reports (panics) carry their own headline. */
	if (level == LOG_ERR)
		prefix = "error: ";
	else if (level == LOG_WARN)
		prefix = "warning: ";

	n = ksnprintf(line, sizeof(line), "%s", prefix);
	n += kvsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;

	unsigned long flags = spin_lock_irqsave(&klog_lock);

	log_ring_write(&klog_ring, line, n);
	if (level <= klog_console_level)
		console_write(line, n);
	spin_unlock_irqrestore(&klog_lock, flags);
}

void klog_write_raw(const char *s, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&klog_lock);

	log_ring_write(&klog_ring, s, len);
	console_write(s, len);
	spin_unlock_irqrestore(&klog_lock, flags);
}

void klog(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vklog(level, fmt, ap);
	va_end(ap);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vklog(LOG_INFO, fmt, ap);
	va_end(ap);
}
