// SPDX-License-Identifier: GPL-2.0
/*
 * The module's check of a job's usage report (linux/module/
 * cove_usage_check.c): a true report of two ranks kept whole, an older
 * Cove's report without counts, and each way an enclave could lie refused
 * with a reason naming the rank.
 */
#include "cove_usage_user.h"
#include "../../linux/module/cove_usage_check.c"
#include "unit.h"

#define MS 1000000ULL

/* Two ranks on 4 cores, 2 s of the host's wall time, a 256 MiB enclave. */
static const struct cove_usage_bounds two = {
	.wall_ns = 2000 * MS, .cores = 4, .ranks = 2, .mem_kib = 256 * 1024,
};

static struct cove_rank_usage in[COVE_USAGE_MAX_RANKS + 1], out[COVE_USAGE_MAX_RANKS], total;
static char why[160];

static void good_pair(void)
{
	memset(in, 0, sizeof(in));
	in[0] = (struct cove_rank_usage){ 1500 * MS, 40 * MS, 40000, 900, 30, 2, 5000, 120 };
	in[1] = (struct cove_rank_usage){ 1400 * MS, 60 * MS, 50000, 1100, 10, 0, 7000, 80 };
}

/* The reason a report is refused, or "accepted". */
static const char *refused(u64 marker, u64 nr, u32 len, const struct cove_usage_bounds *b)
{
	why[0] = '\0';
	if (cove_usage_check(marker, nr, in, len, b, out, &total, why, sizeof(why)) != -EINVAL)
		return "accepted";
	return why;
}

TEST(usage_check_good)
{
	good_pair();
	CHECK_EQ(cove_usage_check(COVE_JOB_EXIT_COUNTS, 2, in, 128, &two, out, &total, why,
				  sizeof(why)), 0);
	CHECK_EQ(out[1].utime_ns, 1400 * MS);
	CHECK_EQ(out[0].maxrss_kib, 40000);
	CHECK_EQ(total.utime_ns, 2900 * MS);
	CHECK_EQ(total.stime_ns, 100 * MS);
	CHECK_EQ(total.maxrss_kib, 50000);	/* the largest rank's, as ru_maxrss of children */
	CHECK_EQ(total.minflt, 2000);
	CHECK_EQ(out[0].kentries, 5000);
	CHECK_EQ(total.switches, 40);
	CHECK_EQ(total.migrations, 2);
	CHECK_EQ(total.kentries, 12000);
	CHECK_EQ(total.offloaded, 200);
	/* All the cores busy all the time is possible, and a little over (clock skew). */
	in[0] = (struct cove_rank_usage){ .utime_ns = 4000 * MS, .stime_ns = 4000 * MS };
	in[1] = (struct cove_rank_usage){ .utime_ns = 0 };
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "accepted"));
	in[0].utime_ns += 250 * MS;
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "accepted"));
}

