// SPDX-License-Identifier: GPL-2.0
/*
 * sigtest: Linux signal delivery as a program sees it. With no argument it
 * runs every check, printing "sigtest: NAME ok" for each and finally
 * "sigtest: ok N checks"; the first failure prints "sigtest: FAIL ..." and
 * exits 1. With a MODE argument it lets a default action end it:
 *   segv-default     a SIGSEGV whose handler was reset to SIG_DFL  -> SIGSEGV
 *   segv-blocked     a fault while SIGSEGV is blocked (Linux forces it) -> SIGSEGV
 *   segv-in-handler  the SIGSEGV handler faults again             -> SIGSEGV
 *   alarm-default    alarm(1) with no handler                     -> SIGALRM
 *   term             kill(getpid(), SIGTERM)                      -> SIGTERM
 *   abort-handler    abort() after a SIGABRT handler returns      -> SIGABRT
 *   usr1-thread      tgkill SIGUSR1 to another thread, no handler -> SIGUSR1
 *   sigreturn-forged rt_sigreturn on a frame with a non-canonical rip -> SIGSEGV
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "common.h"

const char *prog = "sigtest";

#define FUTEX_WAIT 0
#define SIGEV_THREAD_ID_K 4	/* musl-gcc does not see <linux/...> */

static int nchecks;

static void pass(const char *name)
{
	printf("sigtest: %s ok\n", name);
	fflush(stdout);
	nchecks++;
}

static pid_t tid_self(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static int tgkill_raw(pid_t tgid, pid_t tid, int sig)
{
	return (int)syscall(SYS_tgkill, tgid, tid, sig);
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		die("sigaction(%d) failed: %s", sig, strerror(errno));
}

static void dfl(int sig)
{
	signal(sig, SIG_DFL);
}

static void block(int sig, int how)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	if (pthread_sigmask(how, &s, NULL))
		die("pthread_sigmask failed");
}

static bool blocked_now(int sig)
{
	sigset_t cur;

	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	return sigismember(&cur, sig);
}

/* Wait (at most 5 s) until *v reaches want. */
static void wait_for(volatile int *v, int want, const char *what)
{
	uint64_t end = now_ns() + 5000000000ull;

	while (*v < want) {
		if (now_ns() > end)
			die("timed out waiting for %s (%d of %d)", what, *v, want);
		sched_yield();
	}
}

static void arm_itimer_ms(long first_ms, long every_ms)
{
	struct itimerval it = {
		.it_interval = { every_ms / 1000, (every_ms % 1000) * 1000 },
		.it_value = { first_ms / 1000, (first_ms % 1000) * 1000 },
	};

	if (setitimer(ITIMER_REAL, &it, NULL))
		die("setitimer failed: %s", strerror(errno));
}

/* ---- synchronous faults ---- */

static char *fault_page;
static volatile int seen_count;
static volatile int seen_sig, seen_code;
static void *volatile seen_addr;
static volatile pid_t seen_tid;
static sigjmp_buf jb;

static void on_segv_fix(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	seen_sig = sig;
	seen_code = si->si_code;
	seen_addr = si->si_addr;
	seen_count++;
	/* Make the page writable: returning retries the faulting store. */
	if (mprotect(fault_page, 4096, PROT_READ | PROT_WRITE))
		_exit(3);
}

static void on_fault_jump(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	seen_sig = sig;
	seen_code = si->si_code;
	seen_addr = si->si_addr;
	seen_count++;
	siglongjmp(jb, 1);
}

static void test_segv_accerr(void)
{
	volatile char *p;

	fault_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(fault_page != MAP_FAILED, "mmap failed");
	on(SIGSEGV, on_segv_fix, 0);
	seen_count = 0;
	p = fault_page + 100;
	*p = 42;		/* faults once, the handler fixes it, the store is retried */
	CHECK(seen_count == 1, "SIGSEGV handler ran %d times", seen_count);
	CHECK(seen_sig == SIGSEGV && seen_code == SEGV_ACCERR,
	      "sig %d code %d, want SIGSEGV SEGV_ACCERR", seen_sig, seen_code);
	CHECK(seen_addr == (void *)p, "si_addr %p, want %p", seen_addr, (void *)p);
	CHECK(fault_page[100] == 42, "the retried store did not land");
	munmap(fault_page, 4096);
	pass("segv_accerr_mprotect_resume");
}

static void test_segv_maperr(void)
{
	char *gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(gone != MAP_FAILED, "mmap failed");
	munmap(gone, 4096);
	on(SIGSEGV, on_fault_jump, 0);
	seen_count = 0;
	if (!sigsetjmp(jb, 1)) {
		(void)*(volatile char *)(gone + 8);
		die("reading an unmapped page did not fault");
	}
	CHECK(seen_code == SEGV_MAPERR && seen_addr == gone + 8,
	      "code %d addr %p, want SEGV_MAPERR %p", seen_code, seen_addr, (void *)(gone + 8));
	CHECK(!blocked_now(SIGSEGV), "SIGSEGV still blocked after siglongjmp");
	dfl(SIGSEGV);
	pass("segv_maperr_siglongjmp");
}

static volatile int zero_divisor;
static volatile int one = 1;

static void test_fpe(void)
{
	on(SIGFPE, on_fault_jump, 0);
	seen_count = 0;
	if (!sigsetjmp(jb, 1)) {
		volatile int q = one / zero_divisor;

		(void)q;
		die("dividing by zero did not raise SIGFPE");
	}
	CHECK(seen_count == 1 && seen_sig == SIGFPE && seen_code == FPE_INTDIV,
	      "sig %d code %d, want SIGFPE FPE_INTDIV", seen_sig, seen_code);
	CHECK(seen_addr != NULL, "SIGFPE carries no instruction address");
	CHECK(!blocked_now(SIGFPE), "SIGFPE still blocked after siglongjmp");
	dfl(SIGFPE);
	pass("fpe_intdiv_siglongjmp");
}

static void on_ill_skip(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	seen_sig = sig;
	seen_code = si->si_code;
	seen_addr = si->si_addr;
	seen_count++;
	/* Edit the saved context: skip the ud2, and change rax. */
	CHECK((void *)uc->uc_mcontext.gregs[REG_RIP] == si->si_addr, "REG_RIP is not si_addr");
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	uc->uc_mcontext.gregs[REG_RAX] = 42;
}

