// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA memory policy calls: set_mempolicy, mbind, get_mempolicy,
 * move_pages, migrate_pages. Arguments are checked in the order Linux
 * 6.1's mm/mempolicy.c checks them, so a bad call gets Linux's errno; the
 * nodemask ABI is Linux's (maxnode counts one bit more than it reads, the
 * mask may name up to MAX_NUMNODES nodes, nodes without memory are
 * dropped). Placement itself is mm/mempolicy.c and mm/aspace_migrate.c.
 */
#include <cove/aspace_numa.h>
#include <cove/errno.h>
#include <cove/mempolicy.h>
#include <cove/numa.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/uaccess.h>

/* Nodes 0..63 as a Linux nodemask: the only word Cove's NUMA_MAX_NODES needs. */
struct mpol_mask {
	uint64_t nodes;		/* bits below NUMA_MAX_NODES */
	bool named;		/* the mask named any node, even one Cove lacks */
};

/* Linux's sanitize_mpol_flags: split mode and flags, refuse impossible pairs. */
static int mpol_sanitize(uint64_t arg, uint16_t *mode, uint16_t *flags)
{
	uint32_t m = (uint32_t)arg;	/* an int in the ABI */

	*flags = m & MPOL_MODE_FLAGS;
	m &= ~MPOL_MODE_FLAGS;
	if (m >= MPOL_MAX)
		return -EINVAL;
	if ((*flags & MPOL_F_STATIC_NODES) && (*flags & MPOL_F_RELATIVE_NODES))
		return -EINVAL;
	if ((*flags & MPOL_F_NUMA_BALANCING) && m != MPOL_BIND)
		return -EINVAL;
	*mode = (uint16_t)m;
	return 0;
}

/* Linux's get_nodes: maxnode - 1 bits are read; bits past MAX_NUMNODES must be clear. */
static int mpol_get_nodes(uint64_t umask, uint64_t maxnode, struct mpol_mask *out)
{
	uint64_t bits = maxnode - 1, words, w;

	out->nodes = 0;
	out->named = false;
	if (bits == 0 || !umask)
		return 0;
	if (bits > PAGE_SIZE * 8)
		return -EINVAL;
	words = (bits + 63) / 64;
	for (uint64_t i = 0; i < words; i++) {
		if (copy_from_user(&w, umask + i * 8, 8))
			return -EFAULT;
		if (i == words - 1 && bits % 64)
			w &= (1ULL << (bits % 64)) - 1;
		if (w && i * 64 >= MPOL_MAX_NUMNODES)
			return -EINVAL;
		if (!w)
			continue;
		out->named = true;
		if (i == 0)
			out->nodes = w & ((1ULL << NUMA_MAX_NODES) - 1);
	}
	return 0;
}

/* Linux's mpol_relative_nodemask: bit n of the user's mask means the nth allowed node. */
static uint64_t mpol_relative(uint64_t user, uint64_t allowed)
{
	uint32_t weight = mempolicy_weight(allowed), i = 0;
	uint64_t out = 0;

	for (uint64_t a = allowed; a && weight; a &= a - 1, i++) {
		for (uint32_t bit = i; bit < 64; bit += weight) {
			if ((user >> bit) & 1)
				out |= a & -a;
		}
	}
	return out;
}

/* Linux's mpol_new and mpol_set_nodemask: the policy a mode and mask make. */
static int mpol_make(uint16_t mode, uint16_t flags, const struct mpol_mask *m,
		     struct mempolicy *pol)
{
	uint64_t allowed = mempolicy_mems_allowed(), nodes;

