// SPDX-License-Identifier: GPL-2.0
/*
 * shmtest: shared memory between processes as programs use it -- a
 * /dev/shm segment (shm_open) that four forked processes open and map
 * themselves, summing their parts under a PTHREAD_PROCESS_SHARED mutex
 * between two process-shared barriers, then telling the parent through a
 * process-shared condition variable; MAP_SHARED|MAP_ANONYMOUS memory seen
 * by parent and child after fork (a private mapping beside it is not);
 * memfd_create; SysV shmget/shmat/shmdt/shmctl; process_vm_readv/writev
 * between parent and child; a robust process-shared mutex whose holder
 * dies (EOWNERDEAD for the next locker, waiting or not); a segment
 * larger than the machine's memory, refused cleanly; names in /dev/shm
 * (link, rename, renameat2's flags, EXDEV to another file system); and a
 * named semaphore (sem_open links its file in) that forked children open
 * by name and post.
 *
 * Prints only what Linux prints the same: one line per check ("shmtest:
 * NAME ok"), then "shmtest: ok N checks"; the first failure prints
 * "shmtest: FAIL ..." and exits 1 (`shmtest NAME` runs one check alone).
 * The abi scenario compares its output in Cove with the same binary's on
 * the host.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

const char *prog = "shmtest";

#define WORKERS 4
#define SEG_SIZE (16UL << 20)		/* 16 MiB: whole 2 MiB blocks */
#define NUMBERS (1UL << 20)		/* summed by the workers */
#define ROUNDS 2000			/* contended lock rounds per worker */
#define HUGE_SIZE (1ULL << 40)		/* 1 TiB: more than any test machine has */

static int nchecks;

static void pass(const char *name)
{
	nchecks++;
	printf("shmtest: %s ok\n", name);
	fflush(stdout);
}

static int wait_for(pid_t pid)
{
	int status;
	pid_t got = waitpid(pid, &status, 0);

	CHECK(got == pid, "waitpid(%d) returned %d (%s)", pid, got, strerror(errno));
	return status;
}

static void expect_exit0(pid_t pid, const char *what)
{
	int st = wait_for(pid);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: child status %#x", what, st);
}

/* The header of the /dev/shm segment; the numbers follow it. */
struct seg_head {
	pthread_barrier_t barrier;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long sum;
	unsigned long counter;
	int done;
};

static void seg_name(char *buf, size_t len)
{
	snprintf(buf, len, "/shmtest.%d", (int)getpid());
}

/* A worker: opens the segment by name and maps it itself, wherever. */
static int seg_worker(const char *name, int i)
{
	int fd = shm_open(name, O_RDWR, 0);
	struct seg_head *h;
	unsigned int *nums;
	unsigned long part = 0;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) || (unsigned long)st.st_size != SEG_SIZE)
		return 2;
	h = mmap(NULL, SEG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (h == MAP_FAILED)
		return 3;
	nums = (unsigned int *)(h + 1);
	pthread_barrier_wait(&h->barrier);
	for (unsigned long k = i * (NUMBERS / WORKERS); k < (i + 1) * (NUMBERS / WORKERS); k++)
		part += nums[k];
	/* Contention: every worker takes the lock many times (futex waits and wakes). */
	for (int r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&h->lock);
		h->counter++;
		pthread_mutex_unlock(&h->lock);
	}
	pthread_mutex_lock(&h->lock);
	h->sum += part;
	pthread_mutex_unlock(&h->lock);
	pthread_barrier_wait(&h->barrier);
	pthread_mutex_lock(&h->lock);
	h->done++;
	pthread_cond_signal(&h->cond);
	pthread_mutex_unlock(&h->lock);
	munmap(h, SEG_SIZE);
	return 0;
}

