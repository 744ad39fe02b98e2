// SPDX-License-Identifier: GPL-2.0
/*
 * numatest: NUMA memory policy seen from a program, through the raw system
 * calls (no libnuma, so the same static binary runs on Cove and Linux).
 * Every line is a verdict that must read the same on both:
 *
 *   numatest: nodes N mask M                nodes with memory (MEMS_ALLOWED)
 *   numatest: bind ok                       mbind(BIND, node 1), touched: every page
 *                                           on node 1 by get_mempolicy and move_pages
 *   numatest: bind policy ok                get_mempolicy(MPOL_F_ADDR) says BIND {1}
 *   numatest: interleave ok                 mbind(INTERLEAVE, {0,1}): pages alternate
 *   numatest: preferred ok                  set_mempolicy(PREFERRED, 1), then mmap
 *   numatest: thread bind ok                set_mempolicy(BIND, 0), then mmap
 *   numatest: move ok                       move_pages moves one page, keeps its bytes
 *   numatest: move under writes ok          a page moved back and forth while another
 *                                           thread writes it, from user mode and through
 *                                           a system call: no write lost, no fault
 *   numatest: fork keeps mbind ok           a fork child's copy of a bound region
 *   numatest: migrate ok                    migrate_pages moves the process's pages
 *   numatest: errno NAME EXPECTED ok        a bad call fails as Linux fails it
 *   numatest: ok
 *
 * With one node only the single-node lines and the errno lines are printed.
 *
 * numatest inherited NODE, run as `numactl --membind=NODE numatest ...`:
 * the policy came through exec, and the program's heap, stack and new
 * mappings are on NODE:
 *
 *   numatest: inherited bind ok
 *
 * numatest bindfull NODE MIB (Cove only: Linux overcommits and kills on
 * touch instead): bound to NODE, a mapping of MIB more than NODE holds fails
 * with ENOMEM and the program goes on; a small one then lands on NODE:
 *
 *   numatest: bind full ENOMEM ok
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *prog = "numatest";

/* The ABI numbers (musl has no <numaif.h>). */
#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4
#define MPOL_MF_MOVE 2

#define PAGE 4096
#define MAXNODE 65		/* one word of mask: Linux reads maxnode - 1 bits */

static int failures;

static long set_mempolicy(int mode, const unsigned long *mask, unsigned long maxnode)
{
	return syscall(SYS_set_mempolicy, mode, mask, maxnode);
}

static long mbind(void *addr, unsigned long len, int mode, const unsigned long *mask,
		  unsigned long maxnode, unsigned int flags)
{
	return syscall(SYS_mbind, addr, len, mode, mask, maxnode, flags);
}

static long get_mempolicy(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
			  unsigned long flags)
{
	return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

static long move_pages(int pid, unsigned long count, void **pages, const int *nodes,
		       int *status, int flags)
{
	return syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);
}

static long migrate_pages(int pid, unsigned long maxnode, const unsigned long *from,
			  const unsigned long *to)
{
	return syscall(SYS_migrate_pages, pid, maxnode, from, to);
}

static void verdict(const char *what, int ok)
{
	printf("numatest: %s %s\n", what, ok ? "ok" : "FAIL");
	if (!ok)
		failures++;
}

static char *map_pages(size_t n)
{
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		die("mmap of %zu pages: %s", n, strerror(errno));
	return p;
}

/* Node of the page at p by get_mempolicy(MPOL_F_NODE | MPOL_F_ADDR), -1 on error. */
static int node_by_policy(void *p)
{
	int node = -1;

	if (get_mempolicy(&node, NULL, 0, p, MPOL_F_NODE | MPOL_F_ADDR))
		return -1;
	return node;
}

/* Every page of [p, p + n pages) on node by both calls. */
static int all_on(char *p, size_t n, int node)
{
	void *pages[64];
	int status[64];
	int ok = 1;

	for (size_t i = 0; i < n; i++) {
		pages[i] = p + i * PAGE;
		status[i] = -1000;
		if (node_by_policy(pages[i]) != node) {
			printf("numatest: page %zu on node %d by get_mempolicy\n", i,
			       node_by_policy(pages[i]));
			ok = 0;
		}
	}
	if (move_pages(0, n, pages, NULL, status, 0)) {
		printf("numatest: move_pages query: %s\n", strerror(errno));
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (status[i] != node) {
			printf("numatest: page %zu status %d by move_pages\n", i, status[i]);
			ok = 0;
		}
	}
	return ok;
}