TEST(usage_check_bad)
{
	struct cove_usage_bounds b = two;

	good_pair();
	CHECK(!strcmp(refused(0, 2, 128, &two), "unknown report kind 0"));
	CHECK(!strcmp(refused(0x1234, 2, 128, &two), "unknown report kind 0x1234"));
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 3, 192, &two), "3 ranks reported, the job "
			      "started 2"));
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 1ULL << 40, 128, &two), "1099511627776 ranks "
			      "reported, the job started 2"));
	/* A count the payload does not hold: never read past it. */
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 64, &two), "64 bytes for 2 ranks (64 each)"));
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 0xffffffffU, &two),
		      "4294967295 bytes for 2 ranks (64 each)"));
	b.ranks = 0;		/* no COVE_LC_JOB_START came */
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 0, 0, &b), "the job never said it started"));
	b = two;
	b.ranks = COVE_USAGE_MAX_RANKS + 1;
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, b.ranks, b.ranks * 64, &b),
		      "the job never said it started"));

	in[1].utime_ns = 9500 * MS;	/* over 4 cores x 2 s (+ slack) */
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "rank 1: CPU time 9500000000 + "
			      "60000000 ns, more than 4 cores give in 2000000000 ns"));
	/* Sums that wrap must not pass as small. */
	in[1].utime_ns = ~0ULL;
	in[1].stime_ns = 2;
	CHECK(strstr(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "rank 1: CPU time") == why);
	good_pair();
	in[0].stime_ns = ~0ULL - 1000 * MS;
	CHECK(strstr(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "rank 0: CPU time") == why);
	/* Each rank possible alone, not both at once. */
	good_pair();
	in[0].utime_ns = in[1].utime_ns = 5000 * MS;
	CHECK(strstr(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "CPU time of all ranks "
			     "10100000000 ns") == why);
	good_pair();
	in[1].maxrss_kib = 256 * 1024 + 1;
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "rank 1: peak memory 262145 "
			      "KiB, more than the enclave's 262144 KiB"));
	/* 2 s on 4 cores allow some 90 million events of each kind (100 ns each). */
	good_pair();
	in[1].switches = 100000000;
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "rank 1: more context "
			      "switches than 2000000000 ns allow"));
	good_pair();
	in[0].offloaded = ~0ULL;
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "rank 0: more offloaded "
			      "calls than 2000000000 ns allow"));
	good_pair();
	in[0].kentries = in[1].kentries = 60000000;	/* each possible, not both */
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "all ranks: more kernel "
			      "entries than 2000000000 ns allow"));
	good_pair();
	in[0].minflt = 1ULL << 62;
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &two), "rank 0: 4611686018427387904 "
			      "page faults in 2000000000 ns"));
	/* A wall time so long that its product would wrap: capped, never wrapped. */
	b = two;
	b.wall_ns = ~0ULL - 1;
	good_pair();
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &b), "accepted"));
	in[0].utime_ns = ~0ULL / 2;
	CHECK(strstr(refused(COVE_JOB_EXIT_COUNTS, 2, 128, &b), "rank 0: CPU time") == why);
}

/*
 * An older Cove's report: 32 bytes a rank, times and memory only; the
 * counts read as 0 and the figures are checked as before.
 */
TEST(usage_check_older_cove)
{
	uint64_t v1[2][4] = { { 1500 * MS, 40 * MS, 40000, 900 },
			      { 1400 * MS, 60 * MS, 50000, 1100 } };

	memset(out, 0xee, sizeof(out));
	CHECK_EQ(cove_usage_check(COVE_JOB_EXIT_USAGE, 2, v1, sizeof(v1), &two, out, &total, why,
				  sizeof(why)), 0);
	CHECK_EQ(out[1].utime_ns, 1400 * MS);
	CHECK_EQ(out[1].minflt, 1100);
	CHECK_EQ(out[0].switches + out[0].offloaded + out[1].kentries + out[1].migrations, 0);
	CHECK_EQ(total.utime_ns, 2900 * MS);
	CHECK_EQ(total.switches, 0);
	CHECK_EQ(cove_usage_check(COVE_JOB_EXIT_USAGE, 2, v1, 128, &two, out, &total, why,
				  sizeof(why)), -EINVAL);
	CHECK(!strcmp(why, "128 bytes for 2 ranks (32 each)"));
	v1[1][2] = 256 * 1024 + 1;
	CHECK_EQ(cove_usage_check(COVE_JOB_EXIT_USAGE, 2, v1, sizeof(v1), &two, out, &total, why,
				  sizeof(why)), -EINVAL);
	CHECK(!strcmp(why, "rank 1: peak memory 262145 KiB, more than the enclave's 262144 KiB"));
}

/* The whole window Cove may hold: 64 ranks, every figure checked. */
TEST(usage_check_full)
{
	struct cove_usage_bounds b = { .wall_ns = 1000 * MS, .cores = 64, .ranks = 64,
				       .mem_kib = 1 << 20 };

	memset(in, 0, sizeof(in));
	for (u32 i = 0; i < 64; i++)
		in[i] = (struct cove_rank_usage){ 900 * MS, 10 * MS, 1000 + i, i, i, i, i, i };
	CHECK(!strcmp(refused(COVE_JOB_EXIT_COUNTS, 64, 64 * 64, &b), "accepted"));
	CHECK_EQ(total.maxrss_kib, 1063);
	CHECK_EQ(total.utime_ns, 64 * 900 * MS);
	in[63].maxrss_kib = (1 << 20) + 1;
	CHECK(strstr(refused(COVE_JOB_EXIT_COUNTS, 64, 64 * 64, &b), "rank 63: peak") == why);
}