static void test_ill(void)
{
	long rax;

	on(SIGILL, on_ill_skip, 0);
	seen_count = 0;
	__asm__ volatile("mov $1, %%eax\n\tud2\n\tmov %%rax, %0" : "=r"(rax) : : "rax", "memory");
	CHECK(seen_count == 1 && seen_sig == SIGILL && seen_code == ILL_ILLOPN,
	      "sig %d code %d count %d, want SIGILL ILL_ILLOPN once", seen_sig, seen_code,
	      seen_count);
	CHECK(rax == 42, "rax %ld after the handler edited it to 42", rax);
	dfl(SIGILL);
	pass("ill_ucontext_edit_resume");
}

/* ---- sending: raise, kill, tgkill, masks ---- */

static volatile int usr_count;
static volatile int usr_code, usr_pid;
static volatile int usr_blocked_inside, usr2_blocked_inside;

static void on_usr(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	usr_code = si->si_code;
	usr_pid = si->si_pid;
	seen_tid = tid_self();
	usr_blocked_inside = blocked_now(sig);
	usr2_blocked_inside = blocked_now(SIGUSR2);
	usr_count++;
}

static void test_raise_kill(void)
{
	on(SIGUSR1, on_usr, 0);
	usr_count = 0;
	raise(SIGUSR1);
	CHECK(usr_count == 1, "raise: handler ran %d times before raise returned", usr_count);
	CHECK(usr_code == SI_TKILL && usr_pid == getpid(), "raise: si_code %d si_pid %d",
	      usr_code, usr_pid);
	CHECK(usr_blocked_inside, "SIGUSR1 not blocked inside its own handler");
	pass("raise_usr1");
	kill(getpid(), SIGUSR1);
	CHECK(usr_count == 2, "kill: handler ran %d times before kill returned", usr_count - 1);
	CHECK(usr_code == SI_USER && usr_pid == getpid(), "kill: si_code %d si_pid %d",
	      usr_code, usr_pid);
	CHECK(!blocked_now(SIGUSR1), "SIGUSR1 still blocked after the handler returned");
	pass("kill_self_usr1");
}

static void test_mask_flags(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	usr_count = 0;
	raise(SIGUSR1);
	CHECK(usr_count == 1, "SA_NODEFER handler did not run");
	CHECK(!usr_blocked_inside, "SA_NODEFER: SIGUSR1 blocked inside its handler");
	CHECK(usr2_blocked_inside, "sa_mask: SIGUSR2 not blocked inside the handler");
	CHECK(!blocked_now(SIGUSR2), "sa_mask stayed after the handler");
	pass("sa_nodefer_and_sa_mask");
}

static volatile int winch_count;

static void on_winch(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	winch_count++;
}

static void test_resethand(void)
{
	struct sigaction cur;

	winch_count = 0;
	on(SIGWINCH, on_winch, SA_RESETHAND);
	raise(SIGWINCH);
	raise(SIGWINCH);	/* SIG_DFL now, and SIGWINCH's default is to ignore */
	CHECK(winch_count == 1, "SA_RESETHAND handler ran %d times", winch_count);
	sigaction(SIGWINCH, NULL, &cur);
	CHECK(cur.sa_handler == SIG_DFL, "SA_RESETHAND left the handler installed");
	pass("sa_resethand");
}

static void test_pending_blocked(void)
{
	sigset_t pend;

	on(SIGUSR2, on_usr, 0);
	usr_count = 0;
	block(SIGUSR2, SIG_BLOCK);
	raise(SIGUSR2);
	CHECK(usr_count == 0, "a blocked SIGUSR2 was delivered");
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR2), "sigpending does not show the blocked SIGUSR2");
	block(SIGUSR2, SIG_UNBLOCK);
	CHECK(usr_count == 1, "unblocking did not deliver SIGUSR2 (count %d)", usr_count);
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR2), "SIGUSR2 still pending after delivery");
	pass("blocked_pending_then_unblock");
}

static volatile int thr_ready, thr_go, thr_done, thr_pending_seen, thr_count_before;
static volatile pid_t thr_tid;

static void *thread_blocks_usr1(void *arg)
{
	sigset_t pend;

	(void)arg;
	block(SIGUSR1, SIG_BLOCK);
	thr_tid = tid_self();
	thr_ready = 1;
	wait_for(&thr_go, 1, "the signal to be sent");
	sigpending(&pend);
	thr_pending_seen = sigismember(&pend, SIGUSR1);
	thr_count_before = usr_count;
	block(SIGUSR1, SIG_UNBLOCK);	/* delivered here, on this thread */
	thr_done = 1;
	return NULL;
}

static void test_tgkill_thread(void)
{
	pthread_t t;

	on(SIGUSR1, on_usr, 0);
	usr_count = 0;
	seen_tid = 0;
	thr_ready = thr_go = thr_done = 0;
	if (pthread_create(&t, NULL, thread_blocks_usr1, NULL))
		die("pthread_create failed");
	wait_for(&thr_ready, 1, "the thread to block SIGUSR1");
	CHECK(tgkill_raw(getpid(), thr_tid, SIGUSR1) == 0, "tgkill failed: %s", strerror(errno));
	thr_go = 1;
	pthread_join(t, NULL);
	CHECK(thr_pending_seen, "the thread's sigpending did not show SIGUSR1");
	CHECK(thr_count_before == 0, "SIGUSR1 ran while the thread blocked it");
	CHECK(usr_count == 1 && seen_tid == thr_tid, "SIGUSR1 ran %d times, on tid %d (want %d)",
	      usr_count, seen_tid, thr_tid);
	CHECK(usr_code == SI_TKILL, "tgkill: si_code %d", usr_code);
	pass("tgkill_other_thread_masked");
}

static volatile int sleeper_ready, sleeper_errno;
static volatile long sleeper_rem_ms;

static void *thread_sleeps(void *arg)
{
	struct timespec req = { 5, 0 }, rem = { 0, 0 };

	(void)arg;
	thr_tid = tid_self();
	sleeper_ready = 1;
	if (nanosleep(&req, &rem) == 0)
		sleeper_errno = 0;
	else
		sleeper_errno = errno;
	sleeper_rem_ms = rem.tv_sec * 1000 + rem.tv_nsec / 1000000;
	return NULL;
}