static void test_bind(void)
{
	unsigned long mask = 1UL << 1, got = 0;
	char *p = map_pages(16);
	int mode = -1;

	if (mbind(p, 16 * PAGE, MPOL_BIND, &mask, MAXNODE, 0))
		die("mbind BIND node 1: %s", strerror(errno));
	memset(p, 0x5a, 16 * PAGE);
	verdict("bind", all_on(p, 16, 1));
	verdict("bind policy", !get_mempolicy(&mode, &got, MAXNODE, p + PAGE, MPOL_F_ADDR) &&
				       mode == MPOL_BIND && got == mask);
	munmap(p, 16 * PAGE);
}

static void test_interleave(void)
{
	unsigned long mask = 3;
	char *p = map_pages(16);
	int ok = 1, prev = -1;

	if (mbind(p, 16 * PAGE, MPOL_INTERLEAVE, &mask, MAXNODE, 0))
		die("mbind INTERLEAVE: %s", strerror(errno));
	memset(p, 1, 16 * PAGE);
	for (int i = 0; i < 16; i++) {
		int node = node_by_policy(p + i * PAGE);

		if (node < 0 || node > 1 || node == prev) {
			printf("numatest: interleaved page %d on node %d after %d\n", i, node,
			       prev);
			ok = 0;
		}
		prev = node;
	}
	verdict("interleave", ok);
	munmap(p, 16 * PAGE);
}

/* set_mempolicy(mode, {node}), then memory mapped after it lands on node. */
static void test_thread_policy(const char *what, int mode, int node)
{
	unsigned long mask = 1UL << node, got = 0;
	int ok, now = -1;
	char *p;

	if (set_mempolicy(mode, &mask, MAXNODE))
		die("set_mempolicy %d node %d: %s", mode, node, strerror(errno));
	p = map_pages(8);
	memset(p, 2, 8 * PAGE);
	ok = all_on(p, 8, node);
	ok &= !get_mempolicy(&now, &got, MAXNODE, NULL, 0) && now == mode && got == mask;
	if (set_mempolicy(MPOL_DEFAULT, NULL, 0))
		die("set_mempolicy DEFAULT: %s", strerror(errno));
	ok &= !get_mempolicy(&now, &got, MAXNODE, NULL, 0) && now == MPOL_DEFAULT && !got;
	verdict(what, ok);
	munmap(p, 8 * PAGE);
}

static void test_move(void)
{
	char *p = map_pages(4);
	void *page = p + PAGE;
	int from, to, status = -1000, ok;

	for (int i = 0; i < 4 * PAGE; i++)
		p[i] = (char)(i * 7);
	from = node_by_policy(page);
	to = from == 0 ? 1 : 0;
	ok = !move_pages(0, 1, &page, &to, &status, MPOL_MF_MOVE) && status == to;
	ok &= node_by_policy(page) == to && node_by_policy(p) == from;
	for (int i = 0; i < 4 * PAGE; i++)
		ok &= p[i] == (char)(i * 7);
	/* Already there: the status is the node, nothing to do. */
	status = -1000;
	ok &= !move_pages(0, 1, &page, &to, &status, MPOL_MF_MOVE) && status == to;
	verdict("move", ok);
	munmap(p, 4 * PAGE);
}

static volatile int writer_stop;

/* Counts in word 0 of the page and has the kernel write words 2-3, until stopped. */
static void *writer(void *arg)
{
	volatile unsigned long *w = arg;
	unsigned long n = 0;

	while (!writer_stop) {
		w[0]++;
		n++;
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (struct timespec *)(w + 2));
	}
	return (void *)n;
}

static void test_move_busy(void)
{
	char *p = map_pages(1);
	void *page = p, *ret;
	int ok = 1, to, status;
	pthread_t t;

	memset(p, 0, PAGE);
	if (pthread_create(&t, NULL, writer, p))
		die("pthread_create: %s", strerror(errno));
	for (int i = 0; i < 200; i++) {
		to = node_by_policy(page) ^ 1;
		status = -1000;
		if (move_pages(0, 1, &page, &to, &status, MPOL_MF_MOVE) || status != to) {
			printf("numatest: busy move %d to node %d: status %d\n", i, to, status);
			ok = 0;
		}
	}
	writer_stop = 1;
	pthread_join(t, &ret);
	if (*(volatile unsigned long *)p != (unsigned long)ret) {
		printf("numatest: writer counted %lu, the page holds %lu\n", (unsigned long)ret,
		       *(volatile unsigned long *)p);
		ok = 0;
	}
	verdict("move under writes", ok);
	munmap(p, PAGE);
}