static void check_dev_shm(void)
{
	pthread_barrierattr_t ba;
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	char name[64], path[80];
	struct seg_head *h;
	unsigned int *nums;
	pid_t pids[WORKERS];
	struct dirent *de;
	struct stat st;
	bool listed = false;
	DIR *d;
	int fd;

	seg_name(name, sizeof(name));
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	CHECK(fd >= 0, "shm_open(%s): %s", name, strerror(errno));
	CHECK(shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600) < 0 && errno == EEXIST,
	      "shm_open O_EXCL of an existing name: %s", strerror(errno));
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0 && S_ISREG(st.st_mode) &&
	      (st.st_mode & 0777) == 0600, "new segment: size %ld mode %o", (long)st.st_size,
	      st.st_mode);
	CHECK(ftruncate(fd, SEG_SIZE) == 0, "ftruncate: %s", strerror(errno));
	CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)SEG_SIZE, "size after ftruncate %ld",
	      (long)st.st_size);
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	CHECK(stat(path, &st) == 0 && st.st_size == (off_t)SEG_SIZE, "stat %s: %s", path,
	      strerror(errno));
	d = opendir("/dev/shm");
	CHECK(d, "opendir /dev/shm: %s", strerror(errno));
	while ((de = readdir(d)))
		listed |= !strcmp(de->d_name, name + 1);
	closedir(d);
	CHECK(listed, "%s is not listed in /dev/shm", name);
	pass("shm_open ftruncate fstat readdir");

	h = mmap(NULL, SEG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(h != MAP_FAILED, "mmap of the segment: %s", strerror(errno));
	nums = (unsigned int *)(h + 1);
	for (unsigned long k = 0; k < NUMBERS; k++)
		nums[k] = (unsigned int)(k + 1);
	/* Written through the mapping, read through the file. */
	{
		unsigned int v = 0;

		CHECK(pread(fd, &v, sizeof(v), sizeof(*h) + 41 * sizeof(v)) == sizeof(v) && v == 42,
		      "pread of the mapped segment gave %u", v);
		v = 7;
		CHECK(pwrite(fd, &v, sizeof(v), SEG_SIZE - sizeof(v)) == sizeof(v) &&
		      *(unsigned int *)((char *)h + SEG_SIZE - sizeof(v)) == 7,
		      "pwrite not seen in the mapping");
	}
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	CHECK(pthread_barrier_init(&h->barrier, &ba, WORKERS) == 0, "barrier init");
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	CHECK(pthread_mutex_init(&h->lock, &ma) == 0, "mutex init");
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	CHECK(pthread_cond_init(&h->cond, &ca) == 0, "cond init");
	for (int i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0, "fork: %s", strerror(errno));
		if (!pids[i])
			_exit(seg_worker(name, i));
	}
	pthread_mutex_lock(&h->lock);
	while (h->done < WORKERS)
		pthread_cond_wait(&h->cond, &h->lock);
	pthread_mutex_unlock(&h->lock);
	for (int i = 0; i < WORKERS; i++)
		expect_exit0(pids[i], "segment worker");
	printf("shmtest: %d processes summed 1..%lu = %lu, counter %lu\n", WORKERS, NUMBERS,
	       h->sum, h->counter);
	CHECK(h->sum == NUMBERS * (NUMBERS + 1) / 2, "wrong sum %lu", h->sum);
	CHECK(h->counter == (unsigned long)WORKERS * ROUNDS, "wrong counter %lu", h->counter);
	pass("4 processes, process-shared barrier mutex cond");

	CHECK(shm_unlink(name) == 0, "shm_unlink: %s", strerror(errno));
	CHECK(shm_open(name, O_RDWR, 0) < 0 && errno == ENOENT, "open after unlink: %s",
	      strerror(errno));
	CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)SEG_SIZE && st.st_nlink == 0,
	      "fstat after unlink: size %ld nlink %ld", (long)st.st_size, (long)st.st_nlink);
	CHECK(nums[NUMBERS - 1] == NUMBERS, "the mapping lost its bytes after unlink");
	CHECK(ftruncate(fd, 4096) == 0 && fstat(fd, &st) == 0 && st.st_size == 4096,
	      "shrink: %s", strerror(errno));
	munmap(h, SEG_SIZE);
	close(fd);
	pass("shm_unlink keeps open segments");
}

