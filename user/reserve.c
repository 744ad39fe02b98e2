// SPDX-License-Identifier: GPL-2.0
/*
 * reserve: PROT_NONE mappings as address-space reservations, the way
 * glibc's malloc arenas, ld.so and language runtimes use them. Meant for a
 * partition far smaller than what it reserves.
 *
 *   reserve [NTHREADS=16]
 *
 * 1. mmap(1 GiB, PROT_NONE) succeeds and costs (almost) no resident
 *    memory; /proc/self/maps lists it as ---p.
 * 2. mprotect of 1 MiB of it to read-write costs about that MiB, reads
 *    zeros and keeps what is written; the rest stays ---p.
 * 3. A fork child sees the same bytes and the same reservation.
 * 4. munmap gives the resident memory back.
 * 5. NTHREADS threads malloc at once: glibc gives each a new arena, a
 *    64 MiB PROT_NONE reservation of which it uses a few pages; most of
 *    the threads must get arena memory (not the brk heap), and resident
 *    memory must grow by little more than their stacks.
 *
 * Prints "reserve: ok".
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *prog = "reserve";

#define RESERVE_LEN (1UL << 30)
#define MAX_THREADS 64
#define THREAD_STACK (256UL << 10)

/* VmRSS from /proc/self/status, in KiB. */
static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("cannot open /proc/self/status: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	}
	fclose(f);
	if (kib < 0)
		die("no VmRSS in /proc/self/status");
	return kib;
}

/*
 * The permissions /proc/self/maps shows for the mapping holding addr
 * ("" if none), and whether it is the [heap].
 */
static bool maps_perms(const void *addr, char perms[5])
{
	unsigned long start, end, a = (unsigned long)addr;
	char line[512], p[5];
	bool heap = false;
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = 0;
	if (!f)
		die("cannot open /proc/self/maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %4s", &start, &end, p) == 3 && a >= start && a < end) {
			memcpy(perms, p, 5);
			heap = strstr(line, "[heap]") != NULL;
			break;
		}
	}
	fclose(f);
	return heap;
}

static void expect_perms(const void *addr, const char *want, const char *what)
{
	char perms[5];

	maps_perms(addr, perms);
	if (strcmp(perms, want))
		die("%s: /proc/self/maps shows '%s', want '%s'", what, perms, want);
}

static void check_reservation(void)
{
	long before = rss_kib(), after;
	unsigned char *p, *mid;
	pid_t pid;
	int status;

	p = mmap(NULL, RESERVE_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die("mmap 1 GiB PROT_NONE: %s", strerror(errno));
	after = rss_kib();
	if (after - before > 1024)
		die("a 1 GiB reservation made %ld KiB resident", after - before);
	expect_perms(p + RESERVE_LEN / 2, "---p", "reservation");

	mid = p + RESERVE_LEN / 2 + 4096;
	before = rss_kib();
	if (mprotect(mid, 1UL << 20, PROT_READ | PROT_WRITE))
		die("mprotect 1 MiB RW: %s", strerror(errno));
	for (size_t i = 0; i < (1UL << 20); i += 512) {
		if (mid[i])
			die("fresh memory at +%zu is not zero", i);
		mid[i] = 1;	/* Linux populates on this touch, Cove at the mprotect */
	}
	after = rss_kib();
	if (after - before < 1024 || after - before > 4096)
		die("1 MiB made RW changed VmRSS by %ld KiB", after - before);
	mid[0] = 0xa5;
	mid[(1UL << 20) - 1] = 0x5a;
	expect_perms(mid, "rw-p", "the MiB made RW");
	expect_perms(p, "---p", "below the MiB");
	expect_perms(mid + (1UL << 20), "---p", "above the MiB");

	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (mid[0] != 0xa5 || mid[(1UL << 20) - 1] != 0x5a)
			die("child: the MiB lost its bytes");
		expect_perms(p, "---p", "child: reservation");
		expect_perms(mid + (1UL << 20), "---p", "child: above the MiB");
		if (mprotect(p, 4096, PROT_READ) || p[0])
			die("child: mprotect of its reservation: %s", strerror(errno));
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("fork child failed (status 0x%x)", status);

	before = rss_kib();
	if (munmap(p, RESERVE_LEN))
		die("munmap: %s", strerror(errno));
	after = rss_kib();
	if (before - after < 1024)
		die("munmap gave back only %ld KiB", before - after);
}

struct arena_probe {
	pthread_barrier_t *all_started;
	void *got;
};

static void *arena_thread(void *arg)
{
	struct arena_probe *a = arg;

	/* All alive at once, so none can inherit an arena another gave back. */
	pthread_barrier_wait(a->all_started);
	a->got = malloc(1000);
	if (!a->got)
		die("malloc in a thread: %s", strerror(errno));
	memset(a->got, 0x11, 1000);
	pthread_barrier_wait(a->all_started);
	return NULL;
}

static void check_arenas(unsigned int n)
{
	struct arena_probe probes[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	pthread_barrier_t barrier;
	pthread_attr_t attr;
	unsigned int in_arena = 0;
	long before, after;
	char perms[5];

	before = rss_kib();
	pthread_barrier_init(&barrier, NULL, n);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (unsigned int i = 0; i < n; i++) {
		probes[i].all_started = &barrier;
		if (pthread_create(&th[i], &attr, arena_thread, &probes[i]))
			die("pthread_create %u", i);
	}
	for (unsigned int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	after = rss_kib();
	for (unsigned int i = 0; i < n; i++) {
		if (!maps_perms(probes[i].got, perms))
			in_arena++;
	}
#ifdef __GLIBC__
	/* glibc makes up to 8 arenas per CPU; at least half the threads get one. */
	if (in_arena < n / 2)
		die("only %u of %u threads got memory outside the brk heap", in_arena, n);
#endif
	/* Their stacks, a few pages of each arena, and slack: never 64 MiB each. */
	if (after - before > (long)(n * (THREAD_STACK + (512UL << 10)) >> 10) + 4096)
		die("%u threads' mallocs made %ld KiB resident", n, after - before);
	printf("reserve: %u threads, %u with arena memory, VmRSS +%ld KiB\n", n, in_arena,
	       after - before);
}

int main(int argc, char **argv)
{
	unsigned int n = (unsigned int)arg_ulong(argc, argv, 1, 16, 2, MAX_THREADS);

	check_reservation();
	check_arenas(n);
	printf("reserve: ok\n");
	return 0;
}