static void test_wake_sleeping_thread(void)
{
	pthread_t t;
	uint64_t t0 = now_ns();

	on(SIGUSR1, on_usr, 0);
	usr_count = 0;
	sleeper_ready = 0;
	if (pthread_create(&t, NULL, thread_sleeps, NULL))
		die("pthread_create failed");
	wait_for(&sleeper_ready, 1, "the sleeper");
	usleep(50000);		/* let it fall asleep */
	tgkill_raw(getpid(), thr_tid, SIGUSR1);
	pthread_join(t, NULL);
	CHECK(sleeper_errno == EINTR, "the sleeper's nanosleep ended with errno %d, want EINTR",
	      sleeper_errno);
	CHECK(usr_count == 1 && seen_tid == thr_tid, "the handler did not run on the sleeper");
	CHECK(sleeper_rem_ms > 3000 && sleeper_rem_ms <= 5000, "rem %ld ms", sleeper_rem_ms);
	CHECK(now_ns() - t0 < 3000000000ull, "the sleeper was not woken early");
	pass("tgkill_wakes_nanosleep");
}

static volatile int pauser_ready, pauser_errno;

static void *thread_pauses(void *arg)
{
	sigset_t none;

	(void)arg;
	sigemptyset(&none);
	thr_tid = tid_self();
	pauser_ready = 1;
	/* It inherited the blocked SIGUSR2: only sigsuspend lets it through. */
	sigsuspend(&none);
	pauser_errno = errno;
	return NULL;
}

static void test_process_signal_picks_thread(void)
{
	pthread_t t;

	on(SIGUSR2, on_usr, 0);
	usr_count = 0;
	pauser_ready = 0;
	block(SIGUSR2, SIG_BLOCK);	/* the main thread cannot take it: the other must */
	if (pthread_create(&t, NULL, thread_pauses, NULL))
		die("pthread_create failed");
	wait_for(&pauser_ready, 1, "the pausing thread");
	usleep(20000);
	kill(getpid(), SIGUSR2);
	pthread_join(t, NULL);
	block(SIGUSR2, SIG_UNBLOCK);
	CHECK(usr_count == 1 && seen_tid == thr_tid, "kill went to tid %d (count %d), want %d",
	      seen_tid, usr_count, thr_tid);
	CHECK(pauser_errno == EINTR, "sigsuspend ended with errno %d", pauser_errno);
	pass("kill_picks_unblocking_thread");
}

/* ---- the alternate stack ---- */

static char *alt_base;
static size_t alt_size = 64 * 1024;
static volatile int alt_on, alt_flags_onstack;

static void on_alt(int sig, siginfo_t *si, void *uc)
{
	char here;
	stack_t cur;

	(void)si, (void)uc;
	alt_on = &here >= alt_base && &here < alt_base + alt_size;
	sigaltstack(NULL, &cur);
	alt_flags_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
	seen_sig = sig;
	seen_count++;
}

static volatile int depth_stop = -1;

static int recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	if (depth == depth_stop)
		return 0;
	return recurse(depth + 1) + frame[0];
}

static void on_overflow(int sig, siginfo_t *si, void *uc)
{
	char here;

	(void)uc;
	seen_sig = sig;
	seen_code = si->si_code;
	alt_on = &here >= alt_base && &here < alt_base + alt_size;
	siglongjmp(jb, 1);
}

static void test_altstack(void)
{
	stack_t ss = { 0 }, cur;

	alt_base = malloc(alt_size);
	CHECK(alt_base != NULL, "malloc failed");
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack failed: %s", strerror(errno));
	ss.ss_size = 1024;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "a 1 KiB stack was accepted");
	on(SIGUSR2, on_alt, SA_ONSTACK);
	seen_count = 0;
	raise(SIGUSR2);
	CHECK(seen_count == 1, "SA_ONSTACK handler did not run");
	CHECK(alt_on, "SA_ONSTACK handler did not run on the alternate stack");
	CHECK(alt_flags_onstack, "sigaltstack inside the handler did not say SS_ONSTACK");
	sigaltstack(NULL, &cur);
	CHECK(cur.ss_flags == 0 && cur.ss_sp == alt_base && cur.ss_size == alt_size,
	      "after the handler: flags %d sp %p size %zu", cur.ss_flags, cur.ss_sp, cur.ss_size);
	pass("sigaltstack_sa_onstack");

	/* The classic use: survive a stack overflow on the alternate stack. */
	on(SIGSEGV, on_overflow, SA_ONSTACK);
	alt_on = 0;
	if (!sigsetjmp(jb, 1)) {
		recurse(0);
		die("unbounded recursion did not overflow the stack");
	}
	CHECK(seen_sig == SIGSEGV && alt_on, "stack overflow: sig %d, on the alternate stack %d",
	      seen_sig, alt_on);
	dfl(SIGSEGV);
	pass("stack_overflow_handled_on_altstack");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	sigaltstack(NULL, &cur);
	CHECK(cur.ss_flags == SS_DISABLE, "SS_DISABLE did not take");
}

/* ---- timers ---- */

static volatile int alrm_count, alrm_code;
static volatile int futex_word;

static void on_alrm(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	alrm_code = si->si_code;
	futex_word = 1;
	alrm_count++;
}

static void test_alarm(void)
{
	uint64_t t0;
	unsigned int left;
	int rc;

	on(SIGALRM, on_alrm, 0);
	alrm_count = 0;
	CHECK(alarm(5) == 0, "a fresh alarm() reported an earlier one");
	left = alarm(1);
	CHECK(left == 5, "alarm(1) after alarm(5) returned %u, want 5", left);
	t0 = now_ns();
	rc = pause();
	CHECK(rc == -1 && errno == EINTR, "pause returned %d errno %d", rc, errno);
	CHECK(alrm_count == 1, "SIGALRM ran %d times", alrm_count);
	CHECK(now_ns() - t0 > 800000000ull, "alarm(1) fired after %llu ms",
	      (unsigned long long)((now_ns() - t0) / 1000000));
	CHECK(alarm(0) == 0, "the alarm is still set after it fired");
	pass("alarm_pause");
}

