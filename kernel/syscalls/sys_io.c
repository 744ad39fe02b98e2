// SPDX-License-Identifier: GPL-2.0
/* read/write and friends: data through open descriptors. */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/io_poll.h>
#include <cove/sched.h>
#include <cove/shmem.h>
#include <cove/signal.h>
#include <cove/timer.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <cove/vfs.h>

#define IOV_MAX 1024

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
			n = vfs_write(f, chunk, want, pos);
		} else {
			n = vfs_read(f, chunk, want, pos);
			if (n > 0 && copy_to_user(ubuf + done, chunk, (size_t)n))
				return done ? (int64_t)done : -EFAULT;
		}
		if (n < 0)
			return done ? (int64_t)done : n;
		done += (uint64_t)n;
		/* A pipe's next read could block: return what came. */
		if ((size_t)n < want || (!write && (f->ops->flags & VFS_SHORT_READ)))
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
	if (at >= 0 && !vfs_seekable(f)) {
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

/* Whether fd's next read could block (a pipe): readv stops once one gave data. */
static bool io_short_reads(int fd)
{
	struct file *f = fd_get(cur_files(), fd);
	bool short_reads = f && (f->ops->flags & VFS_SHORT_READ);

	file_put(f);
	return short_reads;
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
		if ((uint64_t)n < v.len || (!write && n && io_short_reads(fd)))
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
	int64_t rc;

	if (!f)
		return -EBADF;
	rc = vfs_lseek(f, (int64_t)a1, a2);
	file_put(f);
	return rc;
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
	/* The host must hold the number too (cove/offload.h); dup2 replaces what it had. */
	if (t->numbers && !fd_is_open(t, newfd)) {
		rc = t->numbers->reserve(newfd, true);
		if (rc < 0) {
			file_put(f);
			return rc;
		}
	}
	flags = spin_lock_irqsave(&t->lock);
	old = t->fd[newfd];
	t->fd[newfd] = f;
	t->cloexec[newfd] = cloexec;
	spin_unlock_irqrestore(&t->lock, flags);
	file_put(old);
	return newfd;
}

/* Advice about the page cache: Cove's files are in memory already. */
int64_t sys_fadvise64(SYSCALL_ARGS)
{
	if (!fd_is_open(cur_files(), (int)a0))
		return -EBADF;
	return a3 > 5 ? -EINVAL : 0;	/* POSIX_FADV_NORMAL .. NOINREUSE */
}

/*
 * fallocate: only shared memory files (/dev/shm, memfd) reserve; their
 * memory is allocated when sized, so the plain mode grows them and takes
 * it now. Other files say EOPNOTSUPP, as Linux's ramfs does, and glibc's
 * posix_fallocate then writes the range itself.
 */
int64_t sys_fallocate(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_files(), (int)a0);
	int64_t off = (int64_t)a2, len = (int64_t)a3;
	struct shmem *shm;
	int64_t rc = 0;

	if (!f)
		return -EBADF;
	shm = vfs_file_shmem(f);
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		rc = -EBADF;
	else if (off < 0 || len <= 0 || off + len < off)
		rc = -EINVAL;
	else if (!vfs_seekable(f))
		rc = -ESPIPE;
	else if (!shm || (uint32_t)a1)
		rc = -EOPNOTSUPP;
	else if ((uint64_t)(off + len) > shmem_size(shm))
		rc = shmem_resize(shm, (uint64_t)(off + len));
	shmem_put(shm);
	file_put(f);
	return rc;
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

int64_t sys_ioctl(SYSCALL_ARGS)
{
	struct file *f = fd_get(cur_files(), (int)a0);
	int64_t rc;

	if (!f)
		return -EBADF;
	/* The request is Linux's unsigned int: musl passes it as an int, sign-extended. */
	rc = vfs_ioctl(f, (uint32_t)a1, a2);
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

struct pollfd_user {
	int32_t fd;
	int16_t events, revents;
};

unsigned int io_poll_fd(int fd, unsigned int events)
{
	struct file *f = fd_get(cur_files(), fd);
	unsigned int ready;

	if (!f)
		return VFS_POLLNVAL;
	if (f->ops->poll)
		ready = f->ops->poll(f) & (events | VFS_POLLERR | VFS_POLLHUP);
	else	/* Files, the console, the host's: always ready. */
		ready = events & (VFS_POLLIN | VFS_POLLOUT);
	file_put(f);
	return ready;
}

#define IO_POLL_TICK_NS (1000 * 1000ULL)

/*
 * Only pipes can be not ready; a wait for one looks again every
 * millisecond (pipes keep no list of pollers).
 */
int64_t io_poll_wait(int64_t (*scan)(void *ctx), void *ctx, uint64_t deadline)
{
	for (;;) {
		int64_t ready = scan(ctx);
		uint64_t now, next;

		if (ready || !deadline)
			return ready;
		if (signal_pending_current())
			return -ERESTARTNOHAND;
		now = time_now_ns();
		if (now >= deadline)
			return 0;
		next = now + IO_POLL_TICK_NS;
		sched_sleep_until(MIN(deadline, next));
	}
}

struct io_pollfds {
	uint64_t ufds, nfds;
};

/* One pass over the pollfds: how many are ready, each revents written back. */
static int64_t io_pollfds_scan(void *ctx)
{
	const struct io_pollfds *c = ctx;
	struct pollfd_user p;
	int64_t ready = 0;

	for (uint64_t i = 0; i < c->nfds; i++) {
		uint64_t at = c->ufds + i * sizeof(p);

		if (copy_from_user(&p, at, sizeof(p)))
			return -EFAULT;
		p.revents = p.fd < 0 ? 0 : (int16_t)io_poll_fd(p.fd, (uint16_t)p.events);
		if (p.revents)
			ready++;
		if (copy_to_user(at, &p, sizeof(p)))
			return -EFAULT;
	}
	return ready;
}

int64_t io_poll_fds(uint64_t ufds, uint64_t nfds, uint64_t deadline)
{
	struct io_pollfds c = { .ufds = ufds, .nfds = nfds };

	if (nfds > FD_MAX)
		return -EINVAL;
	return io_poll_wait(io_pollfds_scan, &c, deadline);
}

int64_t sys_poll(SYSCALL_ARGS)
{
	int64_t timeout_ms = (int32_t)a2;

	return io_poll_fds(a0, a1, timeout_ms < 0 ? IO_POLL_FOREVER : timeout_ms == 0 ? 0 :
			   time_now_ns() + (uint64_t)timeout_ms * 1000000ULL);
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
		int64_t n = vfs_read(in, buf, MIN(left, IO_SENDFILE_CHUNK), &pos), put = 0;

		if (n <= 0) {
			rc = n;
			break;
		}
		/* Every byte read goes out: what a pipe gave cannot be read again. */
		while (put < n) {
			uint64_t wpos = out->pos;
			int64_t w = vfs_write(out, buf + put, (size_t)(n - put), &wpos);

			out->pos = wpos;
			if (w <= 0) {
				rc = w;
				break;
			}
			put += w;
		}
		total += (uint64_t)put;
		left -= (uint64_t)put;
		if (put < n) {
			pos -= (uint64_t)(n - put);	/* a file's unsent bytes stay unread */
			break;
		}
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
