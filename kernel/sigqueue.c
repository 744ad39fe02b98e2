// SPDX-License-Identifier: GPL-2.0
/* Pending signal sets and their instances; see cove/sigqueue.h. */
#include <cove/sigqueue.h>
#include <cove/string.h>

/* Faults a thread must hear of before anything else, as Linux orders them. */
#define SIG_SYNC_MASK (SIGBIT(4) | SIGBIT(5) | SIGBIT(7) | SIGBIT(8) | SIGBIT(11) | SIGBIT(31))

static bool sig_valid(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

int sigset_next(uint64_t set)
{
	if (!set)
		return 0;
	if (set & SIG_SYNC_MASK)
		set &= SIG_SYNC_MASK;
	return __builtin_ctzll(set) + 1;
}

static uint32_t sigqueue_rt_count(const struct sigpending *p)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->count; i++)
		n += p->q[i].signo >= SIGRTMIN;
	return n;
}

bool sigqueue_full(const struct sigpending *p, int sig)
{
	return sig >= SIGRTMIN && sigqueue_rt_count(p) >= SIGQUEUE_RT_MAX;
}

bool sigqueue_has_timer(const struct sigpending *p, int32_t timer_id)
{
	for (uint32_t i = 0; i < p->count; i++) {
		if (p->q[i].code == SI_TIMER && p->q[i].a == timer_id)
			return true;
	}
	return false;
}

enum sigqueue_added sigqueue_add(struct sigpending *p, const struct ksiginfo *info)
{
	int sig = info->signo;

	if (!sig_valid(sig))
		return SIGQ_FULL;
	if (sig < SIGRTMIN && (p->set & SIGBIT(sig)))
		return SIGQ_MERGED;
	/* Standard signals always fit: at most 31 of them, and room is kept. */
	if (sigqueue_full(p, sig)) {
		p->set |= SIGBIT(sig);
		return SIGQ_FULL;
	}
	p->q[p->count++] = *info;
	p->set |= SIGBIT(sig);
	return SIGQ_QUEUED;
}

static void sigqueue_remove_at(struct sigpending *p, uint32_t i)
{
	memmove(&p->q[i], &p->q[i + 1], (p->count - i - 1) * sizeof(p->q[0]));
	p->count--;
}

static bool sigqueue_has(const struct sigpending *p, int sig)
{
	for (uint32_t i = 0; i < p->count; i++) {
		if (p->q[i].signo == sig)
			return true;
	}
	return false;
}

int sigqueue_take(struct sigpending *p, uint64_t blocked, struct ksiginfo *out)
{
	int sig = sigset_next(p->set & ~blocked);

	if (!sig)
		return 0;
	for (uint32_t i = 0; i < p->count; i++) {
		if (p->q[i].signo == sig) {
			*out = p->q[i];
			sigqueue_remove_at(p, i);
			if (!sigqueue_has(p, sig))
				p->set &= ~SIGBIT(sig);
			return sig;
		}
	}
	/* Pending with its information lost (a full real-time queue). */
	memset(out, 0, sizeof(*out));
	out->signo = sig;
	out->code = SI_USER;
	p->set &= ~SIGBIT(sig);
	return sig;
}

void sigqueue_flush(struct sigpending *p, uint64_t mask)
{
	uint32_t i = 0;

	while (i < p->count) {
		if (mask & SIGBIT(p->q[i].signo))
			sigqueue_remove_at(p, i);
		else
			i++;
	}
	p->set &= ~mask;
}

void sigqueue_flush_timer(struct sigpending *p, int32_t timer_id)
{
	uint32_t i = 0;

	while (i < p->count) {
		struct ksiginfo *k = &p->q[i];

		if (k->code == SI_TIMER && k->a == timer_id) {
			int sig = k->signo;

			sigqueue_remove_at(p, i);
			if (!sigqueue_has(p, sig))
				p->set &= ~SIGBIT(sig);
		} else {
			i++;
		}
	}
}

static void put32(uint8_t *p, int32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * Linux x86-64 siginfo_t: si_signo, si_errno, si_code at 0, 4, 8; the
 * union at 16. kill/rt/timer: two ints at 16 and 20 (pid and uid, or
 * timer id and overrun) and the sigval at 24; faults: si_addr at 16.
 */
void siginfo_to_user(uint8_t out[SIGINFO_SIZE], const struct ksiginfo *info)
{
	memset(out, 0, SIGINFO_SIZE);
	put32(out + 0, info->signo);
	put32(out + 4, info->err);
	put32(out + 8, info->code);
	if (info->fault) {
		put64(out + 16, info->value);
		return;
	}
	put32(out + 16, info->a);
	put32(out + 20, info->b);
	put64(out + 24, info->value);
}

void siginfo_from_user(struct ksiginfo *info, const uint8_t in[SIGINFO_SIZE])
{
	memset(info, 0, sizeof(*info));
	memcpy(&info->signo, in + 0, 4);
	memcpy(&info->err, in + 4, 4);
	memcpy(&info->code, in + 8, 4);
	memcpy(&info->a, in + 16, 4);
	memcpy(&info->b, in + 20, 4);
	memcpy(&info->value, in + 24, 8);
}
