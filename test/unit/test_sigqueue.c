// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for pending signal sets: standard signals pend once, real-time
 * ones queue in order up to their limit, faults come first, blocked ones
 * stay, flushes and the siginfo layout a handler reads.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/sigqueue.h>
#include "unit.h"

static struct sigpending *fresh(void)
{
	static struct sigpending p;

	memset(&p, 0x5a, sizeof(p));	/* the kernel zeroes it; be sure nothing relies on more */
	p.set = 0;
	p.count = 0;
	return &p;
}

static struct ksiginfo info(int sig, int code, int a, uint64_t value)
{
	struct ksiginfo k = { .signo = sig, .code = code, .a = a, .value = value };

	return k;
}

TEST(sigqueue_standard_pends_once)
{
	struct sigpending *p = fresh();
	struct ksiginfo a = info(10, SI_USER, 111, 0), b = info(10, SI_USER, 222, 0), out;

	CHECK_EQ(sigqueue_add(p, &a), SIGQ_QUEUED);
	CHECK_EQ(sigqueue_add(p, &b), SIGQ_MERGED);
	CHECK_EQ(p->set, SIGBIT(10));
	CHECK_EQ(sigqueue_take(p, 0, &out), 10);
	CHECK_EQ(out.a, 111);		/* the first sender is the one reported */
	CHECK_EQ(sigqueue_take(p, 0, &out), 0);
	CHECK_EQ(p->set, 0);
	CHECK_EQ(p->count, 0);
}

TEST(sigqueue_realtime_queues_in_order)
{
	struct sigpending *p = fresh();
	struct ksiginfo out;

	for (int i = 0; i < 3; i++) {
		struct ksiginfo k = info(40, SI_QUEUE, 0, 100 + i);

		CHECK_EQ(sigqueue_add(p, &k), SIGQ_QUEUED);
	}
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(sigqueue_take(p, 0, &out), 40);
		CHECK_EQ(out.value, 100 + i);
		CHECK_EQ(p->set, i < 2 ? SIGBIT(40) : 0);
	}
}

TEST(sigqueue_realtime_limit_keeps_room_for_standard)
{
	struct sigpending *p = fresh();
	struct ksiginfo out;
	int n = 0;

	for (int i = 0; i < SIGQUEUE_RT_MAX; i++) {
		struct ksiginfo k = info(SIGRTMIN + (i % 4), SI_QUEUE, 0, i);

		CHECK_EQ(sigqueue_add(p, &k), SIGQ_QUEUED);
	}
	{
		struct ksiginfo k = info(50, SI_QUEUE, 0, 99);

		CHECK(sigqueue_full(p, 50));
		CHECK(!sigqueue_full(p, 10));
		CHECK_EQ(sigqueue_add(p, &k), SIGQ_FULL);
		CHECK(p->set & SIGBIT(50));	/* still pending, its info lost */
	}
	for (int sig = 1; sig < SIGRTMIN; sig++) {
		struct ksiginfo k = info(sig, SI_USER, sig, 0);

		CHECK_EQ(sigqueue_add(p, &k), SIGQ_QUEUED);
	}
	CHECK(p->count <= SIGQUEUE_LEN);
	while (sigqueue_take(p, 0, &out)) {
		if (out.signo < SIGRTMIN)
			CHECK_EQ(out.a, out.signo);
		if (out.signo == 50)
			CHECK_EQ(out.code, SI_USER);	/* synthesized */
		n++;
	}
	CHECK_EQ(n, SIGQUEUE_RT_MAX + 1 + 31);
	CHECK_EQ(p->set, 0);
	CHECK_EQ(p->count, 0);
}

TEST(sigqueue_faults_first_then_lowest)
{
	struct sigpending *p = fresh();
	int order[] = { 11, 2, 10, 34 }, want[] = { 11, 2, 10, 34 };
	struct ksiginfo out;

	for (int i = 3; i >= 0; i--) {
		struct ksiginfo k = info(order[i], SI_USER, 0, 0);

		sigqueue_add(p, &k);
	}
	for (int i = 0; i < 4; i++)
		CHECK_EQ(sigqueue_take(p, 0, &out), want[i]);
	CHECK_EQ(sigset_next(SIGBIT(3) | SIGBIT(8)), 8);
	CHECK_EQ(sigset_next(SIGBIT(3) | SIGBIT(64)), 3);
	CHECK_EQ(sigset_next(0), 0);
}