static void check_shared_anon(void)
{
	size_t len = 4UL << 20;
	char *shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	CHECK(shared != MAP_FAILED && priv != MAP_FAILED, "mmap: %s", strerror(errno));
	shared[0] = 'p';
	priv[0] = 'p';
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		int ok = shared[0] == 'p';

		shared[0] = 'c';
		shared[len - 1] = 'C';
		priv[0] = 'c';
		/* A piece unmapped in the child stays mapped, and shared, in the parent. */
		munmap(shared + (2UL << 20), 2UL << 20);
		__atomic_add_fetch((int *)(shared + 64), 1, __ATOMIC_SEQ_CST);
		_exit(ok ? 0 : 1);
	}
	expect_exit0(pid, "shared anonymous child");
	CHECK(shared[0] == 'c' && shared[len - 1] == 'C' && *(int *)(shared + 64) == 1,
	      "the child's writes to MAP_SHARED|MAP_ANONYMOUS are not seen");
	CHECK(priv[0] == 'p', "a private mapping was shared");
	/* MADV_DONTNEED drops nothing of shared memory's bytes. */
	CHECK(madvise(shared, 4096, MADV_DONTNEED) == 0 && shared[0] == 'c',
	      "MADV_DONTNEED lost shared bytes");
	CHECK(msync(shared, len, MS_SYNC) == 0, "msync: %s", strerror(errno));
	munmap(shared, len);
	munmap(priv, 4096);
	pass("MAP_SHARED|MAP_ANONYMOUS across fork");
}

static void check_memfd(void)
{
	size_t len = 3UL << 20;
	char link[64], want[64], buf[8] = { 0 };
	struct stat st;
	char *p;
	pid_t pid;
	ssize_t n;
	int fd;

	fd = memfd_create("shmtest", MFD_CLOEXEC);
	CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
	CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "MFD_CLOEXEC not set");
	CHECK(memfd_create("bad", 0x1000) < 0 && errno == EINVAL, "memfd_create with a bad flag");
	CHECK(ftruncate(fd, len) == 0 && fstat(fd, &st) == 0 && st.st_size == (off_t)len,
	      "memfd ftruncate: %s", strerror(errno));
	snprintf(want, sizeof(want), "/proc/self/fd/%d", fd);
	n = readlink(want, link, sizeof(link) - 1);
	CHECK(n > 0, "readlink %s: %s", want, strerror(errno));
	link[n] = 0;
	CHECK(!strcmp(link, "/memfd:shmtest (deleted)"), "memfd's name is '%s'", link);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap memfd: %s", strerror(errno));
	memcpy(p + len - 5, "tail", 5);
	CHECK(pread(fd, buf, 5, len - 5) == 5 && !strcmp(buf, "tail"), "memfd pread '%s'", buf);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		/* A second mapping of the same file, made in the child. */
		char *q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (q == MAP_FAILED || strcmp(q + len - 5, "tail"))
			_exit(1);
		memcpy(q, "child", 6);
		_exit(0);
	}
	expect_exit0(pid, "memfd child");
	CHECK(!strcmp(p, "child"), "the child's write to the memfd is not seen");
	munmap(p, len);
	close(fd);
	pass("memfd_create");
}