static void test_setitimer(void)
{
	struct itimerval cur;
	sigset_t none, alrm;
	int n;

	on(SIGALRM, on_alrm, 0);
	sigemptyset(&none);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	alrm_count = 0;
	arm_itimer_ms(200, 0);
	getitimer(ITIMER_REAL, &cur);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
	      cur.it_value.tv_usec <= 200000, "getitimer: %ld.%06ld s left",
	      (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);
	while (alrm_count == 0)
		sigsuspend(&none);	/* the race-free way to wait for it */
	CHECK(alrm_code == SI_KERNEL, "ITIMER_REAL's SIGALRM has si_code %d", alrm_code);
	CHECK(blocked_now(SIGALRM), "sigsuspend did not put the mask back");
	getitimer(ITIMER_REAL, &cur);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, "one-shot timer still armed");
	pass("setitimer_oneshot_sigsuspend");

	alrm_count = 0;
	arm_itimer_ms(20, 20);
	while (alrm_count < 3)
		sigsuspend(&none);
	arm_itimer_ms(0, 0);
	/* One more may have fired before the disarm: take it, then expect silence. */
	{
		struct timespec zero = { 0, 0 };

		if (sigtimedwait(&alrm, NULL, &zero) == SIGALRM)
			alrm_count++;
	}
	n = alrm_count;
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	usleep(80000);
	CHECK(alrm_count == n, "the periodic timer fired after it was disarmed (%d, then %d)",
	      n, alrm_count);
	pass("setitimer_periodic");
}

static volatile int rt_count, rt_code, rt_value, rt_timerid_ok;
static volatile int rt_values[8];

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	rt_code = si->si_code;
	rt_value = si->si_value.sival_int;
	if (rt_count < 8)
		rt_values[rt_count] = si->si_value.sival_int;
	rt_count++;
}

static void test_timer_create(void)
{
	struct sigevent sev;
	struct itimerspec its = { { 0, 0 }, { 0, 200000000 } }, cur;
	timer_t tm;
	sigset_t none;
	int sig = SIGRTMIN + 1;

	sigemptyset(&none);
	on(sig, on_rt, 0);
	block(sig, SIG_BLOCK);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = 1234;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &tm) == 0, "timer_create: %s", strerror(errno));
	CHECK(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime: %s", strerror(errno));
	timer_gettime(tm, &cur);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 200000000, "timer_gettime: %ld ns left", cur.it_value.tv_nsec);
	rt_count = 0;
	while (rt_count == 0)
		sigsuspend(&none);
	CHECK(rt_code == SI_TIMER && rt_value == 1234, "timer signal: si_code %d si_value %d",
	      rt_code, rt_value);
	timer_gettime(tm, &cur);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "expired timer still armed");
	CHECK(timer_delete(tm) == 0, "timer_delete: %s", strerror(errno));
	block(sig, SIG_UNBLOCK);
	pass("timer_create_sigev_signal");
}

static timer_t overrun_timer;
static volatile int ov_count, ov_si, ov_get;

static void on_overrun(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	if (ov_count++ == 0) {
		ov_si = si->si_overrun;
		ov_get = timer_getoverrun(overrun_timer);
	}
}

static void test_timer_overrun(void)
{
	struct sigevent sev;
	struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
	int sig = SIGRTMIN + 4;

	ov_count = 0;
	on(sig, on_overrun, 0);
	block(sig, SIG_BLOCK);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	CHECK(timer_create(CLOCK_REALTIME, &sev, &overrun_timer) == 0, "timer_create: %s",
	      strerror(errno));
	CHECK(timer_settime(overrun_timer, 0, &its, NULL) == 0, "timer_settime: %s",
	      strerror(errno));
	usleep(60000);		/* about 12 expiries while the first signal pends */
	block(sig, SIG_UNBLOCK);
	wait_for(&ov_count, 1, "the overrun timer's signal");
	timer_delete(overrun_timer);
	CHECK(ov_si >= 3 && ov_si <= 1000, "si_overrun %d after ~12 expiries", ov_si);
	CHECK(ov_get == ov_si, "timer_getoverrun %d, si_overrun %d", ov_get, ov_si);
	pass("timer_overrun_counted");
}

/* The kernel's struct sigevent, for SIGEV_THREAD_ID (spelled differently by each libc). */
struct k_sigevent {
	union sigval value;
	int signo;
	int notify;
	int tid;
	int pad[11];
};

static volatile int tw_ready, tw_sig, tw_code, tw_value;

static void *thread_waits_timer(void *arg)
{
	sigset_t set;
	siginfo_t si;
	struct timespec limit = { 5, 0 };

	sigemptyset(&set);
	sigaddset(&set, (int)(intptr_t)arg);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	thr_tid = tid_self();
	tw_ready = 1;
	tw_sig = sigtimedwait(&set, &si, &limit);
	tw_code = si.si_code;
	tw_value = si.si_value.sival_int;
	return NULL;
}

static void test_timer_thread_id(void)
{
	int sig = SIGRTMIN + 2, id = -1;
	struct k_sigevent sev;
	struct itimerspec its = { { 0, 0 }, { 0, 20000000 } };
	pthread_t t;

	block(sig, SIG_BLOCK);	/* only the chosen thread's sigtimedwait may take it */
	tw_ready = 0;
	if (pthread_create(&t, NULL, thread_waits_timer, (void *)(intptr_t)sig))
		die("pthread_create failed");
	wait_for(&tw_ready, 1, "the waiting thread");
	memset(&sev, 0, sizeof(sev));
	sev.notify = SIGEV_THREAD_ID_K;
	sev.signo = sig;
	sev.tid = thr_tid;
	sev.value.sival_int = 777;
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == 0,
	      "timer_create(SIGEV_THREAD_ID): %s", strerror(errno));
	CHECK(syscall(SYS_timer_settime, id, 0, &its, NULL) == 0, "timer_settime: %s",
	      strerror(errno));
	pthread_join(t, NULL);
	syscall(SYS_timer_delete, id);
	block(sig, SIG_UNBLOCK);
	CHECK(tw_sig == sig && tw_code == SI_TIMER && tw_value == 777,
	      "sigtimedwait in the target thread: %d code %d value %d", tw_sig, tw_code, tw_value);
	pass("timer_sigev_thread_id_sigtimedwait");
}

