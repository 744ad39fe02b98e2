// SPDX-License-Identifier: GPL-2.0
/*
 * process_vm_readv and process_vm_writev between processes of the enclave
 * (MPI libraries move large intra-node messages so, in one copy). Every
 * process of an enclave runs as the same user, so Linux's ptrace-mode
 * check (same uid) always allows. The copy goes through a kernel buffer a
 * page at a time: the other process's side under its address space's lock
 * (its pages cannot go meanwhile), ours with the usual user copies.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

#define PROCVM_IOV_MAX 1024	/* Linux's UIO_MAXIOV */

struct procvm_iov {
	uint64_t base;
	uint64_t len;
};

/* Take a reference to the live process pid's address space. */
static int procvm_get_as(struct process *p, void *ctx)
{
	struct aspace **as = ctx;

	if (p->exited || !p->as)
		return -ESRCH;
	aspace_get(p->as);
	*as = p->as;
	return 0;
}

/* The iovec array at uvec, its total checked as Linux does (fits a ssize_t). */
static int procvm_copy_iov(uint64_t uvec, uint64_t cnt, struct procvm_iov **out)
{
	struct procvm_iov *v;
	uint64_t total = 0;

	*out = NULL;
	if (!cnt)
		return 0;
	v = kmalloc(cnt * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, uvec, cnt * sizeof(*v))) {
		kfree(v);
		return -EFAULT;
	}
	for (uint64_t i = 0; i < cnt; i++) {
		total += v[i].len;
		if ((int64_t)v[i].len < 0 || (int64_t)total < 0) {
			kfree(v);
			return -EINVAL;
		}
	}
	*out = v;
	return 0;
}

/*
 * Move bytes between the local and remote vectors until either ends or a
 * page fails: the bytes moved, or -EFAULT if the very first failed.
 */
static int64_t procvm_move(struct aspace *as, const struct procvm_iov *lv, uint64_t lcnt,
			   const struct procvm_iov *rv, uint64_t rcnt, bool write, void *buf)
{
	uint64_t li = 0, ri = 0, loff = 0, roff = 0;
	int64_t done = 0;

	for (;;) {
		uint64_t laddr, raddr, n;
		int rc;

		while (li < lcnt && loff == lv[li].len) {
			li++;
			loff = 0;
		}
		while (ri < rcnt && roff == rv[ri].len) {
			ri++;
			roff = 0;
		}
		if (li == lcnt || ri == rcnt)
			break;
		laddr = lv[li].base + loff;
		raddr = rv[ri].base + roff;
		/* At most to the end of the remote page: a fault stops exactly there. */
		n = MIN(lv[li].len - loff, rv[ri].len - roff);
		n = MIN(n, PAGE_SIZE - (raddr & (PAGE_SIZE - 1)));
		if (write) {
			rc = copy_from_user(buf, laddr, n);
			if (!rc)
				rc = aspace_access(as, raddr, buf, n, true);
		} else {
			rc = aspace_access(as, raddr, buf, n, false);
			if (!rc)
				rc = copy_to_user(laddr, buf, n);
		}
		if (rc)
			return done ? done : -EFAULT;
		done += (int64_t)n;
		loff += n;
		roff += n;
	}
	return done;
}

static int64_t procvm_rw(uint64_t pid, uint64_t lvec, uint64_t lcnt, uint64_t rvec,
			 uint64_t rcnt, uint64_t flags, bool write)
{
	struct procvm_iov *lv = NULL, *rv = NULL;
	struct aspace *as = NULL;
	void *buf = NULL;
	int64_t rc;

	if (flags || lcnt > PROCVM_IOV_MAX || rcnt > PROCVM_IOV_MAX)
		return -EINVAL;
	rc = procvm_copy_iov(lvec, lcnt, &lv);
	if (!rc)
		rc = procvm_copy_iov(rvec, rcnt, &rv);
	if (!rc && (int32_t)pid <= 0)
		rc = -ESRCH;
	if (!rc)
		rc = process_with((uint32_t)pid, procvm_get_as, &as);
	if (!rc && !(buf = kmalloc(PAGE_SIZE)))
		rc = -ENOMEM;
	if (!rc)
		rc = procvm_move(as, lv, lcnt, rv, rcnt, write, buf);
	kfree(buf);
	if (as)
		aspace_put(as);
	kfree(lv);
	kfree(rv);
	return rc;
}

int64_t sys_process_vm_readv(SYSCALL_ARGS)
{
	return procvm_rw(a0, a1, a2, a3, a4, a5, false);
}

int64_t sys_process_vm_writev(SYSCALL_ARGS)
{
	return procvm_rw(a0, a1, a2, a3, a4, a5, true);
}
