// SPDX-License-Identifier: GPL-2.0
/*
 * Which cores a job gets. Several jobs run at once in an enclave, each
 * launched by its own `cove run`; each takes cores when it starts and
 * gives them back when its last process ends. A job that did not ask to
 * share holds its cores alone; jobs that asked (share=1) go together onto
 * cores no such job holds, and their threads then take turns (round robin).
 * A job that cannot have what it asks for is refused at once with the
 * numbers: an MPI launcher that starts more ranks than there are cores
 * would otherwise wait forever for ranks that never start.
 *
 * Pure logic over a caller-owned table (the caller locks it), host-tested
 * in test/unit/test_job_cpus.c.
 */
#include <cove/errno.h>
#include <cove/job.h>
#include <cove/kvsnprintf.h>

/*
 * Cores are handed out from the highest number down: core 0 serves the
 * host's requests from its idle time (kernel/host/cokernel.c), so a job
 * there delays the next job's start. It is the last core taken.
 */
static bool job_cpus_better(const struct job_cpu_use *use, uint32_t c, uint32_t best)
{
	return best == CPUMASK_BITS || use->users[c] < use->users[best];
}

static uint32_t job_cpus_count_usable(const struct job_cpu_use *use,
				      const struct cpumask *online, bool share)
{
	uint32_t n = 0;

	for (uint32_t c = 0; c < CPUMASK_BITS; c++) {
		if (cpumask_test(online, c) && (share ? !cpumask_test(&use->alone, c) :
						  !use->users[c]))
			n++;
	}
	return n;
}

static int job_cpus_check_named(const struct job_cpu_use *use, const struct cpumask *online,
				const struct cpumask *named, bool share, char *err,
				size_t errlen)
{
	for (uint32_t c = 0; c < CPUMASK_BITS; c++) {
		if (!cpumask_test(named, c))
			continue;
		if (!cpumask_test(online, c)) {
			ksnprintf(err, errlen, "CPU %u is not in the partition", c);
			return -EINVAL;
		}
		if (!share && use->users[c]) {
			ksnprintf(err, errlen, "CPU %u is in use by another job (name free ones, "
				  "or share them: --share, share=1)", c);
			return -EBUSY;
		}
		if (share && cpumask_test(&use->alone, c)) {
			ksnprintf(err, errlen, "CPU %u is held by a job that does not share it", c);
			return -EBUSY;
		}
	}
	return 0;
}

int job_cpus_pick(const struct job_cpu_use *use, const struct cpumask *online,
		  const struct cpumask *named, uint32_t n, bool share, struct cpumask *out,
		  char *err, size_t errlen)
{
	uint32_t total = cpumask_weight(online);
	uint32_t usable = job_cpus_count_usable(use, online, share);
	struct cpumask taken;

	cpumask_clear(out);
	if (named) {
		int rc = job_cpus_check_named(use, online, named, share, err, errlen);

		if (!rc)
			*out = *named;
		return rc;
	}
	if (n > total) {
		ksnprintf(err, errlen, "the job asks for %u CPUs but the partition has %u", n,
			  total);
		return -EINVAL;
	}
	if (!n)
		n = usable;	/* every core it may have */
	if (!n || usable < n) {
		if (share)
			ksnprintf(err, errlen, "the job needs %u CPU%s to share but %u of the "
				  "partition's %u %s not held by jobs that do not share", n ? n : 1,
				  n > 1 ? "s" : "", usable, total, usable == 1 ? "is" : "are");
		else
			ksnprintf(err, errlen, "the job needs %u CPU%s but %u of the partition's "
				  "%u %s free (other jobs run on the rest); try again when one "
				  "ends, or share cores (--share, share=1)", n ? n : 1, n > 1 ? "s" : "",
				  usable, total, usable == 1 ? "is" : "are");
		return -EBUSY;
	}
	cpumask_clear(&taken);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t best = CPUMASK_BITS;

		for (uint32_t c = CPUMASK_BITS; c-- > 0;) {
			if (!cpumask_test(online, c) || cpumask_test(&taken, c))
				continue;
			if (share ? cpumask_test(&use->alone, c) : use->users[c] != 0)
				continue;
			if (job_cpus_better(use, c, best))
				best = c;
		}
		cpumask_set(&taken, best);	/* usable >= n: always found */
	}
	*out = taken;
	return 0;
}

void job_cpus_hold(struct job_cpu_use *use, const struct cpumask *m, bool share)
{
	for (uint32_t c = 0; c < CPUMASK_BITS; c++) {
		if (!cpumask_test(m, c))
			continue;
		use->users[c]++;
		if (!share)
			cpumask_set(&use->alone, c);
	}
}

void job_cpus_release(struct job_cpu_use *use, const struct cpumask *m, bool share)
{
	for (uint32_t c = 0; c < CPUMASK_BITS; c++) {
		if (!cpumask_test(m, c) || !use->users[c])
			continue;
		use->users[c]--;
		if (!share)
			use->alone.bits[c / 64] &= ~(1ULL << (c % 64));
	}
}