/* ---- interrupted calls ---- */

static void test_eintr_restart(void)
{
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	long r;

	/* nanosleep: EINTR with the time left, SA_RESTART or not (as Linux). */
	on(SIGALRM, on_alrm, SA_RESTART);
	arm_itimer_ms(30, 0);
	r = nanosleep(&req, &rem);
	CHECK(r == -1 && errno == EINTR, "nanosleep returned %ld errno %d, want EINTR", r, errno);
	CHECK(rem.tv_sec == 1 && rem.tv_nsec > 0, "nanosleep rem %ld.%09ld, want 1.9xx",
	      (long)rem.tv_sec, rem.tv_nsec);
	pass("nanosleep_eintr_with_rem");

	/* An untimed futex wait: EINTR without SA_RESTART... */
	on(SIGALRM, on_alrm, 0);
	futex_word = 0;
	arm_itimer_ms(30, 0);
	r = syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL, NULL, 0);
	CHECK(r == -1 && errno == EINTR, "futex wait returned %ld errno %d, want EINTR", r, errno);
	pass("futex_wait_eintr");

	/* ...restarted with it: the handler changed the word, so the restart sees EAGAIN. */
	on(SIGALRM, on_alrm, SA_RESTART);
	futex_word = 0;
	arm_itimer_ms(30, 0);
	r = syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL, NULL, 0);
	CHECK(r == -1 && errno == EAGAIN, "futex wait returned %ld errno %d, want EAGAIN (restarted)",
	      r, errno);
	pass("futex_wait_sa_restart");
	dfl(SIGALRM);
}

/* ---- FPU state across a handler ---- */

static uint8_t clobber[32 * 16] __attribute__((aligned(32)));
static volatile unsigned int handler_mxcsr;
static volatile int use_avx;