TEST(sigqueue_blocked_stay)
{
	struct sigpending *p = fresh();
	struct ksiginfo a = info(10, SI_USER, 0, 0), b = info(12, SI_USER, 0, 0), out;

	sigqueue_add(p, &a);
	sigqueue_add(p, &b);
	CHECK_EQ(sigqueue_take(p, SIGBIT(10), &out), 12);
	CHECK_EQ(sigqueue_take(p, SIGBIT(10), &out), 0);
	CHECK_EQ(p->set, SIGBIT(10));
	CHECK_EQ(sigqueue_take(p, 0, &out), 10);
}

TEST(sigqueue_flush_and_timer_flush)
{
	struct sigpending *p = fresh();
	struct ksiginfo t1 = info(40, SI_TIMER, 7, 1), t2 = info(40, SI_TIMER, 8, 2);
	struct ksiginfo u = info(14, SI_KERNEL, 0, 0), out;

	sigqueue_add(p, &t1);
	sigqueue_add(p, &u);
	sigqueue_add(p, &t2);
	CHECK(sigqueue_has_timer(p, 7));
	CHECK(sigqueue_has_timer(p, 8));
	CHECK(!sigqueue_has_timer(p, 9));
	sigqueue_flush_timer(p, 7);
	CHECK(!sigqueue_has_timer(p, 7));
	CHECK_EQ(p->set, SIGBIT(40) | SIGBIT(14));
	CHECK_EQ(sigqueue_take(p, SIGBIT(14), &out), 40);
	CHECK_EQ(out.a, 8);
	sigqueue_add(p, &t1);
	sigqueue_flush(p, SIGBIT(14) | SIGBIT(40));
	CHECK_EQ(p->set, 0);
	CHECK_EQ(p->count, 0);
	sigqueue_add(p, &t1);
	sigqueue_flush_timer(p, 7);
	CHECK_EQ(p->set, 0);
}

TEST(sigqueue_rejects_bad_numbers)
{
	struct sigpending *p = fresh();
	struct ksiginfo z = info(0, SI_USER, 0, 0), big = info(65, SI_USER, 0, 0);

	CHECK_EQ(sigqueue_add(p, &z), SIGQ_FULL);
	CHECK_EQ(sigqueue_add(p, &big), SIGQ_FULL);
	CHECK_EQ(p->set, 0);
	CHECK_EQ(p->count, 0);
}

TEST(siginfo_layout)
{
	uint8_t buf[SIGINFO_SIZE];
	struct ksiginfo k = { .signo = 11, .code = 2, .fault = true, .value = 0x7f0012345000ULL };
	struct ksiginfo r = { .signo = 34, .code = SI_QUEUE, .a = 42, .b = 0, .value = 0xdeadbeef };
	struct ksiginfo back;
	int32_t v32;
	uint64_t v64;

	memset(buf, 0xff, sizeof(buf));
	siginfo_to_user(buf, &k);
	memcpy(&v32, buf, 4);
	CHECK_EQ(v32, 11);
	memcpy(&v32, buf + 8, 4);
	CHECK_EQ(v32, 2);
	memcpy(&v64, buf + 16, 8);
	CHECK_EQ(v64, 0x7f0012345000ULL);
	CHECK_EQ(buf[127], 0);
	siginfo_to_user(buf, &r);
	memcpy(&v32, buf + 16, 4);
	CHECK_EQ(v32, 42);
	memcpy(&v64, buf + 24, 8);
	CHECK_EQ(v64, 0xdeadbeef);
	siginfo_from_user(&back, buf);
	CHECK_EQ(back.signo, 34);
	CHECK_EQ(back.code, SI_QUEUE);
	CHECK_EQ(back.a, 42);
	CHECK_EQ(back.value, 0xdeadbeef);
	CHECK(!back.fault);
}
