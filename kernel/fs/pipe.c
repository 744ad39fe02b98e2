// SPDX-License-Identifier: GPL-2.0
/*
 * Pipes, inside the enclave: a ring buffer between a read end and a write
 * end, each an open file with this back end. A reader sleeps while the
 * pipe is empty and writers remain; a writer sleeps while the pipe lacks
 * room for its chunk (at most PIPE_BUF at a time, so those are atomic as
 * on Linux) and readers remain; each change wakes every sleeper, who looks
 * again. O_NONBLOCK makes either fail with EAGAIN instead; the last
 * writer's close is the readers' end of file; writing with no reader left
 * is EPIPE, with SIGPIPE to the writer.
 */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/pipe.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/vfs.h>

#define PIPE_SIZE (64 * 1024)		/* Linux's default capacity */

/* A task asleep on a pipe; on its own kernel stack. */
struct pipe_waiter {
	struct task *task;
	struct pipe_waiter *next;
};

struct pipe {
	spinlock_t lock;		/* everything below */
	char *buf;
	uint32_t head;			/* where the next read starts */
	uint32_t len;			/* bytes in the buffer */
	uint32_t readers, writers;	/* open ends */
	struct pipe_waiter *waiters;
	uint64_t ino;
};

/* Inode numbers for "pipe:[N]": counted up, never reused. */
static uint64_t pipe_next_ino = 1;

static void pipe_wake_all_locked(struct pipe *pp)
{
	for (struct pipe_waiter *w = pp->waiters; w; w = w->next)
		sched_wake(w->task, 0);
}

/*
 * Sleep until something changes (pp->lock held on entry and on return).
 * -ERESTARTSYS if a signal is to be taken instead.
 */
static int pipe_wait_locked(struct pipe *pp, unsigned long *flags)
{
	struct task *t = task_current();
	struct pipe_waiter w = { .task = t, .next = pp->waiters };

	if (signal_pending_current())
		return -ERESTARTSYS;
	pp->waiters = &w;
	t->wake_reason = 0;
	t->state = TASK_BLOCKED;
	sched_block(&pp->lock, *flags);
	*flags = spin_lock_irqsave(&pp->lock);
	for (struct pipe_waiter **pw = &pp->waiters; *pw; pw = &(*pw)->next) {
		if (*pw == &w) {
			*pw = w.next;
			break;
		}
	}
	return 0;
}

/*
 * The pipe cannot serve the caller yet: -EAGAIN for O_NONBLOCK, else wait
 * (pp->lock held, as it is again on return 0). On an error the lock is
 * released.
 */
static int pipe_block_locked(struct file *f, struct pipe *pp, unsigned long *flags)
{
	int rc = (f->flags & O_NONBLOCK) ? -EAGAIN : pipe_wait_locked(pp, flags);

	if (rc)
		spin_unlock_irqrestore(&pp->lock, *flags);
	return rc;
}

static int64_t pipe_read(struct file *f, void *buf, size_t len, uint64_t pos)
{
	struct pipe *pp = f->priv;
	unsigned long flags = spin_lock_irqsave(&pp->lock);
	size_t n, first;
	int rc;

	(void)pos;
	while (!pp->len) {
		if (!pp->writers || !len) {
			spin_unlock_irqrestore(&pp->lock, flags);
			return 0;
		}
		rc = pipe_block_locked(f, pp, &flags);
		if (rc)
			return rc;
	}
	n = MIN(len, (size_t)pp->len);
	first = MIN(n, (size_t)(PIPE_SIZE - pp->head));
	memcpy(buf, pp->buf + pp->head, first);
	memcpy((char *)buf + first, pp->buf, n - first);
	pp->head = (uint32_t)((pp->head + n) % PIPE_SIZE);
	pp->len -= (uint32_t)n;
	pipe_wake_all_locked(pp);
	spin_unlock_irqrestore(&pp->lock, flags);
	return (int64_t)n;
}

