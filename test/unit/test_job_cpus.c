// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of which cores a job gets (kernel/job/job_cpus.c): free cores
 * from the top, alone or shared, refusals that say how many are free, and
 * cores given back at a job's end.
 */
#include <string.h>
#include <cove/errno.h>
#include <cove/job.h>
#include "unit.h"

static struct cpumask mask_of(const char *list)
{
	struct cpumask m;
	char err[128];

	job_parse_cpulist(list, &m, err, sizeof(err));
	return m;
}

static bool mask_is(const struct cpumask *m, const char *list)
{
	struct cpumask want = mask_of(list);

	return !memcmp(m, &want, sizeof(want));
}

TEST(one_core_each_from_the_top)
{
	static struct job_cpu_use use;
	struct cpumask online = mask_of("0-3"), got[4], m;
	char err[256];

	memset(&use, 0, sizeof(use));
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(job_cpus_pick(&use, &online, NULL, 1, false, &got[i], err, sizeof(err)), 0);
		job_cpus_hold(&use, &got[i], false);
	}
	/* Core 0 serves the host: it goes last. */
	CHECK(mask_is(&got[0], "3"));
	CHECK(mask_is(&got[1], "2"));
	CHECK(mask_is(&got[2], "1"));
	CHECK(mask_is(&got[3], "0"));
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 1, false, &m, err, sizeof(err)), -EBUSY);
	CHECK(strstr(err, "needs 1 CPU but 0 of the partition's 4 are free") != NULL);
	/* A job that ends gives its core to the next. */
	job_cpus_release(&use, &got[1], false);
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 1, false, &m, err, sizeof(err)), 0);
	CHECK(mask_is(&m, "2"));
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 2, false, &m, err, sizeof(err)), -EBUSY);
	CHECK(strstr(err, "needs 2 CPUs but 1 of the partition's 4 is free") != NULL);
}

TEST(every_free_core_by_default)
{
	static struct job_cpu_use use;
	struct cpumask online = mask_of("0-3"), a, b, scratch;
	char err[256];

	memset(&use, 0, sizeof(use));
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 2, false, &a, err, sizeof(err)), 0);
	CHECK(mask_is(&a, "2-3"));
	job_cpus_hold(&use, &a, false);
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 0, false, &b, err, sizeof(err)), 0);
	CHECK(mask_is(&b, "0-1"));
	job_cpus_hold(&use, &b, false);
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 0, false, &scratch, err, sizeof(err)), -EBUSY);
	CHECK(strstr(err, "needs 1 CPU but 0 of the partition's 4 are free") != NULL);
	job_cpus_release(&use, &a, false);
	job_cpus_release(&use, &b, false);
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 0, false, &b, err, sizeof(err)), 0);
	CHECK(mask_is(&b, "0-3"));
}

TEST(named_cores)
{
	static struct job_cpu_use use;
	struct cpumask online = mask_of("0-3"), named = mask_of("1-2"), m;
	char err[256];

	memset(&use, 0, sizeof(use));
	CHECK_EQ(job_cpus_pick(&use, &online, &named, 0, false, &m, err, sizeof(err)), 0);
	CHECK(mask_is(&m, "1-2"));
	job_cpus_hold(&use, &m, false);
	named = mask_of("2-3");
	CHECK_EQ(job_cpus_pick(&use, &online, &named, 0, false, &m, err, sizeof(err)), -EBUSY);
	CHECK(strstr(err, "CPU 2 is in use by another job") != NULL);
	CHECK_EQ(job_cpus_pick(&use, &online, &named, 0, true, &m, err, sizeof(err)), -EBUSY);
	CHECK(strstr(err, "CPU 2 is held by a job that does not share it") != NULL);
	named = mask_of("3-4");
	CHECK_EQ(job_cpus_pick(&use, &online, &named, 0, false, &m, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "CPU 4 is not in the partition") != NULL);
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 5, false, &m, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "asks for 5 CPUs but the partition has 4") != NULL);
}

TEST(sharing_only_among_jobs_that_ask)
{
	static struct job_cpu_use use;
	struct cpumask online = mask_of("0-3"), alone, s[6], scratch;
	char err[256];

	memset(&use, 0, sizeof(use));
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 2, false, &alone, err, sizeof(err)), 0);
	job_cpus_hold(&use, &alone, false);
	/* Two cores are left to share: turns go round them, least used first. */
	for (int i = 0; i < 6; i++) {
		CHECK_EQ(job_cpus_pick(&use, &online, NULL, 1, true, &s[i], err, sizeof(err)), 0);
		job_cpus_hold(&use, &s[i], true);
	}
	CHECK(mask_is(&s[0], "1"));
	CHECK(mask_is(&s[1], "0"));
	CHECK(mask_is(&s[2], "1"));
	CHECK(mask_is(&s[3], "0"));
	CHECK_EQ(use.users[1], 3);
	CHECK_EQ(use.users[0], 3);
	/* A job that does not share finds no core; one that shares never lands on 2-3. */
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 1, false, &scratch, err, sizeof(err)), -EBUSY);
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 3, true, &scratch, err, sizeof(err)), -EBUSY);
	CHECK(strstr(err, "needs 3 CPUs to share but 2 of the partition's 4 are not held") != NULL);
	for (int i = 0; i < 6; i++)
		job_cpus_release(&use, &s[i], true);
	CHECK_EQ(use.users[0] + use.users[1], 0);
	CHECK_EQ(job_cpus_pick(&use, &online, NULL, 2, false, &s[0], err, sizeof(err)), 0);
	CHECK(mask_is(&s[0], "0-1"));
}