static void check_sysv(void)
{
	struct shmid_ds ds;
	int up[2], down[2];
	key_t key = (key_t)(0x5e000000 | (getpid() & 0xffffff));
	char *p, *q, c;
	pid_t pid;
	int id, id2;

	id = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600);
	CHECK(id >= 0, "shmget: %s", strerror(errno));
	p = shmat(id, NULL, 0);
	CHECK(p != (void *)-1, "shmat: %s", strerror(errno));
	CHECK(pipe(up) == 0 && pipe(down) == 0, "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		strcpy(p, "sysv");
		if (write(up[1], "x", 1) != 1)
			_exit(1);
		/* Stay attached until the parent has counted us. */
		if (read(down[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	CHECK(read(up[0], &c, 1) == 1, "pipe read");
	CHECK(!strcmp(p, "sysv"), "the child's write to the SysV segment is not seen");
	CHECK(shmctl(id, IPC_STAT, &ds) == 0, "IPC_STAT: %s", strerror(errno));
	CHECK(ds.shm_segsz == 1 << 20 && ds.shm_nattch == 2 && (ds.shm_perm.mode & 0777) == 0600,
	      "IPC_STAT: size %zu nattch %lu mode %o", ds.shm_segsz, (unsigned long)ds.shm_nattch,
	      ds.shm_perm.mode);
	CHECK(write(down[1], "x", 1) == 1, "pipe write");
	expect_exit0(pid, "SysV child");
	for (int i = 0; i < 2; i++) {
		close(up[i]);
		close(down[i]);
	}
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1, "nattch after the child: %lu",
	      (unsigned long)ds.shm_nattch);
	CHECK(shmdt(p + 4096) < 0 && errno == EINVAL, "shmdt inside a segment");
	CHECK(shmdt(p) == 0, "shmdt: %s", strerror(errno));
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 0, "nattch after shmdt: %lu",
	      (unsigned long)ds.shm_nattch);
	p = shmat(id, NULL, SHM_RDONLY);
	CHECK(p != (void *)-1 && !strcmp(p, "sysv"), "a second attach lost the bytes");
	CHECK(shmdt(p) == 0, "shmdt: %s", strerror(errno));
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID: %s", strerror(errno));
	CHECK(shmat(id, NULL, 0) == (void *)-1 && errno == EINVAL, "shmat after IPC_RMID");

	id = shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(id >= 0, "shmget with a key: %s", strerror(errno));
	CHECK(shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600) < 0 && errno == EEXIST,
	      "shmget IPC_EXCL of an existing key");
	id2 = shmget(key, 0, 0);
	CHECK(id2 == id, "shmget by key found %d, want %d", id2, id);
	CHECK(shmget(key, 1 << 20, 0) < 0 && errno == EINVAL, "shmget larger than the segment");
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID: %s", strerror(errno));
	CHECK(shmget(key, 0, 0) < 0 && errno == ENOENT, "the key outlived IPC_RMID");

	/* Removed while attached: still attachable by id until the last detach (Linux). */
	id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	p = shmat(id, NULL, 0);
	CHECK(id >= 0 && p != (void *)-1, "shmget/shmat: %s", strerror(errno));
	strcpy(p, "dest");
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID while attached: %s", strerror(errno));
	q = shmat(id, NULL, 0);
	CHECK(q != (void *)-1 && !strcmp(q, "dest"), "shmat of a removed, attached segment: %s",
	      strerror(errno));
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 01000) && ds.shm_nattch == 2,
	      "IPC_STAT of a removed segment: mode %o nattch %lu", ds.shm_perm.mode,
	      (unsigned long)ds.shm_nattch);
	CHECK(shmdt(p) == 0 && shmdt(q) == 0, "shmdt: %s", strerror(errno));
	CHECK(shmat(id, NULL, 0) == (void *)-1 && errno == EINVAL, "shmat after the last detach");
	pass("SysV shmget shmat shmdt shmctl");
}

static char vm_buf[3 * 4096];