static void on_fpu_clobber(int sig, siginfo_t *si, void *uc)
{
	unsigned int m;

	(void)sig, (void)si, (void)uc;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	handler_mxcsr = m;
	memset(clobber, 0xee, sizeof(clobber));
	__asm__ volatile(
		"movdqu 0(%0), %%xmm0\n\tmovdqu 16(%0), %%xmm1\n\tmovdqu 32(%0), %%xmm2\n\t"
		"movdqu 48(%0), %%xmm3\n\tmovdqu 64(%0), %%xmm4\n\tmovdqu 80(%0), %%xmm5\n\t"
		"movdqu 96(%0), %%xmm6\n\tmovdqu 112(%0), %%xmm7\n\tmovdqu 128(%0), %%xmm8\n\t"
		"movdqu 144(%0), %%xmm9\n\tmovdqu 160(%0), %%xmm10\n\tmovdqu 176(%0), %%xmm11\n\t"
		"movdqu 192(%0), %%xmm12\n\tmovdqu 208(%0), %%xmm13\n\tmovdqu 224(%0), %%xmm14\n\t"
		"movdqu 240(%0), %%xmm15\n\t"
		: : "r"(clobber) : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	if (use_avx)
		__asm__ volatile(
			"vmovdqu 0(%0), %%ymm0\n\tvmovdqu 32(%0), %%ymm1\n\tvmovdqu 64(%0), %%ymm2\n\t"
			"vmovdqu 96(%0), %%ymm3\n\tvmovdqu 128(%0), %%ymm8\n\tvmovdqu 160(%0), %%ymm15\n\t"
			: : "r"(clobber) : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm8", "xmm15");
	m = 0x1f80 | (3 << 13);	/* round toward zero */
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

static bool cpu_has_avx(void)
{
	unsigned int a, b, c, d;
	unsigned int lo, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 28)) || !(c & (1u << 27)))	/* AVX, OSXSAVE */
		return false;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

static void test_fpu(void)
{
	static uint8_t before[16 * 16], after[16 * 16];
	static uint8_t ybefore[32 * 6] __attribute__((aligned(32)));
	static uint8_t yafter[32 * 6] __attribute__((aligned(32)));
	unsigned int mx_in = 0x1f80 | (1 << 13), mx_out;	/* round down */
	long pid = getpid(), tid = tid_self();

	for (unsigned i = 0; i < sizeof(before); i++)
		before[i] = (uint8_t)(i * 7 + 1);
	on(SIGUSR1, on_fpu_clobber, 0);
	use_avx = 0;
	__asm__ volatile(
		"ldmxcsr %[mx]\n\t"
		"movdqu 0(%[b]), %%xmm0\n\tmovdqu 16(%[b]), %%xmm1\n\tmovdqu 32(%[b]), %%xmm2\n\t"
		"movdqu 48(%[b]), %%xmm3\n\tmovdqu 64(%[b]), %%xmm4\n\tmovdqu 80(%[b]), %%xmm5\n\t"
		"movdqu 96(%[b]), %%xmm6\n\tmovdqu 112(%[b]), %%xmm7\n\tmovdqu 128(%[b]), %%xmm8\n\t"
		"movdqu 144(%[b]), %%xmm9\n\tmovdqu 160(%[b]), %%xmm10\n\tmovdqu 176(%[b]), %%xmm11\n\t"
		"movdqu 192(%[b]), %%xmm12\n\tmovdqu 208(%[b]), %%xmm13\n\tmovdqu 224(%[b]), %%xmm14\n\t"
		"movdqu 240(%[b]), %%xmm15\n\t"
		"mov %[nr], %%eax\n\tmov %[pid], %%rdi\n\tmov %[tid], %%rsi\n\tmov %[sig], %%edx\n\t"
		"syscall\n\t"
		"movdqu %%xmm0, 0(%[a])\n\tmovdqu %%xmm1, 16(%[a])\n\tmovdqu %%xmm2, 32(%[a])\n\t"
		"movdqu %%xmm3, 48(%[a])\n\tmovdqu %%xmm4, 64(%[a])\n\tmovdqu %%xmm5, 80(%[a])\n\t"
		"movdqu %%xmm6, 96(%[a])\n\tmovdqu %%xmm7, 112(%[a])\n\tmovdqu %%xmm8, 128(%[a])\n\t"
		"movdqu %%xmm9, 144(%[a])\n\tmovdqu %%xmm10, 160(%[a])\n\tmovdqu %%xmm11, 176(%[a])\n\t"
		"movdqu %%xmm12, 192(%[a])\n\tmovdqu %%xmm13, 208(%[a])\n\tmovdqu %%xmm14, 224(%[a])\n\t"
		"movdqu %%xmm15, 240(%[a])\n\t"
		"stmxcsr %[mxo]\n\t"
		: [mxo] "=m"(mx_out)
		: [mx] "m"(mx_in), [b] "r"(before), [a] "r"(after), [nr] "i"(SYS_tgkill),
		  [pid] "r"(pid), [tid] "r"(tid), [sig] "i"(SIGUSR1)
		: "rax", "rdi", "rsi", "rdx", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3",
		  "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15");
	CHECK(memcmp(before, after, sizeof(before)) == 0, "xmm registers changed across a handler");
	CHECK(mx_out == mx_in, "MXCSR %#x after the handler, want %#x", mx_out, mx_in);
	CHECK(handler_mxcsr == 0x1f80, "the handler started with MXCSR %#x, not a clean 0x1f80",
	      handler_mxcsr);
	pass("fpu_sse_state_survives_handler");

	if (!cpu_has_avx()) {
		printf("sigtest: fpu_avx_state_survives_handler skipped (no AVX)\n");
		return;
	}
	for (unsigned i = 0; i < sizeof(ybefore); i++)
		ybefore[i] = (uint8_t)(i * 13 + 5);
	use_avx = 1;
	__asm__ volatile(
		"vmovdqu 0(%[b]), %%ymm0\n\tvmovdqu 32(%[b]), %%ymm1\n\tvmovdqu 64(%[b]), %%ymm2\n\t"
		"vmovdqu 96(%[b]), %%ymm3\n\tvmovdqu 128(%[b]), %%ymm8\n\tvmovdqu 160(%[b]), %%ymm15\n\t"
		"mov %[nr], %%eax\n\tmov %[pid], %%rdi\n\tmov %[tid], %%rsi\n\tmov %[sig], %%edx\n\t"
		"syscall\n\t"
		"vmovdqu %%ymm0, 0(%[a])\n\tvmovdqu %%ymm1, 32(%[a])\n\tvmovdqu %%ymm2, 64(%[a])\n\t"
		"vmovdqu %%ymm3, 96(%[a])\n\tvmovdqu %%ymm8, 128(%[a])\n\tvmovdqu %%ymm15, 160(%[a])\n\t"
		"vzeroupper\n\t"
		:
		: [b] "r"(ybefore), [a] "r"(yafter), [nr] "i"(SYS_tgkill), [pid] "r"(pid),
		  [tid] "r"(tid), [sig] "i"(SIGUSR1)
		: "rax", "rdi", "rsi", "rdx", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3",
		  "xmm8", "xmm15");
	use_avx = 0;
	CHECK(memcmp(ybefore, yafter, sizeof(ybefore)) == 0,
	      "ymm registers (upper halves: the XSAVE state) changed across a handler");
	pass("fpu_avx_state_survives_handler");
	dfl(SIGUSR1);
}

/* A handler that corrupts its saved FPU state: the sigreturn must fail with SIGSEGV. */
static void on_bad_mxcsr(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
	uc->uc_mcontext.fpregs->mxcsr = 0xffffffffu;	/* reserved bits: FXRSTOR would fault */
}

/*
 * The registers a system call leaves, as the x86-64 ABI has them: only
 * rax (the result), rcx (the return address) and r11 (the flags) change,
 * whichever way the kernel goes back (its SYSRET fast path, the full
 * dispatch, or IRET after a signal handler ran). sysregs_call(nr, a0, a1,
 * out) loads a pattern into every other register, calls, and stores all
 * fifteen into out[0..14] (rax rbx rcx rdx rsi rdi rbp r8..r15), the
 * address after the SYSCALL into out[16] and the flags before it into out[17].
 */
void sysregs_call(long nr, long a0, long a1, uint64_t *out);
__asm__(".text\n"
	".globl sysregs_call\n"
	".type sysregs_call, @function\n"
	"sysregs_call:\n"
	"	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"	push %rcx\n"			/* out */
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	pushfq\n"
	"	pop %rdx\n"
	"	mov %rdx, 17*8(%rcx)\n"
	"	movabs $0x0b0b0b0b0b0b0b0b, %rbx\n"
	"	movabs $0x0c0c0c0c0c0c0c0c, %rcx\n"
	"	movabs $0x0d0d0d0d0d0d0d0d, %rdx\n"
	"	movabs $0x0e0e0e0e0e0e0e0e, %rbp\n"
	"	movabs $0x0808080808080808, %r8\n"
	"	movabs $0x0909090909090909, %r9\n"
	"	movabs $0x1010101010101010, %r10\n"
	"	movabs $0x1111111111111111, %r11\n"
	"	movabs $0x1212121212121212, %r12\n"
	"	movabs $0x1313131313131313, %r13\n"
	"	movabs $0x1414141414141414, %r14\n"
	"	movabs $0x1515151515151515, %r15\n"
	"	syscall\n"
	"1:	push %rax\n"
	"	mov 8(%rsp), %rax\n"		/* out */
	"	mov %rbx, 1*8(%rax)\n mov %rcx, 2*8(%rax)\n mov %rdx, 3*8(%rax)\n"
	"	mov %rsi, 4*8(%rax)\n mov %rdi, 5*8(%rax)\n mov %rbp, 6*8(%rax)\n"
	"	mov %r8, 7*8(%rax)\n mov %r9, 8*8(%rax)\n mov %r10, 9*8(%rax)\n"
	"	mov %r11, 10*8(%rax)\n mov %r12, 11*8(%rax)\n mov %r13, 12*8(%rax)\n"
	"	mov %r14, 13*8(%rax)\n mov %r15, 14*8(%rax)\n"
	"	pop %rbx\n"
	"	mov %rbx, 0(%rax)\n"
	"	lea 1b(%rip), %rbx\n"
	"	mov %rbx, 16*8(%rax)\n"
	"	pop %rcx\n"
	"	pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
	"	ret\n"
	".size sysregs_call, . - sysregs_call\n");

static void sysregs_check(const char *what, long nr, long a0, long a1, long want)
{
	static const char *const names[15] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
					       "r8", "r9", "r10", "r11", "r12", "r13", "r14",
					       "r15" };
	uint64_t out[18];
	uint64_t expect[15] = {
		(uint64_t)want, 0x0b0b0b0b0b0b0b0bull, 0, 0x0d0d0d0d0d0d0d0dull, (uint64_t)a1,
		(uint64_t)a0, 0x0e0e0e0e0e0e0e0eull, 0x0808080808080808ull, 0x0909090909090909ull,
		0x1010101010101010ull, 0, 0x1212121212121212ull, 0x1313131313131313ull,
		0x1414141414141414ull, 0x1515151515151515ull,
	};

	memset(out, 0, sizeof(out));
	sysregs_call(nr, a0, a1, out);
	expect[2] = out[16];		/* rcx: where the call returns */
	expect[10] = out[17];		/* r11: the flags at the call */
	for (int i = 0; i < 15; i++)
		CHECK(out[i] == expect[i], "%s: %s is %#lx after the call, not %#lx", what,
		      names[i], (unsigned long)out[i], (unsigned long)expect[i]);
}

