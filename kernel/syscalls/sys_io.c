// SPDX-License-Identifier: GPL-2.0
/* read/write and friends: data through open descriptors. */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/ramfs.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

#define IOV_MAX 1024

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TIOCGWINSZ 0x5413
#define TIOCGPGRP 0x540f
#define FIONREAD 0x541b
#define FIONBIO 0x5421

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

struct iovec_user {
	uint64_t base;
	uint64_t len;
};

static struct fdtable *cur_files(void)
{
	return task_current()->proc->files;
}

#define IO_CHUNK 4096

/*
 * Move data between user memory and a file through a kernel buffer, so no
 * user page is touched while a file-system or console lock is held.
 */
static int64_t io_bounce(struct file *f, uint64_t ubuf, uint64_t len, bool write,
			 uint64_t *pos)
{
	char chunk[IO_CHUNK] __aligned(16);
	uint64_t done = 0;

	while (done < len) {
		size_t want = (size_t)MIN(len - done, (uint64_t)IO_CHUNK);
		int64_t n;

		if (write) {
			if (copy_from_user(chunk, ubuf + done, want))
				return done ? (int64_t)done : -EFAULT;
			n = file_write(f, chunk, want, pos);
		} else {
			n = file_read(f, chunk, want, pos);
			if (n > 0 && copy_to_user(ubuf + done, chunk, (size_t)n))
				return done ? (int64_t)done : -EFAULT;
		}
		if (n < 0)
			return done ? (int64_t)done : n;
		done += (uint64_t)n;
		if ((size_t)n < want)
			break;
	}
	return (int64_t)done;
}

static int64_t io_rw(int fd, uint64_t buf, uint64_t len, bool write, int64_t at)
{
	struct file *f = fd_get(cur_files(), fd);
	uint64_t pos;
	int64_t n;

	if (!f)
		return -EBADF;
	if (len && !user_range_ok(buf, len, !write)) {
		file_put(f);
		return -EFAULT;
	}
	if (at >= 0 && f->kind == FILE_CONSOLE) {
		file_put(f);
		return -ESPIPE;
	}
	pos = at >= 0 ? (uint64_t)at : f->pos;
	n = io_bounce(f, buf, len, write, &pos);
	if (at < 0)
		f->pos = pos;
	file_put(f);
	return n;
}

int64_t sys_read(SYSCALL_ARGS)
{
	return io_rw((int)a0, a1, a2, false, -1);
}

int64_t sys_write(SYSCALL_ARGS)
{
	return io_rw((int)a0, a1, a2, true, -1);
}

int64_t sys_pread64(SYSCALL_ARGS)
{
	return (int64_t)a3 < 0 ? -EINVAL : io_rw((int)a0, a1, a2, false, (int64_t)a3);
}

int64_t sys_pwrite64(SYSCALL_ARGS)
{
	return (int64_t)a3 < 0 ? -EINVAL : io_rw((int)a0, a1, a2, true, (int64_t)a3);
}

static int64_t io_vec(int fd, uint64_t iov, uint64_t cnt, bool write)
{
	int64_t total = 0;

	if (cnt > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < cnt; i++) {
		struct iovec_user v;
		int64_t n;

		if (copy_from_user(&v, iov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		if (!v.len)
			continue;
		n = io_rw(fd, v.base, v.len, write, -1);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < v.len)
			break;
	}
	return total;
}

int64_t sys_readv(SYSCALL_ARGS)
{
	return io_vec((int)a0, a1, a2, false);
}

int64_t sys_writev(SYSCALL_ARGS)
{
	return io_vec((int)a0, a1, a2, true);
}

int64_t sys_lseek(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_files(), (int)a0);
	int64_t off = (int64_t)a1, base;
	struct ramfs_stat st;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_CONSOLE) {
		file_put(f);
		return -ESPIPE;
	}
	switch (a2) {
	case 0:
		base = 0;
		break;
	case 1:
		base = (int64_t)f->pos;
		break;
	case 2: {
		int rc = file_stat(f, &st);

		if (rc) {
			file_put(f);
			return rc;
		}
		base = (int64_t)st.size;
		break;
	}
	default:
		file_put(f);
		return -EINVAL;
	}
	if (base + off < 0) {
		file_put(f);
		return -EINVAL;
	}
	f->pos = (uint64_t)(base + off);
	file_put(f);
	return base + off;
}

int64_t sys_close(SYSCALL_ARGS)
{
	return fd_close(cur_files(), (int)a0);
}

static int64_t io_dup(int oldfd, int newfd, bool cloexec, int min)
{
	struct fdtable *t = cur_files();
	struct file *f = fd_get(t, oldfd);
	unsigned long flags;
	struct file *old;
	int rc;

	if (!f)
		return -EBADF;
	if (newfd < 0) {
		rc = fd_install(t, f, min, cloexec);
		if (rc < 0)
			file_put(f);
		return rc;
	}
	if (newfd >= FD_MAX) {
		file_put(f);
		return -EBADF;
	}
	flags = spin_lock_irqsave(&t->lock);
	old = t->fd[newfd];
	t->fd[newfd] = f;
	t->cloexec[newfd] = cloexec;
	spin_unlock_irqrestore(&t->lock, flags);
	file_put(old);
	return newfd;
}