static void check_process_vm(void)
{
	char *edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char local[sizeof(vm_buf)], c;
	struct iovec liov[2], riov[2];
	int to_child[2], to_parent[2];
	pid_t pid;
	ssize_t n;

	CHECK(edge != MAP_FAILED && munmap(edge + 4096, 4096) == 0, "mmap: %s", strerror(errno));
	CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0, "pipe");
	memset(vm_buf, 'p', sizeof(vm_buf));
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		for (size_t i = 0; i < sizeof(vm_buf); i++)
			vm_buf[i] = (char)('a' + i % 26);
		if (write(to_parent[1], "r", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(1);
		/* The parent wrote "written" at offset 5000. */
		_exit(memcmp(vm_buf + 5000, "written", 7) ? 2 : 0);
	}
	CHECK(read(to_parent[0], &c, 1) == 1, "pipe read");
	/* Two local pieces from one remote range that crosses pages. */
	liov[0] = (struct iovec){ local, 100 };
	liov[1] = (struct iovec){ local + 100, 9000 };
	riov[0] = (struct iovec){ vm_buf + 10, 9100 };
	n = process_vm_readv(pid, liov, 2, riov, 1, 0);
	CHECK(n == 9100, "process_vm_readv: %zd (%s)", n, strerror(errno));
	for (size_t i = 0; i < 9100; i++)
		CHECK(local[i] == (char)('a' + (i + 10) % 26), "process_vm_readv byte %zu", i);
	riov[0] = (struct iovec){ vm_buf + 5000, 7 };
	liov[0] = (struct iovec){ "written", 7 };
	CHECK(process_vm_writev(pid, liov, 1, riov, 1, 0) == 7, "process_vm_writev: %s",
	      strerror(errno));
	/* Errors as Linux gives them. */
	riov[0] = (struct iovec){ NULL, 16 };
	liov[0] = (struct iovec){ local, 16 };
	CHECK(process_vm_readv(pid, liov, 1, riov, 1, 0) < 0 && errno == EFAULT,
	      "process_vm_readv of address 0: %s", strerror(errno));
	riov[0] = (struct iovec){ vm_buf, 16 };
	CHECK(process_vm_readv(pid, liov, 1, riov, 1, 1) < 0 && errno == EINVAL,
	      "process_vm_readv with flags: %s", strerror(errno));
	CHECK(process_vm_readv(4000000, liov, 1, riov, 1, 0) < 0 && errno == ESRCH,
	      "process_vm_readv of no process: %s", strerror(errno));
	/* A remote range running into unmapped memory: the part before it. */
	riov[0] = (struct iovec){ edge + 4096 - 8, 16 };
	n = process_vm_readv(pid, liov, 1, riov, 1, 0);
	CHECK(n == 8, "process_vm_readv into an unmapped page: %zd (%s)", n, strerror(errno));
	CHECK(write(to_child[1], "w", 1) == 1, "pipe write");
	expect_exit0(pid, "process_vm child");
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	munmap(edge, 4096);
	pass("process_vm_readv process_vm_writev");
}

struct robust_area {
	pthread_mutex_t lock;
	int stage;
};

static struct robust_area *robust_area_new(void)
{
	struct robust_area *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t ma;

	CHECK(a != MAP_FAILED, "mmap: %s", strerror(errno));
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	CHECK(pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST) == 0, "setrobust");
	CHECK(pthread_mutex_init(&a->lock, &ma) == 0, "robust mutex init");
	return a;
}

/* The holder dies; waiting: the parent is already blocked on the lock then. */
static void robust_round(bool waiting)
{
	struct robust_area *a = robust_area_new();
	int ready[2], rc;
	pid_t pid;
	char c;

	CHECK(pipe(ready) == 0, "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		if (pthread_mutex_lock(&a->lock))
			_exit(1);
		if (write(ready[1], "l", 1) != 1)
			_exit(1);
		if (waiting)
			usleep(200 * 1000);	/* long enough for the parent to block */
		_exit(0);			/* dies holding the lock */
	}
	CHECK(read(ready[0], &c, 1) == 1, "pipe read");
	if (!waiting)
		expect_exit0(pid, "robust holder");
	rc = pthread_mutex_lock(&a->lock);
	CHECK(rc == EOWNERDEAD, "lock after the holder died: %d (%s), want EOWNERDEAD", rc,
	      strerror(rc));
	CHECK(pthread_mutex_consistent(&a->lock) == 0, "pthread_mutex_consistent");
	CHECK(pthread_mutex_unlock(&a->lock) == 0, "unlock");
	CHECK(pthread_mutex_lock(&a->lock) == 0, "lock once consistent");
	CHECK(pthread_mutex_unlock(&a->lock) == 0, "unlock");
	if (waiting)
		expect_exit0(pid, "robust holder");
	close(ready[0]);
	close(ready[1]);
	munmap(a, 4096);
}

static void check_robust(void)
{
	robust_round(false);
	pass("robust mutex, holder died");
	robust_round(true);
	pass("robust mutex, holder died while another waited");
}

