// SPDX-License-Identifier: GPL-2.0
/* Which file system a host job's path belongs to (see cove/hostfile.h). */
#include <cove/errno.h>
#include <cove/hostfile.h>
#include <cove/path.h>
#include <cove/string.h>
#include <cove/vfs.h>

enum hostfile_route hostfile_route(const char *path, bool cwd_on_host)
{
	if (path[0] != '/')
		return cwd_on_host ? HOSTFILE_HOST : HOSTFILE_ENCLAVE;
	/* The enclave's own views of the machine: a host answer would be a lie. */
	return vfs_path_is_enclave(path) ? HOSTFILE_ENCLAVE : HOSTFILE_FALLBACK;
}

int hostfile_path_join(const char *cwd, const char *path, char *out, size_t len)
{
	const char *name;
	size_t at, n;

	if (len < 2)
		return -ENAMETOOLONG;
	if (path[0] == '/' || !cwd[0]) {
		out[0] = '/';
		out[1] = 0;
	} else if (strlen(cwd) >= len) {
		return -ENAMETOOLONG;
	} else {
		memcpy(out, cwd, strlen(cwd) + 1);
	}
	at = strlen(out);
	while ((n = path_next_name(&path, &name))) {
		if (path_is_dotdot(name, n)) {
			while (at > 1 && out[at - 1] != '/')
				at--;
			if (at > 1)
				at--;	/* the slash before it, unless it is the root */
			out[at] = 0;
			continue;
		}
		if (at + (at > 1) + n >= len)
			return -ENAMETOOLONG;
		if (at > 1)
			out[at++] = '/';
		memcpy(out + at, name, n);
		at += n;
		out[at] = 0;
	}
	return 0;
}