static void test_fork(void)
{
	unsigned long mask = 1UL << 1, got = 0;
	char *p = map_pages(8);
	int status = -1, mode = -1;
	pid_t pid;

	if (mbind(p, 8 * PAGE, MPOL_BIND, &mask, MAXNODE, 0))
		die("mbind BIND node 1: %s", strerror(errno));
	memset(p, 6, 8 * PAGE);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		int ok = !get_mempolicy(&mode, &got, MAXNODE, p, MPOL_F_ADDR) &&
			 mode == MPOL_BIND && got == mask;

		p[0] = 7;	/* the child's own copy now, on Linux too */
		ok &= all_on(p, 8, 1);
		fflush(stdout);
		_exit(ok ? 0 : 1);
	}
	verdict("fork keeps mbind", waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
					  WEXITSTATUS(status) == 0);
	munmap(p, 8 * PAGE);
}

/* Every page of the process on from goes to to: ours among them. */
static void test_migrate(void)
{
	unsigned long from, to;
	char *p = map_pages(8);
	long rc;

	memset(p, 8, 8 * PAGE);
	from = 1UL << node_by_policy(p);
	to = from == 1 ? 2 : 1;
	rc = migrate_pages(0, MAXNODE, &from, &to);
	if (rc)
		printf("numatest: migrate_pages gave %ld (%s)\n", rc, rc < 0 ? strerror(errno) : "");
	verdict("migrate", !rc && all_on(p, 8, to == 1 ? 0 : 1));
	munmap(p, 8 * PAGE);
}

static void expect_errno(const char *name, long rc, int want)
{
	char what[96];

	snprintf(what, sizeof(what), "errno %s %s", name,
		 want == EINVAL ? "EINVAL" : want == EFAULT ? "EFAULT" : want == ENODEV ? "ENODEV" :
		 want == ESRCH ? "ESRCH" : "?");
	if (rc != -1 || errno != want)
		printf("numatest: %s gave %ld (%s)\n", name, rc, rc ? strerror(errno) : "no error");
	verdict(what, rc == -1 && errno == want);
}

/* mems: the nodes with memory; bad calls name one of them where a good node is due. */
static void test_errors(unsigned long mems)
{
	unsigned long mask = mems & -mems, absent = 1UL << 9, big[513];
	char *p = map_pages(2), *hole;
	void *page;
	int mode, status = 0, node = 9;

	hole = map_pages(1);
	munmap(hole, PAGE);
	memset(big, 0, sizeof(big));
	big[0] = 1;
	expect_errno("set_mempolicy_bad_mode", set_mempolicy(99, NULL, 0), EINVAL);
	expect_errno("set_mempolicy_bind_empty", set_mempolicy(MPOL_BIND, NULL, 0), EINVAL);
	expect_errno("set_mempolicy_absent_node", set_mempolicy(MPOL_BIND, &absent, MAXNODE),
		     EINVAL);
	expect_errno("set_mempolicy_default_with_nodes",
		     set_mempolicy(MPOL_DEFAULT, &mask, MAXNODE), EINVAL);
	expect_errno("set_mempolicy_maxnode_too_big",
		     set_mempolicy(MPOL_BIND, big, 4096 * 8 + 2), EINVAL);
	expect_errno("set_mempolicy_bad_mask", set_mempolicy(MPOL_BIND, (void *)8, MAXNODE),
		     EFAULT);
	expect_errno("mbind_unaligned", mbind(p + 1, PAGE, MPOL_BIND, &mask, MAXNODE, 0), EINVAL);
	expect_errno("mbind_hole", mbind(hole, PAGE, MPOL_BIND, &mask, MAXNODE, 0), EFAULT);
	expect_errno("mbind_bad_flags", mbind(p, PAGE, MPOL_BIND, &mask, MAXNODE, 0x100), EINVAL);
	expect_errno("get_mempolicy_short_mask", get_mempolicy(&mode, &mask, 0, NULL, 0), EINVAL);
	expect_errno("get_mempolicy_node_without_addr",
		     get_mempolicy(&mode, NULL, 0, NULL, MPOL_F_NODE), EINVAL);
	expect_errno("get_mempolicy_addr_without_flag", get_mempolicy(&mode, NULL, 0, p, 0),
		     EINVAL);
	expect_errno("get_mempolicy_allowed_and_node",
		     get_mempolicy(&mode, NULL, 0, NULL, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE),
		     EINVAL);
	expect_errno("get_mempolicy_unmapped",
		     get_mempolicy(&mode, NULL, 0, hole, MPOL_F_NODE | MPOL_F_ADDR), EFAULT);
	page = hole;
	status = 0;
	verdict("move_pages_unmapped_status_EFAULT",
		!move_pages(0, 1, &page, NULL, &status, 0) && status == -EFAULT);
	page = p;
	expect_errno("move_pages_absent_node", move_pages(0, 1, &page, &node, &status, 0),
		     ENODEV);
	expect_errno("move_pages_bad_flags", move_pages(0, 1, &page, NULL, &status, 8), EINVAL);
	expect_errno("move_pages_no_such_pid", move_pages(999999, 1, &page, NULL, &status, 0),
		     ESRCH);
	expect_errno("migrate_pages_absent_node", migrate_pages(0, MAXNODE, &mask, &absent),
		     EINVAL);
	expect_errno("migrate_pages_no_such_pid", migrate_pages(999999, MAXNODE, &mask, &mask),
		     ESRCH);
	munmap(p, 2 * PAGE);
}

