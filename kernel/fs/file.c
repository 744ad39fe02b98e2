// SPDX-License-Identifier: GPL-2.0
/* Open files' lifetime and descriptor tables, whatever the files' back end. */
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include "backends.h"

struct file *file_alloc(const struct vfs_file_ops *ops, uint32_t flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (f) {
		f->ops = ops;
		f->flags = flags;
		f->refs = 1;
	}
	return f;
}

void file_put(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (f->ops->release)
		f->ops->release(f);
	kfree(f);
}

struct fdtable *fdtable_create_stdio(uint32_t host_job)
{
	struct fdtable *t = kzalloc(sizeof(*t));
	struct file *con[3] = {
		host_job ? hostfile_open_stdin(host_job) : console_file_open(0, 0),
	};

	/*
	 * A bare-mode job shares one console file; a host job's stdio are the
	 * three of its `cove run`, each its own file.
	 */
	for (uint32_t i = 1; i < 3; i++)
		con[i] = host_job ? console_file_open(host_job, i) : con[0];
	if (!t || !con[0] || !con[1] || !con[2]) {
		for (int i = 0; i < 3; i++)
			if (con[i] && (i == 0 || con[i] != con[0]))
				file_put(con[i]);
		kfree(t);
		return NULL;
	}
	if (!host_job)
		con[0]->refs = 3;
	t->refs = 1;
	for (int i = 0; i < 3; i++)
		t->fd[i] = con[i];
	return t;
}

void fdtable_get(struct fdtable *t)
{
	__atomic_fetch_add(&t->refs, 1, __ATOMIC_RELAXED);
}

void fdtable_put(struct fdtable *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (int i = 0; i < FD_MAX; i++)
		file_put(t->fd[i]);
	kfree(t);
}

/*
 * A table sharing its numbers (a job with a host proxy): the number comes
 * from the other side, held there, so what it opens later never gets it.
 */
static int fd_install_shared_number(struct fdtable *t, struct file *f, int min, bool cloexec)
{
	int n = t->numbers->reserve(min < 0 ? 0 : min, false);
	unsigned long flags;

	if (n < 0)
		return n;
	flags = spin_lock_irqsave(&t->lock);
	if (n >= FD_MAX || t->fd[n]) {
		spin_unlock_irqrestore(&t->lock, flags);
		t->numbers->release(n);
		return -EMFILE;
	}
	t->fd[n] = f;
	t->cloexec[n] = cloexec;
	spin_unlock_irqrestore(&t->lock, flags);
	return n;
}

int fd_install(struct fdtable *t, struct file *f, int min, bool cloexec)
{
	unsigned long flags;

	if (t->numbers)
		return fd_install_shared_number(t, f, min, cloexec);
	flags = spin_lock_irqsave(&t->lock);

	for (int i = min < 0 ? 0 : min; i < FD_MAX; i++) {
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			spin_unlock_irqrestore(&t->lock, flags);
			return i;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return -EMFILE;
}

struct file *fd_get(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	unsigned long flags;

	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	if (f)
		__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&t->lock, flags);
	return f;
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f;
	unsigned long flags;

	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	t->fd[fd] = NULL;
	spin_unlock_irqrestore(&t->lock, flags);
	if (!f)
		return -EBADF;
	file_put(f);
	if (t->numbers)
		t->numbers->release(fd);
	return 0;
}

void fd_set_cloexec(struct fdtable *t, int fd, bool on)
{
	unsigned long flags;

	if (fd < 0 || fd >= FD_MAX)
		return;
	flags = spin_lock_irqsave(&t->lock);
	if (t->fd[fd])
		t->cloexec[fd] = on;
	spin_unlock_irqrestore(&t->lock, flags);
}

bool fd_is_open(struct fdtable *t, int fd)
{
	struct file *f = fd_get(t, fd);

	file_put(f);
	return f != NULL;
}

void fd_forget(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	unsigned long flags;

	if (fd < 0 || fd >= FD_MAX)
		return;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	t->fd[fd] = NULL;
	spin_unlock_irqrestore(&t->lock, flags);
	file_put(f);
}

struct fdtable *fdtable_create_shared(const struct fd_numbers *numbers)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->refs = 1;
	t->numbers = numbers;
	return t;
}

struct fdtable *fdtable_dup(struct fdtable *src)
{
	struct fdtable *t;
	unsigned long flags;

	t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->refs = 1;
	/*
	 * A table whose numbers a host proxy holds: the child's proxy was
	 * forked from that one, so it holds the same numbers already.
	 */
	t->numbers = src->numbers;
	flags = spin_lock_irqsave(&src->lock);
	for (int i = 0; i < FD_MAX; i++) {
		t->fd[i] = src->fd[i];
		t->cloexec[i] = src->cloexec[i];
		if (t->fd[i])
			__atomic_fetch_add(&t->fd[i]->refs, 1, __ATOMIC_RELAXED);
	}
	spin_unlock_irqrestore(&src->lock, flags);
	return t;
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int i = 0; i < FD_MAX; i++) {
		unsigned long flags = spin_lock_irqsave(&t->lock);
		bool close = t->fd[i] && t->cloexec[i];

		spin_unlock_irqrestore(&t->lock, flags);
		if (close)
			fd_close(t, i);
	}
}
