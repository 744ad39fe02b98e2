// SPDX-License-Identifier: GPL-2.0
/*
 * A job's environment from its proxy: `cove run` holds the environment it
 * was started with (an MPI launcher's or a batch system's variables,
 * kilobytes of them), which no job line could carry.
 */
#include <cove/errno.h>
#include <cove/host.h>
#include <cove/job.h>
#include <cove/kvsnprintf.h>
#include <cove/offload.h>
#include <cove/pisces_abi.h>

int offload_env_fetch(uint32_t host_job, char *buf, uint32_t size, char *err, size_t errlen)
{
	uint32_t got = 0;

	while (got < size) {
		uint32_t want = MIN(size - got, host_call_payload_max());
		struct host_call hc = {
			.op = COVE_LC_ENV, .job = host_job, .arg = { got, want },
			.out = buf + got, .out_cap = want,
		};
		int64_t rc = host_call(&hc);

		/* The size the job line gave must be the proxy's: a mismatch is a broken proxy. */
		if (rc >= 0 && (hc.arg[0] != size || !hc.out_len))
			rc = -EIO;
		if (rc < 0) {
			ksnprintf(err, errlen, "cannot read the environment from `cove run` (errno %lld)",
				  (long long)-rc);
			return (int)rc;
		}
		got += hc.out_len;
	}
	/* The proxy is the host's program, but what it sends is checked all the same. */
	return job_env_check(buf, size, err, errlen) < 0 ? -EINVAL : 0;
}