static void check_too_big(void)
{
	char name[64];
	struct stat st;
	void *p;
	int fd, rc;

	seg_name(name, sizeof(name));
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	CHECK(fd >= 0, "shm_open: %s", strerror(errno));
	/*
	 * Cove allocates at ftruncate and refuses there; Linux's tmpfs takes
	 * the size and refuses the memory when it is asked for.
	 */
	if (ftruncate(fd, HUGE_SIZE) == 0) {
		rc = posix_fallocate(fd, 0, HUGE_SIZE);
		CHECK(rc == ENOSPC || rc == ENOMEM, "posix_fallocate of 1 TiB: %s", strerror(rc));
		CHECK(ftruncate(fd, 0) == 0, "ftruncate back to 0");
	} else {
		CHECK(errno == ENOSPC || errno == ENOMEM, "ftruncate of 1 TiB: %s",
		      strerror(errno));
	}
	CHECK(mmap(NULL, HUGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0) ==
	      MAP_FAILED && errno == ENOMEM, "MAP_SHARED|MAP_ANONYMOUS of 1 TiB: %s",
	      strerror(errno));
	CHECK(shmget(IPC_PRIVATE, HUGE_SIZE, IPC_CREAT | 0600) < 0 &&
	      (errno == ENOMEM || errno == EINVAL || errno == ENOSPC), "shmget of 1 TiB: %s",
	      strerror(errno));
	/* Nothing is left behind: the segment still works at a sane size. */
	rc = posix_fallocate(fd, 0, 8 << 20);
	CHECK(rc == 0 && fstat(fd, &st) == 0 && st.st_size == 8 << 20,
	      "posix_fallocate 8 MiB after the refusal: %s", strerror(rc));
	p = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap after the refusal: %s", strerror(errno));
	memset(p, 1, 8 << 20);
	munmap(p, 8 << 20);
	close(fd);
	CHECK(shm_unlink(name) == 0, "shm_unlink: %s", strerror(errno));
	pass("segment larger than memory refused");
}

/*
 * A shared mapping made before its file has the bytes (UCX sizes its
 * segments that way): pages the file grows to afterwards are reached
 * through the mapping; huge pages of a non-hugetlbfs file are refused.
 */
static void check_grow_after_mmap(void)
{
	size_t len = 4 * 4096;
	char *p;
	int fd = memfd_create("grow", 0);

	CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
	CHECK(mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_HUGETLB, fd, 0) ==
	      MAP_FAILED && errno == EINVAL, "MAP_HUGETLB of a memfd was not refused");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap of an empty memfd: %s", strerror(errno));
	CHECK(pwrite(fd, "!", 1, len - 1) == 1, "pwrite past the end: %s", strerror(errno));
	memcpy(p + len - 4096, "late", 5);
	CHECK(!strcmp(p + len - 4096, "late") && p[len - 1] == '!',
	      "the grown page is not the file's");
	munmap(p, len);
	close(fd);
	pass("grow_after_mmap");
}

static ino_t ino_of(const char *path)
{
	struct stat st;

	CHECK(!stat(path, &st), "stat %s: %s", path, strerror(errno));
	return st.st_ino;
}

static void read_back(const char *path, const char *want)
{
	char buf[16] = "";
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	CHECK(read(fd, buf, sizeof(buf) - 1) >= 0 && !strcmp(buf, want),
	      "%s holds '%s', not '%s'", path, buf, want);
	close(fd);
}