static int inherited(int node)
{
	unsigned long mask = 0;
	char *heap = malloc(16 * PAGE), *map = map_pages(4);
	char here[PAGE];
	int mode = -1, ok;

	if (!heap)
		die("malloc: out of memory");
	memset(heap, 3, 16 * PAGE);
	memset(map, 4, 4 * PAGE);
	memset(here, 5, sizeof(here));
	ok = !get_mempolicy(&mode, &mask, MAXNODE, NULL, 0) && mode == MPOL_BIND &&
	     mask == 1UL << node;
	if (!ok)
		printf("numatest: inherited policy %d mask %#lx\n", mode, mask);
	ok &= all_on((char *)((unsigned long)(heap + PAGE - 1) & ~(PAGE - 1UL)), 15, node);
	ok &= all_on(map, 4, node);
	ok &= node_by_policy(here) == node;
	verdict("inherited bind", ok);
	return ok ? 0 : 1;
}

static int bind_full(int node, unsigned long mib)
{
	unsigned long mask = 1UL << node;
	char *big, *small;
	int ok;

	if (set_mempolicy(MPOL_BIND, &mask, MAXNODE))
		die("set_mempolicy BIND node %d: %s", node, strerror(errno));
	big = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok = big == MAP_FAILED && errno == ENOMEM;
	if (!ok)
		printf("numatest: %lu MiB bound to node %d: %s\n", mib, node,
		       big == MAP_FAILED ? strerror(errno) : "mapped");
	small = map_pages(4);
	memset(small, 9, 4 * PAGE);
	ok &= all_on(small, 4, node);
	verdict("bind full ENOMEM", ok);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long allowed = 0, mems;
	int mode, nodes = 0;

	if (argc > 1 && !strcmp(argv[1], "inherited"))
		return inherited((int)arg_ulong(argc, argv, 2, 1, 0, 63));
	if (argc > 1 && !strcmp(argv[1], "bindfull"))
		return bind_full((int)arg_ulong(argc, argv, 2, 1, 0, 63),
				 arg_ulong(argc, argv, 3, 1024, 1, 1UL << 20));

	if (get_mempolicy(&mode, &allowed, MAXNODE, NULL, MPOL_F_MEMS_ALLOWED))
		die("get_mempolicy MEMS_ALLOWED: %s", strerror(errno));
	for (unsigned long m = allowed; m; m &= m - 1)
		nodes++;
	mems = allowed;
	printf("numatest: nodes %d mask %#lx\n", nodes, mems);
	/* Fresh program: the default policy, no nodes. */
	allowed = 99;
	verdict("default policy", !get_mempolicy(&mode, &allowed, MAXNODE, NULL, 0) &&
					  mode == MPOL_DEFAULT && allowed == 0);
	if (nodes >= 2) {
		test_bind();
		test_interleave();
		test_thread_policy("preferred", MPOL_PREFERRED, 1);
		test_thread_policy("thread bind", MPOL_BIND, 0);
		test_move();
		test_move_busy();
		test_fork();
		test_migrate();
	} else if (nodes == 1) {
		/* The one node need not be 0: an enclave's is the host's node id. */
		test_thread_policy("one node bind", MPOL_BIND, __builtin_ctzl(mems));
	}
	test_errors(mems);
	if (failures)
		die("%d checks failed", failures);
	printf("numatest: ok\n");
	return 0;
}
