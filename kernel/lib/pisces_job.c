// SPDX-License-Identifier: GPL-2.0
/*
 * Pisces's job description -> Cove's job line. Pure: the unit test runs
 * it. Pisces numbers ranks in a byte and CPUs in a 64-bit mask of the
 * enclave's own CPU numbers, 0 meaning "any".
 */
#include <cove/errno.h>
#include <cove/kvsnprintf.h>
#include <cove/pisces_job.h>
#include <cove/string.h>

/* A field of n bytes the host may not have terminated: its length, or -1 with a quote. */
static int pisces_field_len(const char *s, size_t n)
{
	size_t len = strnlen(s, n);

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			return -1;
	}
	return (int)len;
}

int pisces_job_line(const struct pisces_job_spec *spec, char *line, size_t cap, char *err,
		    size_t errlen)
{
	int path = pisces_field_len(spec->exe_path, sizeof(spec->exe_path));
	int args = pisces_field_len(spec->argv, sizeof(spec->argv));
	int env = pisces_field_len(spec->envp, sizeof(spec->envp));
	size_t n;

	if (path <= 0 || args < 0 || env < 0) {
		ksnprintf(err, errlen, path ? "a double quote in the job's path, arguments or "
			  "environment" : "the job names no program");
		return -EINVAL;
	}
	n = (size_t)ksnprintf(line, cap, "ranks=%u", spec->num_ranks ? spec->num_ranks : 1);
	if (spec->cpu_mask) {
		bool first = true;

		n += (size_t)ksnprintf(line + MIN(n, cap), cap - MIN(n, cap), " cpus=");
		for (uint32_t c = 0; c < 64; c++) {
			if (!(spec->cpu_mask & (1ULL << c)))
				continue;
			n += (size_t)ksnprintf(line + MIN(n, cap), cap - MIN(n, cap), "%s%u",
					       first ? "" : ",", c);
			first = false;
		}
	}
	if (spec->heap_size)
		n += (size_t)ksnprintf(line + MIN(n, cap), cap - MIN(n, cap), " heap=%lu",
				       (unsigned long)spec->heap_size);
	if (spec->stack_size)
		n += (size_t)ksnprintf(line + MIN(n, cap), cap - MIN(n, cap), " stack=%lu",
				       (unsigned long)spec->stack_size);
	if (spec->flags & PISCES_JOB_LARGE_PAGES)
		n += (size_t)ksnprintf(line + MIN(n, cap), cap - MIN(n, cap), " pagesize=2M");
	if (env)
		n += (size_t)ksnprintf(line + MIN(n, cap), cap - MIN(n, cap), " env=\"%.*s\"", env,
				       spec->envp);
	n += (size_t)ksnprintf(line + MIN(n, cap), cap - MIN(n, cap), " %.*s%s%.*s", path,
			       spec->exe_path, args ? " " : "", args, spec->argv);
	if (n >= cap) {
		ksnprintf(err, errlen, "the job line would be longer than %lu bytes",
			  (unsigned long)cap - 1);
		return -EINVAL;
	}
	return 0;
}