/* Names in /dev/shm: link, rename, renameat2's flags, EXDEV to another file system. */
static void check_names(void)
{
	const char *a = "/dev/shm/shmtest-a", *b = "/dev/shm/shmtest-b";
	const char *c = "/dev/shm/shmtest-c", *d = "/dev/shm/shmtest-d";
	struct stat st;
	struct dirent *de;
	DIR *dir;
	int fd = open(a, O_RDWR | O_CREAT | O_EXCL, 0600), n = 0;

	CHECK(fd >= 0 && write(fd, "abc", 3) == 3, "make %s: %s", a, strerror(errno));
	CHECK(!link(a, b), "link %s %s: %s", a, b, strerror(errno));
	CHECK(!fstat(fd, &st) && st.st_nlink == 2 && ino_of(b) == st.st_ino,
	      "after link: %lu links, inodes %lu and %lu", (unsigned long)st.st_nlink,
	      (unsigned long)st.st_ino, (unsigned long)ino_of(b));
	CHECK(link(a, b) && errno == EEXIST, "link onto a name that exists: %s", strerror(errno));
	CHECK(link("/dev/shm/shmtest-none", c) && errno == ENOENT, "link of nothing: %s",
	      strerror(errno));
	CHECK(!rename(b, c) && stat(b, &st) && errno == ENOENT && ino_of(c) == ino_of(a),
	      "rename %s %s", b, c);
	/* A rename onto a file takes its name; its old bytes go. */
	int fd2 = open(d, O_RDWR | O_CREAT | O_EXCL, 0600);

	CHECK(fd2 >= 0 && write(fd2, "xyz", 3) == 3, "make %s: %s", d, strerror(errno));
	close(fd2);
	CHECK(syscall(SYS_renameat2, AT_FDCWD, c, AT_FDCWD, d, 1 /* NOREPLACE */) &&
	      errno == EEXIST, "renameat2 RENAME_NOREPLACE onto a file: %s", strerror(errno));
	CHECK(!syscall(SYS_renameat2, AT_FDCWD, c, AT_FDCWD, d, 2 /* EXCHANGE */),
	      "renameat2 RENAME_EXCHANGE: %s", strerror(errno));
	read_back(c, "xyz");
	read_back(d, "abc");
	CHECK(!rename(d, c) && stat(d, &st) && errno == ENOENT, "rename onto a file: %s",
	      strerror(errno));
	read_back(c, "abc");
	CHECK(!fstat(fd, &st) && st.st_nlink == 2, "%lu links after the renames, not 2",
	      (unsigned long)st.st_nlink);
	CHECK(!rename(a, c) && ino_of(a) == ino_of(c), "rename between two names of one file");
	/* Another file system: /tmp is not /dev/shm's, for Linux and for Cove. */
	CHECK(rename(a, "/tmp/shmtest-moved") && errno == EXDEV, "rename to /tmp: %s",
	      strerror(errno));
	CHECK(link(a, "/tmp/shmtest-moved") && errno == EXDEV, "link to /tmp: %s",
	      strerror(errno));
	CHECK(!unlink(a) && !fstat(fd, &st) && st.st_nlink == 1, "unlink of one name");
	CHECK(!unlink(c) && !fstat(fd, &st) && st.st_nlink == 0, "unlink of the last name");
	close(fd);
	dir = opendir("/dev/shm");
	CHECK(dir, "opendir /dev/shm: %s", strerror(errno));
	while ((de = readdir(dir)))
		n += !strncmp(de->d_name, "shmtest-", 8);
	closedir(dir);
	CHECK(!n, "%d shmtest- names left in /dev/shm", n);
	pass("names");
}

/* A named semaphore: children open it by name and post it; unlinked, it is gone. */
static void check_sem_open(void)
{
	const char *name = "/shmtest-sem";
	sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	int status;

	CHECK(s != SEM_FAILED, "sem_open O_CREAT: %s", strerror(errno));
	for (int i = 0; i < WORKERS; i++) {
		pid_t pid = fork();

		CHECK(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0) {
			sem_t *mine = sem_open(name, 0);

			_exit(mine == SEM_FAILED || sem_post(mine) ? 1 : 0);
		}
	}
	for (int i = 0; i < WORKERS; i++)
		CHECK(!sem_wait(s), "sem_wait: %s", strerror(errno));
	while (wait(&status) > 0)
		CHECK(WIFEXITED(status) && !WEXITSTATUS(status), "a child could not post");
	CHECK(sem_trywait(s) && errno == EAGAIN, "the semaphore has more than was posted");
	CHECK(!sem_unlink(name), "sem_unlink: %s", strerror(errno));
	CHECK(sem_open(name, 0) == SEM_FAILED && errno == ENOENT,
	      "an unlinked semaphore opens: %s", strerror(errno));
	sem_close(s);
	pass("sem_open");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} checks[] = {
		{ "devshm", check_dev_shm }, { "anon", check_shared_anon },
		{ "memfd", check_memfd }, { "sysv", check_sysv },
		{ "procvm", check_process_vm }, { "robust", check_robust },
		{ "toobig", check_too_big }, { "grow", check_grow_after_mmap },
		{ "names", check_names }, { "sem", check_sem_open },
	};

	/* shmtest [NAME]: one check alone, for debugging. */
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (argc < 2 || !strcmp(argv[1], checks[i].name))
			checks[i].fn();
	}
	printf("shmtest: ok %d checks\n", nchecks);
	return 0;
}