static struct rusage sysregs_ru;
static struct timespec sysregs_ts;

static void test_syscall_regs(void)
{
	/* The common case, a native call with nothing pending. */
	sysregs_check("getppid", SYS_getppid, 0, 0, getppid());
	/* Native calls whose handlers use the registers C may clobber. */
	sysregs_check("getrusage", SYS_getrusage, RUSAGE_SELF, (long)&sysregs_ru, 0);
	sysregs_check("clock_gettime", SYS_clock_gettime, CLOCK_MONOTONIC, (long)&sysregs_ts, 0);
	/* A number no kernel has: the full dispatch's ENOSYS. */
	sysregs_check("call 5000", 5000, 0, 0, -ENOSYS);
	/* A signal to itself: a handler runs on the way out, then IRET back. */
	on(SIGUSR1, on_usr, 0);
	usr_count = 0;
	sysregs_check("kill(self, SIGUSR1)", SYS_kill, getpid(), SIGUSR1, 0);
	CHECK(usr_count == 1, "SIGUSR1's handler ran %d times", usr_count);
	dfl(SIGUSR1);
	pass("syscall_preserves_registers");
}

static void test_bad_fpstate(void)
{
	on(SIGUSR1, on_bad_mxcsr, 0);
	on(SIGSEGV, on_fault_jump, 0);
	seen_sig = 0;
	if (!sigsetjmp(jb, 1)) {
		raise(SIGUSR1);
		die("a sigreturn with reserved MXCSR bits went through");
	}
	CHECK(seen_sig == SIGSEGV, "a bad sigreturn frame gave signal %d, want SIGSEGV", seen_sig);
	dfl(SIGSEGV);
	dfl(SIGUSR1);
	pass("sigreturn_bad_fpstate_segv");
}

/* rt_sigreturn on a forged frame whose rip is not canonical: SIGSEGV, not a kernel fault. */
static void forged_sigreturn(void)
{
	static ucontext_t uc __attribute__((aligned(16)));

	memset(&uc, 0, sizeof(uc));
	uc.uc_mcontext.gregs[REG_RIP] = 0x0000800000000000LL;
	uc.uc_mcontext.gregs[REG_RSP] = (long)&uc;
	__asm__ volatile("mov %0, %%rsp\n\tmov %1, %%eax\n\tsyscall"
			 : : "r"(&uc), "i"(SYS_rt_sigreturn) : "memory");
}

/*
 * A storm: one thread queues real-time signals at another as fast as the
 * queue takes them, while the target alternates between spinning in user
 * mode (reached only by an IPI) and short futex waits (woken with EINTR,
 * restarted), and a periodic timer signals the process. Every queued
 * signal must arrive, once.
 */
#define STORM 3000
static volatile int storm_count, storm_done, storm_ready, storm_bad;
static volatile int storm_alrm;

static void on_storm(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	if (si->si_value.sival_int != storm_count)
		storm_bad++;
	storm_count++;
}

static void on_storm_alrm(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	storm_alrm++;
}

static void *storm_target(void *arg)
{
	struct timespec ms = { 0, 1000000 };
	int word = 0;

	(void)arg;
	thr_tid = tid_self();
	storm_ready = 1;
	while (!storm_done) {
		for (volatile int i = 0; i < 20000 && !storm_done; i++)
			;
		syscall(SYS_futex, &word, FUTEX_WAIT, 0, &ms, NULL, 0);
	}
	return NULL;
}

static void test_storm(void)
{
	int sig = SIGRTMIN + 5, eagain = 0;
	pthread_t t;
	siginfo_t si;
	uint64_t end;

	on(sig, on_storm, SA_RESTART);
	on(SIGALRM, on_storm_alrm, SA_RESTART);
	storm_ready = storm_count = storm_done = storm_bad = storm_alrm = 0;
	if (pthread_create(&t, NULL, storm_target, NULL))
		die("pthread_create failed");
	wait_for(&storm_ready, 1, "the storm's target");
	block(SIGALRM, SIG_BLOCK);	/* the target takes the timer's signals */
	arm_itimer_ms(2, 2);
	for (int i = 0; i < STORM; i++) {
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_value.sival_int = i;
		while (syscall(SYS_rt_tgsigqueueinfo, getpid(), thr_tid, sig, &si)) {
			CHECK(errno == EAGAIN, "rt_tgsigqueueinfo: %s", strerror(errno));
			eagain++;
			sched_yield();
		}
	}
	end = now_ns() + 10000000000ull;
	while (storm_count < STORM && now_ns() < end)
		sched_yield();
	arm_itimer_ms(0, 0);
	storm_done = 1;
	pthread_join(t, NULL);
	block(SIGALRM, SIG_UNBLOCK);
	dfl(SIGALRM);
	CHECK(storm_count == STORM && !storm_bad, "%d of %d queued signals arrived, %d out of order",
	      storm_count, STORM, storm_bad);
	CHECK(storm_alrm > 0, "the periodic timer never reached the busy thread");
	printf("sigtest: storm: %d signals, %d full-queue retries, %d timer signals\n", STORM,
	       eagain, storm_alrm);
	pass("signal_storm_between_threads");
}

