// SPDX-License-Identifier: GPL-2.0
/*
 * The console as a file: a bare-mode job's stdio, and the stdout and
 * stderr of a host job, whose writes go back to its `cove run`. No input
 * (reads see the end of file) and no offsets.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/hostfs.h>
#include <cove/kprintf.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include "backends.h"

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TIOCGWINSZ 0x5413
#define TIOCGPGRP 0x540f
#define FIONBIO 0x5421

/* What stat says: a character device like /dev/ttyS0 (4, 64). */
#define CONSOLE_MODE 0020620
#define CONSOLE_RDEV ((4 << 8) | 64)

static int64_t console_file_read(struct file *f, void *buf, size_t len, uint64_t pos)
{
	return 0;	/* no console input: end of file */
}

static int64_t console_file_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	if (f->host_stream)
		return host_stream_write(f->host_job, f->host_stream, buf, len);
	klog_write_raw(buf, len);
	return (int64_t)len;
}

static int console_file_stat(struct file *f, struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = VFS_DEV_CONSOLE;
	st->rdev = CONSOLE_RDEV;
	st->mode = CONSOLE_MODE;
	st->nlink = 1;
	st->ino = 1;
	return 0;
}

/* The terminal ioctls libc asks at start-up. */
static int64_t console_file_ioctl(struct file *f, uint64_t req, uint64_t arg)
{
	switch (req) {
	case TCGETS: {
		/* The kernel's struct termios: 4 flag words, c_line, 19 c_cc = 36 bytes. */
		uint8_t termios[36] = { 0 };
		uint32_t flags[4] = { 0x0500, 0x0005, 0x1cb2, 0x8a3b };	/* 115200 8N1, icanon */

		__builtin_memcpy(termios, flags, sizeof(flags));
		return copy_to_user(arg, termios, sizeof(termios)) ? -EFAULT : 0;
	}
	case TCSETS:
	case TCSETSW:
		return 0;
	case TIOCGWINSZ: {
		uint16_t ws[4] = { 24, 80, 0, 0 };

		return copy_to_user(arg, ws, sizeof(ws)) ? -EFAULT : 0;
	}
	case TIOCGPGRP: {
		int32_t pgrp = (int32_t)task_current()->proc->pid;

		return copy_to_user(arg, &pgrp, sizeof(pgrp)) ? -EFAULT : 0;
	}
	case FIONBIO:
		return 0;
	default:
		return -ENOTTY;
	}
}

static int64_t console_file_path(struct file *f, char *buf, size_t len)
{
	static const char name[] = "/dev/console";
	size_t n = MIN(len, sizeof(name) - 1);

	memcpy(buf, name, n);
	return (int64_t)n;
}

const struct vfs_file_ops console_file_ops = {
	.name = "console",
	.flags = VFS_STREAM,
	.read = console_file_read,
	.write = console_file_write,
	.stat = console_file_stat,
	.ioctl = console_file_ioctl,
	.path = console_file_path,
};

struct file *console_file_open(uint32_t host_job, uint32_t stream)
{
	struct file *f = file_alloc(&console_file_ops, O_RDWR);

	if (f && host_job) {
		f->host_stream = stream;
		f->host_job = host_job;
	}
	return f;
}