static int64_t pipe_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	struct pipe *pp = f->priv;
	unsigned long flags = spin_lock_irqsave(&pp->lock);
	size_t done = 0;
	int rc;

	(void)pos;
	/*
	 * As Linux: up to PIPE_BUF goes in whole; a blocking write goes in
	 * whole, in parts as the reader makes room, unless a signal cuts it
	 * short; a non-blocking one takes what fits, EAGAIN if nothing does.
	 */
	while (done < len) {
		size_t room = PIPE_SIZE - pp->len, n, tail, first;

		if (!pp->readers) {
			spin_unlock_irqrestore(&pp->lock, flags);
			signal_send(task_current()->proc, SIGPIPE);
			return done ? (int64_t)done : -EPIPE;
		}
		if (!room || (len <= PIPE_BUF && room < len)) {
			rc = pipe_block_locked(f, pp, &flags);
			if (rc)
				return done ? (int64_t)done : rc;
			continue;
		}
		n = MIN(len - done, room);
		tail = (pp->head + pp->len) % PIPE_SIZE;
		first = MIN(n, PIPE_SIZE - tail);
		memcpy(pp->buf + tail, (const char *)buf + done, first);
		memcpy(pp->buf, (const char *)buf + done + first, n - first);
		pp->len += (uint32_t)n;
		done += n;
		pipe_wake_all_locked(pp);
	}
	spin_unlock_irqrestore(&pp->lock, flags);
	return (int64_t)done;
}

static unsigned int pipe_poll(struct file *f)
{
	struct pipe *pp = f->priv;
	unsigned long flags = spin_lock_irqsave(&pp->lock);
	unsigned int mask = 0;

	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		if (pp->len)
			mask |= VFS_POLLIN;
		if (!pp->writers)
			mask |= VFS_POLLHUP;
	} else {
		if (PIPE_SIZE - pp->len >= PIPE_BUF)
			mask |= VFS_POLLOUT;
		if (!pp->readers)
			mask |= VFS_POLLERR;
	}
	spin_unlock_irqrestore(&pp->lock, flags);
	return mask;
}

static int pipe_stat(struct file *f, struct vfs_stat *st)
{
	struct pipe *pp = f->priv;

	memset(st, 0, sizeof(*st));
	st->dev = VFS_DEV_PIPE;
	st->ino = pp->ino;
	st->mode = S_IFIFO | 0600;
	st->nlink = 1;
	st->size = 0;
	return 0;
}

static int64_t pipe_path(struct file *f, char *buf, size_t len)
{
	struct pipe *pp = f->priv;
	int n = ksnprintf(buf, len, "pipe:[%lu]", pp->ino);

	return n < (int)len ? n : -ENAMETOOLONG;
}

static void pipe_release(struct file *f)
{
	struct pipe *pp = f->priv;
	unsigned long flags = spin_lock_irqsave(&pp->lock);
	bool last;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		pp->readers--;
	else
		pp->writers--;
	last = !pp->readers && !pp->writers;
	pipe_wake_all_locked(pp);
	spin_unlock_irqrestore(&pp->lock, flags);
	if (last) {
		kfree(pp->buf);
		kfree(pp);
	}
}

static const struct vfs_file_ops pipe_file_ops = {
	.name = "pipe",
	.flags = VFS_STREAM | VFS_SHORT_READ,
	.read = pipe_read,
	.write = pipe_write,
	.stat = pipe_stat,
	.poll = pipe_poll,
	.path = pipe_path,
	.release = pipe_release,
};

int pipe_create(uint32_t flags, struct file **rd, struct file **wr)
{
	struct pipe *pp = kzalloc(sizeof(*pp));
	uint32_t nb = flags & O_NONBLOCK;

	*rd = *wr = NULL;
	if (pp)
		pp->buf = kmalloc(PIPE_SIZE);
	if (pp && pp->buf) {
		*rd = file_alloc(&pipe_file_ops, O_RDONLY | nb);
		*wr = file_alloc(&pipe_file_ops, O_WRONLY | nb);
	}
	if (!*rd || !*wr) {
		/* Not yet counted as ends: free them without release. */
		kfree(*rd);
		kfree(*wr);
		if (pp)
			kfree(pp->buf);
		kfree(pp);
		*rd = *wr = NULL;
		return -ENOMEM;
	}
	pp->readers = pp->writers = 1;
	pp->ino = __atomic_fetch_add(&pipe_next_ino, 1, __ATOMIC_RELAXED);
	(*rd)->priv = (*wr)->priv = pp;
	return 0;
}
