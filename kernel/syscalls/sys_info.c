// SPDX-License-Identifier: GPL-2.0
/* Who and what: uname, sysinfo, limits, ids, randomness. */
#include <cove/arch.h>
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/pmem.h>
#include <cove/random.h>
#include <cove/smp.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>

#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RLIM_INFINITY (~0ULL)
#define GETRANDOM_MAX (32 * 1024 * 1024)

/* Job stack size, set by the job launcher (RLIMIT_STACK reports it). */
uint64_t sys_stack_limit = 8 * 1024 * 1024;

int64_t sys_uname(SYSCALL_ARGS)
{
	/* Linux ABI, so libcs accept it; the version field says what really runs. */
	static const char *const fields[6] = {
		"Linux", "cove", "6.1.0-cove", "Cove 0.1.0 lightweight kernel", "x86_64", "(none)",
	};
	char buf[6 * 65];

	memset(buf, 0, sizeof(buf));
	for (int i = 0; i < 6; i++)
		memcpy(buf + i * 65, fields[i], strlen(fields[i]));
	return copy_to_user(a0, buf, sizeof(buf));
}

int64_t sys_sysinfo(SYSCALL_ARGS)
{
	struct {
		int64_t uptime;
		uint64_t loads[3];
		uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
		uint16_t procs, pad;
		uint32_t pad2;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char reserved[4];
	} si;
	struct pmem_stats st;

	pmem_get_stats(&st);
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(time_now_ns() / NSEC_PER_SEC);
	si.totalram = st.partition_bytes;
	si.freeram = st.free_bytes;
	si.procs = 1;
	si.mem_unit = 1;
	return copy_to_user(a0, &si, sizeof(si));
}

static void info_rlimit(uint64_t res, uint64_t lim[2])
{
	struct process *p = task_current()->proc;

	lim[0] = lim[1] = RLIM_INFINITY;
	if (res == RLIMIT_CORE) {
		lim[0] = p->core_limit[0];
		lim[1] = p->core_limit[1];
	}
	if (res == RLIMIT_STACK)
		lim[0] = lim[1] = sys_stack_limit;
	else if (res == RLIMIT_NOFILE)
		lim[0] = lim[1] = FD_MAX;
}

/* RLIMIT_CORE is kept (a core file is written only within it); the rest are not enforced. */
static int info_set_rlimit(uint64_t res, uint64_t unew)
{
	struct process *p = task_current()->proc;
	uint64_t lim[2];
	unsigned long flags;

	if (copy_from_user(lim, unew, sizeof(lim)))
		return -EFAULT;
	if (lim[0] > lim[1])
		return -EINVAL;
	if (res != RLIMIT_CORE)
		return 0;	/* accepted, not enforced: the job owns its partition */
	flags = spin_lock_irqsave(&p->lock);
	/* Jobs run as root: raising the hard limit is allowed, as for root on Linux. */
	p->core_limit[0] = lim[0];
	p->core_limit[1] = lim[1];
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

int64_t sys_prlimit64(SYSCALL_ARGS)
{
	uint64_t lim[2];
	int rc;

	if (a0 && a0 != task_current()->proc->pid)
		return -ESRCH;
	if (a1 > 15)
		return -EINVAL;
	info_rlimit(a1, lim);
	if (a2) {
		rc = info_set_rlimit(a1, a2);
		if (rc)
			return rc;
	}
	if (a3 && copy_to_user(a3, lim, sizeof(lim)))
		return -EFAULT;
	return 0;
}

int64_t sys_getrlimit(SYSCALL_ARGS)
{
	return sys_prlimit64(0, a0, 0, a1, 0, 0);
}

int64_t sys_setrlimit(SYSCALL_ARGS)
{
	return a0 > 15 ? -EINVAL : info_set_rlimit(a0, a1);
}

int64_t sys_getuid(SYSCALL_ARGS)
{
	return 0;	/* jobs run as root; there are no other users */
}

/*
 * Process groups, as far as a non-interactive shell needs them: a rank
 * leads its own group and session, a child inherits both (kernel/task.c),
 * and wait4(0) / wait4(-pgid) select by group. This one handler also
 * answers getpgid and getsid for the caller.
 */
int64_t sys_getpgrp(SYSCALL_ARGS)
{
	return task_current()->proc->pgid;
}

int64_t sys_setpgid(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;
	int64_t pid = (int32_t)a0, pgid = (int32_t)a1;

	if (pgid < 0)
		return -EINVAL;
	/* Another process's group (job control) is left alone, as before. */
	if (pid && pid != p->pid)
		return 0;
	p->pgid = pgid ? (uint32_t)pgid : p->pid;
	return 0;
}

int64_t sys_setsid(SYSCALL_ARGS)
{
	struct process *p = task_current()->proc;

	if (p->pgid == p->pid)
		return -EPERM;		/* a group leader cannot start a session */
	p->sid = p->pgid = p->pid;
	return p->pid;
}

int64_t sys_getgroups(SYSCALL_ARGS)
{
	return 0;
}

/*
 * getrandom: xoshiro256** seeded from the CPU counter and, where present,
 * RDRAND. Good statistical randomness for AT_RANDOM and hash seeds; it is
 * not a cryptographic generator and does not claim to be one.
 */
static uint64_t rng_state[4];
static spinlock_t rng_lock = SPINLOCK_INIT;

static uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(void)
{
	uint64_t *s = rng_state;
	uint64_t r = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return r;
}

void random_bytes(void *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&rng_lock);
	uint8_t *out = buf;

	if (!rng_state[0] && !rng_state[1]) {
		uint64_t seed = arch_cycles() ^ arch_random_seed();

		for (int i = 0; i < 4; i++) {
			seed += 0x9e3779b97f4a7c15ULL;
			uint64_t z = seed;

			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
			rng_state[i] = z ^ (z >> 31);
		}
	}
	while (len) {
		uint64_t v = rng_next();
		size_t n = MIN(len, sizeof(v));

		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
	spin_unlock_irqrestore(&rng_lock, flags);
}

int64_t sys_getrandom(SYSCALL_ARGS)
{
	uint8_t chunk[256];
	uint64_t done = 0, len = MIN(a1, (uint64_t)GETRANDOM_MAX);

	if (a2 & ~7ULL)
		return -EINVAL;
	if (len && !user_range_ok(a0, len, true))
		return -EFAULT;
	while (done < len) {
		size_t n = MIN(sizeof(chunk), len - done);

		random_bytes(chunk, n);
		memcpy((void *)(a0 + done), chunk, n);
		done += n;
	}
	return (int64_t)done;
}