int64_t sys_dup(SYSCALL_ARGS)
{
	return io_dup((int)a0, -1, false, 0);
}

int64_t sys_dup2(SYSCALL_ARGS)
{
	if ((int)a0 == (int)a1) {
		struct file *f = fd_get(cur_files(), (int)a0);

		file_put(f);
		return f ? (int64_t)(int)a1 : -EBADF;
	}
	return io_dup((int)a0, (int)a1, false, 0);
}

int64_t sys_dup3(SYSCALL_ARGS)
{
	if ((int)a0 == (int)a1 || (a2 & ~(uint64_t)O_CLOEXEC))
		return -EINVAL;
	return io_dup((int)a0, (int)a1, a2 & O_CLOEXEC, 0);
}

int64_t sys_fcntl(SYSCALL_ARGS)
{
	struct fdtable *t = cur_files();
	struct file *f = fd_get(t, (int)a0);
	int64_t rc = 0;

	if (!f)
		return -EBADF;
	switch (a1) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		file_put(f);
		return io_dup((int)a0, -1, a1 == F_DUPFD_CLOEXEC, (int)a2);
	case F_GETFD:
		rc = t->cloexec[(int)a0] ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		t->cloexec[(int)a0] = (a2 & FD_CLOEXEC) != 0;
		break;
	case F_GETFL:
		rc = f->flags;
		break;
	case F_SETFL:
		f->flags = (f->flags & ~(uint32_t)(O_APPEND | O_NONBLOCK)) |
			   ((uint32_t)a2 & (O_APPEND | O_NONBLOCK));
		break;
	default:
		rc = -EINVAL;
	}
	file_put(f);
	return rc;
}

/* The console answers the terminal ioctls libc asks at start-up. */
static int64_t io_console_ioctl(uint64_t req, uint64_t arg)
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

int64_t sys_ioctl(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_files(), (int)a0);
	int64_t rc;

	if (!f)
		return -EBADF;
	if (f->kind == FILE_CONSOLE) {
		rc = io_console_ioctl(a1, a2);
	} else if (a1 == FIONREAD && f->kind == FILE_NODE) {
		struct ramfs_stat st;
		int32_t left;

		ramfs_stat(f->node, &st);
		left = st.size > f->pos ? (int32_t)MIN(st.size - f->pos, 0x7fffffffULL) : 0;
		rc = copy_to_user(a2, &left, sizeof(left)) ? -EFAULT : 0;
	} else {
		rc = -ENOTTY;
	}
	file_put(f);
	return rc;
}

int64_t sys_fsync(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_files(), (int)a0);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* Everything Cove serves is always ready: poll just reports that. */
int64_t sys_poll(SYSCALL_ARGS)
{
	struct pollfd_user {
		int32_t fd;
		int16_t events, revents;
	} p;
	int64_t ready = 0;

	if (a1 > FD_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < a1; i++) {
		struct file *f;

		if (copy_from_user(&p, a0 + i * sizeof(p), sizeof(p)))
			return -EFAULT;
		f = p.fd >= 0 ? fd_get(cur_files(), p.fd) : NULL;
		p.revents = f ? (int16_t)(p.events & 0x5) : (p.fd >= 0 ? 0x20 : 0);
		file_put(f);
		if (p.revents)
			ready++;
		if (copy_to_user(a0 + i * sizeof(p), &p, sizeof(p)))
			return -EFAULT;
	}
	return ready;
}

/*
 * sendfile: copy between descriptors through a kernel buffer (cat uses it).
 * The buffer is one long-call payload, so a host file moves in as few
 * round trips as the channel allows.
 */
#define IO_SENDFILE_CHUNK (64 * KiB)

int64_t sys_sendfile(SYSCALL_ARGS)
{
	struct file *out = fd_get(cur_files(), (int)a0), *in = fd_get(cur_files(), (int)a1);
	uint64_t left = a3, pos, total = 0;
	int64_t rc = 0;
	char *buf = kmalloc(IO_SENDFILE_CHUNK);

	if (!out || !in || !buf) {
		rc = !buf ? -ENOMEM : -EBADF;
		goto done;
	}
	if (a2 && copy_from_user(&pos, a2, sizeof(pos))) {
		rc = -EFAULT;
		goto done;
	}
	if (!a2)
		pos = in->pos;
	while (left) {
		uint64_t wpos = out->pos;
		int64_t n = file_read(in, buf, MIN(left, IO_SENDFILE_CHUNK), &pos);

		if (n <= 0) {
			rc = n;
			break;
		}
		n = file_write(out, buf, (size_t)n, &wpos);
		out->pos = wpos;
		if (n <= 0) {
			rc = n;
			break;
		}
		total += (uint64_t)n;
		left -= (uint64_t)n;
	}
	if (a2)
		copy_to_user(a2, &pos, sizeof(pos));
	else
		in->pos = pos;
done:
	kfree(buf);
	file_put(in);
	file_put(out);
	return total ? (int64_t)total : rc;
}
