// SPDX-License-Identifier: GPL-2.0
/*
 * dlopen_test: loads libcovetest.so at run time (found through this
 * program's RUNPATH, or the path given as argv[1]), calls into it, checks
 * that its constructor ran and that its TLS variable is per thread: two
 * threads bump their own copies by different amounts while both are alive,
 * then each must see exactly its own sum, at its own address, with the
 * main thread's copy untouched. errno, which lives in the C library's
 * static TLS block, must be per thread too. Then dlclose; glibc really
 * unloads the library (munmap of its mappings), musl never does.
 *
 * Prints "dlopen_test: ok" last.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

const char *prog = "dlopen_test";

#define BUMPS 1000
#define TLS_START 100

static long (*covetest_tls_bump)(long by);
static long *(*covetest_tls_addr)(void);
static pthread_barrier_t barrier;

struct worker {
	pthread_t thread;
	long step;
	long final;
	long *addr;
	int errno_seen;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	w->addr = covetest_tls_addr();
	if (*w->addr != TLS_START)
		die("thread %ld: its copy starts at %ld, not %d", w->step, *w->addr, TLS_START);
	/*
	 * Only now: the first touch of the library's TLS may malloc, and a
	 * malloc may leave errno changed (glibc tries a thread arena first).
	 */
	errno = (int)(1000 + w->step);
	/* Both threads bump at the same time: each has a copy of its own. */
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < BUMPS; i++)
		w->final = covetest_tls_bump(w->step);
	pthread_barrier_wait(&barrier);
	w->errno_seen = errno;
	return NULL;
}

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	if (!p)
		die("dlsym %s: %s", name, dlerror());
	return p;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "libcovetest.so";
	struct worker w[2] = { { .step = 1 }, { .step = 3 } };
	long (*add)(long, long);
	int *ctor_ran;
	long *tls;
	Dl_info info;
	void *h;

	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		die("dlopen %s: %s", name, dlerror());
	add = (long (*)(long, long))sym(h, "covetest_add");
	covetest_tls_bump = (long (*)(long))sym(h, "covetest_tls_bump");
	covetest_tls_addr = (long *(*)(void))sym(h, "covetest_tls_addr");
	ctor_ran = sym(h, "covetest_ctor_ran");
	tls = sym(h, "covetest_tls");
	if (add(40, 2) != 42)
		die("covetest_add(40, 2) is %ld", add(40, 2));
	if (!*ctor_ran)
		die("the library's constructor did not run");
	if (tls != covetest_tls_addr() || *tls != TLS_START)
		die("dlsym's TLS address %p (value %ld) is not this thread's %p", (void *)tls,
		    *tls, (void *)covetest_tls_addr());
	if (!dladdr((void *)add, &info) || !info.dli_fname)
		die("dladdr does not know covetest_add");
	printf("dlopen_test: loaded %s, covetest_add(40, 2) = 42\n", info.dli_fname);

	errno = 7;
	pthread_barrier_init(&barrier, NULL, 2);
	for (int i = 0; i < 2; i++) {
		int rc = pthread_create(&w[i].thread, NULL, worker_run, &w[i]);

		if (rc)
			die("pthread_create failed: %s", strerror(rc));
	}
	for (int i = 0; i < 2; i++)
		pthread_join(w[i].thread, NULL);
	for (int i = 0; i < 2; i++) {
		if (w[i].final != TLS_START + BUMPS * w[i].step)
			die("thread %d ended at %ld, not %ld", i, w[i].final,
			    TLS_START + BUMPS * w[i].step);
		if (w[i].errno_seen != (int)(1000 + w[i].step))
			die("thread %d: errno %d is not its own", i, w[i].errno_seen);
	}
	if (w[0].addr == w[1].addr || w[0].addr == tls)
		die("threads share a TLS copy (%p, %p, main %p)", (void *)w[0].addr,
		    (void *)w[1].addr, (void *)tls);
	if (*tls != TLS_START || errno != 7)
		die("the main thread's TLS changed (%ld, errno %d)", *tls, errno);
	printf("dlopen_test: TLS per thread: %ld %ld, main %ld\n", w[0].final, w[1].final, *tls);

	if (dlclose(h))
		die("dlclose: %s", dlerror());
#ifdef __GLIBC__
	h = dlopen(name, RTLD_NOW | RTLD_NOLOAD);
	if (h)
		die("%s is still loaded after dlclose", name);
	printf("dlopen_test: unloaded\n");
#endif
	printf("dlopen_test: ok\n");
	return 0;
}