	pol->mode = mode;
	pol->flags = flags;
	pol->nodes = 0;
	pol->user_nodes = m->nodes;
	if (mode == MPOL_DEFAULT)
		return m->named ? -EINVAL : 0;
	if (mode == MPOL_PREFERRED && !m->named) {
		/* An empty preferred mask means local allocation. */
		if (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
			return -EINVAL;
		pol->mode = MPOL_LOCAL;
		return 0;
	}
	if (mode == MPOL_LOCAL)
		return m->named || (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) ?
			       -EINVAL : 0;
	if (!m->named)
		return -EINVAL;
	nodes = flags & MPOL_F_RELATIVE_NODES ? mpol_relative(m->nodes, allowed) :
						m->nodes & allowed;
	if (!nodes)
		return -EINVAL;
	/* PREFERRED keeps one node: the first the mask names. */
	pol->nodes = mode == MPOL_PREFERRED ? nodes & -nodes : nodes;
	return 0;
}

int64_t sys_set_mempolicy(SYSCALL_ARGS)
{
	struct mempolicy pol;
	struct mpol_mask m;
	uint16_t mode, flags;
	int rc = mpol_sanitize(a0, &mode, &flags);

	if (!rc)
		rc = mpol_get_nodes(a1, a2, &m);
	if (!rc)
		rc = mpol_make(mode, flags, &m, &pol);
	if (rc)
		return rc;
	task_current()->mempolicy = pol;
	return 0;
}

int64_t sys_mbind(SYSCALL_ARGS)
{
	uint64_t start = a0, len = a1, end, mf = a5;
	struct task *t = task_current();
	struct mempolicy pol;
	struct mpol_mask m;
	uint16_t mode, flags;
	int rc = mpol_sanitize(a2, &mode, &flags);

	if (!rc)
		rc = mpol_get_nodes(a3, a4, &m);
	if (rc)
		return rc;
	/* MPOL_MF_MOVE_ALL needs CAP_SYS_NICE, which a job (root) has. */
	if (mf & ~(uint64_t)MPOL_MF_VALID)
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (mode == MPOL_DEFAULT)
		mf &= ~(uint64_t)MPOL_MF_STRICT;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	rc = mpol_make(mode, flags, &m, &pol);
	if (rc)
		return rc;
	if (!t->proc)
		return -EFAULT;
	return aspace_mbind(t->proc->as, start, len, &pol, (uint32_t)mf);
}

/* Linux's copy_nodes_to_user: whole words up to maxnode - 1 bits, zeros past the nodes. */
static int mpol_put_nodes(uint64_t umask, uint64_t maxnode, uint64_t nodes)
{
	uint64_t copy = ALIGN_UP(maxnode - 1, 64) / 8, nbytes = 8;	/* nr_node_ids <= 64 */
	static const uint8_t zeros[256];

	if (copy > nbytes) {
		if (copy > PAGE_SIZE)
			return -EINVAL;
		for (uint64_t at = nbytes; at < copy; at += sizeof(zeros)) {
			if (copy_to_user(umask + at, zeros, MIN(sizeof(zeros), copy - at)))
				return -EFAULT;
		}
		copy = nbytes;
	}
	return copy && copy_to_user(umask, &nodes, copy) ? -EFAULT : 0;
}

/* The mask get_mempolicy reports: as given for STATIC/RELATIVE, else the one in force. */
static uint64_t mpol_report_nodes(const struct mempolicy *pol)
{
	if (pol->flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
		return pol->user_nodes;
	return pol->nodes;	/* DEFAULT and LOCAL: empty */
}

int64_t sys_get_mempolicy(SYSCALL_ARGS)
{
	uint64_t upolicy = a0, umask = a1, maxnode = a2, addr = a3, fl = a4, nodes = 0;
	struct task *t = task_current();
	struct mempolicy vma_pol, *pol = &t->mempolicy;
	int32_t value;
	int rc;

	if (umask && maxnode < numa_nr_nodes())
		return -EINVAL;
	if (fl & ~(uint64_t)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
		return -EINVAL;
	if (fl & MPOL_F_MEMS_ALLOWED) {
		if (fl & (MPOL_F_NODE | MPOL_F_ADDR))
			return -EINVAL;
		value = 0;
		nodes = mempolicy_mems_allowed();
		goto out;
	}
	if (fl & MPOL_F_ADDR) {
		if (!t->proc || aspace_policy_at(t->proc->as, addr, &vma_pol))
			return -EFAULT;
		pol = &vma_pol;
	} else if (addr) {
		return -EINVAL;
	}
	if (fl & MPOL_F_NODE) {
		if (fl & MPOL_F_ADDR) {
			uint32_t node;

			/* Linux faults the page in; a page that cannot be (PROT_NONE) is -EFAULT. */
			rc = aspace_page_node(t->proc->as, addr, &node);
			if (rc)
				return -EFAULT;
			value = (int32_t)node;
		} else if (pol->mode == MPOL_INTERLEAVE) {
			/* The node the next interleaved allocation takes: the first, as Linux starts. */
			value = __builtin_ctzll(pol->nodes);
		} else {
			return -EINVAL;
		}
	} else {
		value = pol->mode | (pol->flags & MPOL_MODE_FLAGS);
	}
	nodes = mpol_report_nodes(pol);
out:
	if (upolicy && copy_to_user(upolicy, &value, sizeof(value)))
		return -EFAULT;
	return umask ? mpol_put_nodes(umask, maxnode, nodes) : 0;
}

/* do_pages_stat: the node of each page, or why there is none. */
static int64_t mpol_pages_stat(struct aspace *as, uint64_t count, uint64_t upages,
			       uint64_t ustatus)
{
	for (uint64_t i = 0; i < count; i++) {
		uint64_t page;
		uint32_t node;
		int32_t status;

		if (copy_from_user(&page, upages + i * 8, 8))
			return -EFAULT;
		status = aspace_page_node(as, page, &node);
		if (!status)
			status = (int32_t)node;
		if (copy_to_user(ustatus + i * 4, &status, 4))
			return -EFAULT;
	}
	return 0;
}

/*
 * do_pages_move: each page to its node; a node that cannot be named ends
 * the call (pages before it moved), a page that cannot move says why in
 * its status.
 */
static int64_t mpol_pages_move(struct aspace *as, uint64_t count, uint64_t upages,
			       uint64_t unodes, uint64_t ustatus)
{
	uint64_t allowed = mempolicy_mems_allowed();

	for (uint64_t i = 0; i < count; i++) {
		uint64_t page;
		int32_t node, status;

		if (copy_from_user(&page, upages + i * 8, 8) ||
		    copy_from_user(&node, unodes + i * 4, 4))
			return -EFAULT;
		if (node < 0 || node >= MPOL_MAX_NUMNODES || node >= NUMA_MAX_NODES ||
		    !((allowed >> node) & 1))
			return -ENODEV;
		status = aspace_move_page(as, page, (uint32_t)node);
		if (!status)
			status = node;
		if (copy_to_user(ustatus + i * 4, &status, 4))
			return -EFAULT;
	}
	return 0;
}

int64_t sys_move_pages(SYSCALL_ARGS)
{
	uint64_t count = a1, upages = a2, unodes = a3, ustatus = a4, fl = a5;
	struct task *t = task_current();

	if (fl & ~(uint64_t)(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
		return -EINVAL;
	/* Another process's pages would need its address space: only the caller's own. */
	if (!policy_own_thread(a0) || !t->proc)
		return -ESRCH;
	if (unodes)
		return mpol_pages_move(t->proc->as, count, upages, unodes, ustatus);
	return mpol_pages_stat(t->proc->as, count, upages, ustatus);
}

/* Linux's node_remap: the nth node of from becomes the (n mod |to|)th node of to. */
static int mpol_node_remap(uint32_t node, uint64_t from, uint64_t to)
{
	uint32_t nth = mempolicy_weight(from & ((1ULL << node) - 1));

	if (!((from >> node) & 1) || !to)
		return (int)node;
	nth %= mempolicy_weight(to);
	for (uint64_t m = to;; m &= m - 1) {
		if (!nth--)
			return __builtin_ctzll(m);
	}
}

int64_t sys_migrate_pages(SYSCALL_ARGS)
{
	struct mpol_mask from, to;
	struct task *t = task_current();
	int remap[NUMA_MAX_NODES];
	int rc;

	rc = mpol_get_nodes(a2, a1, &from);
	if (!rc)
		rc = mpol_get_nodes(a3, a1, &to);
	if (rc)
		return rc;
	/* Only the caller's own process: another's address space is not at hand. */
	if (!policy_own_thread(a0) || !t->proc)
		return -ESRCH;
	to.nodes &= mempolicy_mems_allowed();
	if (!to.nodes)
		return -EINVAL;
	for (uint32_t n = 0; n < NUMA_MAX_NODES; n++) {
		/* As do_migrate_pages: with unequal masks, a node also in to keeps its pages. */
		if (!((from.nodes >> n) & 1) ||
		    (mempolicy_weight(from.nodes) != mempolicy_weight(to.nodes) &&
		     ((to.nodes >> n) & 1)))
			remap[n] = -1;
		else
			remap[n] = mpol_node_remap(n, from.nodes, to.nodes);
	}
	return aspace_migrate_nodes(t->proc->as, remap);
}