/* ---- queued and awaited signals ---- */

static void test_sigqueue_rt(void)
{
	int sig = SIGRTMIN + 3;
	union sigval v;

	on(sig, on_rt, 0);
	block(sig, SIG_BLOCK);
	rt_count = 0;
	for (int i = 0; i < 3; i++) {
		v.sival_int = 100 + i;
		CHECK(sigqueue(getpid(), sig, v) == 0, "sigqueue: %s", strerror(errno));
	}
	CHECK(rt_count == 0, "a blocked real-time signal was delivered");
	block(sig, SIG_UNBLOCK);
	CHECK(rt_count == 3, "3 queued real-time signals gave %d deliveries", rt_count);
	CHECK(rt_values[0] == 100 && rt_values[1] == 101 && rt_values[2] == 102,
	      "real-time signals out of order: %d %d %d", rt_values[0], rt_values[1], rt_values[2]);
	CHECK(rt_code == SI_QUEUE, "sigqueue's si_code is %d", rt_code);
	pass("sigqueue_realtime_in_order");
}

/* rt_tgsigqueueinfo: a program's own siginfo, to one thread. */
static void test_tgsigqueueinfo(void)
{
	int sig = SIGRTMIN + 3;
	siginfo_t si;

	on(sig, on_rt, 0);
	rt_count = 0;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_value.sival_int = 555;
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), tid_self(), sig, &si) == 0,
	      "rt_tgsigqueueinfo: %s", strerror(errno));
	CHECK(rt_count == 1 && rt_value == 555 && rt_code == SI_QUEUE,
	      "rt_tgsigqueueinfo: %d deliveries, value %d code %d", rt_count, rt_value, rt_code);
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), 999999, sig, &si) == -1 && errno == ESRCH,
	      "rt_tgsigqueueinfo to no such thread did not fail with ESRCH");
	pass("rt_tgsigqueueinfo_to_thread");
}

static void test_sigtimedwait(void)
{
	sigset_t set, pend;
	siginfo_t si;
	struct timespec limit = { 1, 0 }, short_limit = { 0, 20000000 };
	uint64_t t0;
	int r;

	on(SIGUSR2, on_usr, 0);
	usr_count = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	r = sigtimedwait(&set, &si, &limit);
	/* glibc's sigtimedwait folds the kernel's SI_TKILL into SI_USER; musl does not. */
	CHECK(r == SIGUSR2 && si.si_signo == SIGUSR2 &&
	      (si.si_code == SI_TKILL || si.si_code == SI_USER) && si.si_pid == getpid(),
	      "sigtimedwait returned %d (signo %d code %d pid %d)", r, si.si_signo, si.si_code,
	      si.si_pid);
	CHECK(usr_count == 0, "the awaited signal also ran its handler");
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR2), "the awaited signal is still pending");
	t0 = now_ns();
	r = sigtimedwait(&set, &si, &short_limit);
	CHECK(r == -1 && errno == EAGAIN, "an empty sigtimedwait returned %d errno %d", r, errno);
	CHECK(now_ns() - t0 >= 15000000ull, "sigtimedwait gave up after %llu us",
	      (unsigned long long)((now_ns() - t0) / 1000));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(usr_count == 0, "a signal sigtimedwait took was delivered later");
	pass("sigtimedwait_takes_blocked_pending");
}

/* ---- modes: a default action ends the process ---- */

static volatile int *volatile null_ptr;

static void on_segv_fault_again(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	*null_ptr = 2;		/* SIGSEGV is blocked in here: Linux forces the default */
}

static void on_abrt(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	if (write(1, "sigtest: abort handler ran\n", 27) != 27)
		_exit(3);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	thr_tid = tid_self();
	thr_ready = 1;
	for (;;)
		pause();
	return NULL;
}

static int run_mode(const char *mode)
{
	printf("sigtest: mode %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "segv-default")) {
		on(SIGSEGV, on_fault_jump, 0);
		dfl(SIGSEGV);
		*null_ptr = 1;
	} else if (!strcmp(mode, "segv-blocked")) {
		on(SIGSEGV, on_fault_jump, 0);
		block(SIGSEGV, SIG_BLOCK);
		*null_ptr = 1;
	} else if (!strcmp(mode, "segv-in-handler")) {
		on(SIGSEGV, on_segv_fault_again, 0);
		*null_ptr = 1;
	} else if (!strcmp(mode, "alarm-default")) {
		alarm(1);
		for (;;)
			pause();
	} else if (!strcmp(mode, "term")) {
		kill(getpid(), SIGTERM);
	} else if (!strcmp(mode, "abort-handler")) {
		on(SIGABRT, on_abrt, 0);
		abort();
	} else if (!strcmp(mode, "sigreturn-forged")) {
		forged_sigreturn();
	} else if (!strcmp(mode, "usr1-thread")) {
		pthread_t t;

		if (pthread_create(&t, NULL, idle_thread, NULL))
			die("pthread_create failed");
		wait_for(&thr_ready, 1, "the idle thread");
		tgkill_raw(getpid(), thr_tid, SIGUSR1);
		for (;;)
			pause();
	} else {
		die("unknown mode '%s'", mode);
	}
	die("mode %s: still alive", mode);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return run_mode(argv[1]);
	test_segv_accerr();
	test_segv_maperr();
	test_fpe();
	test_ill();
	test_raise_kill();
	test_mask_flags();
	test_resethand();
	test_pending_blocked();
	test_tgkill_thread();
	test_wake_sleeping_thread();
	test_process_signal_picks_thread();
	test_altstack();
	test_alarm();
	test_setitimer();
	test_timer_create();
	test_timer_overrun();
	test_timer_thread_id();
	test_eintr_restart();
	test_fpu();
	test_bad_fpstate();
	test_syscall_regs();
	test_sigqueue_rt();
	test_tgsigqueueinfo();
	test_sigtimedwait();
	test_storm();
	printf("sigtest: ok %d checks\n", nchecks);
	return 0;
}
