// SPDX-License-Identifier: GPL-2.0
/*
 * The module's check of a job's usage report (linux/module/
 * cove_usage_check.c), every byte of which the enclave wrote. Input: 24
 * bytes of the host's own view (wall time, cores, ranks, memory) and the
 * report's arg1 and arg2, then the payload. Whatever it says, an accepted
 * report has exactly the job's ranks, none above what the cores give in
 * the wall time or above the enclave's memory, no count above what that
 * time allows, and totals that add up; a
 * refusal comes with one line saying why.
 */
#include "cove_usage_user.h"
#include "fuzz.h"
#include "../../linux/module/cove_usage_check.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cove_rank_usage out[COVE_USAGE_MAX_RANKS];
	struct cove_usage_bounds b;
	struct cove_rank_usage total;
	u64 marker, nr, cpu = 0, limit, each;
	char why[160] = "";
	void *payload;
	u32 len, w;

	if (size < 24)
		return 0;
	memcpy(&w, data, 4);
	b.wall_ns = (u64)w * 1000;	/* up to ~70 minutes */
	b.cores = data[4] % 70;
	b.ranks = data[5] % 70;
	memcpy(&w, data + 6, 4);
	b.mem_kib = w;
	/* Mostly the right kind and count, so the figures get looked at. */
	marker = data[10] & 1 ? COVE_JOB_EXIT_COUNTS : data[10] & 4 ? COVE_JOB_EXIT_USAGE : data[11];
	each = marker == COVE_JOB_EXIT_USAGE ? COVE_RANK_USAGE_V1 : sizeof(out[0]);
	memcpy(&nr, data + 12, 8);
	if (data[10] & 2)
		nr = b.ranks;
	len = (u32)(size - 24);
	payload = malloc(len ? len : 1);	/* exactly the payload: ASan sees a read past it */
	memcpy(payload, data + 24, len);
	memset(out, 0xee, sizeof(out));
	if (cove_usage_check(marker, nr, payload, len, &b, out, &total, why, sizeof(why)) == 0) {
		limit = (b.wall_ns + b.wall_ns / 8 + 50000000ULL) * b.cores;
		FUZZ_ASSERT(marker == COVE_JOB_EXIT_USAGE || marker == COVE_JOB_EXIT_COUNTS);
		FUZZ_ASSERT(nr == b.ranks && b.ranks && b.cores);
		FUZZ_ASSERT(len == b.ranks * each);
		for (u32 i = 0; i < b.ranks; i++) {
			/* Each rank's bytes as sent; an older report's counts are 0. */
			FUZZ_ASSERT(!memcmp(&out[i], (const uint8_t *)payload + i * each, each));
			FUZZ_ASSERT(each == sizeof(out[0]) ||
				    !(out[i].switches | out[i].migrations | out[i].kentries |
				      out[i].offloaded));
			FUZZ_ASSERT(out[i].kentries <= limit / 100 + 10000 &&
				    out[i].offloaded <= limit / 100 + 10000);
			FUZZ_ASSERT(out[i].utime_ns + out[i].stime_ns <= limit);
			FUZZ_ASSERT(out[i].maxrss_kib <= b.mem_kib && out[i].maxrss_kib <= total.maxrss_kib);
			cpu += out[i].utime_ns + out[i].stime_ns;
		}
		FUZZ_ASSERT(cpu <= limit && cpu == total.utime_ns + total.stime_ns);
	} else {
		FUZZ_ASSERT(why[0] && !strchr(why, '\n'));
	}
	free(payload);
	return 0;
}
